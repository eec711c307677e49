"""/deprecations, /sources and /survey as the core answers them: rules, permissions and clear refusals
that change nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.commands import run_text
from bot.domain import DeprecationRow, ModelStatus, NoticeKind, PlatformName, ShutdownQualifier, SurveyStatus
from bot.errors import InvalidInput, NotAllowed
from bot.presentation import Actor
from bot.watch.commands import WatchCommands, parse_survey_report
from tests.e2e.upcoming import state_as_builtin

TODAY = date(2026, 8, 20)


def rows() -> list[DeprecationRow]:
    firm = ShutdownQualifier.FIRM
    return [
        DeprecationRow("openai", "api", "gpt-4o-2024-05-13", ModelStatus.DEPRECATED, shutdown=date(2026, 10, 23),
                       shutdown_qualifier=firm, replacements=("gpt-5.6-sol",), url="https://o/#x"),
        DeprecationRow("openai", "chatgpt", "chatgpt-4o-latest", ModelStatus.DEPRECATED,
                       shutdown=date(2026, 9, 1), shutdown_qualifier=firm),
        DeprecationRow("anthropic", "api", "claude-3-haiku-20240307", ModelStatus.DEPRECATED,
                       shutdown=date(2026, 12, 1), shutdown_qualifier=firm),
        DeprecationRow("anthropic", "api", "claude-opus-4-6", ModelStatus.ACTIVE, shutdown=date(2027, 2, 5),
                       shutdown_qualifier=ShutdownQualifier.EARLIEST),
        DeprecationRow("openai", "api", "gpt-4-0314", ModelStatus.RETIRED, shutdown=date(2026, 3, 26),
                       shutdown_qualifier=firm),
    ]


@pytest.fixture
async def commands(services) -> WatchCommands:
    await state_as_builtin(services.store, rows())
    return WatchCommands(services.store, services.watch, services.watch_commands._pseudonyms,
                         clock=lambda: datetime(2026, 8, 20, tzinfo=UTC))


async def _actor(services, *, moderator: bool, user: str = "42", community: bool = True) -> Actor:
    place = await services.store.communities.ensure_community(PlatformName.DISCORD, "2000", "Keep 4o") \
        if community else None
    return Actor(PlatformName.DISCORD, user, "name", "en", place, moderator)


async def test_deprecations_lists_upcoming_soonest_first(services, commands):
    message = await commands.deprecations(await _actor(services, moderator=False))
    assert [f.name for f in message.fields] == [
        "chatgpt-4o-latest · ChatGPT", "gpt-4o-2024-05-13 · OpenAI API", "claude-3-haiku-20240307 · Anthropic API",
        "Earliest possible retirement (not sooner than)"]
    assert message.fields[1].value == "2026-10-23 (in 64 days) · replacement: gpt-5.6-sol · https://o/#x"
    assert message.fields[3].value == "claude-opus-4-6 · Anthropic API: not before 2027-02-05 (in 169 days)", \
        "an active model's earliest possible end, apart from the firm dates"


@pytest.mark.parametrize(("query", "expected"), [
    ("4o", ["chatgpt-4o-latest", "gpt-4o-2024-05-13"]),
    ("anthropic", ["claude-3-haiku-20240307", "claude-opus-4-6"]),
    ("Anthropic", ["claude-3-haiku-20240307", "claude-opus-4-6"]),
    ("claude-3-*", ["claude-3-haiku-20240307"]),
])
async def test_deprecations_matches_models_loosely_and_vendors(services, commands, query, expected):
    message = await commands.deprecations(await _actor(services, moderator=False), query)
    assert [f.name.split(" · ")[0] for f in message.fields if " · " in f.name] + \
        [line.split(" · ")[0] for f in message.fields if " · " not in f.name for line in f.value.split("\n")] \
        == expected


async def test_deprecations_says_so_when_nothing_matches(services, commands):
    message = await commands.deprecations(await _actor(services, moderator=False), "llama")
    assert message.fields == () and "llama" in message.body


async def test_members_see_sources_but_only_moderators_change_them(services, commands):
    await services.watch.sync_catalog()
    member = await _actor(services, moderator=False)
    listed = await commands.list_sources(member)
    assert any("OpenAI API deprecations" in f.name for f in listed.fields)
    for attempt in (commands.add_source(member, "https://example.com/feed.xml"),
                    commands.remove_source(member, "1"), commands.check_source(member, "1")):
        with pytest.raises(NotAllowed):
            await attempt
    assert len((await commands.list_sources(member)).fields) == len(listed.fields), "nothing changed"


@pytest.mark.parametrize(("url", "category"), [
    ("not a url", ""), ("ftp://example.com/feed", ""), ("javascript:alert(1)", ""),
    ("https://example.com/feed.xml", "gossip"),
])
async def test_bad_source_input_is_refused_and_changes_nothing(services, commands, url, category):
    moderator = await _actor(services, moderator=True)
    before = await services.store.sources.list_sources()
    with pytest.raises(InvalidInput):
        await commands.add_source(moderator, url, category)
    assert await services.store.sources.list_sources() == before


async def test_removing_a_builtin_mutes_it_for_this_community_only(services, commands):
    await services.watch.sync_catalog()
    moderator = await _actor(services, moderator=True)
    builtin = (await services.store.sources.list_sources())[0]
    await commands.remove_source(moderator, str(builtin.id))
    listing = {f.name: f.value for f in (await commands.list_sources(moderator)).fields}
    assert "muted" in listing[f"#{builtin.id} {builtin.title}"]
    assert await services.store.sources.get_source(builtin.id) is not None
    with pytest.raises(InvalidInput, match="no source"):
        await commands.remove_source(moderator, "9999")


async def test_private_chats_cannot_manage_sources(services, commands):
    with pytest.raises(InvalidInput):
        await commands.list_sources(await _actor(services, moderator=True, community=False))


async def test_a_survey_report_waits_for_review_then_becomes_a_notice(services, commands):
    member = await _actor(services, moderator=False, user="7")
    reply = await commands.report_survey(member, "https://survey.example/s", "2026-09-30", "Please answer")
    assert "#1" in reply.body
    with pytest.raises(InvalidInput, match="already"):
        await commands.report_survey(member, "https://survey.example/s")
    with pytest.raises(NotAllowed):
        await commands.review_surveys(member)

    moderator = await _actor(services, moderator=True, user="8")
    waiting = await commands.review_surveys(moderator)
    assert [f.name for f in waiting.fields] == ["#1 https://survey.example/s"]
    await commands.review_surveys(moderator, "1", "approve")
    [notice] = await services.store.notices.list_notices(kind=NoticeKind.SURVEY)
    assert (notice.url, notice.due_date, notice.community_id) == \
        ("https://survey.example/s", date(2026, 9, 30), member.community.id)
    assert (await services.store.surveys.get_report(1)).status == SurveyStatus.APPROVED
    with pytest.raises(InvalidInput, match="already reviewed"):
        await commands.review_surveys(moderator, "1", "reject")


@pytest.mark.parametrize(("deadline", "reason"), [("someday", "not a date"), ("2020-01-01", "already passed")])
async def test_bad_survey_deadlines_are_refused(services, commands, deadline, reason):
    with pytest.raises(InvalidInput) as caught:
        await commands.report_survey(await _actor(services, moderator=False), "https://s.example", deadline)
    assert reason in caught.value.message
    assert await services.store.surveys.list_reports(1) == []


async def test_typed_commands_are_parsed_once_for_console_and_telegram(services, commands):
    member = await _actor(services, moderator=False)
    typed = parse_survey_report("https://s.example/x 2026-09-30 answer by Friday")
    reply = await commands.report_survey(member, **typed)
    assert "#1" in reply.body
    [report] = await services.store.surveys.list_reports(member.community.id)
    assert (report.deadline, report.note) == (date(2026, 9, 30), "answer by Friday")
    with pytest.raises(InvalidInput, match="Use:"):
        await run_text(services, member, "sources frobnicate")
