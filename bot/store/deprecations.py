"""What each source states about each model on each platform, the current word chosen from that for each
community, and the feed items each source has shown."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import aiosqlite

from bot.domain import DeprecationRow, KnownRow, ModelStatus, RowKey, ShutdownQualifier, SourceRank, StatedRow
from bot.store.db import Database, utcnow
from bot.store.sources import sees_source

FeedItemRecord = tuple[str, str, str, str | None, str | None]  # item id, content hash, title, link, published


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
    """Rows are kept per source, with their provenance. Nobody reads one source's rows as the truth: what a
    community is told is `current_for` it, chosen from the sources it sees (`sees_source`) by `SourceRank`."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def rows_of(self, source_id: int) -> dict[RowKey, KnownRow]:
        """What one source stated before: what its next read is compared with."""
        rows = await self._db.fetch_all("SELECT * FROM deprecations WHERE source_id = ?", (source_id,))
        return {(known := KnownRow(_row(r), r["missing_polls"], bool(r["removed"]))).row.key: known for r in rows}

    async def upsert_rows(self, rows: list[DeprecationRow], source_id: int | None, *,
                          now: datetime | None = None) -> None:
        """`now` is when the rows were read (default: the wall clock); it becomes their `updated_at`."""
        stamp = now.astimezone(UTC).isoformat(timespec="seconds") if now else utcnow()
        await self._db.execute_many(
            """INSERT INTO deprecations (vendor, platform, model, version, status, announced, shutdown,
                                         shutdown_qualifier, replacements, url, source_id, first_seen_at, updated_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (source_id, vendor, platform, model, version) DO UPDATE SET
                 status = excluded.status, announced = excluded.announced, shutdown = excluded.shutdown,
                 shutdown_qualifier = excluded.shutdown_qualifier, replacements = excluded.replacements,
                 url = excluded.url, missing_polls = 0, removed = 0, updated_at = excluded.updated_at""",
            [(r.vendor, r.platform, r.model, r.version or "", r.status.value,
              r.announced.isoformat() if r.announced else None, r.shutdown.isoformat() if r.shutdown else None,
              r.shutdown_qualifier.value, json.dumps(list(r.replacements)), r.url, source_id, stamp, stamp)
             for r in rows],
        )

    async def mark_missing(self, source_id: int, misses: dict[RowKey, int], removed: list[RowKey]) -> None:
        gone = set(removed)
        await self._db.execute_many(
            """UPDATE deprecations SET missing_polls = ?, removed = ?
               WHERE source_id = ? AND vendor = ? AND platform = ? AND lower(model) = ? AND lower(version) = ?""",
            [(count, int(key in gone), source_id, *key) for key, count in misses.items()],
        )

    # --- the current word ---------------------------------------------------------------------------------

    async def current_for(self, community_id: int | None) -> list[StatedRow]:
        """The current word on each model for one community (None: the built-in sources only, as a person pinged
        from a private chat reads them): per model, the row of the highest-ranked source the community sees.
        /deprecations, the reminders and the calendar all read this."""
        return list((await self._ranked(community_id)).values())

    async def upcoming_for(self, community_id: int | None, today: date) -> list[StatedRow]:
        """The current word's rows with a shutdown date from today on, soonest first. Ranked before filtered:
        a vendor page's past date is not replaced by a lower source's future one."""
        rows = [s for s in await self.current_for(community_id) if s.row.shutdown and s.row.shutdown >= today]
        return sorted(rows, key=lambda s: (s.row.shutdown, s.row.vendor, s.row.platform, s.row.model))

    async def builtin_word(self, *, besides: int) -> dict[RowKey, StatedRow]:
        """What the built-in sources other than `besides` state, ranked: what that source's news is weighed against."""
        return await self._ranked(None, besides=besides)

    async def _ranked(self, community_id: int | None, *, besides: int | None = None) -> dict[RowKey, StatedRow]:
        rows = await self._db.fetch_all(
            f"""SELECT d.*, s.kind AS source_kind, s.catalog_key IS NOT NULL AS builtin FROM deprecations d
                JOIN sources s ON s.id = d.source_id
                WHERE d.removed = 0 AND d.source_id IS NOT ?2 AND {sees_source('?1', 'd.source_id')}
                ORDER BY d.updated_at DESC, d.id""", (community_id, besides))  # nosec B608 # fixed SQL; every value is a parameter
        best: dict[RowKey, StatedRow] = {}
        for r in rows:  # among sources of one rank, the latest word wins
            stated = StatedRow(_row(r), r["source_id"], SourceRank.of(r["source_kind"], bool(r["builtin"])),
                               r["updated_at"])
            held = best.get(stated.row.key)
            if held is None or stated.rank > held.rank:
                best[stated.row.key] = stated
        return best

    async def count_rows_from(self, source_id: int) -> int:
        return int(await self._db.fetch_value(
            "SELECT COUNT(*) FROM deprecations WHERE source_id = ? AND removed = 0", (source_id,)))

    async def known_models(self, source_id: int) -> list[str]:
        """Model ids a source's news items are tagged with: what the built-in sources name, and for a community's
        own source also what that community's sources name. A community's rows never tag anyone else's news."""
        rows = await self._db.fetch_all(
            """SELECT DISTINCT d.model FROM deprecations d JOIN sources s ON s.id = d.source_id
               WHERE s.catalog_key IS NOT NULL OR (
                 NOT EXISTS (SELECT 1 FROM sources f WHERE f.id = ?1 AND f.catalog_key IS NOT NULL)
                 AND d.source_id IN (SELECT o.source_id FROM community_sources o
                                     JOIN community_sources me ON me.community_id = o.community_id
                                     WHERE me.source_id = ?1 AND me.muted = 0 AND o.muted = 0))""", (source_id,))
        return [r[0] for r in rows]

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
