"""The Discord front door, through the real discord.py against the fake Discord."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from icalendar import Calendar

from bot.app import build_services
from bot.domain import PlatformName
from bot.platforms.discord import DiscordFrontDoor
from bot.presentation import Message, Target
from bot.store import Store
from tests.conftest import make_settings
from tests.e2e.upcoming import state_as_builtin, upcoming_rows
from tests.fakes.discord_api import FakeDiscord
from tests.fakes.discord_payloads import command_interaction, option

GUILD, CHANNEL = 2000, 3000


@pytest.fixture
async def fake(monkeypatch) -> AsyncIterator[FakeDiscord]:
    server = FakeDiscord()
    server.add_guild(GUILD, "Keep 4o", channels=[CHANNEL])
    await server.start()
    server.patch(monkeypatch)  # restores discord.py's addresses after the test
    yield server
    await server.stop()
    assert server.crashes == []


async def _start(tmp_path, fake: FakeDiscord, **overrides) -> AsyncIterator[DiscordFrontDoor]:
    settings = make_settings(tmp_path, discord_token=fake.token, discord_api_base=fake.api_base,
                             discord_gateway_url=fake.gateway_url, **overrides)
    store = await Store.open(settings.database_path)
    door = DiscordFrontDoor(build_services(settings, store), guild_ready_timeout=0.05)
    await door.start()
    task = asyncio.create_task(door.run())
    await fake.wait_ready()
    await asyncio.wait_for(door.bot.wait_until_ready(), 5)
    yield door
    assert not task.done(), "the gateway loop ended early"
    await door.stop()
    await task
    await store.close()


@pytest.fixture
async def door(tmp_path, fake) -> AsyncIterator[DiscordFrontDoor]:
    async for started in _start(tmp_path, fake):
        yield started


async def _embed(fake: FakeDiscord, payload: dict) -> dict:
    callback = await fake.interact(payload)
    assert callback["type"] == 4
    assert callback["data"]["flags"] == 64, "answers to one person are ephemeral"
    assert callback["data"]["allowed_mentions"]["parse"] == []
    return callback["data"]["embeds"][0]


async def test_help_is_answered_with_the_help_embed(door, fake):
    embed = await _embed(fake, command_interaction("help", guild_id=GUILD, channel_id=CHANNEL))
    assert embed["title"] == "Continuity: help"
    names = [field["name"] for field in embed["fields"]]
    assert names[:4] == ["/help", "/about", "/privacy", "/language [en\\|es\\|ja\\|zh\\_Hans\\|auto]"]
    deprecations = next(f["value"] for f in embed["fields"] if f["name"].startswith("/deprecations:"))
    assert "/deprecations list [model or vendor]" in deprecations and "/deprecations calendar" in deprecations
    assert embed["fields"][0]["value"] == "Show what Continuity can do and how to use it."


async def test_help_works_in_a_direct_message(door, fake):
    embed = await _embed(fake, command_interaction("help", guild_id=None))
    assert embed["title"] == "Continuity: help"


async def test_the_bot_asks_only_for_the_guilds_intent(door, fake):
    assert fake.identify is not None and fake.identify["intents"] == 1


async def test_commands_are_synced_with_translated_names_and_descriptions(door, fake):
    commands = {command["name"]: command for command in fake.commands}
    assert set(commands) == {"help", "about", "privacy", "language", "deprecations", "sources", "survey", "alerts",
                             "notice", "testify", "mytestimonies", "edit", "withdraw", "mydata", "review", "campaign",
                             "statement"}
    assert [o["name"] for o in commands["sources"]["options"]] == ["list", "add", "remove", "check"]
    assert [o["name"] for o in commands["alerts"]["options"]] == [
        "ping", "subscribe", "unsubscribe", "list", "test", "resume"]
    assert commands["help"]["name_localizations"]["ja"] == "ヘルプ"
    assert commands["help"]["description_localizations"]["es-ES"] == \
        "Muestra lo que Continuity puede hacer y cómo usarlo."
    assert commands["privacy"]["description_localizations"]["zh-CN"] == "Continuity 存储了你的哪些信息，以及如何删除。"
    language = commands["language"]["options"][0]
    assert language["name"] == "language" and language["name_localizations"]["es-419"] == "idioma"


async def test_a_dev_guild_gets_the_commands_at_once(tmp_path, fake):
    async for _door in _start(tmp_path, fake, discord_dev_guild=GUILD):
        assert {c["name"] for c in fake.guild_commands[GUILD]} >= {"help", "about", "privacy", "language"}


async def test_replies_follow_the_client_language_and_the_persons_choice(door, fake):
    assert (await _embed(fake, command_interaction("privacy", locale="ja")))["title"] == "プライバシー"
    chosen = await _embed(fake, command_interaction("language", options=[option("language", "es")]))
    assert chosen["description"] == "Hecho: te responderé en Español."
    assert (await _embed(fake, command_interaction("privacy", locale="ja")))["title"] == "Privacidad"


async def test_joining_a_guild_records_the_community(door, fake):
    await fake.join_guild(2001, "Claude fans", channels=[3001])
    for _ in range(50):
        if await door.bot.services.store.communities.get_community(PlatformName.DISCORD, "2001"):
            break
        await asyncio.sleep(0.02)
    community = await door.bot.services.store.communities.get_community(PlatformName.DISCORD, "2001")
    assert community is not None and community.name == "Claude fans"


async def test_sending_to_a_channel_renders_an_embed_that_cannot_mention(door, fake):
    hostile = "@everyone look <@&1> **now**"
    message_id = await door.send(Target(PlatformName.DISCORD, str(CHANNEL)), Message(title="T", body=hostile))
    stored = fake.messages[CHANNEL][-1]
    assert stored["id"] == message_id
    assert stored["embeds"][0]["description"] == "@everyone look <@&1> \\*\\*now\\*\\*"
    assert stored["mention_everyone"] is False and stored["mention_roles"] == []
    assert fake.allowed_mentions[message_id]["parse"] == []


async def test_deprecations_4o_lists_matching_retirements(door, fake):
    await state_as_builtin(door.bot.services.store, upcoming_rows())
    embed = await _embed(fake, command_interaction("deprecations", subcommand="list", options=[option("query", "4o")]))
    assert embed["title"] == "Upcoming retirements"
    names = [field["name"].replace("\\", "") for field in embed["fields"]]
    assert names == ["gpt-4o-2024-05-13 · OpenAI API", "chatgpt-4o-latest · ChatGPT"]


async def test_deprecations_calendar_arrives_as_a_file(door, fake):
    await state_as_builtin(door.bot.services.store, upcoming_rows())
    callback = await fake.interact(command_interaction("deprecations", subcommand="calendar", locale="ja"))
    assert callback["type"] == 4 and callback["data"]["flags"] == 64
    assert callback["data"]["embeds"][0]["title"] == "Continuity：提供終了の予定"
    request = next(r for r in fake.requests if r.path.endswith("/callback") and r.files)
    (file,) = request.files
    assert (file.field, file.filename) == ("files[0]", "continuity-retirements.ics")
    summaries = sorted(str(e["SUMMARY"]) for e in Calendar.from_ical(file.data).walk("VEVENT"))
    assert summaries == ["提供終了：chatgpt-4o-latest（ChatGPT）", "提供終了：claude-3-haiku-20240307（Anthropic API）",
                         "提供終了：gpt-4o-2024-05-13（OpenAI API）"]
