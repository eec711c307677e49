"""A feed and page server on 127.0.0.1 for the watcher's tests.

It serves what a test gives it with ETag and Last-Modified and answers conditional GETs with 304, and it
can misbehave the ways real sites do: fail, answer slowly, redirect forever, stream a huge body, send a
gzip bomb, or say the feed is gone.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import itertools
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime

from aiohttp import web

_CHUNK = 64 * 1024
_XML_HEAD = b'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>Huge</title>\n'
_XML_ITEM = (b"<item><title>An item that goes on</title><link>https://example.invalid/item</link>"
             b"<description>Padding so the body is large.</description></item>\n")


@dataclass
class RecordedRequest:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    status: int | None = None  # None while the answer is still being made (e.g. a slow path)


@dataclass
class _Content:
    body: bytes
    content_type: str
    etag: str | None
    last_modified: datetime | None


@dataclass
class _Path:
    """What one path does; `mode` is the special behaviour, if any, over the served content."""

    content: _Content | None = None
    mode: str = "serve"  # serve | redirect | redirect_loop | huge | gzip_bomb | gone | trickle
    redirect_to: str = ""
    redirect_status: int = 301
    huge_size: int = 0
    bomb: bytes = b""
    failure_status: int | None = None
    failures_left: int | None = None  # None: until cleared
    delay: float = 0.0
    delay_between: float = 0.0  # trickle: seconds between bytes


class FeedServer:
    def __init__(self) -> None:
        self.port = 0
        self.requests: list[RecordedRequest] = []
        self._paths: dict[str, _Path] = {}
        self._closing = asyncio.Event()
        self._runner: web.AppRunner | None = None

    # -- lifecycle -----------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._closing = asyncio.Event()
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        """Slow answers stop waiting at once, so stopping never hangs."""
        self._closing.set()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FeedServer:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}/{path.lstrip('/')}"

    # -- what tests tell the server ------------------------------------------------------------

    def serve(self, path: str, body: bytes | str, *, content_type: str = "application/rss+xml; charset=utf-8",
              etag: bool = True, last_modified: bool = True) -> None:
        """Serve `body` at `path`. Last-Modified moves only when the body changes, and always forward
        by at least a second, so a change is visible to If-Modified-Since (which has 1 s resolution)."""
        data = body.encode() if isinstance(body, str) else bytes(body)
        entry = self._path(path)
        previous = entry.content
        changed_at = datetime.now(UTC).replace(microsecond=0)
        if previous is not None and previous.last_modified is not None:
            if previous.body == data:
                changed_at = previous.last_modified
            else:
                changed_at = max(changed_at, previous.last_modified + timedelta(seconds=1))
        entry.content = _Content(
            body=data,
            content_type=content_type,
            etag=f'"{hashlib.sha256(data).hexdigest()[:32]}"' if etag else None,
            last_modified=changed_at if last_modified else None,
        )
        entry.mode = "serve"

    def fail(self, path: str, status: int = 503, times: int | None = None) -> None:
        entry = self._path(path)
        entry.failure_status, entry.failures_left = status, times

    def clear(self, path: str) -> None:
        """Back to serving the content: no failure, no delay, no redirect, huge body, bomb or 410."""
        entry = self._path(path)
        entry.failure_status = entry.failures_left = None
        entry.delay = 0.0
        entry.mode = "serve"

    def slow(self, path: str, seconds: float) -> None:
        self._path(path).delay = seconds

    def redirect_loop(self, path: str) -> None:
        self._path(path).mode = "redirect_loop"

    def redirect(self, path: str, to: str, status: int = 301) -> None:
        entry = self._path(path)
        entry.mode, entry.redirect_to, entry.redirect_status = "redirect", to, status

    def huge(self, path: str, size: int) -> None:
        entry = self._path(path)
        entry.mode, entry.huge_size = "huge", size

    def gzip_bomb(self, path: str, decompressed_size: int) -> None:
        """A gzip body that inflates to `decompressed_size` bytes of XML whitespace.

        Compressed a chunk at a time, so the inflated bytes are never held in memory.
        """
        compressor = zlib.compressobj(9, zlib.DEFLATED, 31)  # wbits 31: gzip container
        head = _XML_HEAD[: min(len(_XML_HEAD), decompressed_size)]
        parts = [compressor.compress(head)]
        remaining = decompressed_size - len(head)
        filler = b" " * (1024 * 1024)
        while remaining > 0:
            piece = filler if remaining >= len(filler) else filler[:remaining]
            parts.append(compressor.compress(piece))
            remaining -= len(piece)
        parts.append(compressor.flush())
        entry = self._path(path)
        entry.mode, entry.bomb = "gzip_bomb", b"".join(parts)

    def gone(self, path: str) -> None:
        self._path(path).mode = "gone"

    def trickle(self, path: str, interval: float = 0.2) -> None:
        """A slow-loris answer: headers at once, then one byte of the body every `interval` seconds, forever
        (until the client gives up or the server stops); no single read ever waits long."""
        entry = self._path(path)
        entry.mode, entry.delay_between = "trickle", interval

    def hits(self, path: str) -> int:
        key = _key(path)
        return sum(1 for request in self.requests if request.path == key)

    # -- answering -----------------------------------------------------------------------------

    def _path(self, path: str) -> _Path:
        return self._paths.setdefault(_key(path), _Path())

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        recorded = RecordedRequest(request.method, request.path, dict(request.query), dict(request.headers))
        self.requests.append(recorded)
        entry = self._paths.get(request.path)
        if entry is not None and entry.delay > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._closing.wait(), entry.delay)
        response = await self._answer(request, entry)
        recorded.status = response.status
        return response

    async def _answer(self, request: web.Request, entry: _Path | None) -> web.StreamResponse:
        if entry is None:
            return web.Response(status=404, text="not found")
        if entry.failure_status is not None:
            status = entry.failure_status
            if entry.failures_left is not None:
                entry.failures_left -= 1
                if entry.failures_left <= 0:
                    entry.failure_status = entry.failures_left = None
            return web.Response(status=status, text=f"failing on purpose with {status}")
        if entry.mode == "gone":
            return web.Response(status=410, text="gone")
        if entry.mode == "redirect":
            return web.Response(status=entry.redirect_status, headers={"Location": entry.redirect_to})
        if entry.mode == "redirect_loop":
            hop = int(request.query.get("r", "0") or 0) + 1
            return web.Response(status=302, headers={"Location": f"{request.path}?r={hop}"})
        if entry.mode == "huge":
            return await self._stream_huge(request, entry.huge_size)
        if entry.mode == "trickle":
            return await self._trickle(request, entry.delay_between)
        if entry.mode == "gzip_bomb":
            return web.Response(body=entry.bomb, headers={
                "Content-Type": "application/rss+xml; charset=utf-8", "Content-Encoding": "gzip",
            })
        if entry.content is None:
            return web.Response(status=404, text="not found")
        return _conditional_answer(request, entry.content)

    async def _trickle(self, request: web.Request, interval: float) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "application/rss+xml; charset=utf-8"})
        response.enable_chunked_encoding()
        await response.prepare(request)
        with contextlib.suppress(ConnectionResetError, ConnectionError):
            for byte in itertools.cycle(_XML_HEAD):
                await response.write(bytes([byte]))
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._closing.wait(), interval)
                if self._closing.is_set():
                    break
        return response

    async def _stream_huge(self, request: web.Request, size: int) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "application/rss+xml; charset=utf-8"})
        response.enable_chunked_encoding()
        await response.prepare(request)
        if request.method == "HEAD":
            return response
        block = (_XML_HEAD + _XML_ITEM * (_CHUNK // len(_XML_ITEM)))[:_CHUNK]
        item_block = (_XML_ITEM * (_CHUNK // len(_XML_ITEM) + 1))[:_CHUNK]
        written = 0
        with contextlib.suppress(ConnectionResetError, ConnectionError):
            while written < size and not self._closing.is_set():
                piece = (block if written == 0 else item_block)[: size - written]
                await response.write(piece)
                written += len(piece)
            await response.write_eof()
        return response


def _key(path: str) -> str:
    return "/" + path.lstrip("/").split("?", 1)[0]


def _conditional_answer(request: web.Request, content: _Content) -> web.Response:
    headers = {"Content-Type": content.content_type}
    if content.etag:
        headers["ETag"] = content.etag
    if content.last_modified:
        headers["Last-Modified"] = format_datetime(content.last_modified, usegmt=True)
    if _not_modified(request, content):
        return web.Response(status=304, headers=headers)
    body = b"" if request.method == "HEAD" else content.body
    return web.Response(body=body, headers=headers)


def _not_modified(request: web.Request, content: _Content) -> bool:
    """RFC 9110: If-None-Match decides when present; If-Modified-Since only without it."""
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        if content.etag is None:
            return False
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or content.etag in tags
    if_modified_since = request.headers.get("If-Modified-Since")
    if if_modified_since and content.last_modified:
        try:
            since = parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError):
            return False
        if since.tzinfo is None:
            since = since.replace(tzinfo=UTC)
        return content.last_modified <= since
    return False
