"""Fan-out: one alert to N Discord channels and N Telegram chats through the fakes, which enforce the
platforms' published limits (Discord: 50 requests/s, 5 messages per 5 s per channel; Telegram: 30
messages/s, 20 per minute per group), with `python -m bot run` as a separate process.

Two scenarios: `clean`, and `crash`, where the bot is killed with SIGKILL once half of each platform's
targets have their message, then started again on the same database. For each platform and scenario it
prints one JSON object: messages per second achieved (first to last arrival at the fake, the restart
included in `crash`), that rate as a fraction of the platform's overall limit, duplicates and lost targets
counted at the fake, and 429s the fake answered. `crash` rows add `down_s`, from the kill to the first
message after the restart, and `running_limit_fraction`, the pace while a bot was running.

    .venv/bin/python -m bench.fanout                 # 1,000 + 1,000 targets, both scenarios (about 3 minutes)
    .venv/bin/python -m bench.fanout --targets 200   # quicker
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
from pathlib import Path

from tests.e2e.fanout import FanOut

LIMITS = {"discord": 50.0, "telegram": 30.0}  # messages per second overall, as each platform publishes


async def scenario(name: str, targets: int) -> list[dict[str, object]]:
    with tempfile.TemporaryDirectory(prefix="continuity-fanout-") as folder:
        async with FanOut(Path(folder), channels=targets, chats=targets) as run:
            await run.start_bot()
            if name == "crash":
                await run.wait_for(discord=targets // 2, telegram=targets // 2, timeout=600)
                await run.kill()
                await run.start_bot()
            await run.wait_for(discord=targets, telegram=targets, timeout=900)
            await run.stop()
            figures = run.figures()
            rows = []
            for platform, counted in figures.items():
                arrivals = run.arrivals[platform]
                rate, running = arrivals.per_second(), arrivals.per_second(running_only=True)
                rows.append({"platform": platform, "scenario": name, "messages_per_s": round(rate, 2),
                             "limit_fraction": round(rate / LIMITS[platform], 3), **counted,
                             "targets": targets, "seconds": round((arrivals.last or 0) - (arrivals.first or 0), 2),
                             "down_s": round(arrivals.downtime, 2),
                             "running_limit_fraction": round(running / LIMITS[platform], 3)})
            return rows


async def main_async(targets: int, scenarios: list[str]) -> None:
    for name in scenarios:
        for row in await scenario(name, targets):
            print(json.dumps(row), flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.fanout", description=__doc__.split("\n\n")[0])
    parser.add_argument("--targets", type=int, default=1000, help="channels and chats per platform (default 1000)")
    parser.add_argument("--scenario", choices=["clean", "crash"], action="append",
                        help="run only this scenario (repeatable; default both)")
    args = parser.parse_args(argv)
    if args.targets < 10:
        print("--targets must be at least 10", file=sys.stderr)
        return 2
    asyncio.run(main_async(args.targets, args.scenario or ["clean", "crash"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
