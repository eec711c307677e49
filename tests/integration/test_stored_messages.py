"""Errors shown later are kept as messages, not English sentences: a source's last error is worded in
whoever reads `/sources list`'s language, and the store's "not found"/"already exists" come back as
replies in the person's language. Driven through the command table and the one error-to-reply path, on a
real database, fetching from the loopback feed server."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator

import pytest

from bot.app import build_services
from bot.commands import answer, run_text
from bot.domain import PlatformName
from bot.i18n import use_locale
from bot.presentation import Actor, Message, Target
from bot.services import Services
from bot.store import Store
from tests.conftest import make_settings
from tests.fakes.feed_server import FeedServer

# The English words of the messages involved: none of them may be left in a translated line.
ENGLISH = ("Last error", "The server answered", "there is no page", "any more", "failing", "could not be read",
           "Continuity will keep trying", "There is no", "already")


@pytest.fixture
async def server() -> AsyncIterator[FeedServer]:
    fake = FeedServer()
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def services(tmp_path) -> AsyncIterator[Services]:
    # The feed server is on loopback, which the fetcher refuses unless the operator allows it.
    settings = make_settings(tmp_path, watch_allow_private_addresses=True)
    store = await Store.open(settings.database_path)
    yield build_services(settings, store)
    await store.close()


async def person(services: Services, locale: str, *, moderator: bool = True, user: str = "42") -> Actor:
    community = await services.people.community(PlatformName.TELEGRAM, "-1001", "Keep 4o")
    return Actor(PlatformName.TELEGRAM, user, "Ada", locale, community, moderator,
                 Target(PlatformName.TELEGRAM, "-1001"))


async def said(services: Services, actor: Actor, text: str) -> Message:
    """What a front door answers to `text` (typed with its slash), in the person's language."""
    with use_locale(actor.locale):
        reply = await answer(lambda: run_text(services, actor, text.removeprefix("/")), what=text)
    assert isinstance(reply, Message)
    return reply


def error_line(listing: Message, source_id: int) -> str:
    [value] = [f.value for f in listing.fields if f.name.startswith(f"#{source_id} ")]
    return value


async def failing_source(services: Services, server: FeedServer) -> int:
    server.serve("/feed.xml", "<rss/>")
    server.fail("/feed.xml", 404)
    added = await said(services, await person(services, "en"), f"/sources add {server.url('/feed.xml')}")
    assert "could not be read: The server answered HTTP 404" in added.body, "English for an English reader"
    [source] = [s for s in await services.store.sources.list_sources() if s.url == server.url("/feed.xml")]
    return source.id


async def test_a_failing_sources_line_is_all_japanese_for_a_japanese_reader(services, server):
    source_id = await failing_source(services, server)
    stored = (await services.store.sources.get_source(source_id)).last_error
    assert json.loads(stored)["params"] == {"status": 404}, "kept as a message with its details, not a sentence"

    value = error_line(await said(services, await person(services, "ja", moderator=False), "/sources list"),
                       source_id)
    error = value.split("\n")[-1]
    assert error == "最後のエラー：サーバーの応答は HTTP 404 でした：" \
                    "このアドレスにはページがありません（なくなりました）。"
    assert re.findall(r"[A-Za-z]+", error) == ["HTTP"], "no English word but the protocol's name"
    assert not any(english in value for english in ENGLISH)

    checked = await said(services, await person(services, "ja"), f"/sources check {source_id}")
    assert "サーバーの応答は HTTP 404 でした" in checked.body and "The server answered" not in checked.body


async def test_a_failing_sources_line_is_all_spanish_for_a_spanish_reader(services, server):
    source_id = await failing_source(services, server)
    server.fail("/feed.xml", 503)
    await said(services, await person(services, "en"), f"/sources check {source_id}")

    value = error_line(await said(services, await person(services, "es", moderator=False), "/sources list"),
                       source_id)
    assert value.endswith("\nÚltimo error: El servidor respondió HTTP 503: por ahora no está disponible.")
    assert not any(english in value for english in (*ENGLISH, "unavailable", "for now"))


async def test_a_source_stored_before_keeps_its_english_error(services, server):
    """Rows written before errors were kept as messages hold a sentence: it is shown as it is."""
    source_id = await failing_source(services, server)
    await services.store.db.execute("UPDATE sources SET last_error = ? WHERE id = ?",
                                    ("The server answered 404 Not Found.", source_id))
    value = error_line(await said(services, await person(services, "es"), "/sources list"), source_id)
    assert value.endswith("\nÚltimo error: The server answered 404 Not Found.")


# --- the store's domain errors, worded by the commands ------------------------------------------------------


async def test_adding_a_source_twice_is_refused_in_the_persons_language(services, server):
    source_id = await failing_source(services, server)
    before = await services.store.db.fetch_all("SELECT * FROM community_sources")
    again = await said(services, await person(services, "es"), f"/sources add {server.url('/feed.xml')}")
    assert again.body == (f"La fuente #{source_id} ya vigila esta dirección aquí. /sources check {source_id} la "
                          "comprueba ahora.")
    assert [tuple(r) for r in await services.store.db.fetch_all("SELECT * FROM community_sources")] == \
        [tuple(r) for r in before], "nothing changed"


async def test_a_muted_builtin_source_can_be_added_back(services):
    await services.watch.sync_catalog()
    builtin = (await services.store.sources.list_sources())[0]
    moderator = await person(services, "en")
    await said(services, moderator, f"/sources remove {builtin.id}")
    assert (await services.store.sources.community_sources(moderator.community.id))[0] == (builtin, True)
    # The built-in's own address is not fetched here: only that adding it is not refused.
    await services.store.db.execute("UPDATE sources SET url = 'http://127.0.0.1:9/gone' WHERE id = ?", (builtin.id,))
    added = await said(services, moderator, "/sources add http://127.0.0.1:9/gone")
    assert added.title == f"Source added: #{builtin.id}"
    [(_source, muted)] = [(s, m) for s, m in await services.store.sources.community_sources(moderator.community.id)
                          if s.id == builtin.id]
    assert muted is False
    refused = await said(services, moderator, "/sources add http://127.0.0.1:9/gone")
    assert refused.body.startswith(f"Source #{builtin.id} already watches this address here.")


async def test_numbers_that_do_not_exist_are_refused_in_the_persons_language(services):
    spanish, japanese = await person(services, "es"), await person(services, "ja")
    assert (await said(services, spanish, "/sources remove 9999")).body == \
        "Aquí no hay ninguna fuente #9999. /sources list muestra los números."
    assert (await said(services, japanese, "/sources check 9999")).body == \
        "ここには情報源 #9999 がありません。/sources list で番号を確認できます。"
    assert (await said(services, spanish, "/survey review 77 approve")).body == \
        "Aquí no hay ningún informe de encuesta #77."
    assert (await said(services, japanese, "/alerts resume 55")).body == \
        "ここにはその登録がありません。/alerts list で番号を確認できます。"
    assert (await said(services, spanish, "/alerts unsubscribe")).body.startswith(
        "Aquí no hay ninguna suscripción.")


async def test_another_communitys_numbers_are_not_found_here(services, server):
    source_id = await failing_source(services, server)
    elsewhere = await services.people.community(PlatformName.TELEGRAM, "-2002", "Elsewhere")
    stranger = Actor(PlatformName.TELEGRAM, "43", "Bo", "es", elsewhere, True, Target(PlatformName.TELEGRAM, "-2002"))
    assert (await said(services, stranger, f"/sources remove {source_id}")).body == \
        f"Aquí no hay ninguna fuente #{source_id}. /sources list muestra los números."
    await said(services, await person(services, "en", moderator=False), "/survey report https://survey.example/s")
    assert (await said(services, stranger, "/survey review 1 approve")).body == \
        "Aquí no hay ningún informe de encuesta #1."


async def test_a_survey_reported_twice_is_refused_in_the_persons_language(services):
    member = await person(services, "ja", moderator=False)
    first = await said(services, member, "/survey report https://survey.example/s")
    assert "#1" in first.body
    assert (await said(services, member, "/survey report https://survey.example/s")).body == \
        "このアンケートはすでにここで報告されています。"
    assert len(await services.store.surveys.list_reports(member.community.id)) == 1
