"""The feed server fake, read with aiohttp the way the watcher reads feeds."""

from __future__ import annotations

import gzip
from collections.abc import AsyncIterator

import aiohttp
import pytest

from tests.fakes.feed_server import FeedServer

RSS_V1 = "<rss version='2.0'><channel><title>v1</title></channel></rss>"
RSS_V2 = "<rss version='2.0'><channel><title>v2</title></channel></rss>"


@pytest.fixture
async def server() -> AsyncIterator[FeedServer]:
    feeds = FeedServer()
    await feeds.start()
    yield feeds
    await feeds.stop()


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    # trust_env stays False: proxy variables in the environment do not apply to the loopback fake.
    async with aiohttp.ClientSession() as client:
        yield client


async def test_conditional_get_answers_304_until_the_content_changes(server: FeedServer,
                                                                     session: aiohttp.ClientSession) -> None:
    server.serve("/feed.xml", RSS_V1)

    async with session.get(server.url("/feed.xml")) as first:
        assert first.status == 200
        assert await first.text() == RSS_V1
        assert first.headers["Content-Type"] == "application/rss+xml; charset=utf-8"
        etag, last_modified = first.headers["ETag"], first.headers["Last-Modified"]
    async with session.get(server.url("/feed.xml"), headers={"If-None-Match": etag}) as by_etag:
        assert by_etag.status == 304
        assert await by_etag.read() == b""
    async with session.get(server.url("/feed.xml"), headers={"If-Modified-Since": last_modified}) as by_date:
        assert by_date.status == 304

    server.serve("/feed.xml", RSS_V2)

    async with session.get(server.url("/feed.xml"), headers={"If-None-Match": etag}) as changed:
        assert changed.status == 200
        assert await changed.text() == RSS_V2
        assert changed.headers["ETag"] != etag
    async with session.get(server.url("/feed.xml"), headers={"If-Modified-Since": last_modified}) as by_date:
        assert by_date.status == 200
    assert server.requests[1].headers["If-None-Match"] == etag
    assert [r.status for r in server.requests] == [200, 304, 304, 200, 200]
    assert server.hits("/feed.xml") == 5


async def test_serving_the_same_body_again_keeps_its_validators(server: FeedServer,
                                                                session: aiohttp.ClientSession) -> None:
    server.serve("/feed.xml", RSS_V1)
    async with session.get(server.url("/feed.xml")) as first:
        validators = first.headers["ETag"], first.headers["Last-Modified"]
    server.serve("/feed.xml", RSS_V1)
    async with session.get(server.url("/feed.xml")) as again:
        assert (again.headers["ETag"], again.headers["Last-Modified"]) == validators


async def test_validators_can_be_left_out(server: FeedServer, session: aiohttp.ClientSession) -> None:
    server.serve("/plain.xml", RSS_V1, etag=False, last_modified=False, content_type="text/xml")

    async with session.get(server.url("/plain.xml"), headers={"If-None-Match": '"x"'}) as response:
        assert response.status == 200
        assert "ETag" not in response.headers
        assert "Last-Modified" not in response.headers


async def test_fail_counts_down_and_clear_restores(server: FeedServer, session: aiohttp.ClientSession) -> None:
    server.serve("/feed.xml", RSS_V1)
    server.fail("/feed.xml", 503, times=2)

    statuses = []
    for _ in range(3):
        async with session.get(server.url("/feed.xml")) as response:
            statuses.append(response.status)
    assert statuses == [503, 503, 200]

    server.fail("/feed.xml", 500)
    for _ in range(2):
        async with session.get(server.url("/feed.xml")) as response:
            assert response.status == 500
    server.clear("/feed.xml")
    async with session.get(server.url("/feed.xml")) as response:
        assert response.status == 200


async def test_redirect_loop_never_ends(server: FeedServer, session: aiohttp.ClientSession) -> None:
    server.redirect_loop("/loop.xml")

    with pytest.raises(aiohttp.TooManyRedirects):
        async with session.get(server.url("/loop.xml"), max_redirects=5):
            pass

    assert server.hits("/loop.xml") == 5  # aiohttp gives up when the 5th answer is a redirect too
    assert server.requests[-1].query == {"r": "4"}


async def test_redirect_is_followed(server: FeedServer, session: aiohttp.ClientSession) -> None:
    server.serve("/new.xml", RSS_V2)
    server.redirect("/old.xml", server.url("/new.xml"), status=301)

    async with session.get(server.url("/old.xml")) as response:
        assert response.status == 200
        assert await response.text() == RSS_V2
        assert response.history[0].status == 301


async def test_huge_body_streams_the_requested_size_without_length(server: FeedServer,
                                                                   session: aiohttp.ClientSession) -> None:
    size = 3 * 1024 * 1024 + 17
    server.huge("/huge.xml", size)

    received = 0
    async with session.get(server.url("/huge.xml")) as response:
        assert "Content-Length" not in response.headers
        assert response.headers["Transfer-Encoding"] == "chunked"
        first = await response.content.read(5)
        received += len(first)
        async for chunk in response.content.iter_chunked(64 * 1024):
            received += len(chunk)

    assert first == b"<?xml"
    assert received == size


async def test_huge_body_can_be_abandoned(server: FeedServer, session: aiohttp.ClientSession) -> None:
    server.huge("/huge.xml", 512 * 1024 * 1024)

    async with session.get(server.url("/huge.xml")) as response:
        await response.content.read(1024)  # a careful reader stops early and closes the connection


async def test_gzip_bomb_is_tiny_on_the_wire_and_large_when_inflated(server: FeedServer,
                                                                     session: aiohttp.ClientSession) -> None:
    size = 20 * 1024 * 1024
    server.gzip_bomb("/bomb.xml", size)

    async with aiohttp.ClientSession(auto_decompress=False) as raw_session:
        async with raw_session.get(server.url("/bomb.xml")) as raw:
            assert raw.headers["Content-Encoding"] == "gzip"
            wire = await raw.read()
    assert len(wire) < size // 500
    assert int(raw.headers["Content-Length"]) == len(wire)
    assert gzip.decompress(wire)[:5] == b"<?xml"

    inflated = 0
    async with session.get(server.url("/bomb.xml")) as response:
        async for chunk in response.content.iter_chunked(1024 * 1024):
            inflated += len(chunk)
    assert inflated == size


async def test_slow_path_trips_a_short_client_timeout(server: FeedServer, session: aiohttp.ClientSession) -> None:
    server.serve("/slow.xml", RSS_V1)
    server.slow("/slow.xml", 5)

    with pytest.raises(TimeoutError):
        async with session.get(server.url("/slow.xml"), timeout=aiohttp.ClientTimeout(total=0.1)):
            pass

    assert server.hits("/slow.xml") == 1
    assert server.requests[0].status is None  # still "thinking" when the client gave up
    server.clear("/slow.xml")
    async with session.get(server.url("/slow.xml")) as response:
        assert response.status == 200


async def test_gone_and_unknown_paths(server: FeedServer, session: aiohttp.ClientSession) -> None:
    server.serve("/feed.xml", RSS_V1)
    server.gone("/feed.xml")

    async with session.get(server.url("/feed.xml")) as response:
        assert response.status == 410
    async with session.get(server.url("/nothing.xml")) as response:
        assert response.status == 404
