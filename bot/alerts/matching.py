"""Which subscriptions and people want a notice, and when their delivery is due. Pure: data and a clock in,
decisions out, so every rule here is tested without a database or a platform."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import UTC, datetime, timedelta

from bot.domain import AlertFilter, Category, Notice, NoticeKind, Ping, Subscription
from bot.store.outbox import PlannedDelivery
from bot.watch import models

# Continuity telling moderators that something is wrong: for subscriptions that take `status` news.
_SYSTEM = {NoticeKind.SOURCE_FAILING, NoticeKind.TARGET_PAUSED}
# What a person's ping brings: the things that happen to models, not news or status chatter.
PING_CATEGORIES = (Category.DEPRECATION, Category.REMINDER, Category.SURVEY)
PINGS_PER_HOUR = 5          # beyond this a person's direct messages are bundled into an hourly digest
DAILY_DIGEST_HOUR = 9       # UTC: when a person's daily digest goes out
DIGEST_BATCH = 20           # notices in one digest message at most; more make another message
STALE_AFTER = timedelta(days=3)  # a notice that could not be delivered for this long is news no more


def passes(flt: AlertFilter, notice: Notice) -> bool:
    """A filter's verdict. A vendor filter holds back only notices that name another vendor; a model filter
    lets through only notices naming a matching model, except the moderators' own posts that name none.
    Those posts ignore the category filter: the moderators chose to say it to everyone."""
    if notice.kind in _SYSTEM:
        return not flt.categories or Category.STATUS in flt.categories
    posted = notice.kind == NoticeKind.POSTED
    if flt.categories and not posted and notice.category not in flt.categories:
        return False
    if flt.vendors and notice.vendor and notice.vendor not in flt.vendors:
        return False
    named = set(notice.models) | ({notice.model} if notice.model else set())
    if flt.models and (named or not posted):
        return any(models.matches(pattern, name) for pattern in flt.models for name in named)
    return True


def in_scope(community_id: int | None, notice: Notice, users_of_source: Collection[int] | None) -> bool:
    """A notice reaches a community if it was meant for it, or came from a source the community uses.
    `community_id` None is a person pinged from a private chat: they follow the built-in sources."""
    if notice.community_id is not None and notice.community_id != community_id:
        return False
    if notice.source_id is None or users_of_source is None:
        return True
    return community_id is None or community_id in users_of_source


def digest_due(now: datetime, minutes: int) -> datetime:
    """The end of the digest window `now` falls in: every notice of one window shares a due time."""
    start = datetime(now.year, now.month, now.day, tzinfo=UTC)
    window = timedelta(minutes=minutes)
    return start + window * ((now - start) // window + 1)


def daily_due(now: datetime) -> datetime:
    today = datetime(now.year, now.month, now.day, DAILY_DIGEST_HOUR, tzinfo=UTC)
    return today if now < today else today + timedelta(days=1)


def plan_deliveries(notice: Notice, subscriptions: list[Subscription], pings: list[Ping], now: datetime, *,
                    users_of_source: Collection[int] | None, builtin_source: bool,
                    pings_sent_last_hour: Mapping[int, int]) -> list[PlannedDelivery]:
    """One delivery per subscription and person that wants the notice, due now or at its digest time."""
    planned = []
    for sub in subscriptions:
        if sub.paused_reason or not in_scope(sub.community_id, notice, users_of_source) \
                or not passes(sub.filter, notice):
            continue
        due = digest_due(now, sub.digest_minutes) if sub.digest_minutes else now
        planned.append(PlannedDelivery(sub.platform, due.timestamp(), subscription_id=sub.id,
                                       digest=bool(sub.digest_minutes)))
    for ping in pings:
        if ping.paused_reason or notice.kind in _SYSTEM:
            continue
        if ping.community_id is None and notice.source_id is not None and not builtin_source:
            continue
        flt = AlertFilter(categories=PING_CATEGORIES, models=ping.filter.models)
        if not in_scope(ping.community_id, notice, users_of_source) or not passes(flt, notice):
            continue
        if ping.daily:
            planned.append(PlannedDelivery(ping.platform, daily_due(now).timestamp(), ping_id=ping.id, digest=True))
        elif pings_sent_last_hour.get(ping.id, 0) >= PINGS_PER_HOUR:
            planned.append(PlannedDelivery(ping.platform, digest_due(now, 60).timestamp(), ping_id=ping.id,
                                           digest=True))
        else:
            planned.append(PlannedDelivery(ping.platform, now.timestamp(), ping_id=ping.id))
    return planned


def worth_sending(notice: Notice, now: datetime) -> bool:
    """Whether a notice still means something: after a long outage (a platform down, a token removed for a
    while) old notices and reminders for a day that has passed are dropped, not posted late in a burst."""
    if notice.kind == NoticeKind.REMINDER and notice.due_date is not None and notice.due_date < now.date():
        return False
    created = datetime.fromisoformat(notice.created_at) if notice.created_at else now
    return now - created <= STALE_AFTER
