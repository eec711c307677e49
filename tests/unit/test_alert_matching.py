"""Who wants a notice and when: the pure routing rules of bot.alerts.matching, with data and a clock in."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from bot.alerts.matching import (
    PINGS_PER_HOUR,
    daily_due,
    digest_due,
    in_scope,
    passes,
    plan_deliveries,
    worth_sending,
)
from bot.domain import AlertFilter, Category, Notice, NoticeKind, Ping, PlatformName, Subscription
from bot.store.outbox import PlannedDelivery

NOW = datetime(2026, 8, 20, 10, 17, 30, tzinfo=UTC)
DISCORD, TELEGRAM = PlatformName.DISCORD, PlatformName.TELEGRAM


def deprecation(model: str = "gpt-4o-2024-05-13", vendor: str | None = "openai", **extra: object) -> Notice:
    values: dict[str, object] = {"kind": NoticeKind.NEW_DEPRECATION, "category": Category.DEPRECATION,
                                 "title": model, "dedup_key": f"dep:{model}", "vendor": vendor, "model": model}
    values.update(extra)
    return Notice(**values)  # type: ignore[arg-type]


def news(models: tuple[str, ...] = (), vendor: str | None = None, **extra: object) -> Notice:
    values: dict[str, object] = {"kind": NoticeKind.NEWS, "category": Category.NEWS, "title": "Headline",
                                 "dedup_key": "news:1", "vendor": vendor, "models": models}
    values.update(extra)
    return Notice(**values)  # type: ignore[arg-type]


def posted(models: tuple[str, ...] = (), community_id: int | None = 1) -> Notice:
    return Notice(kind=NoticeKind.POSTED, category=Category.NEWS, title="Sign the letter", dedup_key="posted:1",
                  models=models, community_id=community_id, posted_by="mod")


def system(kind: NoticeKind) -> Notice:
    return Notice(kind=kind, category=Category.STATUS, title="Feed", dedup_key=f"{kind}:1")


def sub(sub_id: int, community_id: int = 1, *, flt: AlertFilter | None = None, digest: int = 0,
        paused: str | None = None, platform: PlatformName = DISCORD) -> Subscription:
    return Subscription(id=sub_id, community_id=community_id, platform=platform, channel_id=f"c{sub_id}",
                        thread_id=None, filter=flt or AlertFilter(), locale="en", created_by="mod",
                        digest_minutes=digest, paused_reason=paused)


def ping(ping_id: int, community_id: int | None = 1, *, models: tuple[str, ...] = (), daily: bool = False,
         paused: str | None = None, platform: PlatformName = TELEGRAM) -> Ping:
    return Ping(id=ping_id, pseudonym=f"p{ping_id}", platform=platform, address=f"u{ping_id}",
                community_id=community_id, filter=AlertFilter(models=models), locale="en", daily=daily,
                paused_reason=paused)


def plan(notice: Notice, subs: Sequence[Subscription] = (), pings: Sequence[Ping] = (), *,
         users: set[int] | None = None, builtin: bool = False, sent: int = 0) -> list[PlannedDelivery]:
    return plan_deliveries(notice, list(subs), list(pings), NOW, users_of_source=users, builtin_source=builtin,
                           pings_sent_last_hour={p.id: sent for p in pings})


# --- passes() ------------------------------------------------------------------------------------------------

def test_an_empty_filter_lets_everything_through():
    for notice in (deprecation(), news(), posted(), system(NoticeKind.SOURCE_FAILING)):
        assert passes(AlertFilter(), notice)


def test_categories_keep_only_the_chosen_ones():
    flt = AlertFilter(categories=(Category.DEPRECATION, Category.SURVEY))
    assert passes(flt, deprecation())
    assert not passes(flt, news())
    reminder = deprecation(kind=NoticeKind.REMINDER, category=Category.REMINDER)
    assert not passes(flt, reminder)
    assert passes(AlertFilter(categories=(Category.REMINDER,)), reminder)


def test_a_vendor_filter_holds_back_only_notices_naming_another_vendor():
    flt = AlertFilter(vendors=("openai",))
    assert passes(flt, deprecation(vendor="openai"))
    assert not passes(flt, deprecation("claude-3-haiku-20240307", vendor="anthropic"))
    assert passes(flt, news(vendor=None)), "a notice naming no vendor is not held back"
    assert passes(AlertFilter(vendors=("openai", "anthropic")), deprecation("claude-3-opus", vendor="anthropic"))


@pytest.mark.parametrize(("pattern", "model", "expected"), [
    ("gpt-4o*", "gpt-4o-2024-05-13", True),
    ("gpt-4o*", "gpt-4o-mini", True),
    ("gpt-4o*", "gpt-4-turbo", False),
    ("claude-3-*", "claude-3-haiku-20240307", True),
    ("claude-3-*", "claude-opus-4-1", False),
    ("4o", "chatgpt-4o-latest", True),
    ("4o", "gpt-4-0314", False),
    ("gpt-4o", "gpt-4o-2024-05-13", True),
])
def test_model_patterns(pattern, model, expected):
    assert passes(AlertFilter(models=(pattern,)), deprecation(model)) is expected


def test_a_model_filter_looks_at_the_model_and_at_the_models_a_notice_names():
    flt = AlertFilter(models=("claude-3-*",))
    assert passes(flt, news(models=("gpt-4o", "claude-3-opus-20240229")))
    assert not passes(flt, news(models=("gpt-4o",)))
    assert not passes(flt, news()), "a news item naming no model is not for a model filter"
    assert passes(AlertFilter(models=("gpt-4o*", "claude-3-*")), news(models=("claude-3-sonnet",)))


def test_posted_notices_without_models_ignore_category_and_model_filters():
    flt = AlertFilter(categories=(Category.DEPRECATION,), models=("claude-3-*",))
    assert passes(flt, posted())
    # A posted notice that names models is still held to the model filter (but not to categories).
    assert not passes(flt, posted(models=("gpt-4o",)))
    assert passes(flt, posted(models=("claude-3-haiku",)))
    # An ordinary news notice with the same filter is held back by the category.
    assert not passes(AlertFilter(categories=(Category.DEPRECATION,)), news())


@pytest.mark.parametrize("kind", [NoticeKind.SOURCE_FAILING, NoticeKind.TARGET_PAUSED])
def test_system_notices_go_only_to_status_or_everything(kind):
    notice = system(kind)
    assert passes(AlertFilter(), notice)
    assert passes(AlertFilter(categories=(Category.STATUS,)), notice)
    assert passes(AlertFilter(categories=(Category.DEPRECATION, Category.STATUS)), notice)
    assert not passes(AlertFilter(categories=(Category.DEPRECATION, Category.REMINDER, Category.SURVEY)), notice)
    assert not passes(AlertFilter(categories=(Category.NEWS,)), notice)
    # Vendor and model filters do not hide the bot's own status from those who take it.
    assert passes(AlertFilter(categories=(Category.STATUS,), vendors=("openai",), models=("gpt-4o",)), notice)


# --- in_scope() ----------------------------------------------------------------------------------------------

def test_in_scope_of_the_community_a_notice_is_meant_for():
    notice = posted(community_id=1)
    assert in_scope(1, notice, None)
    assert not in_scope(2, notice, None)
    assert not in_scope(None, notice, None), "a private ping does not see a community's own notices"


def test_in_scope_of_the_communities_using_the_source():
    notice = deprecation(source_id=7)
    assert in_scope(1, notice, {1, 3})
    assert not in_scope(2, notice, {1, 3})
    assert not in_scope(2, notice, set())
    assert in_scope(None, notice, {1}), "a private ping follows the built-in sources"
    assert in_scope(2, notice, None), "unknown users: not restricted"
    assert in_scope(2, deprecation(source_id=None), {1}), "a notice from no source is for everyone"


# --- digest_due() / daily_due() ------------------------------------------------------------------------------

@pytest.mark.parametrize(("now", "minutes", "expected"), [
    (datetime(2026, 8, 20, 10, 17, tzinfo=UTC), 60, datetime(2026, 8, 20, 11, 0, tzinfo=UTC)),
    (datetime(2026, 8, 20, 10, 17, tzinfo=UTC), 15, datetime(2026, 8, 20, 10, 30, tzinfo=UTC)),
    (datetime(2026, 8, 20, 10, 0, tzinfo=UTC), 60, datetime(2026, 8, 20, 11, 0, tzinfo=UTC)),
    (datetime(2026, 8, 20, 23, 59, 59, tzinfo=UTC), 60, datetime(2026, 8, 21, 0, 0, tzinfo=UTC)),
    (datetime(2026, 8, 20, 10, 17, tzinfo=UTC), 1440, datetime(2026, 8, 21, 0, 0, tzinfo=UTC)),
    (datetime(2026, 12, 31, 0, 0, tzinfo=UTC), 1440, datetime(2027, 1, 1, 0, 0, tzinfo=UTC)),
])
def test_digest_due_is_the_end_of_the_window(now, minutes, expected):
    assert digest_due(now, minutes) == expected


def test_notices_of_one_window_share_a_due_time():
    assert digest_due(datetime(2026, 8, 20, 10, 1, tzinfo=UTC), 60) == \
        digest_due(datetime(2026, 8, 20, 10, 59, 59, tzinfo=UTC), 60)


@pytest.mark.parametrize(("now", "expected"), [
    (datetime(2026, 8, 20, 8, 59, tzinfo=UTC), datetime(2026, 8, 20, 9, 0, tzinfo=UTC)),
    (datetime(2026, 8, 20, 9, 0, tzinfo=UTC), datetime(2026, 8, 21, 9, 0, tzinfo=UTC)),
    (datetime(2026, 8, 20, 15, 30, tzinfo=UTC), datetime(2026, 8, 21, 9, 0, tzinfo=UTC)),
    (datetime(2026, 8, 31, 23, 0, tzinfo=UTC), datetime(2026, 9, 1, 9, 0, tzinfo=UTC)),
])
def test_daily_due_is_the_next_nine_utc(now, expected):
    assert daily_due(now) == expected


# --- plan_deliveries() ---------------------------------------------------------------------------------------

def test_plans_one_delivery_per_wanting_subscription_skipping_paused_ones():
    subs = [sub(1), sub(2, paused="Missing permission"), sub(3, flt=AlertFilter(vendors=("anthropic",))),
            sub(4, platform=TELEGRAM)]
    assert plan(deprecation(), subs) == [
        PlannedDelivery(DISCORD, NOW.timestamp(), subscription_id=1),
        PlannedDelivery(TELEGRAM, NOW.timestamp(), subscription_id=4),
    ]


def test_digest_subscriptions_are_due_at_the_end_of_their_window():
    subs = [sub(1, digest=60), sub(2, digest=1440), sub(3)]
    assert plan(deprecation(), subs) == [
        PlannedDelivery(DISCORD, datetime(2026, 8, 20, 11, tzinfo=UTC).timestamp(), subscription_id=1, digest=True),
        PlannedDelivery(DISCORD, datetime(2026, 8, 21, tzinfo=UTC).timestamp(), subscription_id=2, digest=True),
        PlannedDelivery(DISCORD, NOW.timestamp(), subscription_id=3),
    ]


def test_subscriptions_out_of_scope_get_nothing():
    subs = [sub(1, community_id=1), sub(2, community_id=2)]
    assert [p.subscription_id for p in plan(deprecation(source_id=7), subs, users={2})] == [2]
    assert [p.subscription_id for p in plan(posted(community_id=1), subs)] == [1]


def test_a_ping_is_due_now_within_its_hourly_budget():
    assert plan(deprecation(), pings=[ping(1)], sent=PINGS_PER_HOUR - 1) == [
        PlannedDelivery(TELEGRAM, NOW.timestamp(), ping_id=1)]


def test_a_ping_over_its_hourly_budget_becomes_an_hourly_digest():
    hour_end = datetime(2026, 8, 20, 11, tzinfo=UTC).timestamp()
    assert plan(deprecation(), pings=[ping(1)], sent=PINGS_PER_HOUR) == [
        PlannedDelivery(TELEGRAM, hour_end, ping_id=1, digest=True)]
    assert plan(deprecation(), pings=[ping(1)], sent=PINGS_PER_HOUR + 10) == [
        PlannedDelivery(TELEGRAM, hour_end, ping_id=1, digest=True)]


def test_the_hourly_budget_is_counted_per_person():
    planned = plan_deliveries(deprecation(), [], [ping(1), ping(2), ping(3)], NOW, users_of_source=None,
                              builtin_source=False, pings_sent_last_hour={1: 0, 2: PINGS_PER_HOUR})
    assert [(p.ping_id, p.digest) for p in planned] == [(1, False), (2, True), (3, False)], \
        "a person with no count yet has their whole budget"


def test_a_daily_ping_is_due_at_the_daily_digest_hour():
    assert plan(deprecation(), pings=[ping(1, daily=True)]) == [
        PlannedDelivery(TELEGRAM, datetime(2026, 8, 21, 9, tzinfo=UTC).timestamp(), ping_id=1, digest=True)]


def test_pings_take_model_news_only_and_follow_their_model_patterns():
    pings = [ping(1), ping(2, models=("claude-3-*",)), ping(3, paused="Blocked the bot")]
    assert [p.ping_id for p in plan(deprecation(), pings=pings)] == [1]
    assert [p.ping_id for p in plan(deprecation("claude-3-haiku-20240307", "anthropic"), pings=pings)] == [1, 2]
    assert plan(news(models=("gpt-4o",)), pings=pings) == [], "plain news is not a ping"
    survey = Notice(kind=NoticeKind.SURVEY, category=Category.SURVEY, title="Survey", dedup_key="s")
    assert [p.ping_id for p in plan(survey, pings=pings)] == [1]


@pytest.mark.parametrize("kind", [NoticeKind.SOURCE_FAILING, NoticeKind.TARGET_PAUSED])
def test_pings_never_get_system_notices(kind):
    notice = Notice(kind=kind, category=Category.STATUS, title="x", dedup_key="x", community_id=1)
    assert plan(notice, pings=[ping(1), ping(2, community_id=None)]) == []


def test_a_community_ping_gets_its_communitys_posted_notices():
    pings = [ping(1, community_id=1), ping(2, community_id=2), ping(3, community_id=None)]
    assert [p.ping_id for p in plan(posted(community_id=1), pings=pings)] == [1]


def test_a_ping_from_a_private_chat_only_gets_built_in_sources():
    private = [ping(1, community_id=None)]
    notice = deprecation(source_id=7)
    assert plan(notice, pings=private, users={1, 2}, builtin=False) == []
    assert plan(notice, pings=private, users={1, 2}, builtin=True) == [
        PlannedDelivery(TELEGRAM, NOW.timestamp(), ping_id=1)]
    # A notice from no source at all (the aggregate) reaches a private ping too.
    assert [p.ping_id for p in plan(deprecation(source_id=None), pings=private)] == [1]


def test_a_community_ping_follows_its_communitys_sources():
    pings = [ping(1, community_id=1), ping(2, community_id=2)]
    assert [p.ping_id for p in plan(deprecation(source_id=7), pings=pings, users={2}, builtin=False)] == [2]


def test_subscriptions_and_pings_together():
    planned = plan(deprecation(), [sub(1), sub(2, digest=60)], [ping(5)])
    assert [(p.subscription_id, p.ping_id, p.digest) for p in planned] == [(1, None, False), (2, None, True),
                                                                           (None, 5, False)]


def test_a_notice_is_worth_sending_for_three_days_and_a_reminder_until_its_day():
    now = datetime(2026, 12, 10, 12, tzinfo=UTC)
    fresh = Notice(kind=NoticeKind.NEWS, category=Category.NEWS, title="t", dedup_key="k",
                   created_at="2026-12-08T12:00:00+00:00")
    assert worth_sending(fresh, now)
    assert not worth_sending(replace(fresh, created_at="2026-12-07T11:59:00+00:00"), now)
    reminder = replace(fresh, kind=NoticeKind.REMINDER, category=Category.REMINDER, due_date=date(2026, 12, 9))
    assert not worth_sending(reminder, now)
    assert worth_sending(replace(reminder, due_date=date(2026, 12, 10)), now)
