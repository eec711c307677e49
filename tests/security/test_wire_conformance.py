"""The fakes and the bot's requests against the published API specs (`../shared/specs`, see tests/fakes/specs.py).

Every test that uses a fake is checked already: the fakes check each exchange and `stop()` raises on any
violation. These tests run a representative day of the bot through both real libraries and show that nothing
broke the specs and that the checks reached the routes that matter; then that the checks can fail, with a
message that names the route or method and the field, for a wrong answer and for a wrong request.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import discord
import pytest
import telegram

from bot.app import build_services
from bot.domain import PlatformName
from bot.platforms.telegram import TelegramFrontDoor
from bot.presentation import Message, Target
from bot.store import Store
from tests.conftest import make_settings
from tests.e2e.test_discord_forms import running
from tests.e2e.upcoming import state_as_builtin, upcoming_rows
from tests.fakes import specs
from tests.fakes.discord_api import FakeDiscord
from tests.fakes.discord_payloads import command_interaction, user_object
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.telegram_payloads import command_message, text_message
from tests.fakes.telegram_payloads import user_object as telegram_user

GUILD, CHANNEL, MEMBER = 2000, 3000, 4000
GROUP, PERSON = -1001234, 5000


@pytest.fixture
def published_specs() -> None:
    """Like the `corpus` fixture: without the specs the checks are off, and these tests say why."""
    if (reason := specs.missing_reason()) is not None:
        pytest.skip(reason)


def test_without_the_specs_the_reason_names_the_folder_and_the_setting(monkeypatch, tmp_path: Path):
    monkeypatch.setenv(specs.SPECS_ENV, str(tmp_path))
    reason = specs.missing_reason()
    assert reason is not None and str(tmp_path) in reason and specs.SPECS_ENV in reason


# ------------------------------------------------------------------------------------------------ a day's work


@pytest.fixture
async def fake_discord(published_specs, monkeypatch) -> AsyncIterator[FakeDiscord]:
    server = FakeDiscord()
    server.add_guild(GUILD, "Keep 4o", channels=[CHANNEL])
    server.add_member(GUILD, MEMBER)
    await server.start()
    server.patch(monkeypatch)
    yield server
    await server.stop()  # raises SpecViolation if anything broke the spec
    assert server.crashes == []


@pytest.fixture
async def fake_telegram(published_specs) -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as server:
        yield server


def _operations(fake: FakeDiscord) -> set[str]:
    spec = specs.discord_spec()
    assert spec is not None
    return {op.name for r in fake.requests if (op := spec.operation(r.method, r.path)) is not None}


async def test_a_day_on_discord_keeps_to_the_spec(tmp_path, fake_discord):
    fake = fake_discord
    async with running(tmp_path, fake) as door:
        await state_as_builtin(door.bot.services.store, upcoming_rows())
        for payload in (command_interaction("help", guild_id=GUILD, channel_id=CHANNEL, user_id=MEMBER),
                        command_interaction("privacy", guild_id=None, user_id=MEMBER, locale="ja"),
                        command_interaction("deprecations", subcommand="calendar", user_id=MEMBER)):
            callback = await fake.interact(payload)
            assert callback["type"] == 4
        await door.send(Target(PlatformName.DISCORD, str(CHANNEL)), Message(title="Notice", body="4o retires"))
        assert fake.messages[CHANNEL], "the notice was posted"
        assert fake.spec_violations == []
        assert _operations(fake) >= {
            "GET /users/@me", "GET /oauth2/applications/@me", "PUT /applications/{application_id}/commands",
            "POST /interactions/{interaction_id}/{interaction_token}/callback",
            "POST /channels/{channel_id}/messages",
        }
        assert any(r.files for r in fake.requests), "a multipart upload was checked too"


async def test_a_day_on_telegram_keeps_to_the_spec(tmp_path, fake_telegram):
    fake = fake_telegram
    settings = make_settings(tmp_path, telegram_token=fake.token, telegram_api_base=fake.base_url)
    store = await Store.open(settings.database_path)
    door = TelegramFrontDoor(build_services(settings, store))
    await door.start()
    polling = asyncio.create_task(door.run())
    try:
        await state_as_builtin(store, upcoming_rows())
        fake.set_chat_member(GROUP, 77, "administrator")
        for update, chat in ((command_message("start", chat_id=PERSON, user_id=PERSON), PERSON),
                             (command_message("help", chat_id=GROUP, chat_type="supergroup", user_id=77,
                                              chat_title="Keep 4o", bot_username=fake.bot_username), GROUP)):
            after = len(fake.calls)
            fake.push_update(update)
            await fake.wait_for_call("sendMessage", lambda c, chat=chat: int(c.params["chat_id"]) == chat,
                                     after=after)
        after = len(fake.calls)
        fake.push_update(command_message("deprecations", "calendar", chat_id=PERSON, user_id=PERSON))
        await fake.wait_for_call("sendDocument", after=after)
        await door.send(Target(PlatformName.TELEGRAM, str(GROUP)), Message(title="Notice", body="4o retires"))
        assert fake.spec_violations == []
        methods = {call.method for call in fake.calls if call.status == 200}
        assert methods >= {"getMe", "deleteWebhook", "getUpdates", "setMyCommands", "sendMessage",
                           "getChatMember", "sendDocument"}
    finally:
        await door.stop()
        await polling
        await store.close()


# ------------------------------------------------------------------------------------------------ the checks fail


async def test_a_wrong_discord_answer_and_a_wrong_request_are_caught(fake_discord):
    fake = fake_discord
    fake.add_user(MEMBER)["flags"] = "0"  # the fake now answers this user in a shape Discord never gives
    client = discord.Client(intents=discord.Intents.none())
    await client.login(fake.token)
    try:
        await client.fetch_user(MEMBER)
        # Four stickers: the fake lets the message through, Discord takes at most three.
        await client.get_partial_messageable(CHANNEL).send("hi", stickers=[discord.Object(i) for i in range(1, 5)])
    finally:
        await client.close()
    assert "GET /users/{user_id} answer 200 body flags: '0' is not of type 'integer'" in fake.spec_violations
    assert any(v.startswith("POST /channels/{channel_id}/messages request body sticker_ids: ")
               and v.endswith("is too long") for v in fake.spec_violations), fake.spec_violations
    with pytest.raises(specs.SpecViolation, match=r"GET /users/\{user_id\} answer 200 body flags"):
        await fake.stop()
    fake.spec_violations.clear()  # shown; the fixture's own stop() must pass


async def test_a_wrong_telegram_answer_and_a_wrong_request_are_caught(fake_telegram):
    fake = fake_telegram
    fake.bot_user["is_bot"] = "yes"  # getMe now answers in a shape Telegram never gives
    fake.push_update({**text_message("hi"), "mood": "sunny"})  # and so does an update
    bot = telegram.Bot(fake.token, base_url=fake.base_url)
    async with bot:
        await bot.get_updates(timeout=0)
        # An unknown parameter and a Boolean that is none: the fake takes both, Telegram does not.
        await bot.send_message(PERSON, "hi", api_kwargs={"colour": "red", "protect_content": "maybe"})
    assert "getMe answer 200 result.is_bot: 'yes' is not Boolean" in fake.spec_violations
    assert "getUpdates answer 200 result[0].mood: not a field of Update" in fake.spec_violations
    assert "sendMessage request colour: not a parameter of this method" in fake.spec_violations
    assert "sendMessage request protect_content: 'maybe' is not Boolean" in fake.spec_violations
    with pytest.raises(specs.SpecViolation, match="sendMessage request colour"):
        await fake.stop()
    fake.spec_violations.clear()


def test_the_checks_see_shapes_the_fakes_never_make(published_specs):
    telegram_spec, discord_spec = specs.telegram_spec(), specs.discord_spec()
    assert telegram_spec is not None and discord_spec is not None
    person = telegram_user(7)
    # A union's members are told apart by the field they always hold: an owner must say if it is anonymous.
    assert telegram_spec.check_answer("getChatMember", 200, {"ok": True, "result": {"status": "member",
                                                                                    "user": person}}) == []
    assert telegram_spec.check_answer("getChatMember", 200, {"ok": True, "result": {"status": "creator",
                                                                                    "user": person}}) == [
        "getChatMember answer 200 result.is_anonymous: required in ChatMemberOwner"]
    # The error envelope: its code is the HTTP status, and `parameters` are ResponseParameters.
    assert telegram_spec.check_answer("sendMessage", 429, {
        "ok": False, "error_code": 400, "description": "Too Many Requests", "parameters": {"retry_after": "5"},
    }) == ["sendMessage answer 429 error_code: 400, but the HTTP status is 429",
           "sendMessage answer 429 parameters.retry_after: '5' is not Integer"]
    assert telegram_spec.check_call("sendMessage", {"text": "hi"}) == ["sendMessage request chat_id: required"]
    # Discord: an integer id is taken in a request (as the docs have it), never given in an answer.
    answer = {"id": 3001, "type": 1, "last_message_id": None, "flags": 0, "recipients": [user_object(MEMBER)]}
    assert discord_spec.check("POST", "/users/@me/channels", {}, {"recipient_id": MEMBER},
                              content_type="application/json", status=200, answer=answer) == [
        "POST /users/@me/channels answer 200 body id: 3001 is not of type 'string'"]
    # Inside a union, the fault is named in the branch the value was meant for (a reply, type 4).
    assert discord_spec.check("POST", "/interactions/1/token/callback", {"with_response": "1"},
                              {"type": 4, "data": {"content": 5}}, content_type="application/json", status=204,
                              answer=None) == [
        "POST /interactions/{interaction_id}/{interaction_token}/callback request body data/content: "
        "5 is not of type 'string', 'null'"]
    assert discord_spec.check("GET", "/nowhere", {}, None, content_type="", status=404, answer=None) == [
        "GET /nowhere: no such operation in Discord's OpenAPI document"]
