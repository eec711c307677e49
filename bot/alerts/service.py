"""Alerts as one service: routes stored notices into the outbox, runs a delivery worker per platform, and
pauses a target the platform says cannot be used, telling the community's moderators."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from bot.alerts.matching import DIGEST_BATCH, plan_deliveries, worth_sending
from bot.alerts.render import alert_message
from bot.alerts.worker import DeliveryWorker
from bot.domain import Category, Notice, NoticeKind, PlatformName, Subscription, Target
from bot.errors import DeliveryFailed
from bot.i18n import N_
from bot.presentation import Message, Platform
from bot.store import Store
from bot.store.outbox import Delivery

log = logging.getLogger(__name__)


def utcnow() -> datetime:
    return datetime.now(UTC)


class AlertService:
    def __init__(self, store: Store, *, lease_seconds: float = 60.0,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self._store = store
        self._lease = lease_seconds
        self._clock = clock
        self._workers: dict[PlatformName, DeliveryWorker] = {}
        self._routing = asyncio.Lock()

    @property
    def platforms(self) -> dict[PlatformName, Platform]:
        """The front doors that can deliver now."""
        return {name: worker.platform for name, worker in self._workers.items()}

    def attach(self, platform: Platform) -> None:
        """Deliver this platform's deliveries (call before `start`)."""
        self._workers[platform.name] = DeliveryWorker(
            self._store.outbox, platform, platform.pacer, render=self._render,
            on_target_unusable=self._target_unusable, lease_seconds=self._lease, digest_batch=DIGEST_BATCH)

    def place(self, sub: Subscription) -> str:
        """Where `sub` posts, as people know it: the channel's name where its front door knows it, else its id."""
        platform = self.platforms.get(sub.platform)
        named = platform.place_name(Target(sub.platform, sub.channel_id, sub.thread_id)) if platform else None
        return named or f"#{sub.channel_id}" + (f" / {sub.thread_id}" if sub.thread_id else "")

    async def start(self) -> None:
        """Route what a previous run stored but did not route (a crash in between), then deliver."""
        await self.route_pending()
        for worker in self._workers.values():
            worker.start()

    async def stop(self) -> None:
        for worker in self._workers.values():
            await worker.stop()

    # --- routing -----------------------------------------------------------------------------------------

    async def notices_stored(self, _notices: list[Notice]) -> None:
        """The watcher's listener: whatever was just stored is routed now (and by the sweep, were this lost)."""
        await self.route_pending()

    async def route_pending(self) -> int:
        """Turn every unrouted notice into deliveries, one transaction per notice. Returns how many."""
        created = 0
        async with self._routing:
            while notices := await self._store.outbox.unrouted_notices():
                subscriptions = await self._store.subscriptions.active_subscriptions()
                pings = await self._store.subscriptions.active_pings()
                since = (self._clock() - timedelta(hours=1)).isoformat(timespec="seconds")
                sent_last_hour = {p.id: await self._store.outbox.recent_ping_deliveries(p.id, since) for p in pings}
                for notice in notices:
                    assert notice.id is not None
                    users, builtin = None, False
                    if notice.source_id is not None:
                        users = set(await self._store.sources.communities_using(notice.source_id))
                        source = await self._store.sources.get_source(notice.source_id)
                        builtin = source is not None and source.builtin
                    planned = plan_deliveries(notice, subscriptions, pings, self._clock(), users_of_source=users,
                                              builtin_source=builtin, pings_sent_last_hour=sent_last_hour)
                    for plan in planned:
                        if plan.ping_id is not None and not plan.digest:
                            sent_last_hour[plan.ping_id] += 1
                    created += await self._store.outbox.route(notice.id, planned)
        self.wake()
        return created

    def wake(self) -> None:
        """Tell every worker to look at the outbox now (new or rescheduled deliveries)."""
        for worker in self._workers.values():
            worker.wake()

    # --- delivery ----------------------------------------------------------------------------------------

    def _render(self, batch: list[Delivery], notices: list[Notice]) -> Message:
        now, first = self._clock(), batch[0]
        fresh = [n for n in notices if worth_sending(n, now)]
        if not fresh:
            raise DeliveryFailed(N_("Too late to be useful: it waited more than three days, or its date has "
                                    "passed."), final=True)
        return alert_message(fresh, locale=first.locale, today=now.date(), mention_role=first.mention_role)

    async def _target_unusable(self, delivery: Delivery, failure: DeliveryFailed) -> None:
        """Fail the batch, pause what cannot be used (once), drop what waited for it and tell the moderators
        (the reason is kept as a message to show in each reader's language), all in one transaction: a crash
        or a database error leaves either all of it or none, and none is retried."""
        assert delivery.batch_id is not None
        subs, reason = self._store.subscriptions, failure.stored()
        async with self._store.db.transaction():
            await self._store.outbox.fail(delivery.batch_id, failure.reason)
            if delivery.ping_id is not None:
                if await subs.pause_ping(delivery.ping_id, reason):
                    await self._store.outbox.fail_waiting(ping_id=delivery.ping_id, error=failure.reason)
                    log.info("Paused ping %s: %s", delivery.ping_id, failure.reason)
                return
            assert delivery.subscription_id is not None
            if not await subs.pause_subscription(delivery.subscription_id, reason):
                return
            await self._store.outbox.fail_waiting(subscription_id=delivery.subscription_id, error=failure.reason)
            sub = await subs.get_subscription(delivery.subscription_id)
            if sub is None:
                return
            await self._store.audit.record("alerts.paused", actor="system", community_id=sub.community_id,
                                           subscription_id=sub.id)
            await self._store.notices.add_notices([Notice(
                kind=NoticeKind.TARGET_PAUSED, category=Category.STATUS, title=self.place(sub), detail=reason,
                community_id=sub.community_id, dedup_key=f"target_paused:{sub.id}:{time.time():.0f}")])
        log.warning("Paused subscription %s: %s", delivery.subscription_id, failure.reason)
        await self.route_pending()
