"""Polite, safe HTTP fetching for the watcher: one aiohttp session, conditional GETs, hard limits.

Feed and page addresses are typed in by community moderators, so every address is untrusted: only http(s),
never an address inside the host's own network (unless the operator allows it), a size cap applied after
decompression, a redirect cap with every hop checked, and at most one request at a time per host.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from types import TracebackType

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from yarl import URL

from bot import HOMEPAGE, __version__
from bot.errors import Explained
from bot.i18n import N_

log = logging.getLogger(__name__)

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_CHUNK = 64 * 1024

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


_INVALID = N_("{url} is not a valid web address.")
# The statuses a moderator most often meets, said in words (an HTTP reason phrase is English).
_STATUS = {
    401: N_("The server answered HTTP 401: the page needs a login, which Continuity does not have."),
    403: N_("The server answered HTTP 403: it refuses Continuity access to the page."),
    404: N_("The server answered HTTP 404: there is no page at this address (any more)."),
    410: N_("The server answered HTTP 410: the address was removed on purpose."),
    429: N_("The server answered HTTP 429: it asks Continuity to slow down."),
    500: N_("The server answered HTTP 500: it had an internal error."),
    502: N_("The server answered HTTP 502: a gateway in front of it failed."),
    503: N_("The server answered HTTP 503: it is unavailable for now."),
}


def default_user_agent() -> str:
    return f"Continuity/{__version__} (+{HOMEPAGE})"


@dataclass(frozen=True)
class FetchResult:
    url: str  # the final URL, after redirects
    status: int  # 200 or 304
    body: bytes | None  # None on 304
    etag: str | None
    last_modified: str | None
    content_type: str | None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class FetchError(Explained):
    """A fetch failed; the message is one sentence a volunteer moderator can act on, in their language."""

    def __init__(self, message: str, /, *, permanent: bool = False, status: int | None = None,
                 retry_after: float | None = None, **params: object) -> None:
        # The status is also a detail the sentence may name ({status}).
        super().__init__(message, **({"status": status} if status is not None else {}), **params)
        self.permanent = permanent  # retrying will not help: stop polling and tell a moderator
        self.status = status
        self.retry_after = retry_after


class _RefusedAddress(OSError):
    """Raised inside the resolver; aiohttp wraps OSErrors from resolvers, and we unwrap it again."""

    def __init__(self, refusal: FetchError) -> None:
        super().__init__(refusal.reason)
        self.refusal = refusal


# A whole sentence for each kind of address, so that each translates whole.
_REFUSED = {
    "loopback": N_("The address resolves to a loopback address ({address}), which Continuity does not fetch."),
    "unspecified": N_("The address resolves to an unspecified address ({address}), which Continuity does not "
                      "fetch."),
    "link-local": N_("The address resolves to a link-local address ({address}), which Continuity does not "
                     "fetch."),
    "multicast": N_("The address resolves to a multicast address ({address}), which Continuity does not fetch."),
    "private": N_("The address resolves to a private network address ({address}), which Continuity does not "
                  "fetch."),
    "reserved": N_("The address resolves to a reserved address ({address}), which Continuity does not fetch."),
    "non-public": N_("The address resolves to a non-public address ({address}), which Continuity does not "
                     "fetch."),
}


# IANA's special-purpose registries (IPv4 and IPv6), written out: `ipaddress` follows them differently from
# one Python patch release to the next (3.11.7 counts 192.0.0.9, fec0::1 and 64:ff9b:1::1 as global), and
# whether an address is fetched must not depend on which Python runs the bot. The ranges `ipaddress`
# flags the same everywhere (loopback, link-local, RFC 1918, fc00::/7, multicast) are left to its flags.
_SPECIAL_PURPOSE = tuple(ipaddress.ip_network(network) for network in (
    "0.0.0.0/8", "100.64.0.0/10", "192.0.0.0/24", "192.0.2.0/24", "192.31.196.0/24", "192.52.193.0/24",
    "192.88.99.0/24", "192.175.48.0/24", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "240.0.0.0/4",
    "64:ff9b:1::/48", "100::/64", "2001::/23", "2001:db8::/32", "3fff::/20", "5f00::/16", "fec0::/10",
))


def _refusal(address: IPAddress) -> FetchError | None:
    """Why `address` must not be fetched, or None when it is an ordinary public address."""
    if isinstance(address, ipaddress.IPv6Address):
        # An IPv6 address can carry an IPv4 one (mapped, 6to4, NAT64); judge what it really reaches.
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and address in ipaddress.IPv6Network("64:ff9b::/96"):
            embedded = ipaddress.IPv4Address(address.packed[-4:])
        if embedded is not None:
            return _refusal(embedded)
    kinds = [("loopback", address.is_loopback), ("unspecified", address.is_unspecified),
             ("link-local", address.is_link_local), ("multicast", address.is_multicast),
             ("non-public", any(address in network for network in _SPECIAL_PURPOSE)),
             ("private", address.is_private), ("reserved", address.is_reserved),
             ("non-public", not address.is_global)]
    kind = next((name for name, hit in kinds if hit), None)
    if kind is None:
        return None
    return FetchError(_REFUSED[kind], permanent=True, address=str(address))


def shown_address(url: str) -> str:
    """A source address as it may be logged or shown to people: scheme, host, port and path only.

    Moderators sometimes add a feed with a token in it (`https://user:secret@host/feed?key=…`); the
    fetcher needs the whole address, but nobody reading a log or a channel may see its userinfo, query
    or fragment.
    """
    try:
        parsed = URL(url)
    except (ValueError, TypeError):
        return "?"
    try:
        bare = parsed.with_query(None).with_fragment(None)
        return str(bare.with_user(None) if bare.absolute else bare) or "?"
    except ValueError:
        return "?"


def _literal_address(host: str) -> IPAddress | None:
    """The IP address a host names literally, including legacy forms such as 2130706433 or 127.1."""
    try:
        return ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        pass
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))  # the C library would connect to these
    except (OSError, UnicodeError):
        return None


class PublicOnlyResolver(AbstractResolver):
    """Resolves with `inner` and refuses names that lead into a private network.

    The check sits in the resolver so it judges the very addresses aiohttp connects to: a name cannot
    resolve to a public address when checked and to 127.0.0.1 when connecting (DNS rebinding).
    """

    def __init__(self, inner: AbstractResolver) -> None:
        self._inner = inner

    async def resolve(self, host: str, port: int = 0,
                      family: socket.AddressFamily = socket.AF_INET) -> list[ResolveResult]:
        results = await self._inner.resolve(host, port, family)
        for result in results:
            refusal = _refusal(ipaddress.ip_address(result["host"].split("%", 1)[0]))
            if refusal:
                raise _RefusedAddress(refusal)
        return results

    async def close(self) -> None:
        await self._inner.close()


def _retry_after(value: str | None) -> float | None:
    """Retry-After is either seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


class Fetcher:
    def __init__(self, *, user_agent: str, timeout: float = 30, max_bytes: int = 5 * 1024 * 1024,
                 max_redirects: int = 5, allow_private: bool = False, host_interval: float = 1.0,
                 resolver: AbstractResolver | None = None) -> None:
        """`resolver` replaces the system DNS underneath the address check (tests use a fake DNS)."""
        self._user_agent = user_agent
        self._timeout = timeout
        self._max_bytes = max_bytes
        self._max_redirects = max_redirects
        self._allow_private = allow_private
        self._host_interval = host_interval
        self._inner_resolver = resolver
        self._resolver: AbstractResolver | None = None
        self._session: aiohttp.ClientSession | None = None
        self._host_locks: dict[str, asyncio.Lock] = {}
        self._last_request: dict[str, float] = {}  # host → monotonic time its last request ended

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        await self.close()

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
        if self._resolver is not None:  # a connector does not close a resolver it was given
            await self._resolver.close()
            self._resolver = None

    def _open_session(self) -> aiohttp.ClientSession:
        # Made on first use: aiohttp wants a running event loop, and the fetcher is built before one.
        if self._session is None:
            inner = self._inner_resolver or aiohttp.DefaultResolver()
            self._resolver = inner if self._allow_private else PublicOnlyResolver(inner)
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(resolver=self._resolver),
                timeout=aiohttp.ClientTimeout(total=self._timeout, sock_connect=self._timeout,
                                              sock_read=self._timeout),
                headers={"User-Agent": self._user_agent},
                cookie_jar=aiohttp.DummyCookieJar(),  # sources must not track us, nor leak into each other
                trust_env=False,  # a proxy would resolve names itself, out of reach of the address check
            )
        return self._session

    def _check_url(self, url: URL) -> str:
        """The host to fetch from, or a permanent FetchError for an address Continuity does not fetch."""
        if not url.scheme:
            raise FetchError(N_("{url} is not a complete web address: it must start with https:// or http://."),
                             permanent=True, url=shown_address(str(url)))
        if url.scheme not in ("http", "https"):
            raise FetchError(N_("Only http and https addresses can be fetched, not {scheme}."), permanent=True,
                             scheme=url.scheme)
        host = url.raw_host
        if not host:
            raise FetchError(N_("{url} is not a complete web address."), permanent=True, url=shown_address(str(url)))
        address = _literal_address(host)
        if address is not None and not self._allow_private:
            refusal = _refusal(address)
            if refusal:
                raise refusal
        return host.lower()

    async def check_address(self, url: str) -> None:
        """Raise the FetchError `fetch` would raise for an address it never fetches (a scheme it does not
        speak; a literal or resolved address inside the network), so a moderator adding a source hears it at
        once rather than after three failed polls. One rule: the same checks and the same resolver as `fetch`.
        A name that does not resolve now is let through: it may resolve later, and the first check says so."""
        try:
            parsed = URL(url)
        except (ValueError, TypeError) as error:
            raise FetchError(_INVALID, permanent=True, url=url) from error
        host = self._check_url(parsed)
        if self._allow_private or _literal_address(host) is not None:
            return  # nothing to refuse, or the literal address was judged by _check_url
        self._open_session()
        assert self._resolver is not None
        try:
            await self._resolver.resolve(host, parsed.port or 0, socket.AF_UNSPEC)
        except _RefusedAddress as refused:
            raise refused.refusal from None
        except OSError:
            return

    async def fetch(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> FetchResult:
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        try:
            current = URL(url)
        except (ValueError, TypeError) as error:
            raise FetchError(_INVALID, permanent=True, url=shown_address(url)) from error
        seen: set[URL] = set()
        # One deadline for the whole fetch, redirects included: a chain of slow hops must not get a fresh
        # timeout each. Only time on the network counts; waiting our turn for a host (politeness) does not,
        # or sources sharing a host would time each other out.
        budget = self._timeout
        for _ in range(self._max_redirects + 1):
            seen.add(current)
            host = self._check_url(current)
            lock = self._host_locks.setdefault(host, asyncio.Lock())
            async with lock:
                wait = self._last_request.get(host, -float("inf")) + self._host_interval - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                started = time.monotonic()
                try:
                    async with asyncio.timeout(budget):
                        result = await self._request(current, headers)
                except TimeoutError:
                    raise self._timed_out() from None
                finally:
                    self._last_request[host] = time.monotonic()
                    budget -= time.monotonic() - started
            if isinstance(result, FetchResult):
                if result.not_modified:  # keep the validators we sent when a 304 does not repeat them
                    result = FetchResult(result.url, 304, None, result.etag or etag,
                                         result.last_modified or last_modified, result.content_type)
                return result
            current = result
            if current in seen:
                raise FetchError(N_("The address redirects in a loop."))
        raise FetchError(N_("Redirected more than {n} times."), n=self._max_redirects)

    async def _request(self, url: URL, headers: dict[str, str]) -> FetchResult | URL:
        """One hop: the result, or the URL a redirect points to."""
        session = self._open_session()
        try:
            async with session.get(url, headers=headers, allow_redirects=False) as response:
                log.debug("GET %s -> %d", shown_address(str(url)), response.status)
                return await self._answer(url, response)
        except FetchError:
            raise
        except aiohttp.ClientConnectorError as error:
            if isinstance(error.os_error, _RefusedAddress):
                raise error.os_error.refusal from None
            # The details in brackets are the system's or the TLS library's own words, kept for whoever
            # digs further; the sentence around them is ours and translated.
            if isinstance(error, aiohttp.ClientConnectorCertificateError):
                raise FetchError(N_("Could not connect securely: the site's certificate was refused ({error})."),
                                 error=str(error.certificate_error)) from None
            if isinstance(error, aiohttp.ClientConnectorDNSError):
                raise FetchError(N_("Could not connect: the name {host} was not found."), host=url.host) from None
            if isinstance(error.os_error, ConnectionRefusedError):
                raise FetchError(N_("Could not connect: {host} refused the connection."), host=url.host) from None
            raise FetchError(N_("Could not connect to {host} ({error})."), host=url.host,
                             error=str(error.os_error.strerror or error.os_error)) from None
        except TimeoutError:
            raise self._timed_out() from None
        except aiohttp.InvalidURL:
            raise FetchError(_INVALID, permanent=True, url=shown_address(str(url))) from None
        except aiohttp.ClientPayloadError as error:
            raise FetchError(N_("The answer was cut off or badly encoded ({error})."), error=str(error)) from None
        except aiohttp.ClientError as error:
            raise FetchError(N_("Could not connect to {host} ({error})."), host=url.host,
                             error=str(error) or type(error).__name__) from None

    async def _answer(self, url: URL, response: aiohttp.ClientResponse) -> FetchResult | URL:
        status = response.status
        if status in _REDIRECTS:
            location = response.headers.get("Location")
            if not location:
                raise FetchError(N_("The server answered HTTP {status} (a redirect) without saying where to go."),
                                 status=status)
            try:
                return url.join(URL(location))
            except ValueError:
                raise FetchError(N_("The server redirected to an invalid address ({location})."),
                                 status=status, location=location) from None
        if not (200 <= status < 300 or status == 304):
            raise FetchError(
                _STATUS.get(status, N_("The server answered HTTP {status}.")), permanent=status == 410,
                status=status,
                retry_after=_retry_after(response.headers.get("Retry-After")) if status in (429, 503) else None)
        result_url = str(response.url)
        etag, modified = response.headers.get("ETag"), response.headers.get("Last-Modified")
        content_type = response.headers.get("Content-Type")
        if status == 304:
            return FetchResult(result_url, 304, None, etag, modified, content_type)  # the body is never read
        too_large = FetchError(N_("The page is larger than {limit} after decompression."),
                               limit=self._describe_cap())
        if (response.content_length or 0) > self._max_bytes:
            response.close()
            raise too_large
        chunks, size = [], 0
        async for chunk in response.content.iter_chunked(_CHUNK):
            size += len(chunk)
            if size > self._max_bytes:  # stop here: a gzip bomb is never inflated past the cap
                response.close()
                raise too_large
            chunks.append(chunk)
        return FetchResult(result_url, status, b"".join(chunks), etag, modified, content_type)

    def _timed_out(self) -> FetchError:
        return FetchError(N_("Timed out after {seconds} s."), seconds=f"{self._timeout:g}")

    def _describe_cap(self) -> str:
        megabytes = self._max_bytes / (1024 * 1024)
        return f"{megabytes:g} MB" if megabytes >= 1 else f"{self._max_bytes // 1024} KB"
