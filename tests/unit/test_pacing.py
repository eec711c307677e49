"""The Pacer keeps sends under a platform's published limits, on an injected clock (no waiting)."""

from __future__ import annotations

import itertools

import pytest

from bot.alerts.pacing import HEADROOM, WINDOW_MARGIN, Pacer
from bot.domain import PlatformName
from bot.presentation import Capabilities, RateLimit, Target

DISCORD_LIKE = Capabilities(max_message_length=2000, max_form_fields=5, overall=RateLimit(50, 1.0),
                            per_channel=RateLimit(5, 5.0), per_person=RateLimit(1, 1.0))
TELEGRAM_LIKE = Capabilities(max_message_length=4096, max_form_fields=10, overall=RateLimit(30, 1.0),
                             per_channel=RateLimit(20, 60.0), per_person=RateLimit(1, 1.0))


class Clock:
    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def channel(channel_id: str = "100", thread_id: str | None = None,
            platform: PlatformName = PlatformName.DISCORD) -> Target:
    return Target(platform, channel_id, thread_id)


def person(user_id: str = "100") -> Target:
    return Target(PlatformName.DISCORD, user_id, direct=True)


# --- the overall limit ---------------------------------------------------------------------------------------

def test_rate_is_the_overall_limit_less_headroom():
    assert Pacer(DISCORD_LIKE, clock=Clock()).rate == pytest.approx(50 * HEADROOM)
    slow = Capabilities(2000, 5, overall=RateLimit(30, 60.0))
    assert Pacer(slow, clock=Clock()).rate == pytest.approx(30 * HEADROOM / 60)


def paced_starts(pacer: Pacer, clock: Clock, n: int) -> list[float]:
    """When `n` sends start if, like the worker, each waits `overall_wait()` first."""
    starts = []
    for i in range(n):
        clock.advance(pacer.overall_wait())
        starts.append(clock.now)
        pacer.take(channel(str(i)))  # different channels: only the overall limit applies
    return starts


def test_sends_are_spaced_evenly_by_one_over_count_times_headroom():
    clock = Clock()
    pacer = Pacer(DISCORD_LIKE, clock=clock)
    interval = 1 / (50 * HEADROOM)
    assert pacer.overall_wait() == 0.0
    starts = paced_starts(pacer, clock, 10)
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    # The very first slot may be shared by one catch-up send; from then on the spacing is even.
    assert gaps[0] == pytest.approx(0.0, abs=1e-9) or gaps[0] == pytest.approx(interval)
    assert gaps[1:] == pytest.approx([interval] * 8)
    assert pacer.overall_wait() == pytest.approx(interval)


def test_paced_sends_never_exceed_the_overall_limit_in_any_window():
    for capabilities in (DISCORD_LIKE, TELEGRAM_LIKE, Capabilities(2000, 5, overall=RateLimit(30, 60.0))):
        clock = Clock()
        pacer = Pacer(capabilities, clock=clock)
        limit = capabilities.overall
        starts = paced_starts(pacer, clock, limit.count * 4)
        for i, start in enumerate(starts):
            in_window = sum(1 for t in starts[i:] if t < start + limit.seconds)
            assert in_window <= limit.count, f"{in_window} sends in one {limit.seconds} s window"
        run = starts[-1] - starts[0]
        assert (len(starts) - 1) / run == pytest.approx(pacer.rate, rel=0.02)


def test_a_late_send_is_made_up_by_at_most_one_send_never_a_burst():
    clock = Clock()
    pacer = Pacer(DISCORD_LIKE, clock=clock)
    interval = 1 / (50 * HEADROOM)
    pacer.take(channel("a"))
    clock.advance(10.0)  # idle: many slots went unused
    assert pacer.overall_wait() == 0.0
    pacer.take(channel("b"))
    assert pacer.overall_wait() <= interval + 1e-9
    clock.advance(pacer.overall_wait())
    pacer.take(channel("c"))
    assert pacer.overall_wait() == pytest.approx(interval), "the unused slots are not spent as a burst"
    pacer.take(channel("d"))  # a caller that does not wait queues the next slot further out
    assert pacer.overall_wait() == pytest.approx(2 * interval)


def test_replies_go_before_the_alerts_not_yet_started_and_together_keep_the_limit():
    clock = Clock()
    pacer = Pacer(TELEGRAM_LIKE, clock=clock)
    interval = 1 / (30 * HEADROOM)
    paced_starts(pacer, clock, 5)  # a fan-out under way: its next slot is one interval out
    alert_was_due = clock.now + pacer.overall_wait()

    waits = [pacer.reserve(channel(f"reply-{i}", platform=PlatformName.TELEGRAM)) for i in range(3)]

    # the first reply gets the slot the alert would have had, the next ones the slots after it
    assert waits == pytest.approx([alert_was_due - clock.now + i * interval for i in range(3)])
    assert clock.now + pacer.overall_wait() == pytest.approx(alert_was_due + 3 * interval), "the alert yields"
    starts = [*(clock.now + w for w in waits), *paced_starts(pacer, clock, 30)]
    for start in starts:
        assert sum(1 for t in starts if start <= t < start + 1.0) <= 30, "alerts and replies share one limit"


def test_a_reply_to_a_group_counts_in_that_groups_window():
    clock = Clock()
    pacer = Pacer(TELEGRAM_LIKE, clock=clock)
    group = channel("-100", platform=PlatformName.TELEGRAM)
    for _ in range(20):
        clock.advance(pacer.reserve(group))
    assert pacer.target_wait(group) > 0, "an alert to the group waits for the replies the group just had"
    assert pacer.target_wait(channel("-200", platform=PlatformName.TELEGRAM)) == 0.0


# --- per channel ---------------------------------------------------------------------------------------------

def test_the_sixth_message_in_a_channel_waits_for_the_longer_window():
    clock = Clock()
    pacer = Pacer(DISCORD_LIKE, clock=clock)
    target = channel()
    for _ in range(5):
        assert pacer.target_wait(target) == 0.0
        pacer.take(target)
    assert pacer.target_wait(target) == pytest.approx(5 * WINDOW_MARGIN)
    assert pacer.target_wait(channel("200")) == 0.0, "another channel is not held up"
    clock.advance(5.0)  # the platform's own window has passed, ours (a little longer) has not
    assert pacer.target_wait(target) == pytest.approx(5 * WINDOW_MARGIN - 5.0)
    clock.advance(5 * WINDOW_MARGIN - 5.0)
    assert pacer.target_wait(target) == 0.0


def test_the_channel_window_slides():
    clock = Clock()
    pacer = Pacer(DISCORD_LIKE, clock=clock)
    target = channel()
    sent_at = []
    for _ in range(5):
        sent_at.append(clock.now)
        pacer.take(target)
        clock.advance(1.0)
    # Five sends at t0 … t0+4; now t0+5: the oldest leaves our window at t0 + 5.25.
    assert pacer.target_wait(target) == pytest.approx(sent_at[0] + 5 * WINDOW_MARGIN - clock.now)
    clock.advance(pacer.target_wait(target))
    assert pacer.target_wait(target) == 0.0
    pacer.take(target)
    # Now the oldest in the window is the second send.
    assert pacer.target_wait(target) == pytest.approx(sent_at[1] + 5 * WINDOW_MARGIN - clock.now)


def test_direct_messages_use_the_per_person_limit():
    clock = Clock()
    pacer = Pacer(DISCORD_LIKE, clock=clock)
    pacer.take(person("7"))
    assert pacer.target_wait(person("7")) == pytest.approx(1 * WINDOW_MARGIN)
    assert pacer.target_wait(person("8")) == 0.0
    assert pacer.target_wait(channel("7")) == 0.0, "a channel with the same id is another target"
    # A channel allows five; the person's single message already used their whole window.
    pacer.take(channel("7"))
    assert pacer.target_wait(channel("7")) == 0.0
    clock.advance(1 * WINDOW_MARGIN)
    assert pacer.target_wait(person("7")) == 0.0


# --- 429s ------------------------------------------------------------------------------------------------------

def test_hold_after_a_429_blocks_the_target_until_retry_after():
    clock = Clock()
    pacer = Pacer(DISCORD_LIKE, clock=clock)
    target = channel()
    pacer.hold(target, 3.0)
    assert pacer.target_wait(target) == pytest.approx(3.0)
    assert pacer.target_wait(channel("other")) == 0.0
    clock.advance(1.0)
    assert pacer.target_wait(target) == pytest.approx(2.0)
    pacer.hold(target, 0.5)  # a shorter hold does not shorten the one in force
    assert pacer.target_wait(target) == pytest.approx(2.0)
    pacer.hold(target, 4.0)  # a longer one extends it
    assert pacer.target_wait(target) == pytest.approx(4.0)
    clock.advance(4.0)
    assert pacer.target_wait(target) == 0.0


def test_hold_and_window_take_the_longer_wait():
    clock = Clock()
    pacer = Pacer(DISCORD_LIKE, clock=clock)
    target = channel()
    for _ in range(5):
        pacer.take(target)
    pacer.hold(target, 1.0)
    assert pacer.target_wait(target) == pytest.approx(5 * WINDOW_MARGIN)
    pacer.hold(target, 10.0)
    assert pacer.target_wait(target) == pytest.approx(10.0)


def test_hold_on_a_person_does_not_hold_the_channel_with_the_same_id():
    pacer = Pacer(DISCORD_LIKE, clock=Clock())
    pacer.hold(person("5"), 30.0)
    assert pacer.target_wait(person("5")) == pytest.approx(30.0)
    assert pacer.target_wait(channel("5")) == 0.0


# --- forum topics ----------------------------------------------------------------------------------------------

def test_forum_topics_share_their_chats_window():
    clock = Clock()
    pacer = Pacer(TELEGRAM_LIKE, clock=clock)
    chat = "-1001"
    topics = [channel(chat, str(t), PlatformName.TELEGRAM) for t in range(20)]
    for topic in topics:  # twenty messages spread over twenty topics of one chat
        assert pacer.target_wait(topic) == 0.0
        pacer.take(topic)
    window = 60 * WINDOW_MARGIN
    assert pacer.target_wait(channel(chat, "99", PlatformName.TELEGRAM)) == pytest.approx(window)
    assert pacer.target_wait(channel(chat, None, PlatformName.TELEGRAM)) == pytest.approx(window)
    assert pacer.target_wait(channel("-1002", "0", PlatformName.TELEGRAM)) == 0.0


def test_a_hold_on_one_topic_holds_the_whole_chat():
    pacer = Pacer(TELEGRAM_LIKE, clock=Clock())
    pacer.hold(channel("-1001", "3", PlatformName.TELEGRAM), 7.0)
    assert pacer.target_wait(channel("-1001", "4", PlatformName.TELEGRAM)) == pytest.approx(7.0)
    assert pacer.target_wait(channel("-1001", None, PlatformName.TELEGRAM)) == pytest.approx(7.0)


def test_a_burst_of_replies_holds_the_alerts_back_while_it_lasts_and_no_longer():
    clock = Clock()
    pacer = Pacer(TELEGRAM_LIKE, clock=clock)
    for _ in range(10):  # 100 replies a second for a second: three times what the limit lets pass
        for _ in range(10):
            pacer.reserve(channel("-100", platform=PlatformName.TELEGRAM))
        clock.advance(0.1)
    assert pacer.overall_wait() <= 1.0, "a second after the burst at most, the fan-out goes on"
