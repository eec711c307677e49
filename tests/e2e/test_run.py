"""`python -m bot run` as a self-hoster starts it: every platform with a token, in one process, against
the fakes; a signal stops it cleanly; tokens never reach the log; a wrong token is one clear line."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import AsyncIterator

import pytest

from tests.e2e.process import start_bot
from tests.fakes.discord_api import FakeDiscord
from tests.fakes.discord_payloads import command_interaction
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.telegram_payloads import command_message


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegram]:
    server = FakeTelegram()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def discord() -> AsyncIterator[FakeDiscord]:
    server = FakeDiscord(token="MTAwMQ.fake-discord.token-value")
    server.add_guild(2000, "Keep 4o", channels=[3000])
    await server.start()
    yield server
    await server.stop()


def discord_settings(fake: FakeDiscord, token: str | None = None) -> dict[str, str]:
    return {"DISCORD_TOKEN": token or fake.token, "DISCORD_API_BASE": fake.api_base,
            "DISCORD_GATEWAY_URL": fake.gateway_url}


def telegram_settings(fake: FakeTelegram, token: str | None = None) -> dict[str, str]:
    return {"TELEGRAM_TOKEN": token or fake.token, "TELEGRAM_API_BASE": fake.base_url}


async def _stop(process: asyncio.subprocess.Process) -> tuple[int, str]:
    process.send_signal(signal.SIGTERM)
    _stdout, stderr = await asyncio.wait_for(process.communicate(), 30)
    return process.returncode, stderr.decode()


async def test_telegram_only_serves_until_sigterm_and_never_logs_the_token(tmp_path, telegram):
    process = await start_bot(tmp_path, "run", LOG_LEVEL="DEBUG", **telegram_settings(telegram))
    await telegram.wait_until_polled(timeout=30)
    telegram.push_update(command_message("help", chat_id=5000))
    await telegram.wait_for_call("sendMessage", timeout=10)
    code, log = await _stop(process)
    assert code == 0, log
    assert "Telegram front door is up" in log and "Stopped" in log
    assert telegram.token not in log and telegram.token.split(":")[1] not in log
    assert "Continuity watches" not in log, "message text is never logged"


async def test_a_wrong_telegram_token_is_one_clear_line(tmp_path, telegram):
    wrong = "999:wrong-token-value"
    process = await start_bot(tmp_path, "run", **telegram_settings(telegram, wrong))
    _stdout, stderr = await asyncio.wait_for(process.communicate(), 30)
    log = stderr.decode()
    assert process.returncode == 1
    assert "Telegram refused TELEGRAM_TOKEN" in log and "@BotFather" in log
    assert "Traceback" not in log and wrong not in log and "wrong-token-value" not in log


async def test_both_platforms_run_in_one_process(tmp_path, discord, telegram):
    process = await start_bot(tmp_path, "run", LOG_LEVEL="DEBUG", **discord_settings(discord),
                              **telegram_settings(telegram))
    await discord.wait_ready(timeout=30)
    await telegram.wait_until_polled(timeout=30)
    await discord.wait_for_request(lambda r: r.method == "PUT" and r.path.endswith("/commands"), timeout=30)
    callback = await discord.interact(command_interaction("help"), timeout=30)
    assert callback["data"]["embeds"][0]["title"] == "Continuity: help"
    telegram.push_update(command_message("help", chat_id=5000))
    await telegram.wait_for_call("sendMessage", timeout=10)
    code, log = await _stop(process)
    assert code == 0, log
    assert "Discord front door is up" in log and "Telegram front door is up" in log
    for secret in (discord.token, telegram.token, "fake-discord.token-value"):
        assert secret not in log
    assert "Continuity watches" not in log and "Show what Continuity" not in log, "message text is never logged"


async def test_a_wrong_discord_token_is_one_clear_line(tmp_path, discord):
    wrong = "MTAwMQ.wrong.discord-token"
    process = await start_bot(tmp_path, "run", **discord_settings(discord, wrong))
    _stdout, stderr = await asyncio.wait_for(process.communicate(), 30)
    log = stderr.decode()
    assert process.returncode == 1
    assert "Discord refused DISCORD_TOKEN" in log and "Reset Token" in log
    assert "Traceback" not in log and wrong not in log
