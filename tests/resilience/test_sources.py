"""Sources failing every way real sites fail, all in one watch cycle on a real database: the cycle finishes,
the healthy sources are read (then and at the next cycle), and each failing source is recorded with its own
reason. Real corpus feeds stand in for the healthy and the cut-off documents."""

from __future__ import annotations

import asyncio
import multiprocessing
from datetime import timedelta
from pathlib import Path

import pytest

from bot.domain import Category, PlatformName, Source, SourceKind
from bot.store import Store
from bot.watch import workers
from bot.watch.fetch import Fetcher
from bot.watch.service import WatchService
from tests.fakes.feed_server import FeedServer
from tests.integration.test_watch_service import NEW_ROW, PAGE, Clock

TIMEOUT = 1.0  # the fetcher's whole deadline per source; the slow paths take far longer

# path → what it does, and what the source must be told (a part of its recorded reason)
FAULTS = {
    "/slow.xml": (lambda s, p, feed: (s.serve(p, feed), s.slow(p, 60)), "Timed out after 1 s"),
    "/trickle.xml": (lambda s, p, feed: s.trickle(p, 0.05), "Timed out after 1 s"),
    "/e500.xml": (lambda s, p, feed: s.fail(p, 500), "HTTP 500"),
    "/e503.xml": (lambda s, p, feed: s.fail(p, 503), "HTTP 503"),
    "/e404.xml": (lambda s, p, feed: s.fail(p, 404), "HTTP 404"),
    "/gone.xml": (lambda s, p, feed: s.gone(p), "HTTP 410"),
    "/cut.xml": (lambda s, p, feed: s.serve(p, feed[: len(feed) // 2]), "cut off before its end"),
    "/garbage.xml": (lambda s, p, feed: s.serve(p, b"\x00\x01<<< not a feed"), "not well-formed XML"),
    "/empty.xml": (lambda s, p, feed: s.serve(p, b"   \n"), "The document is empty"),
    "/huge.xml": (lambda s, p, feed: s.huge(p, 64 * 1024 * 1024), "larger than 5 MB"),
    "/bomb.xml": (lambda s, p, feed: s.gzip_bomb(p, 1024 * 1024 * 1024), "larger than 5 MB"),
    "/loop.xml": (lambda s, p, feed: s.redirect_loop(p), "Redirected more than 5 times"),
}


@pytest.fixture
async def server():
    fake = FeedServer()
    await fake.start()
    yield fake
    await fake.stop()


async def add(store: Store, url: str, kind: SourceKind) -> Source:
    source = await store.sources.add_source(Source(0, kind, Category.DEPRECATION if kind == SourceKind.PAGE
                                                   else Category.NEWS, url, "test",
                                                   family="openai" if kind == SourceKind.PAGE else None))
    place = await store.communities.ensure_community(PlatformName.CONSOLE, "console", "console")
    await store.sources.link_source(place.id, source.id, "p_mod")
    return source


async def test_every_failing_source_says_why_and_the_healthy_ones_go_on(store, server, corpus: Path):
    feed = (corpus / "feeds" / "atom-theregister.xml").read_bytes()
    server.serve("/page.md", PAGE.format(extra=""), content_type="text/markdown")
    server.serve("/feed.xml", feed, content_type="application/atom+xml")
    page = await add(store, server.url("/page.md"), SourceKind.PAGE)
    healthy = await add(store, server.url("/feed.xml"), SourceKind.FEED)
    failing = {}
    for path, (arrange, _reason) in FAULTS.items():
        arrange(server, path, feed)
        failing[path] = await add(store, server.url(path), SourceKind.FEED)
    clock = Clock()
    fetcher = Fetcher(user_agent="Continuity-test", allow_private=True, host_interval=0, timeout=TIMEOUT)
    watch = WatchService(store, fetcher, clock=clock, jitter=lambda: 0.5, builtin_sources=False)
    try:
        first = {result.source.id: result for result in await watch.poll_due()}
        assert len(first) == len(FAULTS) + 2, "every source has its result: none held the cycle up"
        assert first[page.id].error is None and first[page.id].rows == 1
        assert first[healthy.id].error is None and first[healthy.id].items > 0
        told = {path: (first[source.id].error.reason if first[source.id].error else None)
                for path, source in failing.items()}
        assert {path: reason for path, reason in told.items() if FAULTS[path][1] not in (reason or "")} == {}
        for path, source in failing.items():  # the reason is kept, for /sources to show
            stored = await store.sources.get_source(source.id)
            assert (stored.failures, stored.last_error) == (1, first[source.id].error.stored()), path

        # The next cycle: the healthy page has news, and it is heard, whatever the others still do.
        server.serve("/page.md", PAGE.format(extra=NEW_ROW), content_type="text/markdown")
        clock.now += timedelta(days=2)
        second = {result.source.id: result for result in await watch.poll_due()}
        assert [n.model for n in second[page.id].notices] == ["o3-2025-04-16"]
        assert second[healthy.id].error is None
    finally:
        await fetcher.close()


async def test_a_reader_killed_mid_read_fails_that_check_and_the_next_one_reads(store, server, corpus: Path):
    """A worker process dying (the kernel's out-of-memory killer, an operator's kill) fails only the check it
    held, with the reason, and the next check starts a new worker rather than finding the dead one again."""
    server.serve("/feed.xml", (corpus / "feeds" / "atom-theregister.xml").read_bytes(),
                 content_type="application/atom+xml")
    source = await add(store, server.url("/feed.xml"), SourceKind.FEED)
    fetcher = Fetcher(user_agent="Continuity-test", allow_private=True, host_interval=0)
    watch = WatchService(store, fetcher, clock=Clock(), jitter=lambda: 0.5, builtin_sources=False)
    workers.release()  # none of an earlier test's
    others = set(multiprocessing.active_children())
    try:
        checking = asyncio.create_task(watch.check_source(source))
        # Killed as soon as it exists: it is still starting then (importing takes a tenth of a second or more),
        # so it cannot have answered first.
        while not (started := set(multiprocessing.active_children()) - others):  # noqa: ASYNC110 # no event tells
            await asyncio.sleep(0.005)
        for worker in started:
            worker.kill()
        killed = await checking
        again = await watch.check_source(await store.sources.get_source(source.id))
    finally:
        await fetcher.close()
        workers.release()

    assert killed.error is not None and killed.error.reason == "The feed could not be read (BrokenProcessPool)."
    assert again.error is None and again.items > 0
