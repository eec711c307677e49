"""The calendar: an iCalendar file of the upcoming shutdown dates and open deadlines a community follows.

One all-day event per model and platform (and version), and one per survey or moderators' deadline. An
event's UID is derived from what it is about, never from its date, so a calendar app importing a newer file
moves the event instead of adding a second one; SEQUENCE, DTSTAMP and LAST-MODIFIED come from when Continuity
last wrote the row, so the newer file wins.

What is in it, and what is not, on purpose:
- The rows `/deprecations` lists: firm dates, and a deprecated model's "not before" date, which people plan
  around too; its title says "earliest" so nobody takes it for the day. A model with no date has no day.
- What the community follows: the current word it reads (`DeprecationRepository.upcoming_for`: the
  built-ins it has not muted, then its own sources), and deadlines of its own or from such a source. A
  private chat (or the CLI without `--community`) follows the built-in sources.
- No alarms: Continuity already reminds in the channels (30, 7 and 1 days before and on the day), and an
  alarm in a shared file would decide for every reader when their phone rings.
- Events are transparent: a retirement never makes a person look busy.
- No METHOD: this is a published calendar, not an invitation; with a METHOD, DTSTAMP would have to be the
  moment the file was made and two files of the same data would differ.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar, Event

from bot.domain import DeprecationRow, ModelStatus, Notice, NoticeKind, ShutdownQualifier, StatedRow
from bot.i18n import _, current_locale
from bot.store import Store
from bot.watch.wording import platform_name

FILENAME = "continuity-retirements.ics"
MEDIA_TYPE = "text/calendar"
PRODID = "-//Continuity//Model retirements//EN"
# SEQUENCE is a 32-bit integer in RFC 5545: seconds since 2020 last until 2088 (since 1970, only until 2038).
SEQUENCE_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)


def listed(row: DeprecationRow) -> bool:
    """A row `/deprecations` lists and the calendar holds: a firm date, or a deprecated model's earliest one."""
    return row.shutdown_qualifier == ShutdownQualifier.FIRM or row.status == ModelStatus.DEPRECATED


@dataclass(frozen=True, slots=True)
class Entry:
    """One event, already in the reader's language."""

    uid: str
    day: date
    summary: str
    description: str
    url: str | None
    revised: datetime


def uid(*key: str) -> str:
    """Stable for the same thing, whatever its date: a moved date updates the event."""
    digest = hashlib.sha1("|".join(key).encode(), usedforsecurity=False).hexdigest()
    return f"{digest}@continuity"


def sequence(revised: datetime) -> int:
    return max(0, int((revised - SEQUENCE_EPOCH).total_seconds()))


def _stamp(text: str | None) -> datetime:
    stamp = datetime.fromisoformat(text) if text else SEQUENCE_EPOCH
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)


def row_entry(revised: StatedRow) -> Entry:
    row = revised.row
    assert row.shutdown is not None
    model = f"{row.model} {row.version}" if row.version else row.model
    where = platform_name(row.vendor, row.platform)
    day = row.shutdown.isoformat()
    if row.shutdown_qualifier == ShutdownQualifier.FIRM:
        summary = _("Shutdown: {model} ({platform})", model=model, platform=where)
        lines = [_("{model} on {platform} shuts down on {date}.", model=model, platform=where, date=day)]
    else:
        summary = _("Earliest shutdown: {model} ({platform})", model=model, platform=where)
        lines = [_("{model} on {platform} shuts down on {date} at the earliest; the vendor has not set a firm "
                   "date yet.", model=model, platform=where, date=day)]
    if row.replacements:
        lines.append(_("Replacement: {models}", models=", ".join(row.replacements)))
    lines.append(_("Dates are the vendors' own; check the linked page before acting."))
    if row.url:
        lines.append(row.url)
    return Entry(uid("retirement", *row.key), row.shutdown, summary, "\n".join(lines), row.url,
                 _stamp(revised.updated_at))


def deadline_entry(notice: Notice) -> Entry:
    assert notice.due_date is not None
    lines = [notice.detail] if notice.detail and notice.detail != notice.title else []
    if notice.kind == NoticeKind.POSTED:
        summary = _("Deadline: {title}", title=notice.title)
        lines.append(_("Posted by this community's moderators."))
    else:
        summary = _("Survey closes: {title}", title=notice.title)
    if notice.url:
        lines.append(notice.url)
    return Entry(uid("deadline", notice.dedup_key), notice.due_date, summary, "\n".join(lines), notice.url,
                 _stamp(notice.created_at))


def render(entries: Iterable[Entry]) -> bytes:
    """The .ics file. Pure and possibly large: run it off the event loop (`calendar_file` does)."""
    language = current_locale().replace("_", "-")
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    name = _("Continuity: upcoming retirements")
    calendar.add("name", name)          # RFC 7986
    calendar.add("x-wr-calname", name)  # what most calendar apps read
    for entry in entries:
        event = Event()
        event.add("uid", entry.uid)
        event.add("dtstamp", entry.revised)
        event.add("last-modified", entry.revised)
        event.add("sequence", sequence(entry.revised))
        event.add("dtstart", entry.day)  # a date: an all-day event
        event.add("dtend", entry.day + timedelta(days=1))
        event.add("summary", entry.summary, parameters={"LANGUAGE": language})
        event.add("description", entry.description, parameters={"LANGUAGE": language})
        if entry.url:
            event.add("url", entry.url)
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()


async def followed_sources(store: Store, community_id: int | None) -> set[int]:
    """The sources whose word reaches this community: built-ins it has not muted and its own."""
    if community_id is None:
        return {source.id for source in await store.sources.list_sources() if source.builtin}
    return {source.id for source, muted in await store.sources.community_sources(community_id) if not muted}


async def entries_for(store: Store, community_id: int | None, today: date) -> list[Entry]:
    """The events of one community's calendar (in the current locale), soonest first."""
    followed = await followed_sources(store, community_id)
    rows = [r for r in await store.deprecations.upcoming_for(community_id, today) if listed(r.row)]
    # A deadline is a community's own (a survey its moderators approved, a notice they posted) or, from a
    # feed, for every community that follows the feed.
    deadlines = [n for n in await store.notices.open_deadlines(today) if n.due_date and (
        n.community_id == community_id if n.community_id is not None else n.source_id in followed)]
    entries = [row_entry(r) for r in rows] + [deadline_entry(n) for n in deadlines]
    return sorted(entries, key=lambda e: (e.day, e.summary))


async def calendar_file(store: Store, community_id: int | None, today: date) -> tuple[bytes, int]:
    """The .ics bytes and how many events they hold, in the current locale."""
    entries = await entries_for(store, community_id, today)
    # Rendering hundreds of events takes a while; the loop keeps serving meanwhile (the locale goes along:
    # to_thread copies the context).
    return await asyncio.to_thread(render, entries), len(entries)
