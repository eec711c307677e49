"""Sources, their fetch state, and which communities use them."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

import aiosqlite

from bot.domain import Category, Source, SourceKind, SourceState
from bot.errors import AlreadyExists, LimitReached, NotFound
from bot.store.db import Database, utcnow

# Each community-added source is fetched on every poll; the cap keeps one community (or one compromised
# moderator account) from turning the bot into a crawler. Built-ins are shared and do not count.
MAX_SOURCES_PER_COMMUNITY = 50

_FIELDS = [f.name for f in fields(Source)]
_STATE_FIELDS = ("state", "etag", "last_modified", "content_hash", "baseline_done", "failures", "last_error",
                 "failing_notified", "last_checked_at", "last_success_at", "next_check_at")


def _stored(value: object) -> object:
    return value.value if isinstance(value, SourceState) else value


def _source(row: aiosqlite.Row) -> Source:
    values: dict[str, Any] = {name: row[name] for name in _FIELDS}
    values.update(kind=SourceKind(row["kind"]), category=Category(row["category"]), state=SourceState(row["state"]),
                  baseline_done=bool(row["baseline_done"]), failing_notified=bool(row["failing_notified"]))
    return Source(**values)


def sees_source(community: str, source: str) -> str:
    """The one rule of who hears a source, as an SQL condition on two expressions (columns or parameters, never
    user input): a community sees the built-in sources it has not muted and the sources it added itself. A NULL
    community (a person pinged from a private chat) sees the built-in sources only."""
    return f"""((EXISTS (SELECT 1 FROM sources b WHERE b.id = {source} AND b.catalog_key IS NOT NULL)
                 AND NOT EXISTS (SELECT 1 FROM community_sources cs WHERE cs.community_id = {community}
                                 AND cs.source_id = {source} AND cs.muted = 1))
                OR EXISTS (SELECT 1 FROM community_sources cs WHERE cs.community_id = {community}
                           AND cs.source_id = {source} AND cs.muted = 0))"""  # nosec B608 # fixed SQL; every value is a parameter


class SourceRepository:
    person_columns = frozenset({("community_sources", "added_by")})

    def __init__(self, db: Database) -> None:
        self._db = db

    async def upsert_builtin(self, source: Source) -> None:
        """Create or refresh a catalogue source; its fetch state is kept."""
        now = utcnow()
        await self._db.execute(
            """INSERT INTO sources (catalog_key, kind, category, url, family, vendor, platform, title,
                                    poll_interval, created_at, updated_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (catalog_key) DO UPDATE SET
                 kind = excluded.kind, category = excluded.category, url = excluded.url,
                 family = excluded.family, vendor = excluded.vendor, platform = excluded.platform,
                 title = excluded.title, poll_interval = excluded.poll_interval, updated_at = excluded.updated_at""",
            (source.catalog_key, source.kind.value, source.category.value, source.url, source.family, source.vendor,
             source.platform, source.title, source.poll_interval, now, now),
        )

    async def add_source(self, source: Source) -> Source:
        """A community's own source; an existing one with the same URL is reused."""
        now = utcnow()
        async with self._db.transaction():
            await self._db.execute(
                """INSERT INTO sources (kind, category, url, family, vendor, platform, title, poll_interval,
                                        created_at, updated_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (url) DO NOTHING""",
                (source.kind.value, source.category.value, source.url, source.family, source.vendor,
                 source.platform, source.title, source.poll_interval, now, now),
            )
            row = await self._db.fetch_one("SELECT * FROM sources WHERE url = ?", (source.url,))
        assert row is not None
        return _source(row)

    async def get_source(self, source_id: int) -> Source | None:
        row = await self._db.fetch_one("SELECT * FROM sources WHERE id = ?", (source_id,))
        return None if row is None else _source(row)

    async def list_sources(self) -> list[Source]:
        return [_source(r) for r in await self._db.fetch_all("SELECT * FROM sources ORDER BY id")]

    async def list_due_sources(self, now: str) -> list[Source]:
        rows = await self._db.fetch_all(
            """SELECT * FROM sources WHERE state != 'disabled' AND (next_check_at IS NULL OR next_check_at <= ?)
               AND (catalog_key IS NOT NULL OR id IN (SELECT source_id FROM community_sources WHERE muted = 0))
               ORDER BY next_check_at IS NOT NULL, next_check_at, id""", (now,))
        return [_source(r) for r in rows]

    async def save_state(self, *sources: Source) -> None:
        """What checking these sources found (validators, failures, when next): one transaction for all."""
        if not sources:
            return
        now = utcnow()
        rows = [(*(_stored(getattr(source, name)) for name in _STATE_FIELDS), now, source.id) for source in sources]
        assignments = ", ".join(f"{name} = ?" for name in _STATE_FIELDS)  # fixed names, never user input
        await self._db.execute_many(f"UPDATE sources SET {assignments}, updated_at = ? WHERE id = ?",  # nosec B608 # fixed SQL; every value is a parameter
                                    rows)

    async def delete_source(self, source_id: int) -> None:
        await self._db.execute("DELETE FROM sources WHERE id = ? AND catalog_key IS NULL", (source_id,))

    # --- which communities use which sources -------------------------------------------------------------

    async def community_sources(self, community_id: int) -> list[tuple[Source, bool]]:
        """Every source a community sees: built-ins (with whether it muted them) and its own."""
        rows = await self._db.fetch_all(
            """SELECT s.*, COALESCE(cs.muted, 0) AS muted_here FROM sources s
               LEFT JOIN community_sources cs ON cs.source_id = s.id AND cs.community_id = ?
               WHERE s.catalog_key IS NOT NULL OR cs.community_id IS NOT NULL ORDER BY s.id""", (community_id,))
        return [(_source(r), bool(r["muted_here"])) for r in rows]

    async def community_source(self, community_id: int, source_id: int) -> Source:
        """A source this community sees (a built-in, muted or not, or one of its own); NotFound otherwise."""
        row = await self._db.fetch_one(
            """SELECT s.* FROM sources s
               LEFT JOIN community_sources cs ON cs.source_id = s.id AND cs.community_id = ?
               WHERE s.id = ? AND (s.catalog_key IS NOT NULL OR cs.community_id IS NOT NULL)""",
            (community_id, source_id))
        if row is None:
            raise NotFound("source", source_id)
        return _source(row)

    async def watch_here(self, community_id: int, source: Source, added_by: str, *,
                         limit: int = MAX_SOURCES_PER_COMMUNITY) -> Source:
        """Watch `source` for a community: a new address is added, a known one (a built-in it muted, another
        community's) is linked; AlreadyExists when the community watches it already, LimitReached when it has
        `limit` sources of its own (nothing is then changed)."""
        async with self._db.transaction():
            saved = await self.add_source(source)
            watched = await self._db.fetch_value(
                """SELECT 1 FROM sources s LEFT JOIN community_sources cs ON cs.source_id = s.id
                   AND cs.community_id = ? WHERE s.id = ?
                   AND COALESCE(cs.muted, CASE WHEN s.catalog_key IS NULL THEN 1 ELSE 0 END) = 0""",
                (community_id, saved.id))
            if watched:
                raise AlreadyExists("source", saved.id)
            if not saved.builtin and await self.count_own_sources(community_id) >= limit:
                raise LimitReached("sources", limit)  # the transaction rolls the new row back
            await self.link_source(community_id, saved.id, added_by)
        return saved

    async def count_own_sources(self, community_id: int) -> int:
        """The sources a community added itself (built-ins, muted or not, are not its own)."""
        return int(await self._db.fetch_value(
            """SELECT COUNT(*) FROM community_sources cs JOIN sources s ON s.id = cs.source_id
               WHERE cs.community_id = ? AND s.catalog_key IS NULL""", (community_id,)))

    async def link_source(self, community_id: int, source_id: int, added_by: str, *, muted: bool = False) -> None:
        await self._db.execute(
            """INSERT INTO community_sources (community_id, source_id, muted, added_by, created_at)
               VALUES (?, ?, ?, ?, ?) ON CONFLICT (community_id, source_id) DO UPDATE SET muted = excluded.muted""",
            (community_id, source_id, int(muted), added_by, utcnow()))

    async def unlink_source(self, community_id: int, source_id: int) -> None:
        async with self._db.transaction():
            await self._db.execute("DELETE FROM community_sources WHERE community_id = ? AND source_id = ?",
                                   (community_id, source_id))
            orphan = "id = ?1 AND catalog_key IS NULL AND NOT EXISTS " \
                     "(SELECT 1 FROM community_sources WHERE source_id = ?1)"
            # A notice of a forgotten source that was not routed yet would lose its source (SET NULL) and with it
            # the only thing that keeps it to that source's communities: it goes, rather than reach everyone.
            await self._db.execute(
                f"DELETE FROM notices WHERE routed_at IS NULL AND source_id IN (SELECT id FROM sources WHERE {orphan})",  # nosec B608 # fixed SQL; every value is a parameter
                (source_id,))
            # A community's own source nobody uses any more is forgotten with what it said (its rows cascade).
            await self._db.execute(f"DELETE FROM sources WHERE {orphan}", (source_id,))  # nosec B608 # fixed SQL; every value is a parameter

    async def communities_using(self, source_id: int) -> list[int]:
        rows = await self._db.fetch_all(
            f"SELECT c.id FROM communities c WHERE {sees_source('c.id', '?1')} ORDER BY c.id",  # nosec B608 # fixed SQL; every value is a parameter
            (source_id,))
        return [r[0] for r in rows]

    async def communities_with_own_view(self) -> list[int]:
        """Communities that see something else than the built-in sources: they muted one or added their own."""
        return [r[0] for r in await self._db.fetch_all(
            "SELECT DISTINCT community_id FROM community_sources ORDER BY community_id")]


    # --- data rights: a source a moderator added stays the community's, without who added it -------------

    async def export_person(self, pseudonym: str) -> list[dict[str, Any]]:
        rows = await self._db.fetch_all(
            """SELECT cs.community_id, s.url, cs.muted, cs.created_at FROM community_sources cs
               JOIN sources s ON s.id = cs.source_id WHERE cs.added_by = ? ORDER BY cs.created_at""", (pseudonym,))
        return [dict(r) for r in rows]

    async def delete_person(self, pseudonym: str) -> None:
        await self._db.execute("UPDATE community_sources SET added_by = NULL WHERE added_by = ?", (pseudonym,))
