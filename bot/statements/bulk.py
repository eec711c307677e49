"""Building a statement makes millions of small objects (rows, passages, quotes, word lists, JSON values)
and keeps most of them until the files are written. None of them form reference cycles, yet Python's cycle
collector walks the growing heap again and again while they are made: at 100,000 testimonies that is a
third of an export's time. The collector pauses while a statement is built or rendered and resumes when
the last such work ends; reference counting still frees everything as usual."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_working = 0
_resume = False


@contextmanager
def paused_collector() -> Iterator[None]:
    """The cycle collector paused for the work inside; usable as a decorator. Nested and concurrent uses
    (two exports at once, on worker threads) share one pause, which ends with the last of them."""
    global _working, _resume
    with _lock:
        if _working == 0:
            _resume = gc.isenabled()
            gc.disable()
        _working += 1
    try:
        yield
    finally:
        with _lock:
            _working -= 1
            if _working == 0 and _resume:
                gc.enable()
