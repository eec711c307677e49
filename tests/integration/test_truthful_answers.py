"""Answers that tell the truth (issue 8, section 5): an address Continuity will never fetch is refused when it is
added, a typo gets "did you mean", a page its reader finds nothing on says so, `/deprecations` says when
sources could not be read and shows earliest possible ends apart, `/sources list` says when a source was and
will be checked, deadlines are read as people write dates, and a refusal changes nothing. Driven through the
command table and the one error-to-reply path, on a real database; pages come from the loopback feed server."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from bot.app import build_services
from bot.commands import answer, run_text
from bot.domain import DeprecationRow, ModelStatus, PlatformName, ShutdownQualifier, SourceState
from bot.errors import InvalidInput
from bot.i18n import translate, use_locale
from bot.presentation import Actor, Message, Target
from bot.services import Services
from bot.store import Store
from bot.watch.commands import WatchCommands, parse_survey_report
from bot.watch.fetch import Fetcher, default_user_agent
from tests.conftest import make_settings
from tests.fakes.feed_server import FeedServer
from tests.integration.test_fetch import FakeDNS

TODAY = date(2026, 8, 20)


async def person(services: Services, locale: str, *, moderator: bool = True) -> Actor:
    community = await services.people.community(PlatformName.TELEGRAM, "-1001", "Keep 4o")
    return Actor(PlatformName.TELEGRAM, "42", "Ada", locale, community, moderator,
                 Target(PlatformName.TELEGRAM, "-1001"))


async def said(services: Services, actor: Actor, text: str) -> Message:
    """What a front door answers to `text` (typed with its slash), in the person's language."""
    with use_locale(actor.locale):
        reply = await answer(lambda: run_text(services, actor, text.removeprefix("/")), what=text)
    assert isinstance(reply, Message)
    return reply


async def snapshot(store: Store) -> dict[str, list[tuple]]:
    """Every row of every table: what a refusal must leave as it was."""
    tables = [r[0] for r in await store.db.fetch_all(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    return {t: [tuple(r) for r in await store.db.fetch_all(f"SELECT * FROM {t}")] for t in tables}


@pytest.fixture
async def server() -> AsyncIterator[FeedServer]:
    fake = FeedServer()
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def loopback(tmp_path) -> AsyncIterator[Services]:
    """Services allowed to fetch the feed server on loopback (the operator's setting)."""
    settings = make_settings(tmp_path, watch_allow_private_addresses=True)
    store = await Store.open(settings.database_path)
    yield build_services(settings, store)
    await store.close()


# --- /sources add: addresses never fetched, typos, pages the reader finds nothing on ------------------------

@pytest.mark.parametrize(("url", "reason"), [
    ("http://10.0.0.5/feed", "a private network address (10.0.0.5)"),
    ("http://169.254.1.1/", "a link-local address (169.254.1.1)"),
    ("http://[::1]/", "a loopback address (::1)"),
    ("http://127.0.0.1:9/feed.xml", "a loopback address (127.0.0.1)"),
])
async def test_an_address_never_fetched_is_refused_at_once_and_nothing_is_stored(services, url, reason):
    moderator = await person(services, "en")
    before = await snapshot(services.store)
    reply = await said(services, moderator, f"/sources add {url}")
    assert reply.body == f"{url} was not added: The address resolves to {reason}, which Continuity does not fetch."
    assert "keep trying" not in reply.body
    assert await snapshot(services.store) == before


async def test_the_refusal_is_in_the_persons_language(services):
    japanese = await person(services, "ja")
    before = await snapshot(services.store)
    reply = await said(services, japanese, "/sources add http://10.0.0.5/feed")
    assert reply.body.startswith("http://10.0.0.5/feed は追加しませんでした：")
    assert "10.0.0.5" in reply.body and "resolves" not in reply.body and "was not added" not in reply.body
    assert await snapshot(services.store) == before


async def test_a_name_that_resolves_inside_the_network_is_refused_through_the_fetchers_resolver(tmp_path):
    settings = make_settings(tmp_path)
    store = await Store.open(settings.database_path)
    dns = FakeDNS({"feeds.example.test": ["192.168.1.20"]})
    services = build_services(settings, store, Fetcher(user_agent=default_user_agent(), resolver=dns))
    try:
        moderator = await person(services, "es")
        before = await snapshot(store)
        reply = await said(services, moderator, "/sources add http://feeds.example.test/feed.xml")
        assert reply.body == "http://feeds.example.test/feed.xml no se añadió: " + translate(
            "es", "The address resolves to a private network address ({address}), which Continuity does not fetch.",
            address="192.168.1.20")
        assert await snapshot(store) == before

        # A name not found now may be found later: it is added, and the first check says what happened.
        added = await said(services, moderator, "/sources add http://nowhere.example.test/feed.xml")
        assert added.title.startswith("Fuente añadida") and "nowhere.example.test" in added.body
    finally:
        await services.fetcher.close()
        await store.close()


@pytest.mark.parametrize(("locale", "typed", "expected"), [
    ("en", "/sources add https://feeds.example.test/x deprecations",
     "“deprecations” is not a category or a kind of page. Did you mean deprecation?"),
    ("en", "/sources add https://mirror.example.test/deprecations.md opnai",
     "“opnai” is not a category or a kind of page. Did you mean openai?"),
    ("es", "/sources add https://mirror.example.test/p antropic",
     "«antropic» no es una categoría ni un tipo de página. ¿Querías decir anthropic?"),
])
async def test_a_misspelled_category_or_page_family_gets_did_you_mean(services, locale, typed, expected):
    moderator = await person(services, locale)
    before = await snapshot(services.store)
    assert (await said(services, moderator, typed)).body == expected
    assert await snapshot(services.store) == before


TABLE_PAGE = """<html><body><h1>Model lifecycle</h1><table>
<tr><th>Model</th><th>Status</th><th>Retirement date</th></tr>
<tr><td>acme-large-1</td><td>Deprecated</td><td>2027-03-01</td></tr>
<tr><td>acme-small-1</td><td>Deprecated</td><td>2026-12-01</td></tr></table></body></html>"""


async def test_a_page_the_named_reader_finds_nothing_on_says_so_and_suggests_one(loopback, server):
    server.serve("/lifecycle", TABLE_PAGE, content_type="text/html")
    url = server.url("/lifecycle")
    added = await said(loopback, await person(loopback, "en"), f"/sources add {url} bedrock")
    [source] = [s for s in await loopback.store.sources.list_sources() if s.url == url]
    assert added.body == (f"{url}\nThe bedrock reader found no models on this page. Is it the right kind of page? "
                          f"Try generic.\nTo read it as another kind: /sources remove {source.id}, then "
                          f"/sources add {url} generic.")
    assert "Found 0" not in added.body

    # Changed a little, so the check reads it again instead of answering "nothing changed".
    server.serve("/lifecycle", TABLE_PAGE + "\n<!-- edited -->", content_type="text/html")
    checked = await said(loopback, await person(loopback, "ja"), f"/sources check {source.id}")
    assert "bedrock の読み取り方ではこのページにモデルが見つかりませんでした" in checked.body

    # Following the advice reads the page.
    await said(loopback, await person(loopback, "en"), f"/sources remove {source.id}")
    again = await said(loopback, await person(loopback, "en"), f"/sources add {url} generic")
    assert again.body.endswith("Found 2 models.")


async def test_a_page_no_reader_finds_anything_on_says_so(loopback, server):
    server.serve("/about", "<html><body><h1>About us</h1><p>We make models.</p></body></html>",
                 content_type="text/html")
    added = await said(loopback, await person(loopback, "en"), f"/sources add {server.url('/about')} generic")
    assert "No reader found a model on this page" in added.body


# --- /deprecations: failing sources, earliest possible ends, long lists -------------------------------------

def _row(model: str, shutdown: date, qualifier: ShutdownQualifier = ShutdownQualifier.FIRM,
         status: ModelStatus = ModelStatus.DEPRECATED) -> DeprecationRow:
    return DeprecationRow("openai", "api", model, status, shutdown=shutdown, shutdown_qualifier=qualifier)


@pytest.fixture
async def watch_commands(services) -> WatchCommands:
    return WatchCommands(services.store, services.watch, services.watch_commands._pseudonyms,
                         clock=lambda: datetime(2026, 8, 20, 12, tzinfo=UTC))


async def _fail(services: Services, count: int, *, since: str | None = "2026-08-18T09:30:00+00:00") -> None:
    """Mark the first `count` built-in sources failing, as three failed polls in a row leave them."""
    await services.watch.sync_catalog()
    for source in (await services.store.sources.list_sources())[:count]:
        await services.store.sources.save_state(replace(source, state=SourceState.FAILING, failures=3,
                                                        last_success_at=since))


async def _builtin(services: Services) -> int:
    """A built-in source to state rows with (every community reads the catalogue's word)."""
    await services.watch.sync_catalog()
    return (await services.store.sources.list_sources())[-1].id


async def test_deprecations_says_how_many_sources_could_not_be_read(services, watch_commands):
    await services.store.deprecations.upsert_rows([_row("gpt-4o-2024-05-13", date(2026, 10, 23))],
                                                  source_id=await _builtin(services))
    await _fail(services, 2)
    total = len(await services.store.sources.list_sources())
    member = await person(services, "en", moderator=False)
    message = await watch_commands.deprecations(member)
    assert f"2 of {total} sources could not be read since Aug 18, 2026 9:30 AM UTC; the list may be incomplete." \
        in message.body
    with use_locale("es"):
        spanish = await watch_commands.deprecations(replace(member, locale="es"))
    assert f"2 de {total} fuentes no se pudieron leer desde el 18 ago 2026 9:30 UTC" in spanish.body


async def test_nothing_found_while_sources_fail_is_never_a_bare_nothing_known(services, watch_commands):
    await _fail(services, 1, since=None)
    member = await person(services, "en", moderator=False)
    for query in ("", "llama"):
        message = await watch_commands.deprecations(member, query)
        assert "No upcoming retirements are known" not in message.body
        assert message.body.startswith("No upcoming retirements were found in the sources that could be read.")
        assert "1 of " in message.body and "could not be read; the list may be incomplete." in message.body


async def test_no_failing_line_when_every_source_is_read(services, watch_commands):
    await services.watch.sync_catalog()
    message = await watch_commands.deprecations(await person(services, "en", moderator=False))
    assert message.body == "No upcoming retirements are known."


async def test_earliest_possible_ends_are_a_section_of_their_own(services, watch_commands):
    earliest = ShutdownQualifier.EARLIEST
    await services.store.deprecations.upsert_rows([
        _row("gpt-4o-2024-05-13", date(2026, 10, 23)),
        _row("gpt-5", date(2027, 1, 10), earliest, ModelStatus.ACTIVE),
        _row("gpt-5-mini", date(2026, 11, 1), earliest, ModelStatus.ACTIVE)], source_id=await _builtin(services))
    message = await watch_commands.deprecations(await person(services, "en", moderator=False))
    assert [f.name for f in message.fields] == ["gpt-4o-2024-05-13 · OpenAI API",
                                                "Earliest possible retirement (not sooner than)"]
    assert message.fields[1].value.split("\n") == [
        "gpt-5-mini · OpenAI API: not before 2026-11-01 (in 73 days)",
        "gpt-5 · OpenAI API: not before 2027-01-10 (in 143 days)"]

    only = await watch_commands.deprecations(await person(services, "en", moderator=False), "gpt-5")
    assert only.body == "No firm retirement date is known; only the earliest dates below."


async def test_more_than_fifteen_results_show_fifteen_and_say_how_to_narrow(services, watch_commands):
    await services.store.deprecations.upsert_rows(
        [_row(f"gpt-old-{n:02}", date(2026, 9, n + 1)) for n in range(20)], source_id=await _builtin(services))
    message = await watch_commands.deprecations(await person(services, "en", moderator=False))
    assert len(message.fields) == 15
    assert message.footer == "…and 5 more. Narrow it down with /deprecations list followed by a model or vendor."


# --- /sources list: when a source was checked and will be ---------------------------------------------------

async def test_sources_list_says_when_each_source_was_and_will_be_checked(services):
    await services.watch.sync_catalog()
    first, second, third = (await services.store.sources.list_sources())[:3]
    await services.store.sources.save_state(replace(first, last_checked_at="2026-08-20T10:00:00+00:00",
                                                    next_check_at="2026-08-20T11:05:00+00:00"))
    await services.store.sources.save_state(replace(second, state=SourceState.DISABLED,
                                                    last_checked_at="2026-08-19T08:00:00+00:00"))
    lines = {f.name.split()[0]: f.value.split("\n")[1]
             for f in (await said(services, await person(services, "en"), "/sources list")).fields}
    assert lines[f"#{first.id}"] == "Last checked Aug 20, 2026 10:00 AM UTC · next check Aug 20, 2026 11:05 AM UTC"
    assert lines[f"#{second.id}"] == "Last checked Aug 19, 2026 8:00 AM UTC · no further checks"
    assert lines[f"#{third.id}"] == "Not checked yet · next check soon"
    japanese = {f.name.split()[0]: f.value.split("\n")[1]
                for f in (await said(services, await person(services, "ja"), "/sources list")).fields}
    assert japanese[f"#{first.id}"] == "最終確認：2026年8月20日 10:00 UTC · 次の確認：2026年8月20日 11:05 UTC"


# --- /survey report: deadlines as people write them ---------------------------------------------------------

async def _report(services: Services, commands: WatchCommands, locale: str, typed: str) -> Message:
    """The one-line form as Telegram and the console read it, in the person's language, on TODAY."""
    actor = await person(services, locale, moderator=False)
    with use_locale(locale):
        try:
            reply = await commands.report_survey(actor, **parse_survey_report(typed))
        except InvalidInput as refused:
            return Message(body=refused.text())
    assert isinstance(reply, Message)
    return reply


@pytest.mark.parametrize(("locale", "typed", "deadline", "note", "said_back"), [
    ("es", "https://s.example/a 31/12/2026 Por favor", date(2026, 12, 31), "Por favor", "Fecha límite: 31 dic 2026."),
    ("es", "https://s.example/b 31 de diciembre Responded", date(2026, 12, 31), "Responded",
     "Fecha límite: 31 dic 2026."),
    ("es", "https://s.example/c 3 de enero", date(2027, 1, 3), "", "Fecha límite: 3 ene 2027."),
    ("es", "https://s.example/d 03/04/2027", date(2027, 4, 3), "", "Fecha límite: 3 abr 2027."),
    ("ja", "https://s.example/e 12月31日 回答してください", date(2026, 12, 31), "回答してください",
     "締め切り：2026年12月31日。"),
    ("zh_Hans", "https://s.example/f 12月31日", date(2026, 12, 31), "", "截止日期：2026年12月31日。"),
    ("ja", "https://s.example/g 2026年9月1日", date(2026, 9, 1), "", "締め切り：2026年9月1日。"),
    ("en", "https://s.example/h 12/31/2026 answer by Friday", date(2026, 12, 31), "answer by Friday",
     "Deadline: Dec 31, 2026."),
    ("en", "https://s.example/i December 31 please", date(2026, 12, 31), "please", "Deadline: Dec 31, 2026."),
    ("en", "https://s.example/j Please answer 3 questions", None, "Please answer 3 questions", None),
])
async def test_a_deadline_is_read_as_people_write_dates_in_their_language(services, watch_commands, locale, typed,
                                                                           deadline, note, said_back):
    reply = await _report(services, watch_commands, locale, typed)
    [report] = await services.store.surveys.list_reports((await person(services, locale)).community.id)
    assert (report.deadline, report.note) == (deadline, note)
    if said_back:
        assert reply.body.endswith(said_back), "the reply says how the deadline was read"
    else:
        assert "Deadline" not in reply.body


@pytest.mark.parametrize(("locale", "typed", "refusal"), [
    ("en", "https://s.example/a 2026-02-30 please answer",
     "“2026-02-30” is not a day of the calendar. Write it like 2026-12-31 or December 31, 2026."),
    ("es", "https://s.example/a 31/02/2027",
     "«31/02/2027» no es un día del calendario. Escríbela como 2026-12-31 o 31 de diciembre de 2026."),
    ("en", "https://s.example/a 03/04/2027",
     "“03/04/2027” could be April 3, 2027 or March 4, 2027. Write it like 2026-12-31 or December 31, 2026."),
    ("ja", "https://s.example/a 2026-13-45 よろしく",
     "「2026-13-45」という日はカレンダーにありません。2026-12-31 や 2026年12月31日 のように書いてください。"),
    ("en", "https://s.example/a 2026/12 soon",
     "“2026/12” is not a date. Write it like 2026-12-31 or December 31, 2026."),
])
async def test_an_impossible_or_ambiguous_deadline_is_refused_never_taken_as_the_note(services, watch_commands,
                                                                                       locale, typed, refusal):
    await person(services, locale)
    before = await snapshot(services.store)
    assert (await _report(services, watch_commands, locale, typed)).body == refusal
    assert await snapshot(services.store) == before


async def test_the_form_checks_a_deadline_by_the_same_rule(services):
    from bot.checks import check_date

    with use_locale("es"):
        check_date("31 de diciembre")
        with pytest.raises(InvalidInput) as refused:
            check_date("2026-02-30")
        assert refused.value.text().startswith("«2026-02-30» no es un día del calendario.")


# --- /alerts subscribe: near misses answered with what was meant ---------------------------------------------

async def test_a_weekly_digest_is_answered_with_the_digests_there_are(services):
    moderator, spanish = await person(services, "en"), await person(services, "es")
    before = await snapshot(services.store)
    reply = await said(services, moderator, "/alerts subscribe deprecation weekly")
    assert reply.body == ("There is no weekly digest. Choose hourly or daily, or leave it out to get each notice at "
                          "once.")
    assert (await said(services, spanish, "/alerts ping on 4o weekly")).body.startswith(
        "No existe un resumen weekly.")
    assert await snapshot(services.store) == before


async def test_a_comma_separated_list_is_split_not_stored_as_one_pattern(services):
    reply = await said(services, await person(services, "en"), "/alerts subscribe survey,news openai,anthropic 4o")
    assert "survey, news · vendors: openai, anthropic · models: 4o" in reply.body
    [row] = await services.store.db.fetch_all("SELECT categories, vendors, models FROM subscriptions")
    assert [json.loads(value) for value in row] == [["survey", "news"], ["openai", "anthropic"], ["4o"]]


async def test_a_near_miss_in_discords_models_option_is_refused_too(services):
    moderator = replace(await person(services, "en"), platform=PlatformName.DISCORD)
    with pytest.raises(InvalidInput, match="Did you mean anthropic"):
        await services.alert_commands.subscribe(moderator, models="antropic")
    assert await services.store.db.fetch_all("SELECT * FROM subscriptions") == []
