"""/statement preview and /statement export, end to end through the real discord.py and python-telegram-bot
against the fakes, and on the console: a moderator gets a file holding their community's approved testimonies
(on Discord in an ephemeral reply, compressed or split past the interaction's upload limit; on Telegram in
their private chat), a member is refused, and another community's moderator gets none of it."""

from __future__ import annotations

import asyncio
import io
import json
import re
import zipfile
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from bot.app import build_services
from bot.domain import ConsentLevel
from bot.platforms.discord import DiscordFrontDoor
from bot.platforms.telegram import TelegramFrontDoor
from bot.statements import bundle
from bot.statements.commands import StatementCommands
from bot.statements.model import Filters
from bot.store import Store
from tests.conftest import make_settings
from tests.fakes.discord_api import FakeDiscord, RecordedRequest
from tests.fakes.discord_payloads import command_interaction, option
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.telegram_payloads import command_message
from tests.integration.test_statement_aggregate import SNAPSHOT, expected, generate, load

ALPHA, ALPHA_CHANNEL, OTHER_GUILD, OTHER_CHANNEL = 100, 3000, 2001, 3001   # Alpha server is guild 100 in the data
BETA = -1002                                                              # Beta chat is Telegram group -1002
MODERATOR, MEMBER, OTHER_MODERATOR = 645678901234567890, 634567890123456789, 656789012345678901
TG_MODERATOR, TG_MEMBER = 5900, 5100
MANAGE_GUILD = 1 << 5
WORK = 60  # seconds a statement may take here (themes on a cold process); a bound, never a wait


def _quotable(records, community: str) -> list:
    """The community's testimonies a statement quotes: consent to be quoted, and a passage it may show (one
    not about health, or with that yes too)."""
    def shown(record) -> bool:
        level, health = record.consent_at(SNAPSHOT)
        return level >= ConsentLevel.ANONYMOUS and any(health or not about for _mark, about in record.sentences)
    return [r for r in expected(records, Filters())[0] if r.community == community and shown(r)]


async def _services(tmp_path, **settings):
    config = make_settings(tmp_path, **settings)
    store = await Store.open(config.database_path)
    records = await load(store, generate(count=80))
    services = build_services(config, store)
    # The statement's moment is injected, as every clock in the tests is.
    services = replace(services, statements=StatementCommands(store, threshold=5, clock=lambda: SNAPSHOT))
    return services, store, records


# --- Discord ---------------------------------------------------------------------------------------------------

@pytest.fixture
async def fake_discord(monkeypatch) -> AsyncIterator[FakeDiscord]:
    server = FakeDiscord()
    server.add_guild(ALPHA, "Alpha server", channels=[ALPHA_CHANNEL])
    server.add_guild(OTHER_GUILD, "Claude fans", channels=[OTHER_CHANNEL])
    await server.start()
    server.patch(monkeypatch)
    yield server
    await server.stop()
    assert server.crashes == []
    refused = [f"{r.method} {r.path} -> {r.status} {r.response}" for r in server.requests if r.status >= 400]
    assert refused == [], "Discord would have refused these"


@pytest.fixture
async def discord_door(tmp_path, fake_discord) -> AsyncIterator[tuple[DiscordFrontDoor, list]]:
    services, store, records = await _services(tmp_path, discord_token=fake_discord.token,
                                               discord_api_base=fake_discord.api_base,
                                               discord_gateway_url=fake_discord.gateway_url)
    door = DiscordFrontDoor(services, guild_ready_timeout=0.05)
    await door.start()
    task = asyncio.create_task(door.run())
    try:
        await fake_discord.wait_ready()
        await asyncio.wait_for(door.bot.wait_until_ready(), 5)
        yield door, records
    finally:
        await door.stop()
        await task
        await store.close()


def _statement(subcommand: str, user_id: int, guild: int = ALPHA, *, moderator: bool = True,
               **options: str) -> dict[str, Any]:
    return command_interaction(
        "statement", subcommand=subcommand, options=[option(k, v) for k, v in options.items()], guild_id=guild,
        channel_id=ALPHA_CHANNEL if guild == ALPHA else OTHER_CHANNEL, user_id=user_id,
        permissions=MANAGE_GUILD if moderator else 0)


async def _answers(fake: FakeDiscord, interaction: dict[str, Any]) -> list[RecordedRequest]:
    """The follow-ups that answer a deferred command ("thinking…", seen by the asker alone), in order."""
    callback = await fake.interact(interaction)
    assert callback["type"] == 5 and callback["data"]["flags"] == 64
    path = f"/webhooks/{interaction['application_id']}/{interaction['token']}"
    first = await fake.wait_for_request(lambda r: r.method == "POST" and r.path == path, timeout=WORK)
    await asyncio.sleep(0)  # let any further follow-up of the same answer arrive
    found = [r for r in fake.requests if r.method == "POST" and r.path == path]
    assert found[0] is first and all(r.json["flags"] == 64 for r in found), "for the moderator's eyes only"
    return found


def _said(request: RecordedRequest) -> str:
    """The embed's text as the person reads it (Discord shows `\\*` as `*`)."""
    [embed] = request.json["embeds"]
    return re.sub(r"\\(.)", r"\1", embed.get("description", ""))


async def test_a_moderator_gets_their_communitys_statement_and_a_member_is_refused_on_discord(discord_door,
                                                                                           fake_discord):
    _door, records = discord_door
    alpha, beta = _quotable(records, "Alpha server"), _quotable(records, "Beta chat")
    assert alpha and beta
    [answer] = await _answers(fake_discord, _statement("export", MODERATOR, format="json"))
    [file] = answer.files
    assert file.filename == "statement.json"
    document = json.loads(file.data)
    receipts = {q["receipt"] for q in document["quotes"]}
    assert {r.receipt for r in alpha} == receipts, "every quotable approved testimony of this server, no other"
    assert not {r.receipt for r in beta} & receipts
    assert document["filters"]["community_id"] is not None
    assert "cannot be recalled" in _said(answer) and "Only you see this file" in _said(answer)

    # A member: refused with the reason, and no file.
    [refusal] = await _answers(fake_discord, _statement("export", MEMBER, moderator=False))
    assert refusal.files == [] and "moderator" in _said(refusal).lower()

    # The moderator of a server with no testimonies gets an empty statement: nothing of Alpha's.
    [theirs] = await _answers(fake_discord, _statement("export", OTHER_MODERATOR, OTHER_GUILD, format="json"))
    other = json.loads(theirs.files[0].data)
    assert other["summary"]["testimonies"] == 0 and other["quotes"] == []

    # Input that cannot be read is refused with what was expected.
    [bad] = await _answers(fake_discord, _statement("export", MODERATOR, since="sometime"))
    assert bad.files == [] and "2026-04-15" in _said(bad)

    # The preview: counts, and the document's first lines, before exporting.
    [preview] = await _answers(fake_discord, _statement("preview", MODERATOR, template="press"))
    fields = {f["name"]: f["value"] for f in preview.json["embeds"][0]["fields"]}
    total = sum(r.community == "Alpha server" for r in expected(records, Filters())[0])
    assert fields["Testimonies"].startswith(f"{total} from ")
    assert fields["The document begins"].strip() and preview.files == []


async def test_a_file_over_the_upload_limit_comes_compressed_or_in_parts_that_rebuild_it(discord_door, fake_discord,
                                                                                        tmp_path):
    limit = 10 * 1024  # the bundle of this data set is about 35 kB
    export = _statement("export", MODERATOR, format="bundle")
    export["attachment_size_limit"] = limit
    answers = await _answers(fake_discord, export)
    parts = [file for answer in answers for file in answer.files]
    assert len(parts) > 1 and all(len(part.data) <= limit for part in parts)
    assert [p.filename for p in parts] == [f"{bundle.FILE}.{n:03}" for n in range(1, len(parts) + 1)]
    rebuilt = tmp_path / bundle.FILE
    rebuilt.write_bytes(b"".join(part.data for part in parts))
    assert bundle.verify(rebuilt) == [], "the parts joined are the bundle, intact"
    assert f"comes in {len(parts)} parts" in _said(answers[0]) and f"cat {bundle.FILE}.0*" in _said(answers[0])

    # A Markdown file over the limit is small enough once compressed: it comes as a zip of itself.
    export = _statement("export", MODERATOR, format="md", template="consultation")
    export["attachment_size_limit"] = 4 * 1024
    [answer] = await _answers(fake_discord, export)
    [file] = answer.files
    assert file.filename == "statement.md.zip" and "comes compressed as statement.md.zip" in _said(answer)
    with zipfile.ZipFile(io.BytesIO(file.data)) as archive:
        text = archive.read("statement.md").decode()
    assert len(text.encode()) > 4 * 1024 and text.startswith("# ")


# --- Telegram --------------------------------------------------------------------------------------------------

@pytest.fixture
async def fake_telegram() -> AsyncIterator[FakeTelegram]:
    server = FakeTelegram()
    server.set_chat_member(BETA, TG_MODERATOR, "administrator")
    server.set_chat_member(BETA, TG_MEMBER, "member")
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def telegram_door(tmp_path, fake_telegram) -> AsyncIterator[tuple[TelegramFrontDoor, list]]:
    services, store, records = await _services(tmp_path, telegram_token=fake_telegram.token,
                                               telegram_api_base=fake_telegram.base_url)
    door = TelegramFrontDoor(services)
    await door.start()
    task = asyncio.create_task(door.run())
    try:
        yield door, records
    finally:
        await door.stop()
        await task
        await store.close()


async def _in_group(fake: FakeTelegram, user_id: int, args: str) -> str:
    """/statement <args> in the group; what the bot said there."""
    after = len(fake.calls)
    update_id = fake.push_update(command_message("statement", args, bot_username=fake.bot_username, chat_id=BETA,
                                                 chat_type="supergroup", user_id=user_id, chat_title="Beta chat"))
    call = await fake.wait_for_call("sendMessage", lambda c: int(c.params.get("chat_id", 0)) == BETA, after=after,
                                    timeout=WORK)
    await fake.wait_until_acknowledged(update_id)
    assert call.status == 200, call.description
    return fake.sent[BETA][-1]["text_plain"]


async def test_a_moderator_gets_the_file_in_their_private_chat_and_a_member_is_refused_on_telegram(telegram_door,
                                                                                                 fake_telegram):
    _door, records = telegram_door
    beta, alpha = _quotable(records, "Beta chat"), _quotable(records, "Alpha server")
    said = await _in_group(fake_telegram, TG_MODERATOR, "export json")
    assert said == "I sent it to you in our private chat."
    private = fake_telegram.sent[TG_MODERATOR]
    assert "cannot be recalled" in private[0]["text_plain"]
    [document] = [m["document"] for m in private if "document" in m]
    assert document["file_name"] == "statement.json"
    receipts = {q["receipt"] for q in json.loads(fake_telegram.uploaded[document["file_id"]])["quotes"]}
    assert receipts == {r.receipt for r in beta} and not receipts & {r.receipt for r in alpha}
    assert not any("document" in m for m in fake_telegram.sent[BETA]), "nothing of it in the group"

    refused = await _in_group(fake_telegram, TG_MEMBER, "export")
    assert "moderator" in refused.lower() and TG_MEMBER not in fake_telegram.sent

    # A moderator the bot cannot write to privately is told how to fix it; nothing goes to the group.
    fake_telegram.block_chat(TG_MODERATOR)
    told = await _in_group(fake_telegram, TG_MODERATOR, "export json letter | | 2026-01-01 | 2026-04-15")
    assert f"https://t.me/{fake_telegram.bot_username}" in told and "press Start" in told
    assert not any("document" in m for m in fake_telegram.sent[BETA])


# --- the console -----------------------------------------------------------------------------------------------

def _check_saved(path: Path) -> None:
    assert path.read_text(encoding="utf-8").startswith("# ")
    assert path.stat().st_mode & 0o077 == 0, "it holds people's words"


async def test_on_the_console_the_statement_is_a_file_path_only_its_owner_can_read(tmp_path):
    from bot.platforms.console import ConsoleFrontDoor

    services, store, _records = await _services(tmp_path)
    try:
        out = io.StringIO()
        door = ConsoleFrontDoor(services, stdin=io.StringIO(""), stdout=out)
        await door.handle("/statement export md press")
        [saved] = [line for line in out.getvalue().splitlines() if line.startswith("Saved ")]
        _check_saved(Path(saved.removeprefix("Saved ").removesuffix(".")))
        await door.handle("/statement export docx")
        assert "There is no format “docx” (did you mean" not in out.getvalue()
        assert "There is no format “docx”. Choose one of: json, csv, polis, md, html" in out.getvalue()
    finally:
        await store.close()
