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
from http import HTTPStatus
from types import TracebackType

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from yarl import URL

from bot import HOMEPAGE, __version__
from bot.errors import ContinuityError

log = logging.getLogger(__name__)

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_CHUNK = 64 * 1024

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


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


class FetchError(ContinuityError):
    """A fetch failed; `reason` is one sentence a volunteer moderator can act on."""

    def __init__(self, reason: str, *, permanent: bool = False, status: int | None = None,
                 retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent  # retrying will not help: stop polling and tell a moderator
        self.status = status
        self.retry_after = retry_after


class _RefusedAddress(OSError):
    """Raised inside the resolver; aiohttp wraps OSErrors from resolvers, and we unwrap it again."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _refusal(address: IPAddress) -> str | None:
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
             ("private network", address.is_private), ("reserved", address.is_reserved),
             ("non-public", not address.is_global)]
    kind = next((name for name, hit in kinds if hit), None)
    if kind is None:
        return None
    article = "an" if kind[0] in "aeiou" else "a"
    return f"The address resolves to {article} {kind} address ({address}), which Continuity does not fetch."


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
            reason = _refusal(ipaddress.ip_address(result["host"].split("%", 1)[0]))
            if reason:
                raise _RefusedAddress(reason)
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


def _status_text(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


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
            raise FetchError(f"{url} is not a complete web address: it must start with https:// or http://.",
                             permanent=True)
        if url.scheme not in ("http", "https"):
            raise FetchError(f"Only http and https addresses can be fetched, not {url.scheme}.", permanent=True)
        host = url.raw_host
        if not host:
            raise FetchError(f"{url} is not a complete web address.", permanent=True)
        address = _literal_address(host)
        if address is not None and not self._allow_private:
            reason = _refusal(address)
            if reason:
                raise FetchError(reason, permanent=True)
        return host.lower()

    async def fetch(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> FetchResult:
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        try:
            current = URL(url)
        except (ValueError, TypeError) as error:
            raise FetchError(f"{url} is not a valid web address.", permanent=True) from error
        seen: set[URL] = set()
        for _ in range(self._max_redirects + 1):
            seen.add(current)
            host = self._check_url(current)
            lock = self._host_locks.setdefault(host, asyncio.Lock())
            async with lock:
                wait = self._last_request.get(host, -float("inf")) + self._host_interval - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                try:
                    result = await self._request(current, headers)
                finally:
                    self._last_request[host] = time.monotonic()
            if isinstance(result, FetchResult):
                if result.not_modified:  # keep the validators we sent when a 304 does not repeat them
                    result = FetchResult(result.url, 304, None, result.etag or etag,
                                         result.last_modified or last_modified, result.content_type)
                return result
            current = result
            if current in seen:
                raise FetchError("The address redirects in a loop.")
        raise FetchError(f"Redirected more than {self._max_redirects} times.")

    async def _request(self, url: URL, headers: dict[str, str]) -> FetchResult | URL:
        """One hop: the result, or the URL a redirect points to."""
        session = self._open_session()
        try:
            async with session.get(url, headers=headers, allow_redirects=False) as response:
                log.debug("GET %s -> %d", url, response.status)
                return await self._answer(url, response)
        except FetchError:
            raise
        except aiohttp.ClientConnectorError as error:
            if isinstance(error.os_error, _RefusedAddress):
                raise FetchError(error.os_error.reason, permanent=True) from None
            if isinstance(error, aiohttp.ClientConnectorCertificateError):
                raise FetchError(f"Could not connect securely: the site's certificate was refused "
                                 f"({error.certificate_error}).") from None
            if isinstance(error, aiohttp.ClientConnectorDNSError):
                raise FetchError(f"Could not connect: the name {url.host} was not found.") from None
            raise FetchError(f"Could not connect: {error.os_error.strerror or error.os_error}.") from None
        except TimeoutError:
            raise FetchError(f"Timed out after {self._timeout:g} s.") from None
        except aiohttp.InvalidURL:
            raise FetchError(f"{url} is not a valid web address.", permanent=True) from None
        except aiohttp.ClientPayloadError as error:
            raise FetchError(f"The answer was cut off or badly encoded ({error}).") from None
        except aiohttp.ClientError as error:
            raise FetchError(f"Could not connect: {error or type(error).__name__}.") from None

    async def _answer(self, url: URL, response: aiohttp.ClientResponse) -> FetchResult | URL:
        status = response.status
        if status in _REDIRECTS:
            location = response.headers.get("Location")
            if not location:
                raise FetchError(f"The server answered {_status_text(status)} without saying where to go.",
                                 status=status)
            try:
                return url.join(URL(location))
            except ValueError:
                raise FetchError(f"The server redirected to an invalid address ({location}).",
                                 status=status) from None
        if not (200 <= status < 300 or status == 304):
            raise FetchError(
                f"The server answered {_status_text(status)}." if status != 410 else
                "The server answered 410 Gone: the address was removed on purpose.",
                permanent=status == 410, status=status,
                retry_after=_retry_after(response.headers.get("Retry-After")) if status in (429, 503) else None)
        result_url = str(response.url)
        etag, modified = response.headers.get("ETag"), response.headers.get("Last-Modified")
        content_type = response.headers.get("Content-Type")
        if status == 304:
            return FetchResult(result_url, 304, None, etag, modified, content_type)  # the body is never read
        too_large = FetchError(f"The page is larger than {self._describe_cap()} after decompression.")
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

    def _describe_cap(self) -> str:
        megabytes = self._max_bytes / (1024 * 1024)
        return f"{megabytes:g} MB" if megabytes >= 1 else f"{self._max_bytes // 1024} KB"
