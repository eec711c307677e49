"""The instance's secrets go nowhere: the Discord and Telegram tokens and the pseudonym key appear in no log
line (at DEBUG), no message or file the bot sent, no export, no backup or its output, no dump of the database
and no byte of the database files, after a run that served people and met errors on both platforms."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sqlite3
import zipfile
from pathlib import Path

from tests.e2e.process import run_bot, start_bot
from tests.e2e.test_run import discord_settings, telegram_settings
from tests.fakes.discord_api import FakeDiscord
from tests.fakes.discord_payloads import command_interaction
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.telegram_payloads import command_message

DISCORD_TOKEN = "MTAwMQ.secret-discord-part.token-tail-value"
TELEGRAM_TOKEN = "654321:secret-telegram-token-part"
PERSON = 5000


def secrets_of(folder: Path) -> dict[str, str]:
    key = (folder / "data" / "pseudonym.key").read_text().strip()
    return {"Discord token": DISCORD_TOKEN, "its secret part": "secret-discord-part.token-tail-value",
            "Telegram token": TELEGRAM_TOKEN, "its secret part ": "secret-telegram-token-part",
            "pseudonym key": key, "half of the key": key[:32]}


def database_dump(path: Path) -> str:
    # Closed here: left to the cycle collector, its close could remove the -wal and -shm files while the test
    # reads them below (Python 3.11's connection is freed only by the collector).
    with contextlib.closing(sqlite3.connect(path)) as db:
        return "\n".join(db.iterdump())


async def test_no_secret_leaves_the_process(tmp_path):
    telegram = FakeTelegram(token=TELEGRAM_TOKEN, bot_id=654321)
    discord = FakeDiscord(token=DISCORD_TOKEN)
    discord.add_guild(2000, "Keep 4o", channels=[3000])
    await telegram.start()
    await discord.start()
    try:
        process = await start_bot(tmp_path, "run", LOG_LEVEL="DEBUG", **discord_settings(discord),
                                  **telegram_settings(telegram))
        await discord.wait_ready(timeout=30)
        await telegram.wait_until_polled(timeout=30)
        telegram.push_update(command_message("alerts", "ping on", chat_id=PERSON, user_id=PERSON))
        await telegram.wait_for_call("sendMessage", timeout=10)
        telegram.push_update(command_message("mydata", chat_id=PERSON, user_id=PERSON))
        await telegram.wait_for_call("sendDocument", timeout=10)
        telegram.rate_limit_next(1, retry_after=1, method="sendMessage")  # an error on the way, logged
        before = len(telegram.calls)
        telegram.push_update(command_message("help", chat_id=PERSON, user_id=PERSON))
        await telegram.wait_for_call("sendMessage", lambda call: call.status == 200, timeout=20, after=before)
        discord.rate_limit_next(1, route="POST /interactions/*")
        await discord.interact(command_interaction("help"), timeout=30)
        await discord.interact(command_interaction("mydata"), timeout=30)
        process.send_signal(signal.SIGTERM)
        out, err = await asyncio.wait_for(process.communicate(), 30)
        assert process.returncode == 0, err.decode()
    finally:
        await discord.stop()
        await telegram.stop()

    (tmp_path / "backups").mkdir()
    backup = run_bot(tmp_path, "backup", "backups")
    export = run_bot(tmp_path, "export", "--format", "bundle", "--out", "statement.zip")
    assert backup.returncode == 0 and export.returncode == 0, backup.stderr + export.stderr
    haystacks = {
        "the log": out.decode() + err.decode(),
        "the backup's output": backup.stdout + backup.stderr,
        "the export's output": export.stdout + export.stderr,
        "what the bot sent on Telegram": repr([(c.params, c.files) for c in telegram.calls]),
        "what the bot sent on Discord": repr([(r.path, r.json, r.files) for r in discord.requests
                                              if "/interactions/" in r.path or "/webhooks/" in r.path]),
        "a dump of the database": database_dump(tmp_path / "data" / "continuity.db"),
    }
    with zipfile.ZipFile(tmp_path / "statement.zip") as bundle:
        haystacks.update({f"the export's {name}": bundle.read(name).decode("utf-8", "replace")
                          for name in bundle.namelist()})
    for path in [*(tmp_path / "data").glob("continuity.db*"), *(tmp_path / "backups").iterdir()]:
        haystacks[f"the bytes of {path.name}"] = path.read_bytes().decode("latin-1")
    assert "sendDocument" in {call.method for call in telegram.calls}  # a file of the person's data went out
    assert leaks(secrets_of(tmp_path), haystacks) == []


def leaks(secrets: dict[str, str], haystacks: dict[str, str]) -> list[tuple[str, str]]:
    return [(secret, where) for secret, value in secrets.items() for where, text in haystacks.items()
            if value in text]


def test_the_search_finds_a_secret_where_it_is(tmp_path):
    """The check above can fail: the key file itself, searched the same way, holds the key."""
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "pseudonym.key").write_text("k" * 64 + "\n")
    key_file = {"the key file": (tmp_path / "data" / "pseudonym.key").read_bytes().decode("latin-1")}
    assert ("pseudonym key", "the key file") in leaks(secrets_of(tmp_path), key_file)
