"""The durable outbox: one delivery per notice and target, moved pending → sending → sent (or failed).

Routing a notice writes all its deliveries and marks the notice routed in one transaction. A worker
claims a delivery with a compare-and-set and a lease; a delivery left in `sending` by a crash becomes
claimable again when its lease runs out. Deliveries sent as one message (a digest) share a `batch_id`,
which also names the message's nonce, so a retried batch is the same message, never a second one.
"""

from __future__ import annotations

from dataclasses import dataclass

import aiosqlite

from bot.domain import Notice, PlatformName
from bot.presentation import Target
from bot.store.db import Database, utcnow
from bot.store.notices import notice_from_row

# Which deliveries a worker may take: due and pending, or stuck in `sending` past their lease.
_CLAIMABLE = "((d.state = 'pending' AND d.due_at <= :now) OR (d.state = 'sending' AND d.lease_until <= :now))"


@dataclass(frozen=True, slots=True)
class PlannedDelivery:
    """A delivery to create when a notice is routed: to a subscription or to a person's ping."""

    platform: PlatformName
    due_at: float
    subscription_id: int | None = None
    ping_id: int | None = None
    digest: bool = False


@dataclass(frozen=True, slots=True)
class Delivery:
    """An outbox row with what sending it needs: where to, in which language, mentioning whom."""

    id: int
    notice_id: int
    platform: PlatformName
    target: Target
    locale: str
    digest: bool
    attempts: int
    batch_id: int | None
    parts_sent: int
    subscription_id: int | None = None
    ping_id: int | None = None
    mention_role: str | None = None
    first_attempt_at: float | None = None  # when its batch was first handed to the platform

    @property
    def target_key(self) -> str:
        """What a digest bundles by: the subscription or the ping."""
        return f"sub:{self.subscription_id}" if self.subscription_id is not None else f"ping:{self.ping_id}"


_SELECT = """SELECT d.*, COALESCE(s.locale, p.locale) AS locale, s.mention_role,
                    COALESCE(s.channel_id, p.address) AS channel_id, s.thread_id, p.id IS NOT NULL AS direct
             FROM deliveries d LEFT JOIN subscriptions s ON s.id = d.subscription_id
                               LEFT JOIN pings p ON p.id = d.ping_id"""


def _delivery(row: aiosqlite.Row) -> Delivery:
    platform = PlatformName(row["platform"])
    return Delivery(
        id=row["id"], notice_id=row["notice_id"], platform=platform,
        target=Target(platform, row["channel_id"], row["thread_id"] or None, direct=bool(row["direct"])),
        locale=row["locale"], digest=bool(row["digest"]), attempts=row["attempts"], batch_id=row["batch_id"],
        parts_sent=row["parts_sent"], subscription_id=row["subscription_id"], ping_id=row["ping_id"],
        mention_role=row["mention_role"], first_attempt_at=row["first_attempt_at"],
    )


class Outbox:
    def __init__(self, db: Database) -> None:
        self._db = db

    # --- routing -----------------------------------------------------------------------------------------

    async def unrouted_notices(self, limit: int = 100) -> list[Notice]:
        rows = await self._db.fetch_all("SELECT * FROM notices WHERE routed_at IS NULL ORDER BY id LIMIT ?",
                                        (limit,))
        return [notice_from_row(r) for r in rows]

    async def route(self, notice_id: int, planned: list[PlannedDelivery]) -> int:
        """Create the notice's deliveries and mark it routed, all or nothing. Returns how many were new."""
        now = utcnow()
        async with self._db.transaction():
            routed = await self._db.fetch_value("SELECT routed_at FROM notices WHERE id = ?", (notice_id,))
            if routed is not None:
                return 0  # routed meanwhile: its deliveries exist already
            before = await self._db.fetch_value("SELECT total_changes()")
            await self._db.execute_many(
                """INSERT INTO deliveries (notice_id, subscription_id, ping_id, platform, digest, due_at, created_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""",
                [(notice_id, p.subscription_id, p.ping_id, p.platform.value, int(p.digest), p.due_at, now)
                 for p in planned])
            created = await self._db.fetch_value("SELECT total_changes()") - before
            await self._db.execute("UPDATE notices SET routed_at = ? WHERE id = ?", (now, notice_id))
        return created

    async def count_deliveries(self, notice_id: int) -> int:
        return int(await self._db.fetch_value("SELECT COUNT(*) FROM deliveries WHERE notice_id = ?", (notice_id,)))

    async def recent_ping_deliveries(self, ping_id: int, since: str) -> int:
        """Direct messages planned for one person since `since` that were not bundled: their hourly budget."""
        return int(await self._db.fetch_value(
            "SELECT COUNT(*) FROM deliveries WHERE ping_id = ? AND digest = 0 AND created_at >= ?",
            (ping_id, since)))

    # --- the workers' side -------------------------------------------------------------------------------

    async def due(self, platform: PlatformName, now: float, limit: int = 200) -> list[Delivery]:
        rows = await self._db.fetch_all(
            f"{_SELECT} WHERE d.platform = :platform AND {_CLAIMABLE} ORDER BY d.due_at, d.id LIMIT :limit",
            {"platform": platform.value, "now": now, "limit": limit})
        return [_delivery(r) for r in rows]

    async def next_due_at(self, platform: PlatformName) -> float | None:
        """When the next delivery of this platform becomes claimable (a due time or a lease running out)."""
        return await self._db.fetch_value(
            """SELECT MIN(CASE state WHEN 'pending' THEN due_at ELSE lease_until END) FROM deliveries
               WHERE platform = ? AND state IN ('pending', 'sending')""", (platform.value,))

    async def claim(self, delivery: Delivery, now: float, lease_until: float, digest_limit: int) -> list[Delivery]:
        """Take `delivery` for sending — with the rest of its batch, or, for a digest, with its target's due
        digest deliveries (the oldest `digest_limit`). Returns the batch, or [] when another claim got there
        first."""
        params = {"now": now, "lease": lease_until, "id": delivery.id}
        async with self._db.transaction():
            if delivery.batch_id is not None:  # a retry: exactly the same message again
                params["batch"] = delivery.batch_id
                where = f"d.batch_id = :batch AND {_CLAIMABLE}"
            elif delivery.digest:
                column = "subscription_id" if delivery.subscription_id is not None else "ping_id"
                params["target"] = delivery.subscription_id if delivery.subscription_id is not None \
                    else delivery.ping_id
                params["limit"] = digest_limit
                where = (f"d.id IN (SELECT d.id FROM deliveries d WHERE d.{column} = :target AND d.digest = 1 "  # nosec B608 # fixed SQL; every value is a parameter
                         f"AND d.batch_id IS NULL AND {_CLAIMABLE} ORDER BY d.id LIMIT :limit)")
            else:
                where = f"d.id = :id AND {_CLAIMABLE}"
            # `where` is built from the fixed fragments above; every value is a parameter.
            query = f"SELECT d.id FROM deliveries d WHERE {where}"  # nosec B608 # fixed SQL; every value is a parameter
            ids = [r[0] for r in await self._db.fetch_all(query, params)]
            if not ids:
                return []
            batch = delivery.batch_id or min(ids)
            marks = ",".join("?" * len(ids))
            await self._db.execute(
                f"UPDATE deliveries SET state = 'sending', lease_until = ?, attempts = attempts + 1, batch_id = ?, "  # nosec B608 # fixed SQL; every value is a parameter
                f"first_attempt_at = COALESCE(first_attempt_at, ?) WHERE id IN ({marks})",
                (lease_until, batch, now, *ids))
            rows = await self._db.fetch_all(f"{_SELECT} WHERE d.id IN ({marks}) ORDER BY d.id", ids)
        return [_delivery(r) for r in rows]

    async def record_part(self, batch_id: int, parts_sent: int) -> None:
        await self._db.execute("UPDATE deliveries SET parts_sent = ? WHERE batch_id = ?", (parts_sent, batch_id))

    async def mark_sent(self, batch_id: int, message_id: str) -> None:
        await self._db.execute(
            "UPDATE deliveries SET state = 'sent', message_id = ?, sent_at = ?, lease_until = NULL, last_error = NULL "
            "WHERE batch_id = ?", (message_id, utcnow(), batch_id))

    async def retry(self, batch_id: int, due_at: float, error: str) -> None:
        await self._db.execute(
            "UPDATE deliveries SET state = 'pending', due_at = ?, lease_until = NULL, last_error = ? "
            "WHERE batch_id = ?", (due_at, error, batch_id))

    async def fail(self, batch_id: int, error: str) -> None:
        await self._db.execute(
            "UPDATE deliveries SET state = 'failed', lease_until = NULL, last_error = ? WHERE batch_id = ?",
            (error, batch_id))

    async def fail_waiting(self, *, subscription_id: int | None = None, ping_id: int | None = None,
                           error: str) -> None:
        """A paused target's waiting deliveries are not kept for later: resuming starts from new notices."""
        await self._db.execute(
            """UPDATE deliveries SET state = 'failed', lease_until = NULL, last_error = ?
               WHERE state IN ('pending', 'sending') AND (subscription_id = ? OR ping_id = ?)""",
            (error, subscription_id, ping_id))

    async def drop_waiting_from_source(self, community_id: int, source_id: int, error: str) -> None:
        """A community that removed or muted a source hears nothing more from it, not even what already waited
        for a digest; what is being sent right now is left to finish."""
        await self._db.execute(
            """UPDATE deliveries SET state = 'failed', last_error = ?1
               WHERE state = 'pending' AND notice_id IN (SELECT id FROM notices WHERE source_id = ?3)
                 AND (subscription_id IN (SELECT id FROM subscriptions WHERE community_id = ?2)
                      OR ping_id IN (SELECT id FROM pings WHERE community_id = ?2))""",
            (error, community_id, source_id))

    async def counts(self) -> dict[str, int]:
        rows = await self._db.fetch_all("SELECT state, COUNT(*) FROM deliveries GROUP BY state")
        return {r[0]: r[1] for r in rows}

    async def notices_of(self, batch: list[Delivery]) -> list[Notice]:
        marks = ",".join("?" * len(batch))
        rows = await self._db.fetch_all(f"SELECT * FROM notices WHERE id IN ({marks}) ORDER BY id",  # nosec B608 # fixed SQL; every value is a parameter
                                        [d.notice_id for d in batch])
        return [notice_from_row(r) for r in rows]
