"""The outbox survives a crash: a bot process delivering a fan-out is killed with SIGKILL part-way,
started again on the same database, and finishes. Counted at the fakes: nothing lost; on Discord nothing
posted twice (the nonce makes a retried send the same message); on Telegram, which has no idempotency key,
at most the sends that were in flight at the moment of the kill."""

from __future__ import annotations

from bot.alerts.worker import IN_FLIGHT
from tests.e2e.fanout import FanOut

TARGETS = 120  # enough that Discord, the faster of the two, is far from done when Telegram has begun


async def test_a_killed_bot_finishes_its_fan_out_after_a_restart_without_duplicates_on_discord(tmp_path):
    async with FanOut(tmp_path, channels=TARGETS, chats=TARGETS, lease_seconds=2) as run:
        await run.start_bot()
        await run.wait_for(discord=TARGETS // 3, telegram=TARGETS // 12, timeout=60)
        await run.kill()
        before = run.delivered()
        assert before["discord"] < TARGETS and before["telegram"] < TARGETS, "killed too late to prove anything"

        await run.start_bot()
        await run.wait_for(discord=TARGETS, telegram=TARGETS, timeout=60)
        assert await run.stop() == 0

        figures = run.figures()
        assert figures["discord"]["lost"] == 0 and figures["telegram"]["lost"] == 0
        assert figures["discord"]["duplicates"] == 0
        assert figures["telegram"]["duplicates"] <= IN_FLIGHT
