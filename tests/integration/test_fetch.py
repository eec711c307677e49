"""The fetcher against the loopback feed server: conditional GETs, failures, redirects, size caps, timeouts,
politeness, and the addresses it refuses to touch."""

from __future__ import annotations

import asyncio
import socket
import tracemalloc
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from aiohttp import web
from aiohttp.abc import AbstractResolver, ResolveResult

from bot.watch.fetch import Fetcher, FetchError, PublicOnlyResolver, default_user_agent, shown_address
from tests.fakes.feed_server import FeedServer

RSS_V1 = "<rss version='2.0'><channel><title>v1</title></channel></rss>"
RSS_V2 = "<rss version='2.0'><channel><title>v2</title></channel></rss>"
KB, MB = 1024, 1024 * 1024


class FeedServerPlus(FeedServer):
    """The fake, plus two things it does not do itself: a Retry-After header on 429/503 answers (as
    rate-limiting servers send), and, for each request, whether earlier requests were answered when it
    arrived (so a test can see ordering without looking at a clock)."""

    def __init__(self) -> None:
        super().__init__()
        self.retry_after = "120"
        self.pending_on_arrival: list[list[bool]] = []

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        self.pending_on_arrival.append([earlier.status is None for earlier in self.requests])
        return await super()._handle(request)

    async def _answer(self, request: web.Request, entry: object) -> web.StreamResponse:
        response = await super()._answer(request, entry)  # type: ignore[arg-type]
        if response.status in (429, 503):
            response.headers["Retry-After"] = self.retry_after
        return response


class FakeDNS(AbstractResolver):
    """A DNS server's answers, decided by the test (names → addresses)."""

    def __init__(self, answers: dict[str, list[str]]) -> None:
        self.answers = answers

    async def resolve(self, host: str, port: int = 0,
                      family: socket.AddressFamily = socket.AF_INET) -> list[ResolveResult]:
        if host not in self.answers:
            raise OSError(f"{host} not found")
        return [{"hostname": host, "host": address, "port": port, "proto": 0, "flags": 0,
                 "family": socket.AF_INET6 if ":" in address else socket.AF_INET}
                for address in self.answers[host]]

    async def close(self) -> None:
        pass


class CountingRelay:
    """A TCP relay in front of the fake that counts the bytes the server sends towards the client."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.to_client = 0
        self.port = 0
        self._tasks: set[asyncio.Task[None]] = set()
        self._server: asyncio.Server | None = None

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        assert self._server is not None
        self._server.close()
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _accept(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        upstream_reader, upstream_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        await asyncio.gather(self._pipe(client_reader, upstream_writer, count=False),
                             self._pipe(upstream_reader, client_writer, count=True))

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, *, count: bool) -> None:
        try:
            while data := await reader.read(64 * KB):
                if count:
                    self.to_client += len(data)
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:  # also when cancelled, so the fake sees its client go and stops streaming
            writer.close()


@pytest.fixture
async def server() -> AsyncIterator[FeedServerPlus]:
    fake = FeedServerPlus()
    await fake.start()
    yield fake
    await fake.stop()


# What the tests' names resolve to, whatever the machine's /etc/hosts or DNS say (tests never ask them).
NAMES = {"localhost": ["127.0.0.1"]}


def make_fetcher(**options: object) -> Fetcher:
    values: dict = {"user_agent": default_user_agent(), "allow_private": True, "host_interval": 0.001,
                    "timeout": 5, "resolver": FakeDNS(NAMES)}
    values.update(options)
    return Fetcher(**values)


@pytest.fixture
async def fetcher() -> AsyncIterator[Fetcher]:
    async with make_fetcher() as opened:
        yield opened


# --- conditional GET -----------------------------------------------------------------------------------


async def test_second_fetch_with_the_validators_gets_304_and_no_body(server: FeedServerPlus,
                                                                     fetcher: Fetcher) -> None:
    server.serve("/feed.xml", RSS_V1)

    first = await fetcher.fetch(server.url("/feed.xml"))
    assert (first.status, first.body, first.not_modified) == (200, RSS_V1.encode(), False)
    assert first.etag and first.last_modified
    assert first.content_type == "application/rss+xml; charset=utf-8"
    assert first.url == server.url("/feed.xml")

    second = await fetcher.fetch(server.url("/feed.xml"), etag=first.etag, last_modified=first.last_modified)
    assert second.not_modified and second.body is None
    assert (second.etag, second.last_modified) == (first.etag, first.last_modified)
    assert server.requests[1].headers["If-None-Match"] == first.etag
    assert server.requests[1].headers["If-Modified-Since"] == first.last_modified
    assert [r.status for r in server.requests] == [200, 304]


async def test_changed_content_comes_back_with_a_new_etag(server: FeedServerPlus, fetcher: Fetcher) -> None:
    server.serve("/feed.xml", RSS_V1)
    first = await fetcher.fetch(server.url("/feed.xml"))
    server.serve("/feed.xml", RSS_V2)

    changed = await fetcher.fetch(server.url("/feed.xml"), etag=first.etag, last_modified=first.last_modified)

    assert (changed.status, changed.body) == (200, RSS_V2.encode())
    assert changed.etag != first.etag


async def test_last_modified_alone_is_enough_for_a_304(server: FeedServerPlus, fetcher: Fetcher) -> None:
    server.serve("/feed.xml", RSS_V1, etag=False)
    first = await fetcher.fetch(server.url("/feed.xml"))
    assert first.etag is None

    second = await fetcher.fetch(server.url("/feed.xml"), last_modified=first.last_modified)

    assert second.not_modified
    assert "If-None-Match" not in server.requests[1].headers


async def test_the_user_agent_names_the_bot_and_its_homepage(server: FeedServerPlus, fetcher: Fetcher) -> None:
    server.serve("/feed.xml", RSS_V1)
    await fetcher.fetch(server.url("/feed.xml"))
    agent = server.requests[0].headers["User-Agent"]
    assert agent == default_user_agent()
    assert agent.startswith("Continuity/") and "(+https://" in agent


# --- failures ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("status", "reason"), [
    (500, "The server answered HTTP 500: it had an internal error."),
    (404, "The server answered HTTP 404: there is no page at this address (any more)."),
    (403, "The server answered HTTP 403: it refuses Continuity access to the page."),
    (502, "The server answered HTTP 502: a gateway in front of it failed."),
    (418, "The server answered HTTP 418."),
])
async def test_failure_statuses_become_readable_errors(server: FeedServerPlus, fetcher: Fetcher, status: int,
                                                       reason: str) -> None:
    server.serve("/feed.xml", RSS_V1)
    server.fail("/feed.xml", status)

    with pytest.raises(FetchError) as caught:
        await fetcher.fetch(server.url("/feed.xml"))

    assert (caught.value.reason, str(caught.value)) == (reason, reason)
    assert (caught.value.status, caught.value.permanent, caught.value.retry_after) == (status, False, None)


async def test_410_gone_is_permanent(server: FeedServerPlus, fetcher: Fetcher) -> None:
    server.serve("/feed.xml", RSS_V1)
    server.gone("/feed.xml")

    with pytest.raises(FetchError) as caught:
        await fetcher.fetch(server.url("/feed.xml"))

    assert caught.value.permanent and caught.value.status == 410
    assert caught.value.reason == "The server answered HTTP 410: the address was removed on purpose."


@pytest.mark.parametrize("status", [429, 503])
async def test_429_and_503_carry_retry_after_seconds(server: FeedServerPlus, fetcher: Fetcher, status: int) -> None:
    server.serve("/feed.xml", RSS_V1)
    server.fail("/feed.xml", status, times=1)

    with pytest.raises(FetchError) as caught:
        await fetcher.fetch(server.url("/feed.xml"))

    assert (caught.value.status, caught.value.retry_after, caught.value.permanent) == (status, 120.0, False)
    assert str(status) in caught.value.reason
    assert (await fetcher.fetch(server.url("/feed.xml"))).status == 200  # it was only once


async def test_retry_after_may_be_an_http_date(server: FeedServerPlus, fetcher: Fetcher) -> None:
    server.serve("/feed.xml", RSS_V1)
    server.fail("/feed.xml", 429)
    server.retry_after = format_datetime(datetime.now(UTC) + timedelta(hours=1), usegmt=True)

    with pytest.raises(FetchError) as caught:
        await fetcher.fetch(server.url("/feed.xml"))

    assert caught.value.retry_after is not None and 0 < caught.value.retry_after <= 3600


async def test_a_slow_server_times_out(server: FeedServerPlus) -> None:
    server.serve("/slow.xml", RSS_V1)
    server.slow("/slow.xml", 5)

    async with make_fetcher(timeout=0.2) as impatient:
        with pytest.raises(FetchError) as caught:
            await impatient.fetch(server.url("/slow.xml"))

    assert caught.value.reason == "Timed out after 0.2 s."
    assert not caught.value.permanent
    assert server.hits("/slow.xml") == 1


async def test_one_deadline_covers_every_redirect(server: FeedServerPlus) -> None:
    """Each hop is well within the timeout, the chain is not: the fetch fails as timed out before the end."""
    server.serve("/final.xml", RSS_V1)
    hops = ["/r1.xml", "/r2.xml", "/r3.xml", "/r4.xml", "/r5.xml"]
    for here, there in zip(hops, [*hops[1:], "/final.xml"], strict=True):
        server.redirect(here, there, status=302)
        server.slow(here, 0.1)

    async with make_fetcher(timeout=0.35) as impatient:
        with pytest.raises(FetchError) as caught:
            await impatient.fetch(server.url("/r1.xml"))

    assert caught.value.reason == "Timed out after 0.35 s."
    assert not caught.value.permanent
    assert server.hits("/final.xml") == 0


async def test_nothing_listening_is_a_connection_error(fetcher: Fetcher) -> None:
    with socket.socket() as probe:  # a port that was free a moment ago
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    with pytest.raises(FetchError) as caught:
        await fetcher.fetch(f"http://127.0.0.1:{port}/feed.xml")

    assert caught.value.reason.startswith("Could not connect: ")
    assert not caught.value.permanent


# --- redirects ---------------------------------------------------------------------------------------


async def test_a_redirect_is_followed_to_the_final_url(server: FeedServerPlus, fetcher: Fetcher) -> None:
    server.serve("/new.xml", RSS_V2)
    server.redirect("/old.xml", "/new.xml", status=301)  # relative Location, resolved against the old URL

    result = await fetcher.fetch(server.url("/old.xml"))

    assert (result.status, result.body, result.url) == (200, RSS_V2.encode(), server.url("/new.xml"))
    assert [(r.path, r.status) for r in server.requests] == [("/old.xml", 301), ("/new.xml", 200)]


async def test_a_redirect_loop_stops_after_the_cap(server: FeedServerPlus, fetcher: Fetcher) -> None:
    server.redirect_loop("/loop.xml")

    with pytest.raises(FetchError) as caught:
        await fetcher.fetch(server.url("/loop.xml"))

    assert caught.value.reason == "Redirected more than 5 times."
    assert server.hits("/loop.xml") == 6  # the first request and five followed redirects


async def test_redirects_going_in_a_circle_are_named(server: FeedServerPlus, fetcher: Fetcher) -> None:
    server.redirect("/a.xml", server.url("/b.xml"))
    server.redirect("/b.xml", server.url("/a.xml"))

    with pytest.raises(FetchError) as caught:
        await fetcher.fetch(server.url("/a.xml"))

    assert caught.value.reason == "The address redirects in a loop."
    assert server.hits("/a.xml") + server.hits("/b.xml") == 2


@pytest.mark.parametrize("target", ["file:///etc/passwd", "ftp://127.0.0.1/feed.xml"])
async def test_every_hop_is_checked(server: FeedServerPlus, fetcher: Fetcher, target: str) -> None:
    server.redirect("/feed.xml", target, status=302)

    with pytest.raises(FetchError) as caught:
        await fetcher.fetch(server.url("/feed.xml"))

    assert caught.value.permanent
    assert caught.value.reason.startswith("Only http and https addresses can be fetched")
    assert server.hits("/feed.xml") == 1


# --- size caps ---------------------------------------------------------------------------------------


async def test_an_oversized_body_stops_near_the_cap(server: FeedServerPlus) -> None:
    relay = CountingRelay(server.port)
    await relay.start()
    server.huge("/huge.xml", 512 * MB)
    try:
        async with make_fetcher(max_bytes=256 * KB) as capped:
            with pytest.raises(FetchError) as caught:
                await capped.fetch(f"http://127.0.0.1:{relay.port}/huge.xml")
    finally:
        await relay.stop()

    assert caught.value.reason == "The page is larger than 256 KB after decompression."
    # What crossed the wire is the cap plus what socket buffers held, not the 512 MB on offer.
    assert 256 * KB < relay.to_client < 16 * MB


async def test_a_declared_length_over_the_cap_is_refused(server: FeedServerPlus) -> None:
    server.serve("/big.xml", b" " * (300 * KB))
    async with make_fetcher(max_bytes=256 * KB) as capped:
        with pytest.raises(FetchError) as caught:
            await capped.fetch(server.url("/big.xml"))
    assert caught.value.reason == "The page is larger than 256 KB after decompression."


async def test_a_body_under_the_cap_is_read_whole(server: FeedServerPlus) -> None:
    server.huge("/big.xml", 200 * KB)
    async with make_fetcher(max_bytes=256 * KB) as capped:
        result = await capped.fetch(server.url("/big.xml"))
    assert result.body is not None and len(result.body) == 200 * KB


async def test_a_gzip_bomb_is_never_inflated_in_memory(server: FeedServerPlus) -> None:
    server.gzip_bomb("/bomb.xml", 50 * MB)

    async with make_fetcher(max_bytes=1 * MB) as capped:
        tracemalloc.start()
        try:
            with pytest.raises(FetchError) as caught:
                await capped.fetch(server.url("/bomb.xml"))
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()

    assert caught.value.reason == "The page is larger than 1 MB after decompression."
    assert peak < 8 * MB  # 50 MB inflated would have shown here


# --- politeness --------------------------------------------------------------------------------------


async def test_one_request_at_a_time_per_host(server: FeedServerPlus, fetcher: Fetcher) -> None:
    server.serve("/first.xml", RSS_V1)
    server.slow("/first.xml", 0.3)
    server.serve("/second.xml", RSS_V2)

    first, second = await asyncio.gather(fetcher.fetch(server.url("/first.xml")),
                                         fetcher.fetch(server.url("/second.xml")))

    assert (first.body, second.body) == (RSS_V1.encode(), RSS_V2.encode())
    assert [r.path for r in server.requests] == ["/first.xml", "/second.xml"]
    assert server.pending_on_arrival == [[], [False]]  # the first was answered before the second came


async def test_other_hosts_are_not_held_up(server: FeedServerPlus, fetcher: Fetcher) -> None:
    """The control for the test above: the same requests to two host names do overlap."""
    server.serve("/first.xml", RSS_V1)
    server.slow("/first.xml", 0.5)
    server.serve("/second.xml", RSS_V2)

    await asyncio.gather(fetcher.fetch(server.url("/first.xml")),
                         fetcher.fetch(f"http://localhost:{server.port}/second.xml"))

    assert server.pending_on_arrival == [[], [True]]


# --- refused addresses -------------------------------------------------------------------------------


@pytest.mark.parametrize(("address", "reason"), [
    ("http://127.0.0.1:{port}/feed.xml", "a loopback address (127.0.0.1)"),
    ("http://localhost:{port}/feed.xml", "a loopback address"),
    ("http://[::1]:{port}/feed.xml", "a loopback address (::1)"),
    ("http://[::ffff:127.0.0.1]:{port}/feed.xml", "a loopback address (127.0.0.1)"),
    ("http://2130706433:{port}/feed.xml", "a loopback address (127.0.0.1)"),  # 127.0.0.1 as one number
    ("http://0.0.0.0:{port}/feed.xml", "an unspecified address (0.0.0.0)"),
    ("http://10.0.0.1/feed.xml", "a private network address (10.0.0.1)"),
    ("http://192.168.1.1/feed.xml", "a private network address (192.168.1.1)"),
    ("http://169.254.169.254/latest/meta-data/", "a link-local address (169.254.169.254)"),
    ("http://[fe80::1]/feed.xml", "a link-local address (fe80::1)"),
    ("http://[fd00::1]/feed.xml", "a private network address (fd00::1)"),
    ("http://224.0.0.1/feed.xml", "a multicast address (224.0.0.1)"),
    ("http://100.64.0.1/feed.xml", "a non-public address (100.64.0.1)"),  # carrier-grade NAT
])
async def test_private_addresses_are_refused_without_a_request(server: FeedServerPlus, address: str,
                                                               reason: str) -> None:
    server.serve("/feed.xml", RSS_V1)

    async with make_fetcher(allow_private=False) as careful:
        with pytest.raises(FetchError) as caught:
            await careful.fetch(address.format(port=server.port))

    assert caught.value.permanent
    assert caught.value.reason.startswith(f"The address resolves to {reason}")
    assert caught.value.reason.endswith("which Continuity does not fetch.")
    assert server.requests == []


# Special-purpose ranges some Python releases count as global (3.11.7: 192.0.0.9, fec0::1, 64:ff9b:1::1,
# 3fff::1) or that only some flag: each is refused the same, in the same words, on every Python.
SPECIAL_PURPOSE = ["100.64.0.1", "100.127.255.254", "192.0.0.1", "192.0.0.9", "192.0.0.10", "192.0.2.1",
                   "192.31.196.1", "192.52.193.1", "192.88.99.1", "192.175.48.1", "198.18.0.1", "198.19.255.1",
                   "198.51.100.7", "203.0.113.9", "240.0.0.1", "255.255.255.255", "fec0::1", "feff::1",
                   "64:ff9b:1::1", "100::1", "2001::1", "2001:4:112::1", "2001:20::1", "2001:db8::1", "3fff::1",
                   "5f00::1", "::ffff:192.0.0.9", "::ffff:100.64.0.1", "::ffff:198.18.0.1"]


@pytest.mark.parametrize("address", SPECIAL_PURPOSE)
async def test_special_purpose_addresses_are_refused_alike_everywhere(server: FeedServerPlus, address: str) -> None:
    host = f"[{address}]" if ":" in address else address
    shown = address.removeprefix("::ffff:")  # a mapped address is judged, and named, as its IPv4

    async with make_fetcher(allow_private=False) as careful:
        with pytest.raises(FetchError) as caught:
            await careful.fetch(f"http://{host}/feed.xml")

    assert caught.value.permanent
    assert caught.value.reason == (f"The address resolves to a non-public address ({shown}), which Continuity "
                                   "does not fetch.")
    assert server.requests == []


@pytest.mark.parametrize("address", SPECIAL_PURPOSE)
async def test_a_name_resolving_to_a_special_purpose_address_is_refused(address: str) -> None:
    resolver = PublicOnlyResolver(FakeDNS({"feeds.example.test": [address]}))

    with pytest.raises(OSError, match="non-public address"):
        await resolver.resolve("feeds.example.test", 443)


@pytest.mark.parametrize("address", ["93.184.216.34", "1.1.1.1", "192.0.1.1", "198.20.0.1", "2606:4700::1111",
                                     "2a00:1450:4001::1", "::ffff:93.184.216.34"])
async def test_ordinary_public_addresses_pass_the_check(address: str) -> None:
    resolver = PublicOnlyResolver(FakeDNS({"feeds.example.test": [address]}))

    answers = await resolver.resolve("feeds.example.test", 443)

    assert [answer["host"] for answer in answers] == [address]


@pytest.mark.parametrize(("address", "reason"), [
    ("file:///etc/passwd", "Only http and https addresses can be fetched, not file."),
    ("ftp://example.org/feed.xml", "Only http and https addresses can be fetched, not ftp."),
    ("gopher://example.org/", "Only http and https addresses can be fetched, not gopher."),
    ("javascript:alert(1)", "Only http and https addresses can be fetched, not javascript."),
    ("feed.xml", "feed.xml is not a complete web address: it must start with https:// or http://."),
    ("http:///feed.xml", "http:///feed.xml is not a complete web address."),
])
async def test_only_http_and_https_are_fetched(server: FeedServerPlus, address: str, reason: str) -> None:
    async with make_fetcher(allow_private=False) as careful:
        with pytest.raises(FetchError) as caught:
            await careful.fetch(address)

    assert (caught.value.reason, caught.value.permanent) == (reason, True)
    assert server.requests == []


@pytest.mark.parametrize("answers", [["127.0.0.1"], ["93.184.216.34", "127.0.0.1"], ["::ffff:10.1.2.3"]])
async def test_a_name_that_resolves_inside_is_refused(server: FeedServerPlus, answers: list[str]) -> None:
    server.serve("/feed.xml", RSS_V1)
    dns = FakeDNS({"feeds.example.test": answers})

    async with make_fetcher(allow_private=False, resolver=dns) as careful:
        with pytest.raises(FetchError) as caught:
            await careful.fetch(f"http://feeds.example.test:{server.port}/feed.xml")

    assert caught.value.permanent
    assert caught.value.reason.startswith("The address resolves to a")
    assert server.requests == []


async def test_the_resolver_that_checks_is_the_one_that_connects(server: FeedServerPlus) -> None:
    """With private addresses allowed, the same fake DNS leads to the fake: the address that was judged
    is the address connected to, so a second lookup (DNS rebinding) has no gap to slip through."""
    server.serve("/feed.xml", RSS_V1)
    dns = FakeDNS({"feeds.example.test": ["127.0.0.1"]})

    async with make_fetcher(allow_private=True, resolver=dns) as trusting:
        result = await trusting.fetch(f"http://feeds.example.test:{server.port}/feed.xml")

    assert result.body == RSS_V1.encode()


async def test_an_unknown_name_is_a_temporary_error() -> None:
    async with make_fetcher(allow_private=False, resolver=FakeDNS({})) as careful:
        with pytest.raises(FetchError) as caught:
            await careful.fetch("http://nowhere.example.test/feed.xml")

    assert caught.value.reason == "Could not connect: the name nowhere.example.test was not found."
    assert not caught.value.permanent


# --- what may be shown of an address -----------------------------------------------------------------


@pytest.mark.parametrize(("address", "shown"), [
    ("https://user:secret@example.org/feed?token=abc#top", "https://example.org/feed"),
    ("https://example.org:8443/a/feed.xml", "https://example.org:8443/a/feed.xml"),
    ("http://[::1]/x?key=1", "http://[::1]/x"),
    ("feed.xml?token=abc", "feed.xml"),
    ("http://[broken", "?"),
])
def test_the_shown_address_has_no_userinfo_query_or_fragment(address: str, shown: str) -> None:
    assert shown_address(address) == shown


async def test_errors_about_an_address_never_carry_its_secrets() -> None:
    async with make_fetcher(allow_private=False) as careful:
        with pytest.raises(FetchError) as caught:
            await careful.fetch("https://user:secret@/feed?token=abc")

    assert "secret" not in caught.value.reason and "token" not in caught.value.reason
