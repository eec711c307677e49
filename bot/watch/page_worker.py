"""Pages are read in a worker process, off the event loop: in a thread, a page's millions of objects (a 60,000-row
table) made garbage collection and freeing hold the GIL for half a second at a time (bench/loop_lag.py).

This module is all the worker imports to run what it is sent, so it names the page readers and nothing else: a
worker that imported the watch service would load the store, the HTTP client and the feed parser as well (about
20 MB more, and slower to start). Most checks of a page are answered 304 or find the same bytes, so the worker
is rarely needed: it is started when a page must be read and let go at the end of the watch cycle
(`release`): an idle bot holds no worker (bench/idle.py).
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from datetime import date

from bot.domain import DeprecationRow
from bot.watch.pages import extract_page
from bot.watch.pages import nothing_found as _nothing_found

# The longest real vendor page lists about 150 models; comparing 60,000 rows a hostile page offers would
# hold the event loop for half a second, so only the first MAX_PAGE_ROWS are read.
MAX_PAGE_ROWS = 2000

_SHARED: dict[None, ProcessPoolExecutor] = {}  # the one worker of the whole bot, while it is needed


def shared() -> ProcessPoolExecutor:
    if None not in _SHARED:
        # spawn, not fork: the bot has threads (SQLite, the resolver) a forked child would inherit mid-step.
        _SHARED[None] = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
    return _SHARED[None]


def forget() -> None:
    """The worker died (out of memory on a hostile page?): the next read starts a new one."""
    _SHARED.pop(None, None)


def release() -> None:
    """Let the worker go once what it was given is read; the next read starts a new one."""
    executor = _SHARED.pop(None, None)
    if executor is not None:
        executor.shutdown(wait=False)  # a read still running (a command's check) finishes first


def extract(body: bytes, url: str, family: str | None, as_of: date) -> list[DeprecationRow]:
    return extract_page(body.decode("utf-8", errors="replace"), url=url, vendor=family, as_of=as_of)[:MAX_PAGE_ROWS]


def nothing_found(body: bytes, url: str, family: str | None) -> tuple[str | None, str | None]:
    return _nothing_found(body.decode("utf-8", errors="replace"), url, family)
