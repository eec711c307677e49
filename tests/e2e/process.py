"""Run `python -m bot` as a separate process, as a self-hoster would, in a folder of its own."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

SETTINGS = ("DISCORD_TOKEN", "TELEGRAM_TOKEN", "DATABASE_PATH", "DISCORD_API_BASE", "DISCORD_GATEWAY_URL",
            "DISCORD_DEV_GUILD", "TELEGRAM_API_BASE", "LOG_LEVEL", "DEFAULT_LOCALE", "MODERATOR_ROLE",
            "PSEUDONYM_SECRET", "WATCH_ENABLED", "WATCH_BUILTIN_SOURCES", "WATCH_ALLOW_PRIVATE_ADDRESSES",
            "REMINDER_DAYS", "SURVEY_REMINDER_DAYS", "DELIVERY_LEASE_SECONDS")
# Tests have no internet, and the network guard in tests/conftest.py cannot reach into a child process: the
# built-in catalogue is not polled unless a test asks for it, and every platform address defaults to a closed
# port on 127.0.0.1 (a test that starts a platform points it at a fake), never at discord.com or telegram.org.
NOWHERE = "127.0.0.1:9"
QUIET = {"WATCH_BUILTIN_SOURCES": "false", "DISCORD_API_BASE": f"http://{NOWHERE}/api/v10",
         "DISCORD_GATEWAY_URL": f"ws://{NOWHERE}", "TELEGRAM_API_BASE": f"http://{NOWHERE}/bot"}


def bot_env(**settings: str) -> dict[str, str]:
    """The current environment without any Continuity setting of the developer's, plus `settings`."""
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS and k not in ("LANG", "LC_ALL", "LC_MESSAGES")}
    env.update(QUIET)
    env.update(settings)
    for name in ("DISCORD_API_BASE", "DISCORD_GATEWAY_URL", "TELEGRAM_API_BASE"):
        assert urlsplit(env[name]).hostname in ("127.0.0.1", "::1"), f"{name} must stay on loopback: {env[name]}"
    return env


def run_bot(folder: Path, *args: str, stdin: str | Path | None = "",
            **settings: str) -> subprocess.CompletedProcess[str]:
    """Text is piped in; a Path is given as a regular file (`< script.txt`); None gives the bot /dev/null, as a
    service manager does."""
    if isinstance(stdin, Path):
        with stdin.open("rb") as file:
            return subprocess.run([sys.executable, "-m", "bot", *args], cwd=folder, text=True, capture_output=True,
                                  env=bot_env(**settings), timeout=60, check=False, stdin=file)
    feed = {"input": stdin} if stdin is not None else {"stdin": subprocess.DEVNULL}
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=folder, text=True, capture_output=True,
                          env=bot_env(**settings), timeout=60, check=False, **feed)


async def start_bot(folder: Path, *args: str, stdin: bool = False, **settings: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, cwd=folder, env=bot_env(**settings),
        stdin=asyncio.subprocess.PIPE if stdin else asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
