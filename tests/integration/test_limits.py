"""Limits that hold under hostile input, on a real database and the loopback feed server: a community's
own sources are capped, and a source address's userinfo and query never reach a log or a member."""

from __future__ import annotations

import asyncio
import functools
import logging
import threading
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.app import build_services
from bot.commands import answer, run_text
from bot.domain import Category, PlatformName, Source, SourceKind
from bot.errors import LimitReached
from bot.i18n import use_locale
from bot.presentation import Actor, Message, Target
from bot.services import Services
from bot.store import Store
from bot.store.sources import MAX_SOURCES_PER_COMMUNITY
from bot.watch.fetch import Fetcher
from bot.watch.service import WatchService
from tests.conftest import make_settings
from tests.fakes.feed_server import FeedServer

RSS = ("<rss version='2.0'><channel><title>Feed</title><item><guid>1</guid><title>One</title>"
       "<link>item/1</link></item></channel></rss>")


@pytest.fixture
async def server() -> AsyncIterator[FeedServer]:
    fake = FeedServer()
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def services(tmp_path) -> AsyncIterator[Services]:
    settings = make_settings(tmp_path, watch_allow_private_addresses=True)  # the fake is on loopback
    store = await Store.open(settings.database_path)
    built = build_services(settings, store)
    yield built
    await built.fetcher.close()
    await store.close()


async def moderator(services: Services, chat: str, locale: str = "en") -> Actor:
    community = await services.people.community(PlatformName.TELEGRAM, chat, f"Group {chat}")
    return Actor(PlatformName.TELEGRAM, "42", "Ada", locale, community, True, Target(PlatformName.TELEGRAM, chat))


async def said(services: Services, actor: Actor, text: str) -> Message:
    with use_locale(actor.locale):
        reply = await answer(lambda: run_text(services, actor, text.removeprefix("/")), what=text)
    assert isinstance(reply, Message)
    return reply


def feed(url: str) -> Source:
    return Source(id=0, kind=SourceKind.FEED, category=Category.NEWS, url=url, title=url)


async def fill(services: Services, actor: Actor, count: int) -> None:
    assert actor.community is not None
    for n in range(count):
        await services.store.sources.watch_here(actor.community.id, feed(f"https://feeds.example.org/{n}.xml"), "p")


# --- at most MAX_SOURCES_PER_COMMUNITY sources of a community's own ----------------------------------------


async def test_a_community_at_the_cap_is_refused_and_another_still_adds(services):
    full, other = await moderator(services, "-1001"), await moderator(services, "-1002")
    assert full.community is not None and other.community is not None
    await fill(services, full, MAX_SOURCES_PER_COMMUNITY)
    before = await services.store.sources.list_sources()

    with pytest.raises(LimitReached) as caught:
        await services.store.sources.watch_here(full.community.id, feed("https://feeds.example.org/new.xml"), "p")

    assert caught.value.limit == MAX_SOURCES_PER_COMMUNITY
    assert await services.store.sources.list_sources() == before, "nothing was added"
    added = await services.store.sources.watch_here(other.community.id, feed("https://feeds.example.org/new.xml"),
                                                    "p")
    assert await services.store.sources.count_own_sources(other.community.id) == 1
    # An address another community already watches is linked, not added: the cap refuses that too.
    with pytest.raises(LimitReached):
        await services.store.sources.watch_here(full.community.id, feed(added.url), "p")


async def test_the_command_says_the_limit_and_what_to_do(services):
    english, spanish = await moderator(services, "-1001"), await moderator(services, "-1001", "es")
    await fill(services, english, MAX_SOURCES_PER_COMMUNITY)

    refused = await said(services, english, "/sources add https://feeds.example.org/one-more.xml")

    assert refused.body == ("This community already watches 50 sources of its own, the most it can. Remove one "
                            "with /sources remove, then add this one.")
    assert "50" in (await said(services, spanish, "/sources add https://feeds.example.org/one-more.xml")).body
    # The same address twice says it is watched already, also at the cap.
    again = await said(services, english, "/sources add https://feeds.example.org/0.xml")
    assert again.body.startswith("Source #")
    assert "already watches this address here" in again.body


async def test_muted_builtins_can_come_back_at_the_cap(services):
    await services.watch.sync_catalog()
    actor = await moderator(services, "-1001")
    assert actor.community is not None
    builtin = (await services.store.sources.list_sources())[0]
    await services.store.sources.link_source(actor.community.id, builtin.id, "p", muted=True)
    await fill(services, actor, MAX_SOURCES_PER_COMMUNITY)

    back = await services.store.sources.watch_here(actor.community.id, builtin, "p")

    assert back.id == builtin.id


# --- a source address's secrets ------------------------------------------------------------------------------


async def test_userinfo_and_query_never_reach_logs_or_members(services, server, caplog):
    server.fail("/feed.xml", 503)
    actor = await moderator(services, "-1001")
    address = f"http://user:secret@127.0.0.1:{server.port}/feed.xml?token=abc"
    # Ours at DEBUG, the libraries at the INFO floor `bot.logs` holds them to (aiosqlite logs SQL parameters).
    caplog.set_level(logging.INFO)
    caplog.set_level(logging.DEBUG, logger="bot")

    shown = [await said(services, actor, f"/sources add {address}")]
    source_id = shown[0].title.rsplit("#", 1)[1] if shown[0].title else "?"
    for _ in range(3):  # until it is failing, which tells the moderators with a notice
        shown.append(await said(services, actor, f"/sources check {source_id}"))
    shown.append(await said(services, actor, "/sources list"))
    server.clear("/feed.xml")
    server.serve("/feed.xml", RSS)
    shown.append(await said(services, actor, f"/sources check {source_id}"))
    shown.append(await said(services, actor, f"/sources check {source_id}"))
    notices = await services.store.db.fetch_all("SELECT title, detail, url FROM notices")
    links = await services.store.db.fetch_all("SELECT link FROM feed_items")

    assert server.requests[0].query == {"token": "abc"}, "the fetch itself uses the whole address"
    assert any(n["url"] == f"http://127.0.0.1:{server.port}/feed.xml" for n in notices), "a failing notice"
    assert [link["link"] for link in links] == [f"http://127.0.0.1:{server.port}/item/1"]
    seen = [str(m) for m in shown] + [str(tuple(n)) for n in notices] + [r.getMessage() for r in caplog.records]
    assert f"127.0.0.1:{server.port}/feed.xml" in " ".join(seen)
    for secret in ("secret", "token=abc", "user:"):
        assert not [text for text in seen if secret in text]


# --- parsing and extraction run off the event loop --------------------------------------------------------


class HoldingExecutor(ThreadPoolExecutor):
    """An executor holding each of the watcher's own functions until the test releases it, so the test can
    see the loop carry on meanwhile: the service's reader (worker processes in the bot) and the loop's default
    one (where `asyncio.to_thread` runs the rest)."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__(max_workers=2)
        self.release = threading.Event()
        self.held: asyncio.Queue[str] = asyncio.Queue()
        self._loop = loop

    def submit(self, fn, /, *args, **kwargs):  # type: ignore[no-untyped-def, override]
        target = fn.args[0] if isinstance(fn, functools.partial) and fn.args else fn  # to_thread's wrapping
        name = f"{getattr(target, '__module__', '')}.{getattr(target, '__name__', '')}"
        if not name.startswith("bot.watch."):
            return super().submit(fn, *args, **kwargs)

        def held() -> object:
            self._loop.call_soon_threadsafe(self.held.put_nowait, name)
            self.release.wait()
            return fn(*args, **kwargs)

        return super().submit(held)


@pytest.mark.parametrize(("path", "body", "kind", "family"), [
    ("/feed.xml", RSS, SourceKind.FEED, None),
    ("/deprecations", "# Deprecations\n\n| Model | Shutdown date |\n|---|---|\n| `gpt-old` | 2027-01-01 |\n",
     SourceKind.PAGE, "openai"),
])
async def test_the_loop_keeps_running_while_a_source_is_read(services, server, path, body, kind, family):
    server.serve(path, body)
    source = await services.store.sources.add_source(
        Source(0, kind, Category.NEWS if family is None else Category.DEPRECATION, server.url(path), "t",
               family=family))
    loop = asyncio.get_running_loop()
    executor = HoldingExecutor(loop)
    loop.set_default_executor(executor)
    fetcher = Fetcher(user_agent="Continuity-test", allow_private=True, host_interval=0)
    watch = WatchService(services.store, fetcher, builtin_sources=False, reader=executor)
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0)
            ticks += 1

    ticking = asyncio.create_task(ticker())
    checking = asyncio.create_task(watch.check_source(source))
    holding = asyncio.create_task(executor.held.get())
    done, _ = await asyncio.wait({checking, holding}, return_when=asyncio.FIRST_COMPLETED)
    assert holding in done, "the source was read on the event loop"
    during = ticks
    await asyncio.sleep(0)
    assert ticks > during, "the loop runs other work while the reading thread is held"
    executor.release.set()
    result = await checking
    ticking.cancel()
    await fetcher.close()

    assert result.error is None
    assert holding.result().startswith("bot.watch.workers.")


async def test_a_page_too_deep_to_read_is_a_readable_error(services, server):
    """Read by the real worker process: the extractor's RecursionError comes back as the source's error."""
    server.serve("/deep", "<!doctype html><html><body>" + "<div>" * 3000 + "x" + "</div>" * 3000 + "</body></html>")
    source = await services.store.sources.add_source(
        Source(0, SourceKind.PAGE, Category.DEPRECATION, server.url("/deep"), "t", family="generic"))

    result = await services.watch.check_source(source)

    assert result.error is not None and result.error.reason == "The page could not be read (RecursionError)."
