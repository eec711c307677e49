"""A delivery worker per platform: takes due deliveries from the outbox, paces them under the platform's
limits, sends, and records the outcome. Sends run concurrently, so one slow or failing target never
holds up the others; each batch is claimed with a lease, so a crash leaves nothing lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import sqlite3
import time
from collections.abc import Awaitable, Callable

from bot.alerts.pacing import Pacer
from bot.domain import Notice
from bot.errors import DeliveryFailed
from bot.i18n import N_
from bot.presentation import Message, Platform
from bot.store.outbox import Delivery, Outbox

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 15             # with the backoff below, about five hours of trying
BACKOFF_BASE, BACKOFF_CAP = 5.0, 3600.0
IN_FLIGHT = 16                # sends under way at once per platform
IDLE_RECHECK = 30.0           # seconds between looks at the outbox when nothing wakes the worker
RECORD_RETRY_CAP = 5.0        # seconds, at most, between tries to write an outcome down

Render = Callable[[list[Delivery], list[Notice]], Message]
# Fails the batch of this delivery and pauses its target, in one transaction.
TargetUnusable = Callable[[Delivery, DeliveryFailed], Awaitable[None]]


def backoff(attempts: int, jitter: float) -> float:
    """Exponential, capped, with ±20 % jitter so that many failed sends do not return together."""
    return min(BACKOFF_BASE * 2 ** max(attempts - 1, 0), BACKOFF_CAP) * (0.8 + 0.4 * jitter)


def nonce_for(batch_id: int) -> str:
    """The same batch always carries the same nonce: a retry the platform already has is not posted twice."""
    return f"continuity-{batch_id}"


class DeliveryWorker:
    def __init__(self, outbox: Outbox, platform: Platform, pacer: Pacer, *, render: Render,
                 on_target_unusable: TargetUnusable, lease_seconds: float, digest_batch: int,
                 concurrency: int = IN_FLIGHT, clock: Callable[[], float] = time.time,
                 jitter: Callable[[], float] = random.random) -> None:
        self.platform = platform
        self._outbox = outbox
        self._pacer = pacer
        self._render = render
        self._on_target_unusable = on_target_unusable
        self._lease = lease_seconds
        self._digest_batch = digest_batch
        self._concurrency = concurrency
        self._clock = clock
        self._jitter = jitter
        self._wake = asyncio.Event()
        self._sending: set[asyncio.Task[None]] = set()
        self._in_flight: set[int] = set()   # delivery ids this process is sending right now
        self._task: asyncio.Task[None] | None = None

    def wake(self) -> None:
        """New deliveries may be due: look now rather than at the next idle recheck."""
        self._wake.set()

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=f"deliveries-{self.platform.name.value}")

    async def stop(self, grace: float = 5.0) -> None:
        """Stop taking work, give sends in flight a moment to finish, then cancel the rest (their leases
        run out and the next start sends them again)."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._sending:
            await asyncio.wait(self._sending, timeout=grace)
        for task in self._sending:
            task.cancel()
        await asyncio.gather(*self._sending, return_exceptions=True)

    async def _run(self) -> None:
        while True:
            try:
                started, retry_at = await self._start_due()
            except Exception:  # a database hiccup must not end delivery for good
                log.exception("Taking deliveries for %s failed; trying again shortly", self.platform.name.value)
                started, retry_at = 0, self._clock() + 5
            if started:
                continue  # more may be due right behind them
            await self._idle(retry_at)

    async def _start_due(self) -> tuple[int, float | None]:
        started, retry_at = 0, None
        for delivery in await self._outbox.due(self.platform.name, self._clock()):
            if delivery.id in self._in_flight:
                continue
            wait = self._pacer.target_wait(delivery.target)
            if wait > 0:
                retry_at = min(retry_at or float("inf"), self._clock() + wait)
                continue
            while len(self._sending) >= self._concurrency:
                await asyncio.wait(self._sending, return_when=asyncio.FIRST_COMPLETED)
            # Again after waking, as a reply may have taken the slot meanwhile (a wait on a clock, no event).
            while (overall := self._pacer.overall_wait()) > 0:  # noqa: ASYNC110
                await asyncio.sleep(overall)
            self._pacer.take(delivery.target)  # before the claim: the slot is this moment, not after the write
            now = self._clock()
            batch = await self._outbox.claim(delivery, now, now + self._lease, self._digest_batch)
            if not batch:
                continue
            self._in_flight.update(d.id for d in batch)
            task = asyncio.create_task(self._send(batch))
            self._sending.add(task)
            task.add_done_callback(self._sending.discard)
            started += 1
        return started, retry_at

    async def _idle(self, retry_at: float | None) -> None:
        now = self._clock()
        next_due = await self._outbox.next_due_at(self.platform.name)
        wake_at = min(t for t in (retry_at, next_due, now + IDLE_RECHECK) if t is not None)
        self._wake.clear()
        waiters = [asyncio.create_task(self._wake.wait()), *self._sending]
        try:
            # At least a moment: a lease running out under a send still in flight is not a reason to spin.
            await asyncio.wait(waiters, timeout=max(wake_at - now, 0.05), return_when=asyncio.FIRST_COMPLETED)
        finally:
            waiters[0].cancel()

    async def _send(self, batch: list[Delivery]) -> None:
        first = batch[0]
        assert first.batch_id is not None
        batch_id = first.batch_id

        recording: list[asyncio.Task[None]] = []

        async def part_sent(parts: int, _message_id: str) -> None:
            # Written down by a task of its own, which the send's timeout below cannot cancel: a piece sent and
            # not recorded would be sent again (the database may be busy for longer than the timeout).
            recording.append(asyncio.create_task(
                self._record(batch_id, lambda: self._outbox.record_part(batch_id, parts))))
            await asyncio.shield(recording[-1])

        try:
            try:
                notices = await self._outbox.notices_of(batch)
                message = self._render(batch, notices)
                message_id = await self._posted_already(first, message)
                if message_id is None:
                    # A send that hangs past half the lease is given up here, before another claim could take it.
                    message_id = await asyncio.wait_for(
                        self.platform.send(first.target, message, nonce=nonce_for(batch_id),
                                           skip_parts=first.parts_sent, on_part=part_sent),
                        timeout=self._lease / 2)
            finally:
                await asyncio.gather(*recording)  # every piece sent is written down before the outcome is
        except DeliveryFailed as failure:
            await self._failed(batch, failure)
        except TimeoutError:
            await self._failed(batch, DeliveryFailed(N_("The platform did not answer in time.")))
        except Exception as error:  # our bug or an unexpected answer: the log gets the traceback
            log.exception("Sending delivery batch %s failed", batch_id)
            await self._failed(batch, DeliveryFailed(N_("Unexpected error ({error})."), error=type(error).__name__))
        else:
            await self._record(batch_id, lambda: self._outbox.mark_sent(batch_id, message_id))
        finally:
            self._in_flight.difference_update(d.id for d in batch)
            self._wake.set()

    async def _posted_already(self, first: Delivery, message: Message) -> str | None:
        """An earlier attempt may have arrived with its answer lost (a crash, a timeout). Within the platform's
        nonce window the nonce makes a resend harmless; later, only the channel can tell."""
        window = self.platform.capabilities.nonce_window
        if window is None or first.attempts < 2 or first.first_attempt_at is None \
                or self._clock() - first.first_attempt_at < window:
            return None
        found = await self.platform.find_posted(first.target, message, first.first_attempt_at)
        if found is not None:
            log.info("Delivery batch %s was posted by an earlier attempt; not sending it again", first.batch_id)
        return found

    async def _record(self, batch_id: int, write: Callable[[], Awaitable[None]]) -> None:
        """Write down an outcome, however long the database takes to accept it: a sent message left
        unrecorded would be sent again. Meanwhile the batch stays in flight here, so nothing re-claims it."""
        delay = 0.05
        while True:
            try:
                await write()
                return
            except sqlite3.Error as error:  # busy, locked, full, an I/O error: the database's, passing
                log.warning("Recording the outcome of delivery batch %s failed (%s); trying again in %.2f s",
                            batch_id, type(error).__name__, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, RECORD_RETRY_CAP)

    async def _failed(self, batch: list[Delivery], failure: DeliveryFailed) -> None:
        first = batch[0]
        batch_id = first.batch_id
        assert batch_id is not None
        if failure.pause:
            await self._record(batch_id, lambda: self._on_target_unusable(first, failure))
        elif failure.final or first.attempts >= MAX_ATTEMPTS:
            log.warning("Delivery batch %s failed for good: %s", batch_id, failure.reason)
            await self._record(batch_id, lambda: self._outbox.fail(batch_id, failure.reason))
        else:
            delay = failure.retry_after if failure.retry_after is not None else backoff(first.attempts, self._jitter())
            if failure.retry_after is not None:
                self._pacer.hold(first.target, failure.retry_after)
            log.info("Delivery batch %s will be retried in %.1f s: %s", batch_id, delay, failure.reason)
            await self._record(batch_id, lambda: self._outbox.retry(batch_id, self._clock() + delay, failure.reason))
