"""Feeds and pages are read in worker processes, off the event loop and off its GIL: in a thread, a page's millions
of objects (a 60,000-row table) made garbage collection and freeing hold the GIL for half a second at a time
(bench/loop_lag.py), and a cold watch cycle is almost all feedparser, which two processes run on two cores
(bench/watch_cycle.py).

This module is all a worker imports to run what it is sent, so it names the readers and nothing else: a worker
that imported the watch service would load the store and the HTTP client as well (about 20 MB more, and slower
to start). Most checks are answered 304 or find the same bytes, so the workers are rarely needed: one is started
when a document must be read (a second when two are read at once) and they are let go at the end of the watch
cycle (`release`): an idle bot holds none (bench/idle.py).
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from datetime import date

from bot.domain import DeprecationRow
from bot.watch.feeds import ParsedFeed, parse_feed
from bot.watch.pages import extract_page
from bot.watch.pages import nothing_found as _nothing_found

# The longest real vendor page lists about 150 models; comparing 60,000 rows a hostile page offers would
# hold the event loop for half a second, so only the first MAX_PAGE_ROWS are read.
MAX_PAGE_ROWS = 2000
# Two, not one per core: a self-hoster's machine also runs the bot's own loop, and each worker costs about
# 50 MB while a cycle reads. A one-core machine gets one.
WORKERS = min(2, os.cpu_count() or 1)

_SHARED: dict[None, ProcessPoolExecutor] = {}  # the workers of the whole bot, while they are needed


def shared() -> ProcessPoolExecutor:
    if None not in _SHARED:
        # spawn, not fork: the bot has threads (SQLite, the resolver) a forked child would inherit mid-step.
        _SHARED[None] = ProcessPoolExecutor(max_workers=WORKERS, mp_context=multiprocessing.get_context("spawn"))
    return _SHARED[None]


def forget() -> None:
    """A worker died (out of memory on a hostile page?): the next read starts new ones."""
    _SHARED.pop(None, None)


def release() -> None:
    """Let the workers go once what they were given is read; the next read starts new ones."""
    executor = _SHARED.pop(None, None)
    if executor is not None:
        executor.shutdown(wait=False)  # a read still running (a command's check) finishes first


def extract(body: bytes, url: str, family: str | None, as_of: date) -> list[DeprecationRow]:
    return extract_page(body.decode("utf-8", errors="replace"), url=url, vendor=family, as_of=as_of)[:MAX_PAGE_ROWS]


def nothing_found(body: bytes, url: str, family: str | None) -> tuple[str | None, str | None]:
    return _nothing_found(body.decode("utf-8", errors="replace"), url, family)


def parse(body: bytes, url: str, content_type: str | None) -> ParsedFeed:
    return parse_feed(body, url=url, content_type=content_type)
