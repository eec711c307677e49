"""When to remind, decided from dates and today. Pure, and safe to run as often as one likes: each
reminder has a key naming the event, the date and the offset, and the store keeps each key once.

Only the most urgent due reminder is sent: a bot that was offline for a week sends "7 days left", not
"30 days left" followed by "7 days left". A moved date makes new keys, so reminders are replanned."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from bot.domain import Category, Notice, NoticeKind, ShutdownQualifier, StatedRow

DEPRECATION_OFFSETS = (30, 7, 1, 0)
SURVEY_OFFSETS = (3, 1)


@dataclass(frozen=True, slots=True)
class SurveyDeadline:
    """A survey's deadline, or the deadline of a call to action the moderators posted (`posted`)."""

    notice_id: int
    title: str
    deadline: date
    url: str | None
    community_id: int | None
    models: tuple[str, ...] = ()
    posted: bool = False
    source_id: int | None = None  # a survey a feed announced reaches whoever hears that feed


def due_offset(deadline: date, today: date, offsets: Sequence[int]) -> int | None:
    """The most urgent offset whose day has come, or None (too early, or the day has passed)."""
    if today > deadline:
        return None
    due = [offset for offset in offsets if (deadline - today).days <= offset]
    return min(due) if due else None


def deprecation_reminders(rows: Iterable[StatedRow], today: date, offsets: Sequence[int] = DEPRECATION_OFFSETS, *,
                          community_id: int | None = None) -> list[Notice]:
    """Reminders for rows of the current word. Each carries the source of its row (routing gives it to the
    communities that hear that source); with `community_id` it is that community's only, and its key says so,
    so the reminder everyone reads and the one a community reads differently are each sent once."""
    reminders = []
    scope = f"c{community_id}:" if community_id is not None else ""
    for stated in rows:
        row = stated.row
        if row.shutdown is None or row.shutdown_qualifier != ShutdownQualifier.FIRM:
            continue  # "not sooner than" is not a date to count down to
        offset = due_offset(row.shutdown, today, offsets)
        if offset is None:
            continue
        vendor, platform, model, version = row.key
        reminders.append(Notice(
            kind=NoticeKind.REMINDER, category=Category.REMINDER, title=row.model,
            dedup_key=f"reminder:{scope}{vendor}:{platform}:{model}:{version}:{row.shutdown.isoformat()}:{offset}",
            vendor=row.vendor, platform=row.platform, model=row.model, url=row.url, new_value=str(offset),
            due_date=row.shutdown, models=(row.model,), detail=", ".join(row.replacements),
            source_id=stated.source_id, community_id=community_id,
        ))
    return reminders


def survey_reminders(surveys: Iterable[SurveyDeadline], today: date,
                     offsets: Sequence[int] = SURVEY_OFFSETS) -> list[Notice]:
    reminders = []
    for survey in surveys:
        offset = due_offset(survey.deadline, today, offsets)
        if offset is None:
            continue
        what = "posted" if survey.posted else "survey"
        reminders.append(Notice(
            kind=NoticeKind.REMINDER, category=Category.REMINDER if survey.posted else Category.SURVEY,
            title=survey.title, dedup_key=f"reminder:{what}:{survey.notice_id}:{survey.deadline.isoformat()}:{offset}",
            url=survey.url, new_value=str(offset), due_date=survey.deadline, community_id=survey.community_id,
            models=survey.models, source_id=survey.source_id,
        ))
    return reminders
