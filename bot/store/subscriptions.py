"""Where notices go: subscribed channels and chats, and people's personal pings.

Part of the data-rights contract: a ping holds a person's account id (it is the address of their direct
messages), so `export_person` and `delete_person` cover it.
"""

from __future__ import annotations

import json
from typing import Any

import aiosqlite

from bot.domain import AlertFilter, Category, Ping, PlatformName, Subscription
from bot.errors import NotFound
from bot.store.db import Database, utcnow
from bot.store.person_data import DELETED


def _filter(row: aiosqlite.Row) -> AlertFilter:
    return AlertFilter(categories=tuple(Category(c) for c in json.loads(row["categories"])),
                       vendors=tuple(json.loads(row["vendors"])), models=tuple(json.loads(row["models"])))


def _subscription(row: aiosqlite.Row) -> Subscription:
    return Subscription(
        id=row["id"], community_id=row["community_id"], platform=PlatformName(row["platform"]),
        channel_id=row["channel_id"], thread_id=row["thread_id"] or None, filter=_filter(row),
        locale=row["locale"], created_by=row["created_by"], mention_role=row["mention_role"],
        digest_minutes=row["digest_minutes"], paused_reason=row["paused_reason"], paused_at=row["paused_at"],
    )


def _ping(row: aiosqlite.Row) -> Ping:
    return Ping(
        id=row["id"], pseudonym=row["pseudonym"], platform=PlatformName(row["platform"]), address=row["address"],
        community_id=row["community_id"], filter=AlertFilter(models=tuple(json.loads(row["models"]))),
        locale=row["locale"],
        daily=bool(row["daily"]), paused_reason=row["paused_reason"],
    )


class SubscriptionRepository:
    person_columns = frozenset({("pings", "pseudonym"), ("subscriptions", "created_by")})

    def __init__(self, db: Database) -> None:
        self._db = db

    # --- subscriptions -----------------------------------------------------------------------------------

    async def save_subscription(self, sub: Subscription) -> Subscription:
        """Create the target's subscription, or replace its filters: one subscription per target.
        Saving a paused subscription again resumes it, since the moderator is looking at it."""
        now = utcnow()
        f = sub.filter
        async with self._db.transaction():
            await self._db.execute(
                """INSERT INTO subscriptions (community_id, platform, channel_id, thread_id, categories, vendors,
                                              models, mention_role, digest_minutes, locale, created_by,
                                              created_at, updated_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT (platform, channel_id, thread_id) DO UPDATE SET
                     community_id = excluded.community_id, categories = excluded.categories,
                     vendors = excluded.vendors, models = excluded.models, mention_role = excluded.mention_role,
                     digest_minutes = excluded.digest_minutes, locale = excluded.locale,
                     paused_at = NULL, paused_reason = NULL, updated_at = excluded.updated_at""",
                (sub.community_id, sub.platform.value, sub.channel_id, sub.thread_id or "",
                 json.dumps([c.value for c in f.categories]), json.dumps(list(f.vendors)), json.dumps(list(f.models)),
                 sub.mention_role, sub.digest_minutes, sub.locale, sub.created_by, now, now))
            saved = await self.subscription_at(sub.platform, sub.channel_id, sub.thread_id)
        assert saved is not None
        return saved

    async def subscription_at(self, platform: PlatformName, channel_id: str,
                              thread_id: str | None) -> Subscription | None:
        row = await self._db.fetch_one(
            "SELECT * FROM subscriptions WHERE platform = ? AND channel_id = ? AND thread_id = ?",
            (platform.value, channel_id, thread_id or ""))
        return None if row is None else _subscription(row)

    async def get_subscription(self, subscription_id: int) -> Subscription | None:
        row = await self._db.fetch_one("SELECT * FROM subscriptions WHERE id = ?", (subscription_id,))
        return None if row is None else _subscription(row)

    async def community_subscription(self, community_id: int, subscription_id: int | None = None, *,
                                     at: tuple[PlatformName, str, str | None] | None = None) -> Subscription:
        """This community's subscription, by number or at a target (platform, channel, thread); NotFound
        otherwise, also when it belongs to another community."""
        sub = await self.get_subscription(subscription_id) if at is None else await self.subscription_at(*at)
        if sub is None or sub.community_id != community_id:
            raise NotFound("subscription", subscription_id if at is None else at)
        return sub

    async def list_subscriptions(self, community_id: int) -> list[Subscription]:
        rows = await self._db.fetch_all("SELECT * FROM subscriptions WHERE community_id = ? ORDER BY id",
                                        (community_id,))
        return [_subscription(r) for r in rows]

    async def active_subscriptions(self) -> list[Subscription]:
        rows = await self._db.fetch_all("SELECT * FROM subscriptions WHERE paused_at IS NULL ORDER BY id")
        return [_subscription(r) for r in rows]

    async def delete_subscription(self, subscription_id: int) -> None:
        await self._db.execute("DELETE FROM subscriptions WHERE id = ?", (subscription_id,))

    async def pause_subscription(self, subscription_id: int, reason: str) -> bool:
        """Pause it (once); True if this call paused it."""
        async with self._db.transaction():
            await self._db.execute(
                "UPDATE subscriptions SET paused_at = ?, paused_reason = ?, updated_at = ? "
                "WHERE id = ? AND paused_at IS NULL", (utcnow(), reason, utcnow(), subscription_id))
            return bool(await self._db.fetch_value("SELECT changes()"))

    async def resume_subscription(self, subscription_id: int) -> None:
        await self._db.execute(
            "UPDATE subscriptions SET paused_at = NULL, paused_reason = NULL, updated_at = ? WHERE id = ?",
            (utcnow(), subscription_id))

    # --- personal pings ----------------------------------------------------------------------------------

    async def save_ping(self, ping: Ping) -> Ping:
        now = utcnow()
        async with self._db.transaction():
            await self._db.execute(
                """INSERT INTO pings (pseudonym, platform, address, community_id, models, daily, locale,
                                      created_at, updated_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT (platform, pseudonym) DO UPDATE SET
                     address = excluded.address, community_id = excluded.community_id, models = excluded.models,
                     daily = excluded.daily, locale = excluded.locale, paused_at = NULL, paused_reason = NULL,
                     updated_at = excluded.updated_at""",
                (ping.pseudonym, ping.platform.value, ping.address, ping.community_id,
                 json.dumps(list(ping.filter.models)), int(ping.daily), ping.locale, now, now))
            saved = await self.get_ping(ping.platform, ping.pseudonym)
        assert saved is not None
        return saved

    async def get_ping(self, platform: PlatformName, pseudonym: str) -> Ping | None:
        row = await self._db.fetch_one("SELECT * FROM pings WHERE platform = ? AND pseudonym = ?",
                                       (platform.value, pseudonym))
        return None if row is None else _ping(row)

    async def active_pings(self) -> list[Ping]:
        rows = await self._db.fetch_all("SELECT * FROM pings WHERE paused_at IS NULL ORDER BY id")
        return [_ping(r) for r in rows]

    async def delete_ping(self, platform: PlatformName, pseudonym: str) -> bool:
        async with self._db.transaction():
            await self._db.execute("DELETE FROM pings WHERE platform = ? AND pseudonym = ?",
                                   (platform.value, pseudonym))
            return bool(await self._db.fetch_value("SELECT changes()"))

    async def pause_ping(self, ping_id: int, reason: str) -> bool:
        async with self._db.transaction():
            await self._db.execute("UPDATE pings SET paused_at = ?, paused_reason = ?, updated_at = ? "
                                   "WHERE id = ? AND paused_at IS NULL", (utcnow(), reason, utcnow(), ping_id))
            return bool(await self._db.fetch_value("SELECT changes()"))

    # --- data rights -------------------------------------------------------------------------------------

    async def export_person(self, pseudonym: str) -> dict[str, Any]:
        pings = await self._db.fetch_all(
            "SELECT platform, address, community_id, models, daily, locale, paused_reason, created_at "
            "FROM pings WHERE pseudonym = ?", (pseudonym,))
        subscribed = await self._db.fetch_all(
            "SELECT id, community_id, platform, channel_id, created_at FROM subscriptions WHERE created_by = ?",
            (pseudonym,))
        found = {"pings": [dict(r) for r in pings], "subscriptions_created": [dict(r) for r in subscribed]}
        return {key: rows for key, rows in found.items() if rows}

    async def delete_person(self, pseudonym: str) -> None:
        """Their pings go; subscriptions they set up stay for the community, without their pseudonym."""
        async with self._db.transaction():
            await self._db.execute("DELETE FROM pings WHERE pseudonym = ?", (pseudonym,))
            await self._db.execute("UPDATE subscriptions SET created_by = ? WHERE created_by = ?", (DELETED, pseudonym))
