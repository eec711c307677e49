"""The current word on each model on each platform, and the feed items each source has shown."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import NamedTuple

import aiosqlite

from bot.domain import DeprecationRow, KnownRow, ModelStatus, RowKey, ShutdownQualifier
from bot.store.db import Database, utcnow

FeedItemRecord = tuple[str, str, str, str | None, str | None]  # item id, content hash, title, link, published


class RevisedRow(NamedTuple):
    """A row with the source that last stated it and when it was last written (ISO 8601 UTC)."""

    row: DeprecationRow
    source_id: int | None
    updated_at: str


def _row(r: aiosqlite.Row) -> DeprecationRow:
    return DeprecationRow(
        vendor=r["vendor"], platform=r["platform"], model=r["model"], version=r["version"] or None,
        status=ModelStatus(r["status"]),
        announced=date.fromisoformat(r["announced"]) if r["announced"] else None,
        shutdown=date.fromisoformat(r["shutdown"]) if r["shutdown"] else None,
        shutdown_qualifier=ShutdownQualifier(r["shutdown_qualifier"]),
        replacements=tuple(json.loads(r["replacements"])), url=r["url"],
    )


class DeprecationRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def known_rows(self) -> dict[RowKey, KnownRow]:
        """Every row with the source that stated it and how much that source's word counts."""
        rows = await self._db.fetch_all(
            """SELECT d.*, s.kind AS source_kind FROM deprecations d LEFT JOIN sources s ON s.id = d.source_id""")
        known = {}
        for r in rows:
            row = _row(r)
            rank = 2 if r["source_kind"] == "page" else 1 if r["source_kind"] == "feed" else 0
            known[row.key] = KnownRow(row, r["source_id"], rank, r["missing_polls"], bool(r["removed"]))
        return known

    async def upsert_rows(self, rows: list[DeprecationRow], source_id: int | None, *,
                          now: datetime | None = None) -> None:
        """`now` is when the rows were read (default: the wall clock); it becomes their `updated_at`."""
        stamp = now.astimezone(UTC).isoformat(timespec="seconds") if now else utcnow()
        await self._db.execute_many(
            """INSERT INTO deprecations (vendor, platform, model, version, status, announced, shutdown,
                                         shutdown_qualifier, replacements, url, source_id, first_seen_at, updated_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (vendor, platform, model, version) DO UPDATE SET
                 status = excluded.status, announced = excluded.announced, shutdown = excluded.shutdown,
                 shutdown_qualifier = excluded.shutdown_qualifier, replacements = excluded.replacements,
                 url = excluded.url, source_id = excluded.source_id, missing_polls = 0, removed = 0,
                 updated_at = excluded.updated_at""",
            [(r.vendor, r.platform, r.model, r.version or "", r.status.value,
              r.announced.isoformat() if r.announced else None, r.shutdown.isoformat() if r.shutdown else None,
              r.shutdown_qualifier.value, json.dumps(list(r.replacements)), r.url, source_id, stamp, stamp)
             for r in rows],
        )

    async def mark_missing(self, misses: dict[RowKey, int], removed: list[RowKey]) -> None:
        gone = set(removed)
        await self._db.execute_many(
            """UPDATE deprecations SET missing_polls = ?, removed = ?
               WHERE vendor = ? AND platform = ? AND lower(model) = ? AND lower(version) = ?""",
            [(count, int(key in gone), *key) for key, count in misses.items()],
        )

    async def list_rows(self, *, include_removed: bool = False) -> list[DeprecationRow]:
        rows = await self._db.fetch_all(
            "SELECT * FROM deprecations WHERE ? OR removed = 0 ORDER BY shutdown IS NULL, shutdown, vendor, model",
            (int(include_removed),))
        return [_row(r) for r in rows]

    async def list_upcoming(self, today: date) -> list[DeprecationRow]:
        """Rows with a shutdown date from today on, soonest first."""
        return [revised.row for revised in await self.list_upcoming_revised(today)]

    async def list_upcoming_revised(self, today: date) -> list[RevisedRow]:
        """`list_upcoming` with each row's source and when it was last written: what the calendar needs."""
        rows = await self._db.fetch_all(
            """SELECT * FROM deprecations WHERE removed = 0 AND shutdown >= ?
               ORDER BY shutdown, vendor, platform, model""", (today.isoformat(),))
        return [RevisedRow(_row(r), r["source_id"], r["updated_at"]) for r in rows]

    async def count_rows_from(self, source_id: int) -> int:
        return int(await self._db.fetch_value(
            "SELECT COUNT(*) FROM deprecations WHERE source_id = ? AND removed = 0", (source_id,)))

    async def known_models(self) -> list[str]:
        return [r[0] for r in await self._db.fetch_all("SELECT DISTINCT model FROM deprecations")]

    # --- feed items --------------------------------------------------------------------------------------

    async def feed_item_hashes(self, source_id: int) -> dict[str, str]:
        rows = await self._db.fetch_all("SELECT item_id, content_hash FROM feed_items WHERE source_id = ?",
                                        (source_id,))
        return {r[0]: r[1] for r in rows}

    async def record_feed_items(self, source_id: int, items: list[FeedItemRecord]) -> None:
        """(item_id, content_hash, title, link, published) — items are never forgotten, so one that
        disappears for a poll or two and comes back is not new."""
        now = utcnow()
        await self._db.execute_many(
            """INSERT INTO feed_items (source_id, item_id, content_hash, title, link, published,
                                       first_seen_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (source_id, item_id) DO UPDATE SET content_hash = excluded.content_hash,
                 title = excluded.title, link = excluded.link, last_seen_at = excluded.last_seen_at""",
            [(source_id, *item, now, now) for item in items],
        )
