"""Communities (a Discord server, a Telegram chat, the console) and their moderators' settings."""

from __future__ import annotations

import aiosqlite

from bot.domain import Community, PlatformName
from bot.store.db import Database, utcnow


def _community(row: aiosqlite.Row) -> Community:
    return Community(row["id"], PlatformName(row["platform"]), row["external_id"], row["name"],
                     row["locale"], row["moderator_role"])


class CommunityRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def ensure_community(self, platform: PlatformName, external_id: str, name: str) -> Community:
        """The community, created on first contact; its name follows renames on the platform."""
        now = utcnow()
        async with self._db.transaction():
            await self._db.execute(
                """INSERT INTO communities (platform, external_id, name, created_at, updated_at)
                   VALUES (?, ?, ?, ?, ?)
                   ON CONFLICT (platform, external_id) DO UPDATE
                   SET name = excluded.name, updated_at = excluded.updated_at
                   WHERE communities.name != excluded.name""",
                (platform.value, external_id, name, now, now),
            )
            community = await self.get_community(platform, external_id)
        assert community is not None
        return community

    async def get_community(self, platform: PlatformName, external_id: str) -> Community | None:
        row = await self._db.fetch_one(
            "SELECT * FROM communities WHERE platform = ? AND external_id = ?",
            (platform.value, external_id),
        )
        return None if row is None else _community(row)

    async def community_by_id(self, community_id: int) -> Community | None:
        row = await self._db.fetch_one("SELECT * FROM communities WHERE id = ?", (community_id,))
        return None if row is None else _community(row)

    async def set_community_locale(self, community_id: int, locale: str | None) -> None:
        await self._db.execute("UPDATE communities SET locale = ?, updated_at = ? WHERE id = ?",
                               (locale, utcnow(), community_id))

    async def list_communities(self, platform: PlatformName | None = None) -> list[Community]:
        rows = await self._db.fetch_all(
            "SELECT * FROM communities WHERE ?1 IS NULL OR platform = ?1 ORDER BY id",
            (platform.value if platform else None,))
        return [_community(row) for row in rows]
