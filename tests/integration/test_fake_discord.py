"""The fake Discord, driven by the real discord.py: what later tests can rely on."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator
from dataclasses import dataclass

import discord
import pytest
from discord import app_commands
from discord.ext import commands

from tests.fakes.discord_api import FakeDiscord, RecordedRequest
from tests.fakes.discord_payloads import command_interaction, component_interaction, modal_submit, option

GUILD, CHANNEL, OTHER_CHANNEL = 2000, 3000, 3001
MEMBER = 4000


class AnswerModal(discord.ui.Modal, title="Tell us"):
    answer: discord.ui.TextInput[AnswerModal] = discord.ui.TextInput(label="Answer")

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"got: {self.answer.value}", ephemeral=True)


class ConfirmView(discord.ui.View):
    @discord.ui.button(label="OK", custom_id="confirm")
    async def confirm(self, interaction: discord.Interaction, button: discord.ui.Button[ConfirmView]) -> None:
        await interaction.response.edit_message(content="confirmed", view=None)


def build_bot(intents: discord.Intents | None = None) -> commands.Bot:
    if intents is None:
        intents = discord.Intents.none()
        intents.guilds = True
    bot = commands.Bot(command_prefix=commands.when_mentioned, intents=intents, guild_ready_timeout=0.05)

    @bot.tree.command(name="ping", description="Answers pong")
    async def ping(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("pong", ephemeral=True)

    @bot.tree.command(name="tell", description="Opens a form")
    async def tell(interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(AnswerModal())

    @bot.tree.command(name="slow", description="Defers, edits, follows up")
    @app_commands.describe(text="What to say")
    async def slow(interaction: discord.Interaction, text: str) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        await interaction.edit_original_response(content=f"done: {text}")
        await interaction.followup.send("and one more thing", ephemeral=True)

    return bot


@dataclass
class RunningBot:
    bot: commands.Bot
    task: asyncio.Task[None]

    def check(self) -> None:
        """A malformed event ends bot.start(): surface that instead of a timeout."""
        if self.task.done():
            self.task.result()
            raise AssertionError("bot.start() returned early")


async def run_until_ready(bot: commands.Bot, token: str) -> RunningBot:
    running = RunningBot(bot, asyncio.create_task(bot.start(token)))
    ready = asyncio.ensure_future(bot.wait_until_ready())
    await asyncio.wait({running.task, ready}, timeout=5, return_when=asyncio.FIRST_COMPLETED)
    ready.cancel()
    if not bot.is_ready():
        await bot.close()
        running.check()  # the crash, if the bot crashed
        raise AssertionError("the bot was not ready within 5 s")
    return running


async def shut_down(running: RunningBot) -> None:
    await running.bot.close()
    await running.task  # raises if the bot crashed


@pytest.fixture
async def fake(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeDiscord]:
    server = FakeDiscord()
    server.add_guild(GUILD, "Test guild", channels=[CHANNEL, OTHER_CHANNEL], locale="fr")
    await server.start()
    server.patch(monkeypatch)
    yield server
    await server.stop()
    assert server.crashes == []


@pytest.fixture
async def running(fake: FakeDiscord) -> AsyncIterator[RunningBot]:
    started = await run_until_ready(build_bot(), fake.token)
    await fake.wait_ready()
    yield started
    started.check()
    await shut_down(started)


def message_posts(fake: FakeDiscord, channel: int) -> list[RecordedRequest]:
    return [r for r in fake.requests if r.method == "POST" and r.path == f"/channels/{channel}/messages"]


async def test_login_ready_and_guild_create(fake: FakeDiscord, running: RunningBot) -> None:
    bot = running.bot
    login = [(r.method, r.path) for r in fake.requests[:2]]
    assert login == [("GET", "/users/@me"), ("GET", "/oauth2/applications/@me")]
    assert fake.requests[0].header("authorization") == f"Bot {fake.token}"
    assert bot.user is not None and bot.user.id == fake.bot_user_id
    assert bot.application_id == fake.application_id
    assert fake.identify is not None and fake.identify["intents"] == discord.Intents(guilds=True).value
    guild = bot.get_guild(GUILD)
    assert guild is not None and guild.name == "Test guild"
    assert guild.preferred_locale is discord.Locale.french
    assert [c.id for c in guild.text_channels] == [CHANNEL, OTHER_CHANNEL]
    assert guild.me is not None and guild.me.guild_permissions.send_messages
    assert guild.default_role.id == GUILD


async def test_join_and_leave_guild_while_connected(fake: FakeDiscord, running: RunningBot) -> None:
    loop = asyncio.get_running_loop()
    joined: asyncio.Future[discord.Guild] = loop.create_future()
    removed: asyncio.Future[discord.Guild] = loop.create_future()

    async def on_guild_join(guild: discord.Guild) -> None:
        joined.set_result(guild)

    async def on_guild_remove(guild: discord.Guild) -> None:
        removed.set_result(guild)

    running.bot.add_listener(on_guild_join)
    running.bot.add_listener(on_guild_remove)
    with pytest.raises(RuntimeError, match="join_guild"):
        fake.add_guild(2001)
    await fake.join_guild(2001, "Second", channels=[3100])
    assert (await asyncio.wait_for(joined, 2)).id == 2001
    await fake.leave_guild(2001)
    assert (await asyncio.wait_for(removed, 2)).id == 2001
    assert running.bot.get_guild(2001) is None


async def test_tree_sync_is_recorded_and_keeps_ids(fake: FakeDiscord, running: RunningBot) -> None:
    synced = await running.bot.tree.sync()
    assert {c.name for c in synced} == {"ping", "tell", "slow"}
    assert [c["name"] for c in fake.commands] == [c.name for c in synced]
    again = await running.bot.tree.sync()
    assert [c.id for c in again] == [c.id for c in synced]
    put = [r for r in fake.requests if r.method == "PUT"]
    assert put[-1].path == f"/applications/{fake.application_id}/commands"
    guild_synced = await running.bot.tree.sync(guild=discord.Object(GUILD))
    assert guild_synced == [] and fake.guild_commands[GUILD] == []


async def test_invalid_localised_command_name_is_rejected(fake: FakeDiscord, running: RunningBot) -> None:
    payload = [{"name": "ping", "description": "x", "name_localizations": {"fr": "Ping Pong"}}]
    with pytest.raises(discord.HTTPException) as caught:
        await running.bot.http.bulk_upsert_global_commands(fake.application_id, payload)
    assert caught.value.status == 400 and caught.value.code == 50035


async def test_ping_answers_ephemeral_pong(fake: FakeDiscord, running: RunningBot) -> None:
    callback = await fake.interact(command_interaction("ping"))
    assert callback["type"] == 4
    assert callback["data"]["content"] == "pong"
    assert callback["data"]["flags"] == 64
    request = next(r for r in fake.requests if r.path.endswith("/callback"))
    assert request.header("authorization") is None and request.query == {"with_response": "1"}
    assert request.status == 200
    assert fake.users[MEMBER]["username"] == "member"


async def test_command_in_dm_and_with_options(fake: FakeDiscord, running: RunningBot) -> None:
    callback = await fake.interact(command_interaction("ping", guild_id=None, channel_id=7000))
    assert callback["data"]["content"] == "pong"
    await fake.interact(command_interaction("slow", options=[option("text", "hi")]))
    await fake.wait_for_request(lambda r: r.method == "POST" and r.path.startswith("/webhooks/"))
    kinds = [(f.kind, f.body["content"]) for f in fake.followups]
    assert kinds == [("edit", "done: hi"), ("create", "and one more thing")]
    assert all(f.message is not None and f.message["flags"] & 64 for f in fake.followups)


async def test_modal_round_trip(fake: FakeDiscord, running: RunningBot) -> None:
    callback = await fake.interact(command_interaction("tell"))
    assert callback["type"] == 9
    modal = fake.modals[-1]
    assert modal["title"] == "Tell us"
    text_input = modal["components"][0]["components"][0]
    answer = await fake.interact(modal_submit(modal["custom_id"], {text_input["custom_id"]: "hello"}))
    assert answer["type"] == 4 and answer["data"]["content"] == "got: hello"


async def test_button_on_a_sent_view_edits_the_message(fake: FakeDiscord, running: RunningBot) -> None:
    channel = running.bot.get_channel(CHANNEL)
    assert isinstance(channel, discord.TextChannel)
    await channel.send("Confirm?", view=ConfirmView())
    sent = fake.messages[CHANNEL][-1]
    assert sent["components"][0]["components"][0]["custom_id"] == "confirm"
    callback = await fake.interact(component_interaction("confirm", message=sent))
    assert callback["type"] == 7 and callback["data"]["content"] == "confirmed"
    assert sent["content"] == "confirmed" and sent["components"] == []


async def test_second_acknowledgement_is_refused(fake: FakeDiscord, running: RunningBot) -> None:
    payload = command_interaction("ping")
    await fake.interact(payload)
    with pytest.raises(discord.HTTPException) as caught:
        await running.bot.http.request(
            discord.http.Route("POST", f"/interactions/{payload['id']}/{payload['token']}/callback"),
            json={"type": 4, "data": {"content": "again"}},
        )
    assert caught.value.code == 40060


async def test_channel_send_is_stored(fake: FakeDiscord, running: RunningBot) -> None:
    channel = running.bot.get_channel(CHANNEL)
    assert isinstance(channel, discord.TextChannel)
    embed = discord.Embed(title="Model retired", description="gpt-x")
    sent = await channel.send("hello <@4000> @everyone", embed=embed, file=discord.File(io.BytesIO(b"data"), "a.txt"))
    stored = fake.messages[CHANNEL][-1]
    assert sent.id == int(stored["id"]) and sent.content == stored["content"]
    assert stored["embeds"][0]["title"] == "Model retired"
    assert stored["attachments"][0]["filename"] == "a.txt"
    request = message_posts(fake, CHANNEL)[-1]
    assert request.files[0].data == b"data" and request.json["content"].startswith("hello")
    # No MENTION_EVERYONE permission: @everyone does not ping; the unknown user is not resolved.
    assert stored["mention_everyone"] is False and stored["mentions"] == []


async def test_allowed_mentions_are_recorded_and_honoured(fake: FakeDiscord, running: RunningBot) -> None:
    fake.add_user(4001, "alice")
    channel = running.bot.get_channel(CHANNEL)
    assert isinstance(channel, discord.TextChannel)
    await channel.send("<@4001>", allowed_mentions=discord.AllowedMentions.none())
    quiet = fake.messages[CHANNEL][-1]
    await channel.send("<@4001>")
    loud = fake.messages[CHANNEL][-1]
    assert fake.allowed_mentions[quiet["id"]] == {"parse": []}
    assert quiet["mentions"] == [] and [u["id"] for u in loud["mentions"]] == ["4001"]


async def test_too_long_message_is_400(fake: FakeDiscord, running: RunningBot) -> None:
    channel = running.bot.get_channel(CHANNEL)
    assert isinstance(channel, discord.TextChannel)
    with pytest.raises(discord.HTTPException) as caught:
        await channel.send("x" * 2001)
    assert caught.value.status == 400 and caught.value.code == 50035
    assert "content" in caught.value.text
    with pytest.raises(discord.HTTPException):
        await channel.send(embeds=[discord.Embed(description="d" * 4096), discord.Embed(description="d" * 2000)])
    assert CHANNEL not in fake.messages


async def test_rate_limited_send_is_retried_once(fake: FakeDiscord, running: RunningBot) -> None:
    channel = running.bot.get_channel(CHANNEL)
    assert isinstance(channel, discord.TextChannel)
    fake.rate_limit_next(route="POST /channels/*/messages", retry_after=0.05)
    await channel.send("after a pause")
    assert [r.status for r in message_posts(fake, CHANNEL)] == [429, 200]
    assert len(fake.messages[CHANNEL]) == 1
    limited = message_posts(fake, CHANNEL)[0]
    assert limited.response["retry_after"] >= 0.05


async def test_rate_limited_callback_and_global_limit_are_retried(fake: FakeDiscord, running: RunningBot) -> None:
    fake.rate_limit_next(route="POST /interactions/*", retry_after=0.02)
    callback = await fake.interact(command_interaction("ping"))
    assert callback["data"]["content"] == "pong"
    assert [r.status for r in fake.requests if r.path.endswith("/callback")] == [429, 200]
    fake.rate_limit_next(retry_after=0.02, is_global=True)
    await running.bot.fetch_user(fake.bot_user_id)
    assert [r.status for r in fake.requests[-2:]] == [429, 200]
    assert fake.requests[-2].response["global"] is True


async def test_empty_message_is_refused(fake: FakeDiscord, running: RunningBot) -> None:
    with pytest.raises(discord.HTTPException) as caught:
        await running.bot.http.send_message(CHANNEL, params=discord.http.MultipartParameters({}, None, None))
    assert (caught.value.status, caught.value.code) == (400, 50006)


async def test_forbidden_and_deleted_channels(fake: FakeDiscord, running: RunningBot) -> None:
    channel = running.bot.get_channel(CHANNEL)
    other = running.bot.get_channel(OTHER_CHANNEL)
    assert isinstance(channel, discord.TextChannel) and isinstance(other, discord.TextChannel)
    fake.forbid_channel(CHANNEL)
    fake.delete_channel(OTHER_CHANNEL)
    with pytest.raises(discord.Forbidden) as forbidden:
        await channel.send("hi")
    with pytest.raises(discord.NotFound) as missing:
        await other.send("hi")
    assert (forbidden.value.code, missing.value.code) == (50001, 10003)
    assert fake.messages == {}


async def test_nonce_with_enforce_nonce_sends_once(fake: FakeDiscord, running: RunningBot) -> None:
    channel = running.bot.get_channel(CHANNEL)
    assert isinstance(channel, discord.TextChannel)
    first = await channel.send("once", nonce=1234)
    second = await channel.send("once", nonce=1234)
    assert first.id == second.id
    assert len(fake.messages[CHANNEL]) == 1
    assert message_posts(fake, CHANNEL)[0].json["enforce_nonce"] is True


async def test_direct_messages_and_closed_dms(fake: FakeDiscord, running: RunningBot) -> None:
    fake.add_user(MEMBER, "member")
    user = await running.bot.fetch_user(MEMBER)
    message = await user.send("a reminder")
    dm = fake.messages[message.channel.id][-1]
    assert dm["content"] == "a reminder" and "guild_id" not in dm
    fake.close_dms(MEMBER)
    with pytest.raises(discord.Forbidden) as caught:
        await user.send("again")
    assert caught.value.code == 50007
    with pytest.raises(discord.NotFound):
        await running.bot.fetch_user(999_999)


async def test_enforced_limits_end_with_everything_sent(fake: FakeDiscord, running: RunningBot) -> None:
    fake.enforce_limits = True
    fake.channel_message_limit = (5, 0.3)  # Discord's 5 per 5 s, scaled down to keep the test fast
    # Time stands still while the bot sends and passes only as long as it is told to wait: the sixth message
    # is refused however slow the machine, and the retry after the wait opens a new window.
    now = [0.0]
    fake.limit_clock = lambda: now[0]
    fake.told_to_wait = lambda seconds: now.__setitem__(0, now[0] + seconds)
    channel = running.bot.get_channel(CHANNEL)
    assert isinstance(channel, discord.TextChannel)
    for number in range(8):
        await channel.send(f"message {number}")
    assert [m["content"] for m in fake.messages[CHANNEL]] == [f"message {n}" for n in range(8)]
    assert [r.status for r in message_posts(fake, CHANNEL)] == [200] * 5 + [429] + [200] * 3


async def test_advertised_limits_let_the_library_wait_without_429(fake: FakeDiscord, running: RunningBot) -> None:
    fake.enforce_limits = fake.advertise_limits = True
    fake.channel_message_limit = (5, 0.3)
    channel = running.bot.get_channel(CHANNEL)
    assert isinstance(channel, discord.TextChannel)
    await asyncio.gather(*(channel.send(f"message {n}") for n in range(8)))
    assert len(fake.messages[CHANNEL]) == 8
    assert all(r.status == 200 for r in message_posts(fake, CHANNEL))


async def test_unknown_route_is_404_and_recorded(fake: FakeDiscord, running: RunningBot) -> None:
    with pytest.raises(discord.NotFound):
        await running.bot.http.request(discord.http.Route("GET", "/guilds/{guild_id}/emojis", guild_id=GUILD))
    assert [r.path for r in fake.unhandled] == [f"/guilds/{GUILD}/emojis"]


async def test_reconnect_resumes_the_session(fake: FakeDiscord, running: RunningBot) -> None:
    await fake.reconnect()
    assert fake.resumes == 1
    callback = await fake.interact(command_interaction("ping"))
    assert callback["data"]["content"] == "pong"


async def test_wrong_token_fails_login(fake: FakeDiscord) -> None:
    bot = build_bot()
    with pytest.raises(discord.LoginFailure):
        await bot.start("not-the-token")
    await bot.close()
    assert fake.requests[-1].status == 401


async def test_privileged_intent_not_enabled_is_refused(fake: FakeDiscord) -> None:
    intents = discord.Intents.none()
    intents.guilds = intents.members = True
    bot = build_bot(intents)
    with pytest.raises(discord.PrivilegedIntentsRequired):
        await asyncio.wait_for(bot.start(fake.token), 5)
    await bot.close()
