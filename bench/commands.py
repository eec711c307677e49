"""Answering commands during a large fan-out: how long people wait for the bot's first answer while it posts one
alert to 1,000 Discord channels and 1,000 Telegram chats.

The fan-out is the one `bench/fanout.py` measures (tests/e2e/fanout.py: `python -m bot run` as a separate
process, the fakes enforcing the platforms' published limits). Once it is flowing, 1,000 Discord slash
commands (`/deprecations list`, each from its own member, in a server of their own) and 1,000 Telegram
commands (`/deprecations`, each from its own person in a private chat) arrive evenly over ten seconds. The
time is measured at the fakes, from the moment the interaction or update is handed to the bot (the gateway
event sent; the update queued for the waiting long poll) to the bot's first answer arriving there (the
interaction callback; the sendMessage). The fakes' checks against the API specs are off: they cost the fakes'
process more than the bot spends answering, and would be timed as the bot's.

The fake counts replies against Telegram's overall limit (about 30 messages a second), which the fan-out
already uses 0.96 of; Telegram words that limit for bulk notifications. So the whole run is made twice, with
`--limits published` (the fake as it is) and `replies-uncounted` (its overall limit lifted; the bot still paces
its fan-out, and per-chat limits stay), the second measuring the bot's own answer path. One JSON line per
platform and run:

    {"platform": "discord", "limits": "published", "commands": 1000, "p50_ms": 45.3, "p99_ms": 104.0,
     "max_ms": 119.1, "errors": 0, "error_reasons": {}, "fanout_per_s": 28.2, ..., "met": true}

An error is a command with no answer within 30 s, an answer the fake refused (a 429), or an answer other than
the list asked for. `fanout_per_s` is the fan-out's pace at the fake while the commands were answered
(bench/fanout.py: 48 and 29 messages/s with no commands). Discord requires the first answer within 3 s; the
target is a p99 under 300 ms and no error.

    .venv/bin/python -m bench.commands                    # both runs, about 30 s
    .venv/bin/python -m bench.commands --limits published --commands 200
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.e2e.fanout import FanOut
from tests.fakes.discord_payloads import command_interaction
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.telegram_payloads import command_message

DISCORD_LIMIT_S = 3.0
TARGET_P99_MS = 300.0
ANSWER_TIMEOUT = 30.0
COMMANDS_GUILD, COMMANDS_CHANNEL = 8_000, 8_001  # not among the fan-out's: its channels get only the alert
FIRST_MEMBER = 50_000
TITLE = "Upcoming retirements"  # what /deprecations answers, whatever it lists
# Telegram's overall limit (about 30 messages a second) is worded for bulk notifications; the fake counts every
# message against it, replies included. `published` keeps that; `replies-uncounted` lifts the overall limit at
# the fake, so what is measured is the bot's own answer path (per-chat limits stay).
PUBLISHED, UNCOUNTED = "published", "replies-uncounted"


@dataclass
class Waits:
    """When each command was handed to the bot and when its first answer came, by the fakes' clock."""

    sent: dict[int, float] = field(default_factory=dict)
    answered: dict[int, float] = field(default_factory=dict)
    errors: dict[int, str] = field(default_factory=dict)

    def done(self, key: int, ok: bool, why: str = "") -> None:
        if ok:
            self.answered[key] = time.perf_counter()
        else:
            self.errors[key] = why

    def figures(self) -> dict[str, object]:
        waits = sorted((self.answered[k] - self.sent[k]) * 1000 for k in self.answered)
        missing = [k for k in self.sent if k not in self.answered and k not in self.errors]
        cent = statistics.quantiles(waits, n=100, method="inclusive") if len(waits) > 1 else waits * 99
        reasons: dict[str, int] = {}
        for why in [*self.errors.values(), *["no answer"] * len(missing)]:
            reasons[why] = reasons.get(why, 0) + 1
        return {"commands": len(self.sent), "p50_ms": round(cent[49], 1), "p99_ms": round(cent[98], 1),
                "max_ms": round(waits[-1], 1) if waits else None, "errors": len(self.errors) + len(missing),
                "error_reasons": reasons}


async def on_schedule(count: int, seconds: float, offset: float, send: Callable[[int], Awaitable[None]]) -> None:
    """`send(n)` for n in 0…count-1, evenly over `seconds`, each in a task of its own (nobody waits for anyone)."""
    started, tasks = time.perf_counter(), []
    for n in range(count):
        delay = started + offset + n * seconds / count - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(send(n)))
    await asyncio.gather(*tasks)


def discord_sender(run: FanOut, waits: Waits) -> Callable[[int], Awaitable[None]]:
    async def send(n: int) -> None:
        payload = command_interaction("deprecations", subcommand="list", guild_id=COMMANDS_GUILD,
                                      channel_id=COMMANDS_CHANNEL, user_id=FIRST_MEMBER + n)
        waits.sent[n] = time.perf_counter()
        try:
            answer = await run.discord.interact(payload, timeout=ANSWER_TIMEOUT)
        except TimeoutError:
            return waits.done(n, False, "no answer")
        embeds = (answer.get("data") or {}).get("embeds") or [{}]
        waits.done(n, embeds[0].get("title") == TITLE, f"answered {embeds[0].get('title')!r}")
    return send


def telegram_sender(run: FanOut, waits: Waits) -> Callable[[int], Awaitable[None]]:
    async def send(n: int) -> None:
        person = FIRST_MEMBER + n
        waits.sent[person] = time.perf_counter()
        run.telegram.push_update(command_message("deprecations", chat_id=person, user_id=person))
    return send


async def watch_telegram(fake: FakeTelegram, waits: Waits, count: int) -> None:
    """Record the first sendMessage to each person's chat as the fake answers it (a 429 is an error)."""
    seen, deadline = 0, time.monotonic() + ANSWER_TIMEOUT * 2
    while len(waits.answered) + len(waits.errors) < count and time.monotonic() < deadline:
        try:
            await fake.wait_for_call("sendMessage", timeout=1.0, after=seen)
        except TimeoutError:
            continue
        calls, seen = fake.calls[seen:], len(fake.calls)
        for call in calls:
            person = int(call.params.get("chat_id", 0))
            if call.method != "sendMessage" or person not in waits.sent or person in waits.answered \
                    or person in waits.errors:
                continue
            if call.status != 200:
                waits.done(person, False, f"HTTP {call.status}: {call.description}")
            else:
                waits.done(person, TITLE in str(call.params.get("text", "")), "another answer")


def fanout_count(run: FanOut) -> dict[str, int]:
    """Fan-out targets with their alert (the people's private chats are not among them)."""
    return {"discord": len(run.discord.messages),
            "telegram": sum(1 for chat in run.chat_ids if chat in run.telegram.sent)}


async def measure(targets: int, commands: int, seconds: float, limits: str) -> list[dict[str, object]]:
    with tempfile.TemporaryDirectory(prefix="continuity-commands-") as folder:
        async with FanOut(Path(folder), channels=targets, chats=targets, check_specs=False) as run:
            run.discord.add_guild(COMMANDS_GUILD, "Commands", channels=[COMMANDS_CHANNEL])
            if limits == UNCOUNTED:  # the bot still paces its fan-out to 0.96 of it; only replies go past it
                run.telegram.global_limit = 1_000_000
            await run.start_bot()
            await run.wait_for(discord=targets // 20, telegram=targets // 20, timeout=120)  # flowing
            gc.freeze()  # the fakes' state is long-lived: their collector's pauses are not the bot's to answer for
            discord, telegram = Waits(), Waits()
            before, started = fanout_count(run), time.perf_counter()
            await asyncio.gather(
                on_schedule(commands, seconds, 0.0, discord_sender(run, discord)),
                on_schedule(commands, seconds, seconds / commands / 2, telegram_sender(run, telegram)),
                watch_telegram(run.telegram, telegram, commands))
            took, after = time.perf_counter() - started, fanout_count(run)
            await run.stop()
    rows: list[dict[str, Any]] = []
    for platform, waits in (("discord", discord), ("telegram", telegram)):
        figures = waits.figures()
        rows.append({"platform": platform, "limits": limits, **figures, "seconds": round(seconds, 1),
                     "fanout_per_s": round((after[platform] - before[platform]) / took, 1),
                     "fanout_still_running": after[platform] < targets,
                     "target_p99_ms": TARGET_P99_MS, "discord_limit_ms": DISCORD_LIMIT_S * 1000,
                     "met": figures["errors"] == 0 and (figures["p99_ms"] or 0) < TARGET_P99_MS})
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.commands", description=__doc__.split("\n\n")[0])
    parser.add_argument("--commands", type=int, default=1000, help="commands per platform (default 1000)")
    parser.add_argument("--seconds", type=float, default=10.0, help="over how long they arrive (default 10)")
    parser.add_argument("--targets", type=int, default=1000, help="fan-out channels and chats (default 1000)")
    parser.add_argument("--limits", choices=[PUBLISHED, UNCOUNTED], action="append",
                        help="Telegram's overall limit as the fake counts it (repeatable; default both, in turn)")
    args = parser.parse_args(argv)
    for limits in args.limits or [PUBLISHED, UNCOUNTED]:
        for row in asyncio.run(measure(args.targets, args.commands, args.seconds, limits)):
            print(json.dumps(row), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
