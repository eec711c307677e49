"""The outbox's narrow windows, closed and shown through the real discord.py and python-telegram-bot against the
fakes: a sent message (or a piece of one) the database is too busy to record is not sent again, even once the
send's own timeout has passed; failing a batch and pausing its target are
one transaction; a resend later than Discord remembers the nonce looks in the channel before posting."""

from __future__ import annotations

import asyncio
import sqlite3

from bot.domain import PlatformName
from tests.e2e.test_alerts import GROUPS, House, posts, until

CHANNEL = 3000
RECORDING_FAILED = "Recording the outcome of delivery batch"


def message_posts(house: House, channel: int) -> list:
    return [r for r in house.discord.requests if r.method == "POST" and r.path == f"/channels/{channel}/messages"]


async def states(house: House) -> list[str]:
    return [row[0] for row in await house.store.db.fetch_all("SELECT state FROM deliveries ORDER BY id")]


async def test_a_sent_message_the_database_is_too_busy_to_record_is_not_sent_again(house, caplog):
    await house.subscribe(PlatformName.DISCORD, CHANNEL)
    await house.store.db.execute("PRAGMA busy_timeout = 20")  # busy at once, not after five seconds
    other = sqlite3.connect(house.store.db.path, isolation_level=None, check_same_thread=False)

    async def busy_while_discord_answers(record) -> None:  # another writer takes the lock meanwhile
        if record.method == "POST" and record.path == f"/channels/{CHANNEL}/messages":
            await asyncio.to_thread(other.execute, "BEGIN IMMEDIATE")

    house.discord.on_request = busy_while_discord_answers
    await house.notify()
    await until(lambda: RECORDING_FAILED in caplog.text)
    assert await states(house) == ["sending"]
    await asyncio.to_thread(other.execute, "ROLLBACK")
    other.close()
    assert await house.settled() == {"sent": 1}
    assert len(message_posts(house, CHANNEL)) == 1 and len(posts(house.discord, CHANNEL)) == 1


async def test_a_piece_sent_while_the_database_is_busy_past_the_send_timeout_is_not_sent_again(house, caplog):
    """Telegram accepts a piece; the database stays busy for longer than the send may take (half the lease, 2.5 s
    here), so the send is given up while the piece is still being written down: the writing goes on, and the
    retry resumes after that piece instead of sending it a second time (Telegram has no idempotency key)."""
    await house.subscribe(PlatformName.TELEGRAM, GROUPS[0])
    await house.store.db.execute("PRAGMA busy_timeout = 20")
    other = sqlite3.connect(house.store.db.path, isolation_level=None, check_same_thread=False)
    lease = house.services.settings.delivery_lease_seconds

    async def busy_past_the_timeout(call) -> None:
        if call.method == "sendMessage" and house.telegram.on_answer is not None:
            house.telegram.on_answer = None  # the first piece only
            await asyncio.to_thread(other.execute, "BEGIN IMMEDIATE")
            # Released well after the send's timeout (which started before this answer) has fired.
            asyncio.get_running_loop().call_later(lease / 2 + 1, other.execute, "ROLLBACK")

    house.telegram.on_answer = busy_past_the_timeout
    await house.notify()
    await until(lambda: RECORDING_FAILED in caplog.text)
    assert await house.settled() == {"sent": 1}
    other.close()
    assert len(house.telegram.sent[GROUPS[0]]) == 1, "the piece Telegram accepted is not sent again"


async def test_failing_a_batch_and_pausing_its_target_happen_together_or_not_at_all(house, caplog):
    subscription = await house.subscribe(PlatformName.DISCORD, CHANNEL)
    house.discord.forbid_channel(CHANNEL)
    # The database refuses the pause (as a full disk would): the batch must not be failed without it.
    await house.store.db.execute("CREATE TRIGGER refuse_pause BEFORE UPDATE OF paused_at ON subscriptions "
                                 "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END")
    await house.notify()
    await until(lambda: RECORDING_FAILED in caplog.text)
    assert await states(house) == ["sending"]
    assert (await house.store.subscriptions.get_subscription(subscription.id)).paused_at is None
    await house.store.db.execute("DROP TRIGGER refuse_pause")
    assert await house.settled() == {"failed": 1}
    paused = await house.store.subscriptions.get_subscription(subscription.id)
    assert paused.paused_at is not None and "View Channel" in paused.paused_reason
    assert len(message_posts(house, CHANNEL)) == 1


async def resend_an_hour_later(house: House) -> dict[str, int]:
    """As if the process died after Discord accepted the message, before it was recorded, and came back an
    hour later: still `sending`, its lease run out, its first attempt long past Discord's memory of the nonce."""
    house.discord.nonce_window = 0
    await house.store.db.execute(
        "UPDATE deliveries SET state = 'sending', lease_until = 0, first_attempt_at = first_attempt_at - 3600")
    house.services.alerts.wake()
    return await house.settled()


async def test_a_resend_after_discord_forgot_the_nonce_looks_in_the_channel_first(house):
    await house.subscribe(PlatformName.DISCORD, CHANNEL)
    await house.notify()
    await house.settled()
    [posted] = posts(house.discord, CHANNEL)

    assert await resend_an_hour_later(house) == {"sent": 1}
    assert len(message_posts(house, CHANNEL)) == 1, "found in the channel: not posted again"
    looked = [r for r in house.discord.requests if r.method == "GET" and r.path == f"/channels/{CHANNEL}/messages"]
    assert len(looked) == 1 and int(looked[0].query["after"]) < int(posted["id"])
    recorded = await house.store.db.fetch_value("SELECT message_id FROM deliveries")
    assert recorded == posted["id"]

    # A message that is not there (it never arrived, or a moderator deleted it) is sent again.
    house.discord.messages[CHANNEL].clear()
    assert await resend_an_hour_later(house) == {"sent": 1}
    assert len(message_posts(house, CHANNEL)) == 2 and len(posts(house.discord, CHANNEL)) == 1


async def test_another_bots_message_or_another_alert_is_not_taken_for_ours(house):
    await house.subscribe(PlatformName.DISCORD, CHANNEL)
    await house.notify(title="gpt-4-0613", model="gpt-4-0613", models=("gpt-4-0613",))
    await house.settled()
    [ours] = posts(house.discord, CHANNEL)
    house.discord.messages[CHANNEL] = [{**ours, "author": {**ours["author"], "id": "999"}}]  # same embed, not us
    assert await resend_an_hour_later(house) == {"sent": 1}
    assert len(message_posts(house, CHANNEL)) == 2
