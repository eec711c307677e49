"""The watch cycle on a real database, fetching from the loopback feed server: notices, failures,
backoff and recovery, feeds and their items."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.domain import Category, NoticeKind, PlatformName, Source, SourceKind, SourceState
from bot.store import Store
from bot.watch.fetch import Fetcher
from bot.watch.service import FAILING_AFTER, WatchService
from tests.fakes.feed_server import FeedServer

PAGE = """# Deprecations

## Deprecation history

### 2026-04-22: Legacy GPT model snapshots

| Shutdown date    | Model snapshot       | Recommended replacement |
| ---------------- | -------------------- | ----------------------- |
| October 23, 2026 | `gpt-4-0613`         | `gpt-5.6-sol`           |
{extra}
"""
NEW_ROW = "| Dec 11, 2026     | `o3-2025-04-16`      | `gpt-5.6-sol`           |"

RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>News</title><link>https://vendor.example/</link>
<description>d</description>{items}</channel></rss>"""
ITEM = "<item><title>{title}</title><link>https://vendor.example/{guid}</link><guid>{guid}</guid>" \
       "<description>{body}</description></item>"


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 8, 20, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
async def server() -> AsyncIterator[FeedServer]:
    fake = FeedServer()
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def watch(store: Store) -> AsyncIterator[tuple[WatchService, Clock, list]]:
    clock, heard = Clock(), []
    fetcher = Fetcher(user_agent="Continuity-test", allow_private=True, host_interval=0, timeout=5)
    service = WatchService(store, fetcher, clock=clock, jitter=lambda: 0.5)

    async def listen(notices):
        heard.extend(notices)
    service.on_notices(listen)
    yield service, clock, heard
    await fetcher.close()


async def _source(store: Store, url: str, *, kind=SourceKind.PAGE, family="openai", category=Category.DEPRECATION,
                  community: bool = True) -> Source:
    source = await store.sources.add_source(Source(0, kind, category, url, "test", family=family))
    if community:
        place = await store.communities.ensure_community(PlatformName.CONSOLE, "console", "console")
        await store.sources.link_source(place.id, source.id, "p_mod")
    return source


async def test_a_new_row_on_a_page_becomes_one_stored_notice(store, server, watch):
    service, _clock, heard = watch
    server.serve("/deprecations.md", PAGE.format(extra=""), content_type="text/markdown")
    source = await _source(store, server.url("/deprecations.md"))

    baseline = await service.check_source(source)
    assert baseline.error is None and baseline.rows == 1 and baseline.notices == [] and heard == []

    server.serve("/deprecations.md", PAGE.format(extra=NEW_ROW), content_type="text/markdown")
    changed = await service.check_source(await store.sources.get_source(source.id))
    assert [(n.kind, n.model, n.new_value) for n in changed.notices] == \
        [(NoticeKind.NEW_DEPRECATION, "o3-2025-04-16", "2026-12-11")]
    assert heard == changed.notices
    assert [n.model for n in await store.notices.list_notices()] == ["o3-2025-04-16"]

    again = await service.check_source(await store.sources.get_source(source.id))
    assert again.unchanged and again.notices == [], "304: nothing read, nothing said"
    assert server.requests[-1].headers.get("If-None-Match")


async def test_failures_back_off_mark_the_source_failing_once_and_recover(store, server, watch):
    service, clock, heard = watch
    server.serve("/page.md", PAGE.format(extra=""), content_type="text/markdown")
    source = await _source(store, server.url("/page.md"))
    await service.check_source(source)
    server.fail("/page.md", 503)

    delays = []
    for attempt in range(1, FAILING_AFTER + 2):
        source = await store.sources.get_source(source.id)
        result = await service.check_source(source)
        assert result.error is not None and "503" in result.error.reason
        delays.append(datetime.fromisoformat(result.source.next_check_at) - clock.now)
        assert result.source.failures == attempt
    assert delays == sorted(delays) and delays[-1] > delays[0], "each failure waits longer"
    failing = await store.sources.get_source(source.id)
    assert failing.state == SourceState.FAILING and failing.last_error == result.error.stored()
    told = [n for n in heard if n.kind == NoticeKind.SOURCE_FAILING]
    assert len(told) == 1, "moderators are told once, not at every failure"

    server.clear("/page.md")
    clock.now += timedelta(hours=1)
    recovered = await service.check_source(failing)
    assert recovered.error is None
    assert (recovered.source.state, recovered.source.failures, recovered.source.last_error) == (SourceState.OK, 0, None)


async def test_gone_disables_the_source(store, server, watch):
    service, clock, _heard = watch
    server.gone("/old.md")
    source = await _source(store, server.url("/old.md"))
    result = await service.check_source(source)
    assert result.source.state == SourceState.DISABLED
    clock.now += timedelta(days=30)
    assert source.id not in [s.id for s in await store.sources.list_due_sources(clock.now.isoformat())]


async def test_a_page_with_no_rows_is_an_error_not_a_mass_removal(store, server, watch):
    service, _clock, _heard = watch
    server.serve("/page.md", PAGE.format(extra=""), content_type="text/markdown")
    source = await _source(store, server.url("/page.md"))
    await service.check_source(source)
    server.serve("/page.md", "# Deprecations\n\nWe are redesigning this page.\n", content_type="text/markdown")
    result = await service.check_source(await store.sources.get_source(source.id))
    assert "layout may have changed" in result.error.reason
    assert [k.row.model for k in (await store.deprecations.rows_of(source.id)).values()] == ["gpt-4-0613"]


async def test_a_body_that_cannot_be_read_is_read_again_not_taken_as_recovered_on_304(store, server, watch):
    service, clock, heard = watch
    server.serve("/page.md", PAGE.format(extra=""), content_type="text/markdown")
    source = await _source(store, server.url("/page.md"))
    await service.check_source(source)
    server.serve("/page.md", "# Deprecations\n\nWe are redesigning this page.\n", content_type="text/markdown")
    for attempt in range(1, FAILING_AFTER + 1):  # the server would answer 304 to the broken copy's ETag
        clock.now += timedelta(days=1)
        result = await service.check_source(await store.sources.get_source(source.id))
        assert "layout may have changed" in result.error.reason and result.source.failures == attempt
    assert result.source.state == SourceState.FAILING
    assert [n.kind for n in heard] == [NoticeKind.SOURCE_FAILING], "the moderators are told, once"


async def test_a_release_notes_page_without_retirements_is_fine(store, server, watch):
    service, _clock, _heard = watch
    server.serve("/notes.md", "# Release notes\n\n## March 3, 2026\n\nWe added dark mode.\n",
                 content_type="text/markdown")
    source = await _source(store, server.url("/notes.md"), family="release-notes")
    result = await service.check_source(source)
    assert result.error is None and result.rows == 0


async def test_feed_items_are_news_once_and_tagged_with_models(store, server, watch):
    service, _clock, _heard = watch
    server.serve("/deprecations.md", PAGE.format(extra=""), content_type="text/markdown")
    await service.check_source(await _source(store, server.url("/deprecations.md")))
    first = ITEM.format(title="Hello", guid="a", body="An old post")
    server.serve("/news.xml", RSS.format(items=first))
    feed = await _source(store, server.url("/news.xml"), kind=SourceKind.FEED, family=None, category=Category.NEWS)
    assert (await service.check_source(feed)).notices == []

    items = first + ITEM.format(title="GPT-4 is going away", guid="b", body="gpt-4-0613 retires") + \
        ITEM.format(title="Tell us how you use our models", guid="c", body="A short questionnaire")
    server.serve("/news.xml", RSS.format(items=items))
    result = await service.check_source(await store.sources.get_source(feed.id))
    assert [(n.kind, n.category, n.title, n.models) for n in result.notices] == [
        (NoticeKind.NEWS, Category.NEWS, "GPT-4 is going away", ("gpt-4-0613",)),
        (NoticeKind.SURVEY, Category.SURVEY, "Tell us how you use our models", ()),
    ]
    # An item that disappears and comes back is not new.
    server.serve("/news.xml", RSS.format(items=first))
    await service.check_source(await store.sources.get_source(feed.id))
    server.serve("/news.xml", RSS.format(items=items))
    assert (await service.check_source(await store.sources.get_source(feed.id))).notices == []


async def test_a_status_post_that_grows_is_an_update(store, server, watch):
    service, _clock, _heard = watch
    server.serve("/status.xml", RSS.format(items=ITEM.format(title="Outage", guid="s1", body="Investigating")))
    feed = await _source(store, server.url("/status.xml"), kind=SourceKind.FEED, family=None,
                         category=Category.STATUS)
    await service.check_source(feed)
    server.serve("/status.xml", RSS.format(items=ITEM.format(title="Outage", guid="s1",
                                                             body="Investigating. Resolved.")))
    result = await service.check_source(await store.sources.get_source(feed.id))
    assert [(n.kind, n.title) for n in result.notices] == [(NoticeKind.STATUS_UPDATE, "Outage")]


async def test_poll_due_checks_what_is_due_and_only_that(store, server, watch):
    service, clock, _heard = watch
    server.serve("/a.md", PAGE.format(extra=""), content_type="text/markdown")
    source = await _source(store, server.url("/a.md"))
    await _source(store, server.url("/unused.md"), community=False)  # nobody uses it: never fetched
    assert [r.source.id for r in await service.poll_due()] == [source.id]
    assert await service.poll_due() == [], "not due again before its interval"
    clock.now += timedelta(hours=2)
    assert [r.source.id for r in await service.poll_due()] == [source.id]
    assert server.hits("/unused.md") == 0


async def test_a_cycle_that_finds_nothing_new_still_stores_when_each_source_is_due_next(store, server, watch):
    """The states of a cycle's unchanged sources are written together at its end: none may be left out."""
    service, clock, _heard = watch
    sources = []
    for path in ("/a.md", "/b.md", "/c.md"):
        server.serve(path, PAGE.format(extra=""), content_type="text/markdown")
        sources.append(await _source(store, server.url(path)))
    await service.poll_due()
    clock.now += timedelta(hours=2)

    second = await service.poll_due()

    assert sorted(r.source.id for r in second if r.unchanged) == [s.id for s in sources]
    for result in second:
        stored = await store.sources.get_source(result.source.id)
        assert (stored.last_checked_at, stored.next_check_at) == (clock.now.isoformat(timespec="seconds"),
                                                                   result.source.next_check_at)
    assert await service.poll_due() == [], "not due again before its interval"


async def test_reminders_fire_once_and_follow_a_moved_date(store, server, watch):
    service, clock, heard = watch
    server.serve("/deprecations.md", PAGE.format(extra=""), content_type="text/markdown")
    source = await _source(store, server.url("/deprecations.md"))
    await service.check_source(source)
    clock.now = datetime(2026, 10, 16, 9, tzinfo=UTC)  # 7 days before October 23
    first = await service.run_reminders()
    assert [(n.kind, n.model, n.new_value) for n in first] == [(NoticeKind.REMINDER, "gpt-4-0613", "7")]
    assert await service.run_reminders() == [], "never twice"
    clock.now = datetime(2026, 10, 22, 9, tzinfo=UTC)
    assert [n.new_value for n in await service.run_reminders()] == ["1"]
    assert len([n for n in heard if n.kind == NoticeKind.REMINDER]) == 2
