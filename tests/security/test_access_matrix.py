"""Who may do what, read from the command table itself, so a new command is covered without editing this file:

- every moderator-only command, on Discord and on Telegram (through the real discord.py and python-telegram-bot
  against the fakes), given by a member with words that would otherwise work, is refused with the table's
  sentence in the member's language and changes nothing in any table; the same words from a moderator are not
  refused, so each row can fail;
- the moderator of one community cannot read, review, count or export another's data, whatever number,
  receipt or campaign of the other they give (the command table's answer path, as Telegram and the console
  call it, plus one row through each real front door);
- a private chat (Telegram) or a direct message (Discord) cannot run a community command, and changes nothing;
- a Discord role named like MODERATOR_ROLE grants nothing in a server where it is not that server's role.

The console has no members: its one person is the moderator of the local community `console` (README), so it
has no row in the member matrix; it is checked to reach no other community's data instead.
"""

from __future__ import annotations

import asyncio
import io
import json
import re
import zipfile
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from discord import app_commands

from bot.app import build_services
from bot.checks import require_community
from bot.commands import COMMANDS, Command, Where, answer, run_text
from bot.domain import Community, PlatformName
from bot.errors import InvalidInput, NotAllowed, Usage
from bot.i18n import translate, use_locale
from bot.platforms.console import ConsoleFrontDoor
from bot.platforms.discord import DiscordFrontDoor
from bot.platforms.telegram import TelegramFrontDoor
from bot.presentation import Actor, Message, Target
from bot.services import Services
from bot.store import Store
from bot.watch.fetch import Fetcher, default_user_agent
from tests.conftest import make_settings
from tests.fakes.discord_api import FakeDiscord
from tests.fakes.discord_payloads import BOOLEAN, INTEGER, STRING, command_interaction, option
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.telegram_payloads import command_message
from tests.integration.test_fetch import FakeDNS
from tests.testimony_form import give_testimony, receipt_in

MODERATOR_COMMANDS = [c for c in COMMANDS if c.moderators]
COMMUNITY_COMMANDS = [c for c in COMMANDS if c.where == Where.COMMUNITY]
NOT_ALLOWED = NotAllowed().message  # the sentence the table's rule raises, as an msgid


def _not_in_private() -> str:
    try:
        require_community(Actor(PlatformName.TELEGRAM, "1", "x", "en"))
    except InvalidInput as refused:
        return refused.message
    raise AssertionError("a private chat was taken for a community")


NOT_IN_PRIVATE = _not_in_private()

# (our locale, what a Discord client sends, what a Telegram client sends): rows take turns, so every refusal is
# checked in every language.
LANGUAGES = (("en", "en-US", "en"), ("es", "es-ES", "es"), ("ja", "ja", "ja"), ("zh_Hans", "zh-CN", "zh"))

GUILD, CHANNEL, OTHER_GUILD, OTHER_CHANNEL, DM_CHANNEL = 2100, 3100, 2200, 3200, 3900
MEMBER, MODERATOR = 641000000000000001, 641000000000000009
GROUP, OTHER_GROUP, TG_MEMBER, TG_MODERATOR = -1002100, -1002200, 5101, 5102
MANAGE_GUILD = 1 << 5
MODERATOR_ROLE, ALPHA_ROLE, BETA_ROLE = "Moderators", 2150, 2250


def path(command: Command) -> str:
    return command.path.replace(" ", "-")


def served(commands: list[Command], platform: PlatformName) -> list[Command]:
    """The commands a front door serves (the table says why it does not serve the others)."""
    return [c for c in commands if platform not in c.not_on]


def language(index: int) -> tuple[str, str, str]:
    return LANGUAGES[index % len(LANGUAGES)]


# --- a community with something for every moderator command to act on --------------------------------------

@dataclass(frozen=True)
class World:
    community: Community
    marker: str        # a word only this community's data holds (in its campaign's name and its addresses too)
    words: str         # a word only its people's testimonies hold
    source: int        # a source the community added
    report: int        # a survey report waiting for review
    receipt: str       # a testimony waiting for review
    approved: str      # a testimony approved, for statements
    subscription: int  # the subscription of its channel
    campaign: str


async def said(services: Services, actor: Actor, text: str) -> Message:
    """What the Telegram and console front doors answer to `text`: the table's answer path, in the person's
    language."""
    with use_locale(actor.locale):
        reply = await answer(lambda: run_text(services, actor, text), what=text)
    assert isinstance(reply, Message)
    return reply


def seeder(member_id: str) -> str:
    """The account of the moderator who set a community up (an id of the same size as the member's)."""
    return str(int(member_id) + 1)


async def seed(services: Services, platform: PlatformName, external_id: str, name: str, channel: str,
               member_id: str, marker: str) -> World:
    """A community as its people made it, through the commands themselves: a subscription, a source of its own, a
    survey report, a campaign, a notice, a testimony waiting and one approved."""
    community = await services.people.community(platform, external_id, name)
    where = Target(platform, channel)
    moderator = Actor(platform, seeder(member_id), "Mod", "en", community, True, where)
    member = Actor(platform, member_id, "Member", "en", community, False, where)
    second = Actor(platform, str(int(member_id) + 2), "Other", "en", community, False, where)
    store = services.store
    assert (await said(services, moderator, "alerts subscribe")).title.startswith("Subscribed")
    added = await said(services, moderator, f"sources add https://{marker}.example.test/feed.xml")
    assert added.title.startswith("Source added"), added
    campaign = f"{marker} campaign"
    await said(services, moderator, f"campaign create {campaign}")
    await said(services, moderator, f"notice post {marker} notice | Sign the letter | https://{marker}.example.test/n"
                                    " | 4o")
    reported = await said(services, member, f"survey report https://{marker}.example.test/survey")
    assert "#" in reported.body, reported
    words = f"{marker}said"
    meaning = f"{words}: it kept me company every night of a long winter, and I would miss it."
    receipt = receipt_in(await give_testimony(services, member, meaning=meaning))
    approved = receipt_in(await give_testimony(services, second, meaning=f"{words}: it helps me write to my "
                                                                         "family each week; losing it would hurt."))
    assert "approved" in (await said(services, moderator, f"review {approved} approve")).body
    source = await store.db.fetch_value(
        "SELECT s.id FROM sources s JOIN community_sources c ON c.source_id = s.id WHERE c.community_id = ?",
        (community.id,))
    report = await store.db.fetch_value("SELECT id FROM survey_reports WHERE community_id = ?", (community.id,))
    subscription = await store.db.fetch_value("SELECT id FROM subscriptions WHERE community_id = ?", (community.id,))
    return World(community, marker, words, source, report, receipt, approved, subscription, campaign)


def build(settings_overrides: dict[str, Any], store: Store) -> Services:
    """The real services; the fetcher asks a fake DNS that knows no name, so nothing leaves the machine."""
    settings = make_settings(settings_overrides.pop("tmp_path"), statement_threshold=1, **settings_overrides)
    return build_services(settings, store, Fetcher(user_agent=default_user_agent(), resolver=FakeDNS({}),
                                                   host_interval=0))


# --- what the database holds ------------------------------------------------------------------------------

async def snapshot(store: Store) -> dict[str, list[tuple]]:
    """Every row of every table: what a refusal must leave as it was."""
    tables = [r[0] for r in await store.db.fetch_all(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    return {t: sorted(tuple(r) for r in await store.db.fetch_all(f"SELECT * FROM {t}")) for t in tables}


async def rows_of(store: Store, community_id: int) -> dict[str, list[tuple]]:
    """Every row that belongs to one community, found through the schema's foreign keys (so a new table is
    covered without editing this): the community's row, every row that refers to one of its rows, and the rows
    those refer to (its own sources, through `community_sources`)."""
    db = store.db
    tables = [r[0] for r in await db.fetch_all(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    keys = {t: [(r["table"], r["from"], r["to"] or "id") for r in await db.fetch_all(f"PRAGMA foreign_key_list({t})")]
            for t in tables}
    everything = {t: [dict(r) for r in await db.fetch_all(f"SELECT * FROM {t}")] for t in tables}
    mine: dict[str, set[int]] = {t: set() for t in tables}  # positions in `everything`
    mine["communities"] = {n for n, row in enumerate(everything["communities"]) if row["id"] == community_id}

    def values(table: str, column: str) -> set[object]:
        return {everything[table][n][column] for n in mine[table]}

    grew = True
    while grew:  # rows referring to rows already found, until no more are found
        grew = False
        for table, references in keys.items():
            for parent, column, target in references:
                wanted = values(parent, target)
                found = {n for n, row in enumerate(everything[table]) if row[column] in wanted}
                if not found <= mine[table]:
                    mine[table] |= found
                    grew = True
    for table, references in keys.items():  # and what those rows refer to, one step (a community's own source)
        for parent, column, target in references:
            wanted = values(table, column)
            mine[parent] |= {n for n, row in enumerate(everything[parent]) if row[target] in wanted}
    return {t: sorted(tuple(everything[t][n].values()) for n in found) for t, found in mine.items() if found}


def everything_said(message: Message) -> str:
    """Every word a reply shows or carries, files included (a zip's members read one by one)."""
    parts = [message.title or "", message.body, message.footer or "", message.link or ""]
    parts += [f"{f.name} {f.value}" for f in message.fields]
    for attachment in message.attachments:
        parts.append(readable(attachment.data))
    return "\n".join(parts)


def readable(data: bytes) -> str:
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "\n".join(readable(archive.read(name)) for name in archive.namelist())
    return data.decode("utf-8", "replace")


# --- the typed words and Discord options a moderator would give each command ---------------------------------

@dataclass(frozen=True)
class Example:
    words: Callable[[World], str] = lambda world: ""                    # after the path (Telegram, console)
    options: Callable[[World], dict[str, Any]] = lambda world: {}       # the slash command's parameters


# Words that work for a moderator. A command missing here still gets a row: the first of `GUESSES` its parser
# takes, and for Discord a value of each required parameter's type.
EXAMPLES: dict[str, Example] = {
    "sources add": Example(lambda w: "https://new.example.test/feed.xml",
                           lambda w: {"url": "https://new.example.test/feed.xml"}),
    "sources remove": Example(lambda w: str(w.source), lambda w: {"source": w.source}),
    "sources check": Example(lambda w: str(w.source), lambda w: {"source": w.source}),
    "survey review": Example(lambda w: f"{w.report} approve", lambda w: {"report": w.report, "decision": "approve"}),
    "alerts subscribe": Example(lambda w: "deprecation survey", lambda w: {"categories": "deprecation, survey"}),
    "alerts resume": Example(lambda w: str(w.subscription), lambda w: {"number": w.subscription}),
    "notice post": Example(lambda w: "Keep 4o | Sign the letter | https://example.org/l | 4o",
                           lambda w: {"title": "Keep 4o", "text": "Sign the letter", "link": "https://example.org/l",
                                      "models": "4o"}),
    "review": Example(lambda w: f"{w.receipt} approve", lambda w: {"receipt": w.receipt, "decision": "approve"}),
    "campaign create": Example(lambda w: "Save Opus | Keep Claude 3 Opus", lambda w: {"name": "Save Opus"}),
    "statement preview": Example(lambda w: "md letter", lambda w: {"format": "md", "template": "letter"}),
    "statement export": Example(lambda w: "json", lambda w: {"format": "json"}),
}
GUESSES = ("", "1", "1 approve", "https://example.org/x", "x", "x | y")


def words_for(command: Command, world: World) -> str:
    if command.path in EXAMPLES:
        return EXAMPLES[command.path].words(world)
    for guess in GUESSES:
        try:
            command.parse(guess)
        except (Usage, InvalidInput):
            continue
        return guess
    raise AssertionError(f"/{command.path}: add words that work for it to EXAMPLES")


def typed(command: Command, world: World) -> tuple[str, str]:
    """The Telegram command and its arguments: `/sources add <address>` is `sources` with `add <address>`."""
    rest = " ".join([*command.path.split()[1:], words_for(command, world)]).strip()
    return command.top, rest


def slash_commands(door: DiscordFrontDoor) -> dict[str, app_commands.Command]:
    found: dict[str, app_commands.Command] = {}

    def walk(item: app_commands.Command | app_commands.Group, prefix: str) -> None:
        name = f"{prefix} {item.name}".strip()
        if isinstance(item, app_commands.Group):
            for child in item.commands:
                walk(child, name)
        else:
            found[name] = item

    for item in door.bot.tree.get_commands():
        walk(item, "")
    return found


_DEFAULTS = {STRING: "x", INTEGER: 1, BOOLEAN: False}


def slash_options(slash: app_commands.Command, given: dict[str, Any]) -> list[dict[str, Any]]:
    """The options as Discord sends them: each under its display name (a renamed `url` arrives as `address`),
    every required one present."""
    options = []
    for parameter in slash.parameters:
        kind = parameter.type.value  # Discord's option type numbers
        if parameter.name in given:
            value = given[parameter.name]
        elif parameter.required:
            value = parameter.choices[0].value if parameter.choices else _DEFAULTS[kind]
        else:
            continue
        options.append(option(str(parameter.display_name), value, kind))
    return options


def interaction_for(door: DiscordFrontDoor, command: Command, world: World, **context: Any) -> dict[str, Any]:
    slash = slash_commands(door)[command.path]
    example = EXAMPLES.get(command.path, Example())
    sub = " ".join(command.path.split()[1:]) or None
    return command_interaction(command.top, subcommand=sub, options=slash_options(slash, example.options(world)),
                               **context)


async def discord_says(fake: FakeDiscord, payload: dict[str, Any]) -> str:
    """The text of the answer the person reads: the callback's embed, or, for a command that answers after
    "thinking…", the follow-up's."""
    callback = await fake.interact(payload, timeout=30)
    assert callback["data"].get("flags") == 64 if callback["type"] == 4 else callback["type"] == 5
    if callback["type"] == 5:
        hook = f"/webhooks/{payload['application_id']}/{payload['token']}"
        request = await fake.wait_for_request(lambda r: r.method == "POST" and r.path == hook, timeout=30)
        data = request.json
    else:
        data = callback["data"]
    [embed] = data["embeds"]
    shown = " ".join(filter(None, [embed.get("title"), embed.get("description")]))
    return re.sub(r"\\(.)", r"\1", shown)  # Discord shows `\*` as `*`


async def telegram_says(fake: FakeTelegram, chat: int, update: dict[str, Any]) -> str:
    after = len(fake.calls)
    update_id = fake.push_update(update)
    call = await fake.wait_for_call("sendMessage", lambda c: int(c.params.get("chat_id", 0)) == chat, after=after,
                                    timeout=30)
    await fake.wait_until_acknowledged(update_id)
    assert call.status == 200, call.description
    return fake.sent[chat][-1]["text_plain"]


# --- the front doors ---------------------------------------------------------------------------------------

@dataclass
class DiscordHouse:
    door: DiscordFrontDoor
    fake: FakeDiscord
    world: World
    other: World

    @property
    def store(self) -> Store:
        return self.door.bot.services.store


@pytest.fixture
async def discord_house(tmp_path, monkeypatch) -> AsyncIterator[DiscordHouse]:
    fake = FakeDiscord()
    fake.add_guild(GUILD, "Alpha", channels=[CHANNEL], roles=[{"id": ALPHA_ROLE, "name": MODERATOR_ROLE}])
    fake.add_guild(OTHER_GUILD, "Beta", channels=[OTHER_CHANNEL], roles=[{"id": BETA_ROLE, "name": MODERATOR_ROLE}])
    for user in (MEMBER, MODERATOR):
        fake.add_member(GUILD, user)
        fake.add_member(OTHER_GUILD, user)
    await fake.start()
    fake.patch(monkeypatch)
    store = await Store.open(tmp_path / "data" / "continuity.db")
    services = build({"tmp_path": tmp_path, "discord_token": fake.token, "discord_api_base": fake.api_base,
                      "discord_gateway_url": fake.gateway_url, "moderator_role": MODERATOR_ROLE}, store)
    door = DiscordFrontDoor(services, guild_ready_timeout=0.05)
    await door.start()
    services.alerts.attach(door)  # as `bot.app.run` composes it: /alerts test posts through it
    task = asyncio.create_task(door.run())
    try:
        await fake.wait_ready()
        await asyncio.wait_for(door.bot.wait_until_ready(), 5)
        world = await seed(services, PlatformName.DISCORD, str(GUILD), "Alpha", str(CHANNEL), str(MEMBER), "Quetzal")
        other = await seed(services, PlatformName.DISCORD, str(OTHER_GUILD), "Beta", str(OTHER_CHANNEL),
                           str(MEMBER), "Zephyrine")
        yield DiscordHouse(door, fake, world, other)
        assert not task.done(), "the gateway loop ended early"
    finally:
        await door.stop()
        await task
        await services.fetcher.close()
        await store.close()
        await fake.stop()
    assert fake.crashes == []


@dataclass
class TelegramHouse:
    door: TelegramFrontDoor
    fake: FakeTelegram
    world: World

    @property
    def store(self) -> Store:
        return self.door.services.store

    def in_group(self, command: str, args: str, user: int, code: str) -> dict[str, Any]:
        return command_message(command, args, chat_id=GROUP, chat_type="supergroup", user_id=user,
                               chat_title="Alpha", language_code=code, bot_username=self.fake.bot_username)


@pytest.fixture
async def telegram_house(tmp_path) -> AsyncIterator[TelegramHouse]:
    fake = FakeTelegram()
    fake.set_chat_member(GROUP, TG_MEMBER, "member")
    fake.set_chat_member(GROUP, TG_MODERATOR, "administrator")
    await fake.start()
    store = await Store.open(tmp_path / "data" / "continuity.db")
    services = build({"tmp_path": tmp_path, "telegram_token": fake.token, "telegram_api_base": fake.base_url}, store)
    door = TelegramFrontDoor(services)
    await door.start()
    services.alerts.attach(door)
    task = asyncio.create_task(door.run())
    try:
        world = await seed(services, PlatformName.TELEGRAM, str(GROUP), "Alpha", str(GROUP), str(TG_MEMBER),
                           "Quetzal")
        yield TelegramHouse(door, fake, world)
    finally:
        await door.stop()
        await task
        await services.fetcher.close()
        await store.close()
        await fake.stop()


# --- the member matrix: every moderator command on every front door ---------------------------------------

def test_the_matrix_has_rows():
    """The table has moderator commands, each with words that work (a guess the parser takes, at least)."""
    assert len(MODERATOR_COMMANDS) >= 10
    world = World(Community(1, PlatformName.TELEGRAM, "1", "x"), "m", "w", 1, 1, "T-AAAAAA", "T-BBBBBB", 1, "c")
    for command in MODERATOR_COMMANDS:
        command.parse(words_for(command, world))


@pytest.mark.parametrize("command", served(MODERATOR_COMMANDS, PlatformName.DISCORD), ids=path)
async def test_a_member_is_refused_every_moderator_command_on_discord(discord_house, command):
    house, world = discord_house, discord_house.world
    locale, client, _code = language(MODERATOR_COMMANDS.index(command))
    before = await snapshot(house.store)
    refused = await discord_says(house.fake, interaction_for(
        house.door, command, world, guild_id=GUILD, channel_id=CHANNEL, user_id=MEMBER, locale=client))
    assert refused == translate(locale, NOT_ALLOWED)
    assert await snapshot(house.store) == before, "a refusal changes nothing"

    # The same options from someone with Manage Server are not refused: the member's were good ones.
    done = await discord_says(house.fake, interaction_for(
        house.door, command, world, guild_id=GUILD, channel_id=CHANNEL, user_id=MODERATOR, locale=client,
        permissions=MANAGE_GUILD))
    assert done != refused and "Something went wrong" not in done


@pytest.mark.parametrize("command", served(MODERATOR_COMMANDS, PlatformName.TELEGRAM), ids=path)
async def test_a_member_is_refused_every_moderator_command_on_telegram(telegram_house, command):
    house, world = telegram_house, telegram_house.world
    locale, _client, code = language(MODERATOR_COMMANDS.index(command) + 1)  # another language than on Discord
    top, args = typed(command, world)
    before = await snapshot(house.store)
    refused = await telegram_says(house.fake, GROUP, house.in_group(top, args, TG_MEMBER, code))
    assert refused == translate(locale, NOT_ALLOWED)
    assert await snapshot(house.store) == before, "a refusal changes nothing"

    done = await telegram_says(house.fake, GROUP, house.in_group(top, args, TG_MODERATOR, code))
    assert done != refused and "Something went wrong" not in done


# --- a private chat is no community ------------------------------------------------------------------------

@pytest.mark.parametrize("command", served(COMMUNITY_COMMANDS, PlatformName.DISCORD), ids=path)
async def test_a_direct_message_cannot_run_a_community_command_on_discord(discord_house, command):
    house = discord_house
    locale, client, _code = language(COMMUNITY_COMMANDS.index(command))
    before = await snapshot(house.store)
    # Even from someone who moderates a server: a direct message belongs to no server.
    payload = interaction_for(house.door, command, house.world, guild_id=None, channel_id=DM_CHANNEL,
                              user_id=MODERATOR, locale=client)
    assert await discord_says(house.fake, payload) == translate(locale, NOT_IN_PRIVATE)
    assert await snapshot(house.store) == before


@pytest.mark.parametrize("command", served(COMMUNITY_COMMANDS, PlatformName.TELEGRAM), ids=path)
async def test_a_private_chat_cannot_run_a_community_command_on_telegram(telegram_house, command):
    house = telegram_house
    locale, _client, code = language(COMMUNITY_COMMANDS.index(command) + 2)
    top, args = typed(command, house.world)
    before = await snapshot(house.store)
    # The group's administrator, in their private chat with the bot.
    update = command_message(top, args, chat_id=TG_MODERATOR, user_id=TG_MODERATOR, language_code=code)
    assert await telegram_says(house.fake, TG_MODERATOR, update) == translate(locale, NOT_IN_PRIVATE)
    assert await snapshot(house.store) == before


# --- a role's name counts only in its own server -----------------------------------------------------------

@pytest.mark.parametrize("command", [c for c in MODERATOR_COMMANDS if c.path in ("alerts subscribe", "review")],
                         ids=path)
async def test_a_role_named_like_moderator_role_elsewhere_grants_nothing_here(discord_house, command):
    house, world = discord_house, discord_house.world
    before = await snapshot(house.store)
    # The other server's "Moderators" role, sent with an interaction in this server: no role of this server.
    foreign = interaction_for(house.door, command, world, guild_id=GUILD, channel_id=CHANNEL, user_id=MEMBER,
                              roles=[BETA_ROLE])
    assert await discord_says(house.fake, foreign) == translate("en", NOT_ALLOWED)
    assert await snapshot(house.store) == before

    # The same person holds "Moderators" in the other server: that makes them a moderator there, not here.
    there = interaction_for(house.door, command, house.other, guild_id=OTHER_GUILD, channel_id=OTHER_CHANNEL,
                            user_id=MEMBER, roles=[BETA_ROLE])
    assert await discord_says(house.fake, there) != translate("en", NOT_ALLOWED)
    before = await snapshot(house.store)
    here = interaction_for(house.door, command, world, guild_id=GUILD, channel_id=CHANNEL, user_id=MEMBER)
    assert await discord_says(house.fake, here) == translate("en", NOT_ALLOWED)
    assert await snapshot(house.store) == before

    # This server's own role of that name does make a moderator: the check is the one that refused above.
    own = interaction_for(house.door, command, world, guild_id=GUILD, channel_id=CHANNEL, user_id=MEMBER,
                          roles=[ALPHA_ROLE])
    assert await discord_says(house.fake, own) != translate("en", NOT_ALLOWED)


# --- one community's moderator and another community's data -------------------------------------------------

# Words naming the other community's things, for the commands that read, review, count or export. Any other
# command of the table is run with no words, so it is still checked for what it shows.
ACROSS: dict[str, Callable[[World], list[str]]] = {
    "sources remove": lambda b: [str(b.source)],
    "sources check": lambda b: [str(b.source)],
    "survey review": lambda b: ["", f"{b.report} approve", f"{b.report} reject"],
    "alerts resume": lambda b: [str(b.subscription)],
    "review": lambda b: ["", *(f"{b.receipt} {d}" for d in ("approve", "reject not here", "hide", "block", "unblock",
                                                            "withdraw")), f"{b.approved} hide"],
    "campaign list": lambda b: [""],
    "testify": lambda b: [b.campaign],
    "statement preview": lambda b: ["", f"md letter | {b.campaign}"],
    "statement export": lambda b: ["json", "csv", "md consultation", "polis", "bundle", f"json letter | {b.campaign}"],
}
# What changes only this community's own things, or adds something new: nothing of another's to name.
ONLY_HERE = {"sources add", "alerts subscribe", "alerts unsubscribe", "alerts test", "notice post", "campaign create",
             "survey report"}


def across_rows() -> list[tuple[Command, int]]:
    """(command, which of its word lists): resolved against the real worlds inside the test."""
    placeholder = World(Community(0, PlatformName.TELEGRAM, "0", "x"), "m", "w", 0, 0, "T-0", "T-1", 0, "c")
    return [(c, n) for c in COMMANDS if c.path not in ONLY_HERE
            for n in range(len(ACROSS.get(c.path, lambda b: [""])(placeholder)))]


@dataclass
class TwoCommunities:
    services: Services
    a: World
    b: World

    def moderator(self, world: World) -> Actor:
        community = world.community
        return Actor(community.platform, "7007", "Mod", "en", community, True,
                     Target(community.platform, community.external_id))


@pytest.fixture
async def two(tmp_path) -> AsyncIterator[TwoCommunities]:
    store = await Store.open(tmp_path / "data" / "continuity.db")
    services = build({"tmp_path": tmp_path}, store)
    try:
        a = await seed(services, PlatformName.TELEGRAM, str(GROUP), "Alpha", str(GROUP), "6001", "Quetzal")
        b = await seed(services, PlatformName.TELEGRAM, str(OTHER_GROUP), "Beta", str(OTHER_GROUP), "6002",
                       "Zephyrine")
        yield TwoCommunities(services, a, b)
    finally:
        await services.fetcher.close()
        await store.close()


def leaked(world: World, shown: str, typed: str = "") -> list[str]:
    """The other community's words, names or receipts found in what was shown (a host name shows in lower
    case), leaving out what the asker typed themselves: "no testimony T-… here" only repeats the question."""
    secrets = (world.words, world.marker, world.receipt, world.approved)
    return [s for s in secrets if s.lower() in shown.lower() and s.lower() not in typed.lower()]


@pytest.mark.parametrize(("command", "which"), across_rows(),
                         ids=lambda v: path(v) if isinstance(v, Command) else str(v))
async def test_a_moderator_never_reads_or_changes_another_communitys_data(two, command, which):
    services, a, b = two.services, two.a, two.b
    words = ACROSS.get(command.path, lambda w: [""])(b)[which]
    theirs = await rows_of(services.store, b.community.id)
    reply = await said(services, two.moderator(a), f"{command.path} {words}".strip())
    shown = everything_said(reply)
    assert leaked(b, shown, words) == [], shown
    assert str(b.community.external_id) not in shown
    assert await rows_of(services.store, b.community.id) == theirs, "the other community's rows are as they were"


async def test_what_a_moderator_reads_is_their_own_communitys(two):
    """The rows above could pass on empty answers: here the same commands show this community's own things."""
    services, a = two.services, two.a
    moderator = two.moderator(a)
    assert a.receipt in everything_said(await said(services, moderator, "review"))
    assert a.words in everything_said(await said(services, moderator, "statement export json"))
    assert a.marker in everything_said(await said(services, moderator, "campaign list"))
    assert f"#{a.report}" in everything_said(await said(services, moderator, "survey review"))
    assert a.marker.lower() in everything_said(await said(services, moderator, "sources list"))


async def test_the_isolation_check_sees_a_change_to_the_other_community(two):
    """`rows_of` is what the rows above compare: it must see the other community's moderator act there."""
    services, b = two.services, two.b
    theirs = await rows_of(services.store, b.community.id)
    assert "testimonies" in theirs and "sources" in theirs and "consent_records" in theirs
    await said(services, two.moderator(b), f"review {b.receipt} hide")
    assert await rows_of(services.store, b.community.id) != theirs


async def test_the_console_reaches_only_its_own_community(tmp_path):
    """The console's person is a moderator, of the local community only: another's receipts are not there."""
    store = await Store.open(tmp_path / "data" / "continuity.db")
    services = build({"tmp_path": tmp_path}, store)
    try:
        other = await seed(services, PlatformName.TELEGRAM, str(OTHER_GROUP), "Beta", str(OTHER_GROUP), "6002",
                           "Zephyrine")
        out = io.StringIO()
        console = ConsoleFrontDoor(services, stdin=io.StringIO(""), stdout=out)
        actor = await console.actor()
        assert actor.is_moderator and actor.community is not None and actor.community.external_id == "console"
        theirs = await rows_of(store, other.community.id)
        lines = ("/review", f"/review {other.receipt} approve", f"/survey review {other.report} approve",
                 f"/sources remove {other.source}", "/statement export json", "/campaign list")
        for line in lines:
            await console.handle(line)
        saved = [Path(line.removeprefix("Saved ").removesuffix(".")) for line in out.getvalue().splitlines()
                 if line.startswith("Saved ")]
        assert saved, "the export was written"
        shown = out.getvalue() + "".join(p.read_text(encoding="utf-8") for p in saved)
        assert leaked(other, shown, " ".join(lines)) == []
        assert f"no testimony {other.receipt} in this community" in shown
        assert await rows_of(store, other.community.id) == theirs
    finally:
        await services.fetcher.close()
        await store.close()


# --- across communities through the real front doors --------------------------------------------------------

async def test_a_discord_moderator_cannot_review_or_export_another_servers_testimonies(discord_house):
    house, other = discord_house, discord_house.other
    theirs = await rows_of(house.store, other.community.id)
    review = next(c for c in MODERATOR_COMMANDS if c.path == "review")
    slash = slash_commands(house.door)["review"]
    payload = command_interaction("review", guild_id=GUILD, channel_id=CHANNEL, user_id=MODERATOR,
                                  permissions=MANAGE_GUILD,
                                  options=slash_options(slash, {"receipt": other.receipt, "decision": "approve"}))
    refused = await discord_says(house.fake, payload)
    assert other.receipt in refused and "this community" in refused and review.moderators
    export = command_interaction("statement", subcommand="export", guild_id=GUILD, channel_id=CHANNEL,
                                 user_id=MODERATOR, permissions=MANAGE_GUILD, options=[option("format", "json")])
    await discord_says(house.fake, export)
    hook = f"/webhooks/{export['application_id']}/{export['token']}"
    [file] = next(r for r in house.fake.requests if r.path == hook and r.files).files
    document = json.loads(file.data)
    assert house.world.words in json.dumps(document, ensure_ascii=False)
    assert leaked(other, file.data.decode()) == []
    assert await rows_of(house.store, other.community.id) == theirs


async def test_a_telegram_admin_of_one_group_is_a_member_in_another(telegram_house):
    house = telegram_house
    other = await seed(house.door.services, PlatformName.TELEGRAM, str(OTHER_GROUP), "Beta", str(OTHER_GROUP),
                       str(TG_MEMBER), "Zephyrine")
    before = await snapshot(house.store)
    update = command_message("review", f"{other.receipt} approve", chat_id=OTHER_GROUP, chat_type="supergroup",
                             user_id=TG_MODERATOR, chat_title="Beta", bot_username=house.fake.bot_username)
    assert await telegram_says(house.fake, OTHER_GROUP, update) == translate("en", NOT_ALLOWED)
    assert await snapshot(house.store) == before
    # In the group they administer, the other group's receipt is not there.
    here = house.in_group("review", f"{other.receipt} approve", TG_MODERATOR, "en")
    assert "in this community" in await telegram_says(house.fake, GROUP, here)
    assert await snapshot(house.store) == before
