"""The calendar file as the core builds it from the store: what is in it for which community, stable UIDs,
revisions, the reader's language, and `/deprecations calendar` on the command table."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from icalendar import Calendar

from bot.commands import resolve, run_text
from bot.domain import (
    Category,
    DeprecationRow,
    ModelStatus,
    Notice,
    NoticeKind,
    PlatformName,
    ShutdownQualifier,
    Source,
    SourceKind,
)
from bot.errors import InvalidInput
from bot.i18n import use_locale
from bot.presentation import Actor
from bot.watch.calendar import calendar_file, uid
from bot.watch.commands import WatchCommands

TODAY = date(2026, 8, 20)
READ = datetime(2026, 8, 1, 9, 30, tzinfo=UTC)
FIRM, EARLIEST = ShutdownQualifier.FIRM, ShutdownQualifier.EARLIEST


def events(data: bytes) -> dict[str, dict]:
    """The file parsed back with icalendar: SUMMARY -> the event's properties."""
    calendar = Calendar.from_ical(data)
    found = {}
    for event in calendar.walk("VEVENT"):
        found[str(event["SUMMARY"])] = {
            "uid": str(event["UID"]), "start": event.decoded("DTSTART"), "end": event.decoded("DTEND"),
            "sequence": int(event["SEQUENCE"]), "stamp": event.decoded("DTSTAMP"),
            "modified": event.decoded("LAST-MODIFIED"), "url": str(event.get("URL") or ""),
            "description": str(event["DESCRIPTION"]), "language": event["SUMMARY"].params.get("LANGUAGE"),
        }
    return found


async def _page(store, key: str, vendor: str) -> Source:
    await store.sources.upsert_builtin(Source(id=0, kind=SourceKind.PAGE, category=Category.DEPRECATION,
                                              url=f"https://{vendor}.example/deprecations", title=vendor,
                                              family=vendor, vendor=vendor, catalog_key=key))
    return next(s for s in await store.sources.list_sources() if s.catalog_key == key)


@pytest.fixture
async def world(store):
    """Two communities and two built-in pages; the first community muted Anthropic's page."""
    first = await store.communities.ensure_community(PlatformName.DISCORD, "1", "Keep 4o")
    second = await store.communities.ensure_community(PlatformName.TELEGRAM, "-2", "Claude fans")
    openai, anthropic = await _page(store, "openai", "openai"), await _page(store, "anthropic", "anthropic")
    await store.sources.link_source(first.id, anthropic.id, "mod", muted=True)
    await store.deprecations.upsert_rows([
        DeprecationRow("openai", "api", "gpt-4o-2024-05-13", ModelStatus.DEPRECATED, shutdown=date(2026, 10, 23),
                       shutdown_qualifier=FIRM, replacements=("gpt-5.6-sol",), url="https://o/#gpt-4o"),
        DeprecationRow("openai", "api", "gpt-4.1", ModelStatus.DEPRECATED, shutdown=date(2027, 1, 5),
                       shutdown_qualifier=EARLIEST),
        DeprecationRow("openai", "api", "o3", ModelStatus.ACTIVE, shutdown=date(2027, 3, 1),
                       shutdown_qualifier=EARLIEST),               # not deprecated: /deprecations leaves it out
        DeprecationRow("openai", "api", "gpt-4-0314", ModelStatus.RETIRED, shutdown=date(2026, 3, 26),
                       shutdown_qualifier=FIRM),                   # already past
        DeprecationRow("openai", "chatgpt", "gpt-4.5", ModelStatus.DEPRECATED),  # no date yet
    ], openai.id, now=READ)
    await store.deprecations.upsert_rows([
        DeprecationRow("anthropic", "api", "claude-3-haiku-20240307", ModelStatus.DEPRECATED,
                       shutdown=date(2026, 12, 1), shutdown_qualifier=FIRM, url="https://a/#haiku"),
    ], anthropic.id, now=READ)
    await store.notices.add_notices([
        Notice(NoticeKind.SURVEY, Category.SURVEY, "Tell us how you use GPT-4o", "survey:1:https://s/1",
               url="https://s/1", due_date=date(2026, 9, 15), community_id=first.id),
        Notice(NoticeKind.POSTED, Category.NEWS, "Send your letters", "posted:2:abc", detail="Write to the vendor.",
               due_date=date(2026, 9, 30), community_id=second.id),
        Notice(NoticeKind.SURVEY, Category.SURVEY, "Claude consultation", "survey:feed:9",
               url="https://s/claude", due_date=date(2026, 10, 1), source_id=anthropic.id),
        Notice(NoticeKind.SURVEY, Category.SURVEY, "Closed survey", "survey:1:https://s/old",
               due_date=date(2026, 8, 1), community_id=first.id),
    ])
    return {"first": first, "second": second, "openai": openai, "anthropic": anthropic}


async def test_a_community_gets_the_dates_and_deadlines_of_what_it_follows(store, world):
    data, count = await calendar_file(store, world["first"].id, TODAY)
    found = events(data)
    assert count == len(found) == 3
    assert sorted(found) == ["Earliest shutdown: gpt-4.1 (OpenAI API)", "Shutdown: gpt-4o-2024-05-13 (OpenAI API)",
                             "Survey closes: Tell us how you use GPT-4o"]
    gpt4o = found["Shutdown: gpt-4o-2024-05-13 (OpenAI API)"]
    assert (gpt4o["start"], gpt4o["end"]) == (date(2026, 10, 23), date(2026, 10, 24)), "an all-day event"
    assert gpt4o["uid"] == uid("retirement", "openai", "api", "gpt-4o-2024-05-13", "")
    assert gpt4o["stamp"] == gpt4o["modified"] == READ
    assert gpt4o["url"] == "https://o/#gpt-4o"
    assert gpt4o["description"].splitlines() == [
        "gpt-4o-2024-05-13 on OpenAI API shuts down on 2026-10-23.", "Replacement: gpt-5.6-sol",
        "Dates are the vendors' own; check the linked page before acting.", "https://o/#gpt-4o"]
    assert "at the earliest" in found["Earliest shutdown: gpt-4.1 (OpenAI API)"]["description"]
    survey = found["Survey closes: Tell us how you use GPT-4o"]
    assert survey["start"] == date(2026, 9, 15) and survey["uid"] == uid("deadline", "survey:1:https://s/1")


async def test_a_muted_source_stays_out_of_one_community_only(store, world):
    first = events((await calendar_file(store, world["first"].id, TODAY))[0])
    second = events((await calendar_file(store, world["second"].id, TODAY))[0])
    assert not any("claude" in summary.lower() for summary in first)
    assert "Shutdown: claude-3-haiku-20240307 (Anthropic API)" in second
    assert "Survey closes: Claude consultation" in second, "a feed's survey reaches who follows the feed"
    assert "Deadline: Send your letters" in second and "Deadline: Send your letters" not in first
    assert "Survey closes: Tell us how you use GPT-4o" not in second, "one community's survey stays its own"
    assert second["Deadline: Send your letters"]["description"].splitlines() == [
        "Write to the vendor.", "Posted by this community's moderators."]


async def test_a_private_chat_follows_the_builtin_sources(store, world):
    found = events((await calendar_file(store, None, TODAY))[0])
    assert "Shutdown: claude-3-haiku-20240307 (Anthropic API)" in found
    assert "Survey closes: Claude consultation" in found
    assert not any(summary.startswith(("Deadline", "Survey closes: Tell")) for summary in found)


async def test_a_moved_date_keeps_the_uid_and_raises_the_sequence(store, world):
    before = events((await calendar_file(store, world["first"].id, TODAY))[0])
    moved = datetime(2026, 8, 19, 6, 0, tzinfo=UTC)
    await store.deprecations.upsert_rows([
        DeprecationRow("openai", "api", "gpt-4o-2024-05-13", ModelStatus.DEPRECATED, shutdown=date(2026, 11, 30),
                       shutdown_qualifier=FIRM, url="https://o/#gpt-4o")], world["openai"].id, now=moved)
    after = events((await calendar_file(store, world["first"].id, TODAY))[0])
    old, new = before["Shutdown: gpt-4o-2024-05-13 (OpenAI API)"], after["Shutdown: gpt-4o-2024-05-13 (OpenAI API)"]
    assert new["uid"] == old["uid"]
    assert new["start"] == date(2026, 11, 30)
    assert new["sequence"] > old["sequence"]
    assert new["stamp"] == new["modified"] == moved
    assert len(after) == len(before)


async def test_summaries_are_in_the_readers_language(store, world):
    with use_locale("ja"):
        data, _count = await calendar_file(store, world["first"].id, TODAY)
    found = events(data)
    assert "提供終了：gpt-4o-2024-05-13（OpenAI API）" in found
    assert found["提供終了：gpt-4o-2024-05-13（OpenAI API）"]["language"] == "ja"
    assert "アンケート締め切り：Tell us how you use GPT-4o" in found
    assert str(Calendar.from_ical(data)["X-WR-CALNAME"]) == "Continuity：提供終了の予定"


async def test_an_empty_calendar_is_still_a_calendar(store):
    data, count = await calendar_file(store, None, TODAY)
    assert count == 0 and Calendar.from_ical(data).walk("VEVENT") == []


async def test_deprecations_calendar_answers_with_the_file(services, world):
    commands = WatchCommands(services.store, services.watch, services.watch_commands._pseudonyms,
                             clock=lambda: datetime(2026, 8, 20, 12, tzinfo=UTC))
    actor = Actor(PlatformName.DISCORD, "42", "name", "en", world["second"], False)
    message = await commands.calendar(actor)
    assert message.body.startswith("5 events: the upcoming shutdown dates")
    (attachment,) = message.attachments
    assert (attachment.filename, attachment.media_type) == ("continuity-retirements.ics", "text/calendar")
    assert len(events(attachment.data)) == 5


def test_deprecations_words_still_find_the_list_and_now_the_calendar():
    assert resolve("deprecations calendar")[0].path == "deprecations calendar"
    assert resolve("deprecations 4o") == (resolve("deprecations list")[0], "4o")
    assert resolve("deprecations list 4o")[1] == "4o"
    assert resolve("deprecations")[0].path == "deprecations list"


async def test_the_calendar_refuses_words_after_it(services):
    actor = Actor(PlatformName.CONSOLE, "1", "name", "en")
    with pytest.raises(InvalidInput):
        await run_text(services, actor, "deprecations calendar please")
