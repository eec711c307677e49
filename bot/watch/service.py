"""The watch cycle: fetch each due source, read it, compare with what it said before, store the notices.

Errors in batch work are data: a source that fails gets a readable `last_error` (kept as a message, so
each reader sees it in their language), backs off, is marked failing after a few failures in a row (its
communities' moderators are told once) and recovers by itself on the next success; one broken source
never stops the others.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import random
from collections.abc import Awaitable, Callable
from concurrent.futures import Executor
from concurrent.futures.process import BrokenProcessPool
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from bot.domain import Category, DeprecationRow, Notice, NoticeKind, Source, SourceState
from bot.errors import Explained
from bot.i18n import N_
from bot.store import Store
from bot.watch import aggregator, models, workers
from bot.watch.catalog import load_catalog
from bot.watch.diff import diff_rows
from bot.watch.feeds import FeedItem, FeedProblem, looks_like_survey
from bot.watch.fetch import Fetcher, FetchError, shown_address
from bot.watch.reminders import (
    DEPRECATION_OFFSETS,
    SURVEY_OFFSETS,
    SurveyDeadline,
    deprecation_reminders,
    survey_reminders,
)

log = logging.getLogger(__name__)
T = TypeVar("T")

FAILING_AFTER = 3            # consecutive failures before moderators hear about it
MAX_BACKOFF = timedelta(hours=12)
PARALLEL_CHECKS = 8          # the fetcher still asks one host one thing at a time
# In a poll, sources that answer "nothing new" have their state written together at the end of the cycle, in
# one transaction: a write each was half of a cycle where everything answers 304 (bench/watch_cycle.py), and
# losing them to a crash only repeats those checks. A command's check (another task) writes at once.
_unchanged: ContextVar[list[Source] | None] = ContextVar("unchanged", default=None)

NoticeListener = Callable[[list[Notice]], Awaitable[None]]


@dataclass
class CheckResult:
    source: Source
    error: Explained | None = None
    unchanged: bool = False
    rows: int = 0
    items: int = 0
    notices: list[Notice] = field(default_factory=list)
    # Set when a page gave no model: the family that read it, and one whose reader finds models there.
    read_as: str | None = None
    try_instead: str | None = None


class SourceUnreadable(Explained):
    """The body came, but it is not what this source should be; the message says why, for moderators."""


def utcnow() -> datetime:
    return datetime.now(UTC)


class WatchService:
    def __init__(self, store: Store, fetcher: Fetcher, *, clock: Callable[[], datetime] = utcnow,
                 jitter: Callable[[], float] = random.random,
                 reminder_days: tuple[int, ...] = DEPRECATION_OFFSETS,
                 survey_reminder_days: tuple[int, ...] = SURVEY_OFFSETS, builtin_sources: bool = True,
                 reader: Executor | None = None) -> None:
        """`reader` runs feed parsing and page extraction; by default the bot's worker processes
        (`workers.shared`)."""
        self._store = store
        self._reader = reader
        self._fetcher = fetcher
        self._clock = clock
        self._jitter = jitter
        self._reminder_days = reminder_days
        self._survey_reminder_days = survey_reminder_days
        self._listeners: list[NoticeListener] = []
        self._builtin_sources = builtin_sources

    def on_notices(self, listener: NoticeListener) -> None:
        """Call `listener` with every batch of newly stored notices (the alerts layer, the console)."""
        self._listeners.append(listener)

    async def check_address(self, url: str) -> None:
        """Raise the fetcher's FetchError for an address it will never fetch (see `Fetcher.check_address`)."""
        await self._fetcher.check_address(url)

    async def sync_catalog(self) -> None:
        for source in load_catalog():
            await self._store.sources.upsert_builtin(source)

    # --- the cycle ---------------------------------------------------------------------------------------

    async def poll_due(self) -> list[CheckResult]:
        due = await self._store.sources.list_due_sources(self._clock().isoformat(timespec="seconds"))
        if not self._builtin_sources:
            due = [source for source in due if not source.builtin]
        limit = asyncio.Semaphore(PARALLEL_CHECKS)

        async def check(source: Source) -> CheckResult:
            async with limit:
                return await self.check_source(source, advise=False)  # nobody reads the advice of a poll

        unchanged: list[Source] = []
        token = _unchanged.set(unchanged)  # the checks' tasks are made below, so they inherit it
        try:
            results = list(await asyncio.gather(*(check(s) for s in due)))
        finally:
            _unchanged.reset(token)
            await self._store.sources.save_state(*unchanged)
            if self._reader is None:
                workers.release()
        return results

    async def check_source(self, source: Source, *, advise: bool = True) -> CheckResult:
        """Fetch and read `source`, store what changed and publish its notices. With `advise`, a page that gives
        no model is also tried with every other reader, to tell the moderator who checked it which one fits
        (as many readings again)."""
        now = self._clock()
        checked = replace(source, last_checked_at=_iso(now))
        try:
            fetched = await self._fetcher.fetch(source.url, etag=source.etag, last_modified=source.last_modified)
        except FetchError as error:
            return await self._failed(checked, error, now, retry_after=error.retry_after,
                                      permanent=error.permanent)
        if fetched.not_modified or fetched.body is None:
            return await self._succeeded(checked, now, unchanged=True)
        digest = hashlib.sha256(fetched.body).hexdigest()
        fresh = replace(checked, etag=fetched.etag, last_modified=fetched.last_modified)
        if digest == source.content_hash and source.baseline_done:
            return await self._succeeded(fresh, now, unchanged=True)
        # A body that cannot be read keeps none of its validators: the next check fetches and reads it again,
        # rather than hearing 304 and taking a document never read for a source that recovered.
        try:
            result = await self._read(replace(fresh, content_hash=digest), fetched.body, fetched.content_type, now,
                                      advise=advise)
        except (SourceUnreadable, FeedProblem) as error:
            return await self._failed(checked, error, now)
        except Exception as error:  # an extractor's bug must not stop the cycle; the log gets the traceback
            log.exception("Reading source %s (%s) failed", source.id, shown_address(source.url))
            name = type(error).__name__
            unreadable = SourceUnreadable(N_("The page could not be read ({error})."), error=name) \
                if source.kind.value == "page" else FeedProblem(N_("The feed could not be read ({error})."), error=name)
            return await self._failed(checked, unreadable, now)
        await self.publish(result.notices)
        return result

    async def _read(self, source: Source, body: bytes, content_type: str | None, now: datetime, *,
                    advise: bool) -> CheckResult:
        # Parsing and extraction are pure CPU work on untrusted input (a 4 MB feed takes seconds): they run off
        # the event loop, so it keeps answering commands and Discord's heartbeat meanwhile, in worker processes
        # (`bot/watch/workers.py` says why not threads). Links are made from the shown address, so a token in
        # the source's own address never ends up in them.
        url = shown_address(source.url)
        if source.kind.value == "page":
            # As of the fetch: a shutdown date on or before this day is past, whatever the page's own dates say.
            rows = await self._elsewhere(workers.extract, body, url, source.family, now.date())
            # A release-notes page may name no retirement at all; a page that named some and now names
            # none has most likely been redesigned, and must not read as "every model was removed".
            if not rows and await self._store.deprecations.count_rows_from(source.id):
                raise SourceUnreadable(N_("No models were found on the page any more; its layout may have "
                                          "changed."))
            result = await self._store_rows(source, rows, now, complete=True)
            if not rows and advise:  # which kind of page it might be instead: every reader tries it, off the loop
                result.read_as, result.try_instead = await self._elsewhere(workers.nothing_found, body, url,
                                                                           source.family)
            return result
        parsed = await self._elsewhere(workers.parse, body, url, content_type)
        if parsed.error and not parsed.items:
            raise parsed.error
        if source.family == "aggregator":
            rows = await asyncio.to_thread(_aggregated_rows, parsed.items)
            return await self._store_rows(source, rows, now, complete=False, items=parsed.items)
        return await self._store_items(source, parsed.items, now)

    async def _store_rows(self, source: Source, rows: list[DeprecationRow], now: datetime, *, complete: bool,
                          items: list[FeedItem] | None = None) -> CheckResult:
        store = self._store
        async with store.db.transaction():
            changes = diff_rows(await store.deprecations.rows_of(source.id), rows, source_id=source.id,
                                rank=source.rank, baseline=not source.baseline_done, today=now.date(),
                                builtin_word=await store.deprecations.builtin_word(besides=source.id))
            await store.deprecations.upsert_rows(changes.upserts, source.id)
            if complete:  # a feed shows only recent items: what it no longer shows is not gone
                await store.deprecations.mark_missing(source.id, changes.missing, changes.removed)
            if items:
                await store.deprecations.record_feed_items(source.id, [_item_record(i) for i in items])
            stored = await store.notices.add_notices(changes.notices)
            result = await self._succeeded(source, now, notices=stored, rows=len(rows))
        return result

    async def _store_items(self, source: Source, items: list[FeedItem], now: datetime) -> CheckResult:
        store = self._store
        notices = []
        async with store.db.transaction():
            seen = await store.deprecations.feed_item_hashes(source.id)
            known_models = await store.deprecations.known_models(source.id)
            for item in items:
                before = seen.get(item.id)
                if not source.baseline_done or before == item.content_hash:
                    continue
                if before is None:
                    notices.append(self._item_notice(source, item, known_models, update=False))
                elif source.category == Category.STATUS:  # a status post that grew is an update, not news
                    notices.append(self._item_notice(source, item, known_models, update=True))
            await store.deprecations.record_feed_items(source.id, [_item_record(i) for i in items])
            stored = await store.notices.add_notices(notices)
            result = await self._succeeded(source, now, notices=stored, items=len(items))
        return result

    @staticmethod
    def _item_notice(source: Source, item: FeedItem, known_models: list[str], *, update: bool) -> Notice:
        text = f"{item.title}\n{item.summary}"
        category = Category.SURVEY if looks_like_survey(text) else source.category
        kind = {Category.SURVEY: NoticeKind.SURVEY, Category.STATUS: NoticeKind.STATUS}.get(category, NoticeKind.NEWS)
        if update:
            kind = NoticeKind.STATUS_UPDATE
        return Notice(
            kind=kind, category=category, title=item.title, url=item.link, detail=item.summary[:500],
            dedup_key=f"{kind.value}:{source.id}:{item.id}:{item.content_hash if update else ''}",
            vendor=source.vendor, models=tuple(models.mentioned(text, known_models)), source_id=source.id,
        )

    async def _elsewhere(self, work: Callable[..., T], *args: object) -> T:
        """`work(*args)` in the reader (a worker process)."""
        reader = self._reader or workers.shared()
        try:
            return await asyncio.get_running_loop().run_in_executor(reader, work, *args)
        except BrokenProcessPool:
            workers.forget()
            raise

    # --- state -------------------------------------------------------------------------------------------

    async def _succeeded(self, source: Source, now: datetime, *, unchanged: bool = False,
                         notices: list[Notice] | None = None, rows: int = 0, items: int = 0) -> CheckResult:
        if source.state == SourceState.FAILING:
            log.info("Source %s recovered", source.id)
        saved = replace(source, state=SourceState.OK, failures=0, last_error=None, failing_notified=False,
                        baseline_done=True, last_success_at=_iso(now),
                        next_check_at=_iso(now + self._spread(timedelta(seconds=source.poll_interval))))
        if unchanged and (later := _unchanged.get()) is not None:
            later.append(saved)
        else:
            await self._store.sources.save_state(saved)
        return CheckResult(saved, unchanged=unchanged, rows=rows, items=items, notices=notices or [])

    async def _failed(self, source: Source, error: Explained, now: datetime, *, retry_after: float | None = None,
                      permanent: bool = False) -> CheckResult:
        failures = source.failures + 1
        base = timedelta(seconds=max(60.0, source.poll_interval / 4)) * 2 ** min(failures - 1, 10)
        delay = max(min(self._spread(base), MAX_BACKOFF), timedelta(seconds=retry_after or 0))
        state = SourceState.DISABLED if permanent else \
            SourceState.FAILING if failures >= FAILING_AFTER else source.state
        reason = error.stored()  # a message, worded when each reader sees it
        saved = replace(source, failures=failures, last_error=reason, state=state, next_check_at=_iso(now + delay))
        notices: list[Notice] = []
        if state != SourceState.OK and not source.failing_notified:
            saved = replace(saved, failing_notified=True)
            notices = await self._store.notices.add_notices([Notice(
                kind=NoticeKind.SOURCE_FAILING, category=Category.STATUS,
                title=source_title(source), detail=reason, url=shown_address(source.url),
                new_value=state.value, source_id=source.id,
                dedup_key=f"source_failing:{source.id}:{source.last_success_at or 'never'}:{state.value}",
            )])
        log.warning("Source %s failed (%d in a row): %s", source.id, failures, error.reason)
        await self._store.sources.save_state(saved)
        await self.publish(notices)
        return CheckResult(saved, error=error, notices=notices)

    def _spread(self, interval: timedelta) -> timedelta:
        """±10 % jitter, so sources added together do not poll together for ever."""
        return interval * (0.9 + 0.2 * self._jitter())

    # --- reminders ---------------------------------------------------------------------------------------

    async def run_reminders(self) -> list[Notice]:
        """Reminders count down to the current word each community reads. What the built-in sources say is one
        reminder, carrying its source, so routing gives it to every community that sees that source; a
        community that muted a source or added its own gets its own reminders for the rows it reads
        differently, and nobody else does."""
        today, deprecations = self._clock().date(), self._store.deprecations
        shared = await deprecations.upcoming_for(None, today)
        due = deprecation_reminders(shared, today, self._reminder_days)
        everyones = {(s.source_id, s.row.key) for s in shared}
        for community_id in await self._store.sources.communities_with_own_view():
            own = [s for s in await deprecations.upcoming_for(community_id, today)
                   if (s.source_id, s.row.key) not in everyones]
            due += deprecation_reminders(own, today, self._reminder_days, community_id=community_id)
        surveys = [SurveyDeadline(n.id or 0, n.title, n.due_date, n.url, n.community_id, n.models,
                                  posted=n.kind == NoticeKind.POSTED, source_id=n.source_id)
                   for n in await self._store.notices.open_deadlines(today) if n.due_date]
        due += survey_reminders(surveys, today, self._survey_reminder_days)
        stored = await self._store.notices.add_notices(due)
        await self.publish(stored)
        return stored

    async def publish(self, notices: list[Notice]) -> None:
        """Hand newly stored notices to the listeners (the console today; the alerts outbox next)."""
        if not notices:
            return
        for listener in self._listeners:
            try:
                await listener(notices)
            except Exception:
                log.exception("A notice listener failed")


def source_title(source: Source) -> str:
    """What a source is called where people see it: its title, else its shown address. A moderator's source
    was long titled with the address as typed, so a title equal to the address is not shown either."""
    if source.title and source.title != source.url:
        return source.title
    return shown_address(source.url)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _aggregated_rows(items: list[FeedItem]) -> list[DeprecationRow]:
    return [row for item in items for row in aggregator.rows_from_item(item.title, item.summary, item.link)]


def _item_record(item: FeedItem) -> tuple[str, str, str, str | None, str | None]:
    published = item.published or item.updated
    return (item.id, item.content_hash, item.title, item.link, published.isoformat() if published else None)

