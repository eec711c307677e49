"""Alerts end to end: notices fan out through the real discord.py and python-telegram-bot to the fakes,
in one process with both front doors, as `python -m bot run` composes them."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import date

import pytest

from bot.app import build_services
from bot.domain import AlertFilter, Category, Notice, NoticeKind, PlatformName, Source, SourceKind, Subscription
from bot.i18n import use_locale
from bot.platforms.discord import DiscordFrontDoor
from bot.platforms.telegram import TelegramFrontDoor
from bot.presentation import Target
from bot.services import Services
from bot.store import Store
from bot.store.outbox import PlannedDelivery
from tests.conftest import make_settings
from tests.fakes.discord_api import FakeDiscord
from tests.fakes.discord_payloads import ROLE, command_interaction, option
from tests.fakes.feed_server import FeedServer
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.telegram_payloads import command_message

GUILD, CHANNELS, MEMBER, ROLE_ID = 2000, (3000, 3001, 3002), 4000, 2500
GROUPS, TELEGRAM_USER = (-1001, -1002), 777
MANAGE_GUILD = 1 << 5
EVERYTHING = AlertFilter()


@dataclass
class House:
    services: Services
    discord: FakeDiscord
    telegram: FakeTelegram

    @property
    def store(self) -> Store:
        return self.services.store

    async def subscribe(self, platform: PlatformName, channel: int, *, thread: str | None = None,
                        flt: AlertFilter = EVERYTHING, role: str | None = None, locale: str = "en") -> Subscription:
        community = await self.services.people.community(
            platform, str(GUILD) if platform == PlatformName.DISCORD else str(channel), "Keep 4o")
        return await self.store.subscriptions.save_subscription(Subscription(
            id=0, community_id=community.id, platform=platform, channel_id=str(channel), thread_id=thread,
            filter=flt, locale=locale, created_by="p_mod", mention_role=role))

    async def notify(self, **fields: object) -> Notice:
        values: dict[str, object] = {
            "kind": NoticeKind.NEW_DEPRECATION, "category": Category.DEPRECATION, "title": "gpt-4o-2024-05-13",
            "dedup_key": f"test:{time.monotonic_ns()}", "vendor": "openai", "platform": "api",
            "model": "gpt-4o-2024-05-13", "models": ("gpt-4o-2024-05-13",), "due_date": date(2027, 2, 16),
            "url": "https://developers.openai.com/api/docs/deprecations", "detail": "gpt-5.6-sol"}
        values.update(fields)
        [stored] = await self.store.notices.add_notices([Notice(**values)])  # type: ignore[arg-type]
        await self.services.alerts.route_pending()
        return stored

    async def settled(self) -> dict[str, int]:
        """Wait until no delivery is pending or being sent; return the count per state."""
        return await until(self._settled)

    async def _settled(self) -> dict[str, int] | None:
        counts = await self.store.outbox.counts()
        return None if counts.get("pending") or counts.get("sending") else counts


async def until(check: Callable[[], object], timeout: float = 15) -> object:
    """Poll `check` (sync or async) until it returns something truthy."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return result
        assert time.monotonic() < deadline, "timed out waiting"
        await asyncio.sleep(0.02)


@pytest.fixture
async def house(tmp_path, monkeypatch) -> AsyncIterator[House]:
    discord = FakeDiscord()
    discord.add_guild(GUILD, "Keep 4o", channels=list(CHANNELS), roles=[{"id": str(ROLE_ID), "name": "4o-keepers"}])
    discord.add_member(GUILD, MEMBER)
    telegram = FakeTelegram()
    await discord.start()
    await telegram.start()
    discord.patch(monkeypatch)
    settings = make_settings(tmp_path, discord_token=discord.token, discord_api_base=discord.api_base,
                             discord_gateway_url=discord.gateway_url, telegram_token=telegram.token,
                             telegram_api_base=telegram.base_url, delivery_lease_seconds=5,
                             watch_allow_private_addresses=True)
    store = await Store.open(settings.database_path)
    services = build_services(settings, store)
    doors = [DiscordFrontDoor(services, guild_ready_timeout=0.05), TelegramFrontDoor(services)]
    for door in doors:
        await door.start()
        services.alerts.attach(door)
    gateway = asyncio.create_task(doors[0].run())
    await discord.wait_ready()
    await services.alerts.start()
    yield House(services, discord, telegram)
    await services.alerts.stop()
    for door in reversed(doors):
        await door.stop()
    await gateway
    await store.close()
    await telegram.stop()
    await discord.stop()
    assert discord.crashes == []


def posts(fake: FakeDiscord, channel: int) -> list[dict]:
    return fake.messages.get(channel, [])


async def test_a_notice_reaches_every_matching_channel_and_chat_rendered_for_each(house):
    await house.subscribe(PlatformName.DISCORD, 3000)
    await house.subscribe(PlatformName.DISCORD, 3001, flt=AlertFilter(models=("gpt-4o*",)))
    await house.subscribe(PlatformName.DISCORD, 3002, flt=AlertFilter(vendors=("anthropic",)))
    await house.subscribe(PlatformName.TELEGRAM, GROUPS[0])
    await house.subscribe(PlatformName.TELEGRAM, GROUPS[1], thread="55", locale="es")
    await house.notify()
    assert await house.settled() == {"sent": 4}

    for channel in (3000, 3001):
        [message] = posts(house.discord, channel)
        embed = message["embeds"][0]
        assert embed["title"] == "gpt-4o-2024-05-13 will be retired"
        assert embed["url"] == "https://developers.openai.com/api/docs/deprecations"
        fields = {f["name"]: f["value"] for f in embed["fields"]}
        stamp = 1802736000  # 2027-02-16 00:00 UTC: Discord shows it in each reader's calendar
        assert fields["Shutdown date"] == f"<t:{stamp}:D> (<t:{stamp}:R>)"
        assert fields["Replacement"] == "gpt-5.6-sol"
        assert message["nonce"].startswith("continuity-")
    assert posts(house.discord, 3002) == [], "the vendor filter holds back another vendor's notice"
    requests = [r for r in house.discord.requests if r.method == "POST" and r.path.endswith("/messages")]
    assert all(r.json["enforce_nonce"] is True for r in requests)

    [english] = house.telegram.sent[GROUPS[0]]
    assert english["parse_mode"] == "HTML" and english["text"].startswith("<b>gpt-4o-2024-05-13 will be retired</b>")
    assert "2027-02-16" in english["text_plain"]
    [spanish] = house.telegram.sent[GROUPS[1]]
    assert "gpt-4o-2024-05-13" in spanish["text_plain"] and "will be retired" not in spanish["text_plain"]
    [call] = [c for c in house.telegram.calls if c.method == "sendMessage" and c.params["chat_id"] == GROUPS[1]]
    assert call.params["message_thread_id"] == 55, "a forum topic gets the message in its topic"


async def test_429s_are_waited_out_and_every_target_gets_exactly_one_message(house):
    for channel in CHANNELS:
        await house.subscribe(PlatformName.DISCORD, channel)
    for group in GROUPS:
        await house.subscribe(PlatformName.TELEGRAM, group)
    house.discord.rate_limit_next(3, route="POST /channels/*/messages", retry_after=0.2)
    house.telegram.rate_limit_next(2, retry_after=1, method="sendMessage")
    await house.notify()
    assert await house.settled() == {"sent": 5}
    assert [len(posts(house.discord, c)) for c in CHANNELS] == [1, 1, 1]
    assert [len(house.telegram.sent[g]) for g in GROUPS] == [1, 1]
    assert sum(r.status == 429 for r in house.discord.requests) == 3
    assert sum(c.status == 429 for c in house.telegram.calls) == 2


async def test_a_channel_the_bot_lost_is_paused_and_the_moderators_are_told(house):
    moderators = await house.subscribe(PlatformName.DISCORD, 3000, flt=AlertFilter(
        categories=(Category.DEPRECATION, Category.STATUS)))
    lost = await house.subscribe(PlatformName.DISCORD, 3001)
    blocked = await house.subscribe(PlatformName.TELEGRAM, GROUPS[0])
    house.discord.forbid_channel(3001)
    house.telegram.kick_from_chat(GROUPS[0])
    await house.notify()
    await until(lambda: len(posts(house.discord, 3000)) == 2)
    await house.settled()

    paused = await house.store.subscriptions.get_subscription(lost.id)
    assert paused is not None and "View Channel, Send Messages and Embed Links" in (paused.paused_reason or "")
    kicked = await house.store.subscriptions.get_subscription(blocked.id)
    assert kicked is not None and "kicked" in (kicked.paused_reason or "")
    titles = sorted(m["embeds"][0]["title"] for m in posts(house.discord, 3000))
    assert titles == ["Alerts paused: #channel-3001", "gpt-4o-2024-05-13 will be retired"], "named as in Discord"
    assert (await house.store.subscriptions.get_subscription(moderators.id)).paused_reason is None

    # Paused means quiet: the next notice does not knock on the closed door again.
    before = len(house.discord.requests)
    await house.notify(dedup_key="second", model="gpt-4o-mini", models=("gpt-4o-mini",))
    await until(lambda: len(posts(house.discord, 3000)) == 3)
    tried = [r.path for r in house.discord.requests[before:] if r.method == "POST"]
    assert tried == ["/channels/3000/messages"]

    listing = await house.services.alert_commands.list_alerts(await _moderator(house))
    assert any("paused: Discord refused access to the channel (code 50001)" in f.value for f in listing.fields)
    assert [f.name for f in listing.fields] == [f"#{moderators.id} #channel-3000", f"#{lost.id} #channel-3001"]
    with use_locale("es"):  # the reason is kept as a message, so each moderator reads it in their language
        listing = await house.services.alert_commands.list_alerts(await _moderator(house))
    assert any("en pausa: Discord denegó el acceso al canal (código 50001)" in f.value for f in listing.fields)
    resumed = await house.services.alert_commands.resume(await _moderator(house), str(lost.id))
    assert "active again" in resumed.body


async def test_a_failing_source_is_reported_in_each_subscriptions_language(house):
    status = AlertFilter(categories=(Category.STATUS,))
    japanese = await house.subscribe(PlatformName.TELEGRAM, GROUPS[0], flt=status, locale="ja")
    spanish = await house.subscribe(PlatformName.TELEGRAM, GROUPS[1], flt=status, locale="es")
    # An address Continuity never fetches (these tests allow loopback, for the fakes; no setting allows ftp):
    # refused for good without a request, so the source is stopped and its communities' moderators are told
    # at once.
    source = await house.store.sources.add_source(Source(0, SourceKind.FEED, Category.NEWS,
                                                         "ftp://127.0.0.1:9/feed.xml", "Vendor feed"))
    for sub in (japanese, spanish):
        await house.store.sources.link_source(sub.community_id, source.id, "p_mod")
    await house.services.watch.check_source(source)
    await house.services.alerts.route_pending()
    assert await house.settled() == {"sent": 2}

    [ja] = house.telegram.texts(GROUPS[0])
    assert ja.startswith("見守っている情報源でエラーが起きています：Vendor feed")
    assert "取得できるのは http と https のアドレスだけで、ftp は取得できません。" in ja
    [es] = house.telegram.texts(GROUPS[1])
    assert es.startswith("Una fuente vigilada está fallando: Vendor feed")
    assert "Solo se pueden leer direcciones http y https, no ftp." in es
    for text in (ja, es):
        assert not any(english in text for english in ("Only http", "can be fetched", "could not read it",
                                                       "is failing", '"message"'))


async def _moderator(house: House):
    community = await house.services.people.community(PlatformName.DISCORD, str(GUILD), "Keep 4o")
    return await house.services.people.actor(PlatformName.DISCORD, str(MEMBER), "mod", client_locale="en",
                                             community=community, is_moderator=True,
                                             channel=Target(PlatformName.DISCORD, "3000"))


async def test_subscribing_through_discord_mentions_only_the_chosen_role(house):
    payload = command_interaction(
        "alerts", subcommand="subscribe", channel_id=3002, user_id=MEMBER, permissions=MANAGE_GUILD,
        options=[option("models", "4o, claude-3-*"), option("role", str(ROLE_ID), ROLE)],
        resolved={"roles": {str(ROLE_ID): {"id": str(ROLE_ID), "name": "4o-keepers", "color": 0, "hoist": False,
                                           "position": 1, "permissions": "0", "managed": False,
                                           "mentionable": True}}})
    answer = await house.discord.interact(payload)
    assert answer["data"]["embeds"][0]["title"].startswith("Subscribed: #")
    await house.notify(title="@everyone <@&1> ping", model="chatgpt-4o-latest", models=("chatgpt-4o-latest",))
    await house.settled()
    [message] = posts(house.discord, 3002)
    assert message["content"] == f"<@&{ROLE_ID}>"
    assert message["mention_everyone"] is False and message["mention_roles"] == [str(ROLE_ID)]
    allowed = house.discord.allowed_mentions[message["id"]]
    assert allowed["parse"] == [] and [str(r) for r in allowed["roles"]] == [str(ROLE_ID)]


async def test_subscribing_a_telegram_group_takes_its_admins_word(house):
    group = GROUPS[0]
    house.telegram.set_chat_member(group, TELEGRAM_USER, "member")
    house.telegram.push_update(command_message("alerts", "subscribe deprecation 4o", chat_id=group,
                                               chat_type="supergroup", user_id=TELEGRAM_USER))
    refused = await until(lambda: house.telegram.texts(group))
    assert refused == ["Only the community's moderators can do that."]
    house.telegram.set_chat_member(group, TELEGRAM_USER, "administrator")
    house.telegram.push_update(command_message("alerts", "subscribe deprecation 4o", chat_id=group,
                                               chat_type="supergroup", user_id=TELEGRAM_USER))
    await until(lambda: len(house.telegram.texts(group)) == 2)
    assert house.telegram.texts(group)[1].startswith("Subscribed: #")
    await house.notify(model="gpt-4o-mini", models=("gpt-4o-mini",))
    await house.notify(model="claude-3-haiku", models=("claude-3-haiku",), vendor="anthropic", dedup_key="c3")
    await house.settled()
    assert [t.split("\n")[0] for t in house.telegram.texts(group)[2:]] == ["gpt-4o-mini will be retired"]


async def test_hostile_feed_text_can_neither_mention_nor_break_markup(house):
    await house.subscribe(PlatformName.DISCORD, 3000, flt=AlertFilter(categories=(Category.NEWS,)))
    await house.subscribe(PlatformName.TELEGRAM, GROUPS[0], flt=AlertFilter(categories=(Category.NEWS,)))
    hostile = '@everyone @here <@&1> <@4000> </b><a href="x">**bold**</a> & <i>'
    await house.notify(kind=NoticeKind.NEWS, category=Category.NEWS, title=hostile, detail=hostile, model=None,
                       models=(), due_date=None, url="https://example.com/?a=1&b=<2>")
    await house.settled()
    [message] = posts(house.discord, 3000)
    assert message["content"] is None or message["content"] == ""
    assert message["mention_everyone"] is False and message["mentions"] == [] and message["mention_roles"] == []
    assert house.discord.allowed_mentions[message["id"]]["parse"] == []
    [sent] = house.telegram.sent[GROUPS[0]]  # the fake parses the HTML as strictly as Telegram: it is valid
    assert sent["text_plain"].startswith(hostile)
    assert [e["type"] for e in sent.get("entities", [])] == ["bold", "text_link"]


async def test_a_personal_ping_arrives_as_a_direct_message_on_both_platforms(house):
    answer = await house.discord.interact(command_interaction(
        "alerts", subcommand="ping on", user_id=MEMBER, options=[option("models", "4o")]))
    assert answer["type"] == 5  # deferred while the hello goes out
    [followup] = await until(lambda: house.discord.followups)
    assert "direct messages about: deprecation, reminder, survey · models: 4o" in \
        followup.body["embeds"][0]["description"]
    house.telegram.push_update(command_message("alerts", "ping on 4o", chat_id=TELEGRAM_USER,
                                               user_id=TELEGRAM_USER))
    await until(lambda: len(house.telegram.texts(TELEGRAM_USER)) == 2)  # the hello, then the answer
    await house.notify()
    await house.notify(dedup_key="other", model="claude-3-haiku", models=("claude-3-haiku",), vendor="anthropic")
    await house.settled()

    dm = next(c for c in house.discord._dms.values() if c["recipients"][0]["id"] == str(MEMBER))
    titles = [m["embeds"][0]["title"] for m in house.discord.messages[int(dm["id"])]]
    assert titles == ["Direct messages are on", "gpt-4o-2024-05-13 will be retired"]
    texts = house.telegram.texts(TELEGRAM_USER)
    assert texts[0].startswith("Direct messages are on") and texts[2].startswith("gpt-4o-2024-05-13 will be retired")
    assert len(texts) == 3, "claude-3-haiku is not what they asked for"


async def test_a_person_who_blocked_the_bot_is_told_how_to_get_pings(house):
    house.telegram.block_chat(TELEGRAM_USER)
    house.telegram.push_update(command_message("alerts", "ping on", chat_id=GROUPS[0], chat_type="supergroup",
                                               user_id=TELEGRAM_USER))
    reply = await until(lambda: house.telegram.texts(GROUPS[0]))
    assert "open a private chat with the bot, press Start" in reply[0]
    assert await house.store.db.fetch_value("SELECT COUNT(*) FROM pings") == 0, "no address kept for nothing"


async def test_a_digest_bundles_due_notices_into_one_message(house):
    sub = await house.subscribe(PlatformName.DISCORD, 3000)
    notices = [await house.store.notices.add_notices([Notice(
        kind=NoticeKind.NEW_DEPRECATION, category=Category.DEPRECATION, title=f"model-{n}", model=f"model-{n}",
        models=(f"model-{n}",), vendor="openai", platform="api", dedup_key=f"digest-{n}")]) for n in range(3)]
    for [notice] in notices:  # routed as a digest window that has just ended
        await house.store.outbox.route(notice.id, [PlannedDelivery(PlatformName.DISCORD, time.time(),
                                                                   subscription_id=sub.id, digest=True)])
    house.services.alerts.wake()
    assert await house.settled() == {"sent": 3}
    [message] = posts(house.discord, 3000)
    embed = message["embeds"][0]
    assert embed["title"] == "3 new notices"
    assert [f["name"] for f in embed["fields"]] == [f"model-{n} will be retired" for n in range(3)]


async def test_alerts_test_posts_a_sample_and_reports_a_missing_permission(house):
    moderator = dict(user_id=MEMBER, permissions=MANAGE_GUILD)
    answer = await house.discord.interact(command_interaction("alerts", subcommand="test", channel_id=3000,
                                                              **moderator))
    assert answer["type"] == 5  # deferred: posting may take a moment
    followup = await until(lambda: house.discord.followups)
    assert followup[-1].body["embeds"][0]["description"] == "A test alert was posted here."
    assert posts(house.discord, 3000)[0]["embeds"][0]["title"] == "Test alert from Continuity"
    house.discord.forbid_channel(3001)
    await house.discord.interact(command_interaction("alerts", subcommand="test", channel_id=3001, **moderator))
    await until(lambda: len(house.discord.followups) == 2)
    assert "View Channel" in house.discord.followups[-1].body["embeds"][0]["description"]



async def test_a_send_repeated_after_a_crash_is_recognised_by_its_nonce(house):
    await house.subscribe(PlatformName.DISCORD, 3000)
    await house.subscribe(PlatformName.TELEGRAM, GROUPS[0])
    await house.notify()
    await house.settled()
    # As if the process had died after the platforms accepted the messages and the pieces were recorded,
    # but before the deliveries were marked sent: still `sending`, and their lease has run out.
    await house.store.db.execute("UPDATE deliveries SET state = 'sending', lease_until = 0")
    await wake_and_settle(house)
    sends = [r for r in house.discord.requests if r.method == "POST" and r.path == "/channels/3000/messages"]
    assert len(sends) == 2 and sends[0].json["nonce"] == sends[1].json["nonce"]
    assert len(posts(house.discord, 3000)) == 1, "Discord answered the retry with the message it already had"
    assert len(house.telegram.sent[GROUPS[0]]) == 1, "the recorded piece is not sent again"

    # Died in the narrowest window: after Telegram accepted the piece, before it was recorded. Telegram has
    # no idempotency key, so this is the one duplicate the README owns up to; Discord still posts once.
    await house.store.db.execute("UPDATE deliveries SET state = 'sending', lease_until = 0, parts_sent = 0")
    await wake_and_settle(house)
    assert len(posts(house.discord, 3000)) == 1
    assert len(house.telegram.sent[GROUPS[0]]) == 2


async def wake_and_settle(house: House) -> None:
    house.services.alerts.wake()
    assert await house.settled() == {"sent": 2}


async def test_a_target_told_to_wait_does_not_hold_up_the_others(house):
    slow = await house.subscribe(PlatformName.TELEGRAM, GROUPS[0])
    await house.subscribe(PlatformName.TELEGRAM, GROUPS[1])
    await house.subscribe(PlatformName.DISCORD, 3000)
    house.telegram.rate_limit_next(1, retry_after=30, method="sendMessage")  # the first send is told: 30 s
    await house.notify()
    await until(lambda: house.telegram.sent.get(GROUPS[1]) and posts(house.discord, 3000))
    waiting = await until(lambda: house.store.db.fetch_all(
        "SELECT state, due_at, last_error FROM deliveries WHERE subscription_id = ? AND state = 'pending'",
        (slow.id,)))
    [(state, due_at, error)] = [tuple(row) for row in waiting]
    assert state == "pending" and 20 < due_at - time.time() <= 30 and error == "Telegram asked to slow down."
    assert GROUPS[0] not in house.telegram.sent


async def test_notices_that_waited_too_long_are_dropped_not_posted_late(house):
    await house.subscribe(PlatformName.DISCORD, 3000)
    [old] = await house.store.notices.add_notices([Notice(
        kind=NoticeKind.NEWS, category=Category.DEPRECATION, title="Old news", dedup_key="old")])
    # Stored four days ago, while (say) the Discord token was missing: nobody wants it now.
    await house.store.db.execute("UPDATE notices SET created_at = '2026-01-01T00:00:00+00:00' WHERE id = ?",
                                 (old.id,))
    await house.services.alerts.route_pending()
    assert await house.settled() == {"failed": 1}
    assert posts(house.discord, 3000) == []
    error = await house.store.db.fetch_value("SELECT last_error FROM deliveries")
    assert error.startswith("Too late to be useful")


MIRROR = """# Deprecations

## Deprecation history

### 2099-01-01: Snapshots

| Shutdown date    | Model snapshot   | Recommended replacement |
| ---------------- | ---------------- | ----------------------- |
| March 3, 2099    | `gpt-4o-mirror`  | `gpt-5.6-sol`           |
{extra}
"""


async def test_a_communitys_own_page_is_posted_there_and_nowhere_else(house):
    """A Discord community adds its own page; a Telegram community subscribed to everything hears nothing of it,
    and its /deprecations does not show it, while the Discord community's shows it marked as its own."""
    pages = FeedServer()
    await pages.start()
    try:
        await house.subscribe(PlatformName.DISCORD, 3000)
        await house.subscribe(PlatformName.TELEGRAM, GROUPS[0])
        pages.serve("/mirror.md", MIRROR.format(extra=""), content_type="text/markdown")
        await house.discord.interact(command_interaction(
            "sources", subcommand="add", channel_id=3000, user_id=MEMBER, permissions=MANAGE_GUILD,
            options=[option("address", pages.url("/mirror.md")), option("category", "deprecation"),
                     option("page", "openai")]))
        [added] = await until(lambda: house.discord.followups)
        assert "Found 1 models." in added.body["embeds"][0]["description"]

        pages.serve("/mirror.md", MIRROR.format(extra="| April 4, 2099    | `o9-invented`    | `none`  |"),
                    content_type="text/markdown")
        [mine] = [s for s in await house.store.sources.list_sources() if not s.builtin]
        await house.services.watch.check_source(mine)  # as the scheduler's poll does
        await house.settled()
        assert [m["embeds"][0]["title"] for m in posts(house.discord, 3000)] == ["o9-invented will be retired"]
        assert GROUPS[0] not in house.telegram.sent, "the other community is told nothing"

        house.telegram.push_update(command_message("deprecations", chat_id=GROUPS[0], chat_type="supergroup",
                                                   user_id=TELEGRAM_USER))
        [listed] = await until(lambda: house.telegram.texts(GROUPS[0]))
        assert listed.startswith("Upcoming retirements") and "invented" not in listed and "mirror" not in listed
        answer = await house.discord.interact(command_interaction("deprecations", subcommand="list", channel_id=3000,
                                                                  user_id=MEMBER))
        fields = {f["name"]: f["value"] for f in answer["data"]["embeds"][0]["fields"]}
        assert "from a source this community added" in fields["o9-invented · OpenAI API"]
    finally:
        await pages.stop()
