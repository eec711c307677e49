"""The platforms failing under the bot, through the real discord.py and python-telegram-bot against the fakes:
the Discord gateway dropped (resumed) and a session invalidated (identified anew), storms of 5xx and 429 on
Discord's REST API, Telegram's long poll answering 502 and 429, sends failing on both. Commands keep being
answered after each, and every queued alert arrives exactly once."""

from __future__ import annotations

from bot.domain import PlatformName
from tests.e2e.test_alerts import GROUPS, House, posts, until
from tests.fakes.discord_payloads import command_interaction
from tests.fakes.telegram_payloads import command_message

CHANNELS = (3000, 3001, 3002)
HELP = "Continuity: help"


async def answers_help_on_discord(house: House) -> bool:
    callback = await house.discord.interact(command_interaction("help"), timeout=30)
    return callback["data"]["embeds"][0]["title"] == HELP


async def answers_help_on_telegram(house: House, chat: int = 5000) -> bool:
    after = len(house.telegram.calls)
    house.telegram.push_update(command_message("help", chat_id=chat, user_id=chat))
    call = await house.telegram.wait_for_call("sendMessage", lambda c: c.status == 200, timeout=30, after=after)
    return int(call.params["chat_id"]) == chat


async def settled(house: House) -> dict[str, int]:
    return await until(house._settled, timeout=60)


def identifies(house: House) -> int:
    return sum(1 for frame in house.discord.gateway_received if frame.get("op") == 2)


async def test_a_dropped_gateway_resumes_an_invalid_session_identifies_anew_and_commands_go_on(house):
    for channel in CHANNELS:
        await house.subscribe(PlatformName.DISCORD, channel)
    assert await answers_help_on_discord(house)

    await house.discord.drop_connection(code=4000)  # a network failure: the same session, resumed
    assert house.discord.resumes == 1 and identifies(house) == 1
    await house.notify()  # while the gateway was away and back: alerts go by REST, untouched
    assert await answers_help_on_discord(house)

    await house.discord.invalidate_session()  # Discord forgot the session: a new one
    assert identifies(house) == 2
    assert await answers_help_on_discord(house)
    assert await settled(house) == {"sent": len(CHANNELS)}
    assert [len(posts(house.discord, channel)) for channel in CHANNELS] == [1, 1, 1]


async def test_a_storm_of_discord_server_errors_and_429s_loses_nothing_and_posts_nothing_twice(house):
    for channel in CHANNELS:
        await house.subscribe(PlatformName.DISCORD, channel)
    house.discord.fail_next(2, status=502, route="POST /channels/*/messages")
    house.discord.fail_next(1, status=503, route="POST /channels/*/messages")
    house.discord.rate_limit_next(4, retry_after=0.2, route="POST /channels/*/messages")
    house.discord.rate_limit_next(1, retry_after=0.2, route="POST /channels/*/messages", is_global=True)
    await house.notify()
    assert await answers_help_on_discord(house), "commands are answered in the storm"
    assert await settled(house) == {"sent": len(CHANNELS)}
    assert [len(posts(house.discord, channel)) for channel in CHANNELS] == [1, 1, 1]
    statuses = [r.status for r in house.discord.requests if r.method == "POST" and r.path.endswith("/messages")]
    assert statuses.count(502) == 2 and statuses.count(503) == 1 and statuses.count(429) == 5


async def test_telegrams_long_poll_failing_and_limited_is_ridden_out(house):
    assert await answers_help_on_telegram(house)
    house.telegram.fail_next(2, status=502, method="getUpdates")
    house.telegram.rate_limit_next(1, retry_after=1, method="getUpdates")
    assert await answers_help_on_telegram(house, chat=5001)  # taken by the long poll already waiting
    assert await answers_help_on_telegram(house, chat=5002), "answered once the long poll is back"
    statuses = [call.status for call in house.telegram.calls if call.method == "getUpdates"]
    assert statuses.count(502) == 2 and statuses.count(429) == 1


async def test_telegram_send_failures_are_retried_and_every_queued_alert_arrives_once(house):
    for group in GROUPS:
        await house.subscribe(PlatformName.TELEGRAM, group)
    house.telegram.fail_next(2, status=502, method="sendMessage")
    await house.notify()
    assert await settled(house) == {"sent": len(GROUPS)}
    assert [len(house.telegram.sent.get(group, [])) for group in GROUPS] == [1, 1]
    assert await answers_help_on_telegram(house)


async def test_a_reply_telegram_asks_to_slow_down_is_sent_after_the_wait_not_turned_into_an_error(house):
    house.telegram.rate_limit_next(1, retry_after=1, method="sendMessage")
    after = len(house.telegram.calls)
    house.telegram.push_update(command_message("help", chat_id=5003, user_id=5003))
    sent = await house.telegram.wait_for_call("sendMessage", lambda c: c.status == 200, timeout=30, after=after)
    refused = [c for c in house.telegram.calls[after:] if c.method == "sendMessage" and c.status == 429]
    assert len(refused) == 1 and refused[0].params["text"] == sent.params["text"], "the same reply, later"
    assert "went wrong" not in sent.params["text"]
