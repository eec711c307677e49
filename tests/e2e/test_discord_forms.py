"""Forms on Discord, end to end: the real discord.py against the fake Discord, with a restart between two
pages. A modal is what Discord accepted from the bot; a submit is what a person's client would send."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from typing import Any

import pytest

from bot.app import build_services
from bot.domain import Community, FormProgress, PlatformName, SurveyReport, SurveyStatus
from bot.platforms.discord import DiscordFrontDoor
from bot.presentation import Actor
from bot.store import Store
from tests.conftest import make_settings
from tests.fakes.discord_api import FakeDiscord
from tests.fakes.discord_payloads import command_interaction, component_interaction, modal_submit_for

GUILD, CHANNEL, MEMBER = 2000, 3000, 4000
MANAGE_GUILD = 1 << 5
PERSON: dict[str, Any] = {"guild_id": GUILD, "channel_id": CHANNEL, "user_id": MEMBER, "permissions": MANAGE_GUILD}
PAGE_ONE = {"url": "https://example.org/survey", "Who runs it": "research", "audience": ["app", "anyone"],
            "deadline": "2099-12-31", "note": "Closes soon"}


@pytest.fixture
async def fake(monkeypatch) -> AsyncIterator[FakeDiscord]:
    server = FakeDiscord()
    server.add_guild(GUILD, "Keep 4o", channels=[CHANNEL])
    await server.start()
    server.patch(monkeypatch)
    yield server
    await server.stop()
    assert server.crashes == []


@asynccontextmanager
async def running(tmp_path, fake: FakeDiscord) -> AsyncIterator[DiscordFrontDoor]:
    """One life of the bot: a new store and a new client on the same database file and the same fake."""
    settings = make_settings(tmp_path, discord_token=fake.token, discord_api_base=fake.api_base,
                             discord_gateway_url=fake.gateway_url)
    store = await Store.open(settings.database_path)
    door = DiscordFrontDoor(build_services(settings, store), guild_ready_timeout=0.05)
    await door.start()
    task = asyncio.create_task(door.run())
    try:
        await fake.wait_ready()
        await asyncio.wait_for(door.bot.wait_until_ready(), 5)
        yield door
        assert not task.done(), "the gateway loop ended early"
    finally:
        await door.stop()
        await task
        await store.close()


async def _community(door: DiscordFrontDoor) -> Community:
    community = await door.bot.services.store.communities.get_community(PlatformName.DISCORD, str(GUILD))
    assert community is not None
    return community


async def _reports(door: DiscordFrontDoor) -> list[SurveyReport]:
    return await door.bot.services.store.surveys.list_reports((await _community(door)).id, SurveyStatus.PENDING)


async def _open_form(door: DiscordFrontDoor) -> FormProgress | None:
    """The person's form in progress, as the database holds it."""
    return await door.bot.services.forms.current(Actor(PlatformName.DISCORD, str(MEMBER), "member", "en"))


def _inputs(modal: dict[str, Any]) -> list[tuple[str, int]]:
    assert all(top["type"] == 18 for top in modal["components"]), "every question is a Label"
    return [(top["label"], top["component"]["type"]) for top in modal["components"]]


def _ephemeral(callback: dict[str, Any]) -> dict[str, Any]:
    assert callback["type"] == 4 and callback["data"]["flags"] == 64
    return callback["data"]


def _button(data: dict[str, Any]) -> dict[str, Any]:
    [row] = data["components"]
    [button] = row["components"]
    return button


async def _press(fake: FakeDiscord, callback_of: dict[str, Any], button: dict[str, Any]) -> dict[str, Any]:
    """Press `button` on the ephemeral message that answered the interaction `callback_of`."""
    message = fake.response_message(callback_of["id"])
    assert message is not None
    return await fake.interact(component_interaction(button["custom_id"], message=message, **PERSON))


async def _page_one(fake: FakeDiscord) -> tuple[dict[str, Any], dict[str, Any]]:
    """Open /survey report and send its first page; the submit and the bot's answer to it."""
    opened = await fake.interact(command_interaction("survey", subcommand="report", **PERSON))
    assert opened["type"] == 9, "the modal is the first response"
    submit = modal_submit_for(fake.modals[-1], PAGE_ONE, **PERSON)
    return submit, await fake.interact(submit)


async def test_a_two_page_form_goes_on_after_a_restart_and_is_stored(tmp_path, fake):
    async with running(tmp_path, fake) as door:
        opened = await fake.interact(command_interaction("survey", subcommand="report", **PERSON))
        assert opened["type"] == 9
        modal = opened["data"]
        assert fake.modals == [modal]
        assert modal["title"] == "Report a survey (1/2)"
        assert _inputs(modal) == [("Survey address", 4), ("Who runs it", 21), ("Who can take part", 22),
                                  ("Closes on (like 2026-12-31)", 4), ("A note for the moderators", 4)]
        submit = modal_submit_for(modal, PAGE_ONE, **PERSON)
        answered = _ephemeral(await fake.interact(submit))
        assert answered["embeds"][0]["description"] == "Thank you. There is more to answer:"
        button = _button(answered)
        assert button["label"] == "Continue (2/2)" and button["custom_id"].endswith(":1:open")
        progress = await _open_form(door)
        assert progress is not None and progress.step == 5
        assert await _reports(door) == []

    async with running(tmp_path, fake) as door:  # a new client: nothing of the first one's memory is left
        reopened = await _press(fake, submit, button)
        assert reopened["type"] == 9, "a button may open a modal"
        second = reopened["data"]
        assert second["title"] == "Report a survey (2/2)"
        assert _inputs(second) == [("The link is public", 23)]
        assert second["components"][0]["description"].startswith("A personal invitation link can identify you.")
        final = modal_submit_for(second, {"The link is public": True}, **PERSON)
        done = _ephemeral(await fake.interact(final))
        assert done["embeds"][0]["description"] == ("Thank you! Survey report #1 waits for a moderator's review. "
                                                   "Deadline: Dec 31, 2099.")
        [report] = await _reports(door)
        assert (report.url, report.organiser, report.audience) == ("https://example.org/survey", "research",
                                                                   ("app", "anyone"))
        assert (report.deadline, report.note) == (date(2099, 12, 31), "Closes soon")
        assert await _open_form(door) is None, "a finished form is gone"


async def test_a_refused_answer_is_said_and_nothing_is_kept(tmp_path, fake):
    async with running(tmp_path, fake) as door:
        await fake.interact(command_interaction("survey", subcommand="report", **PERSON))
        submit = modal_submit_for(fake.modals[-1], {**PAGE_ONE, "url": "not a link"}, **PERSON)
        refused = _ephemeral(await fake.interact(submit))
        assert refused["embeds"][0]["description"] == \
            "“not a link” is not a web address. Give one that starts with https://."
        progress = await _open_form(door)
        assert progress is not None and (progress.step, progress.answers) == (0, {}), "nothing was kept"
        assert await _reports(door) == []
        again = await _press(fake, submit, _button(refused))
        assert again["type"] == 9 and again["data"]["title"] == "Report a survey (1/2)"
        answered = _ephemeral(await fake.interact(modal_submit_for(fake.modals[-1], PAGE_ONE, **PERSON)))
        assert _button(answered)["label"] == "Continue (2/2)"


async def test_a_refused_submit_opens_the_pages_again_with_the_answers_to_change(tmp_path, fake):
    async with running(tmp_path, fake) as door:
        submit, answered = await _page_one(fake)
        second = await _press(fake, submit, _button(_ephemeral(answered)))
        unticked = modal_submit_for(second["data"], {}, **PERSON)  # the checkbox left as it was: no
        refused = _ephemeral(await fake.interact(unticked))
        assert refused["embeds"][0]["description"].startswith("Please report only a link that anyone can open")
        assert _button(refused)["label"] == "Try again"
        assert await _reports(door) == []

        again = await _press(fake, unticked, _button(refused))
        assert again["type"] == 9 and again["data"]["title"] == "Report a survey (1/2)", \
            "the form opens again from its first page, where the address can be changed"
        defaults = {top["component"]["custom_id"]: top["component"] for top in again["data"]["components"]}
        assert defaults["url"]["value"] == "https://example.org/survey"
        assert [o["value"] for o in defaults["organiser"]["options"] if o["default"]] == ["research"]
        assert [o["value"] for o in defaults["audience"]["options"] if o["default"]] == ["app", "anyone"]
        changed = modal_submit_for(again["data"], {"url": "https://example.org/public"}, **PERSON)
        more = _ephemeral(await fake.interact(changed))
        last = await _press(fake, changed, _button(more))
        assert last["data"]["title"] == "Report a survey (2/2)"
        done = _ephemeral(await fake.interact(modal_submit_for(last["data"], {"public": True}, **PERSON)))
        assert done["embeds"][0]["description"].startswith("Thank you! Survey report #1")
        [report] = await _reports(door)
        assert (report.url, report.organiser, report.note) == ("https://example.org/public", "research",
                                                               "Closes soon")


@pytest.mark.parametrize("locale", ["en-US", "es-ES", "ja", "zh-CN"])
async def test_every_pilot_form_opens_a_modal_discord_accepts_in_every_language(tmp_path, fake, locale):
    async with running(tmp_path, fake):
        for command in ("survey", "notice"):
            subcommand = "report" if command == "survey" else "post"
            opened = await fake.interact(command_interaction(command, subcommand=subcommand, locale=locale,
                                                             **PERSON))
            assert opened["type"] == 9
            assert fake.modals and fake.modals[-1] == opened["data"], "the fake accepted it (400 otherwise)"
        titles = [modal["title"] for modal in fake.modals]
        assert (titles == ["Report a survey (1/2)", "Post a notice"]) == (locale == "en-US"), "asked in the language"
