"""Pacing under a platform's published limits, so 429s are the exception rather than the way to learn them.

The overall limit is kept by spacing sends evenly (a burst that fits a window on our clock can overflow
the same window on the platform's clock, which sees our requests a little later); each channel and each
person has a sliding window, slightly longer than the platform's, for the same reason.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

from bot.presentation import Capabilities, RateLimit, Target

HEADROOM = 0.96       # of the overall limit: what requests the pacer does not count may use
WINDOW_MARGIN = 1.05  # per-channel windows are this much longer than the platform's


class Pacer:
    def __init__(self, capabilities: Capabilities, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._interval = capabilities.overall.seconds / (capabilities.overall.count * HEADROOM)
        self._window = capabilities.overall.seconds
        self._per_channel = capabilities.per_channel
        self._per_person = capabilities.per_person
        self._next_overall = 0.0
        self._sent: dict[str, deque[float]] = {}
        self._held: dict[str, float] = {}

    @property
    def rate(self) -> float:
        """Messages per second this pacer allows overall."""
        return 1 / self._interval

    def _limit(self, target: Target) -> RateLimit:
        return self._per_person if target.direct else self._per_channel

    def overall_wait(self) -> float:
        return max(0.0, self._next_overall - self._clock())

    def target_wait(self, target: Target) -> float:
        """Seconds until `target` may receive another message (0: now)."""
        now, key = self._clock(), _key(target)
        wait = max(0.0, self._held.get(key, 0.0) - now)
        limit = self._limit(target)
        sent = self._sent.get(key)
        if sent:
            window = limit.seconds * WINDOW_MARGIN
            while sent and sent[0] <= now - window:
                sent.popleft()
            if len(sent) >= limit.count:
                wait = max(wait, sent[0] + window - now)
        return wait

    def take(self, target: Target) -> None:
        """Count a send to `target` that starts now."""
        now = self._clock()
        # From the slot that was due, not from now: time lost between the slot and this call (a database
        # write, a busy event loop) is made up by at most one send, never by a burst.
        self._next_overall = max(self._next_overall, now - self._interval) + self._interval
        self._sent.setdefault(_key(target), deque()).append(now)

    def reserve(self, target: Target) -> float:
        """Count a reply to a person, on a platform whose overall limit replies share (Telegram): it takes the
        next free slot, ahead of every alert not yet started (their next slot moves one on), and this returns
        the seconds until that slot (0: now), for a reply that can wait for it. People go before a fan-out."""
        now = self._clock()
        start = max(now, self._next_overall)
        # At most one window ahead: a burst of replies holds the alerts back while it lasts, not for the time
        # all of them would have taken (many are refused by the platform and so never counted there).
        self._next_overall = min(start + self._interval, now + self._window)
        self._sent.setdefault(_key(target), deque()).append(start)
        return start - now

    def hold(self, target: Target, seconds: float) -> None:
        """The platform said to wait (a 429's retry_after): nothing more goes to `target` until then."""
        key = _key(target)
        self._held[key] = max(self._held.get(key, 0.0), self._clock() + seconds)


def _key(target: Target) -> str:
    # A forum topic shares its chat's limit: the key is the chat, not the topic.
    return f"{'person' if target.direct else 'channel'}:{target.channel_id}"
