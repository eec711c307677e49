"""A large fan-out, as a self-hoster's bot process would run it: fake Discord and Telegram enforcing their
published limits on loopback, a database with one subscription per channel and chat and one notice not yet
routed, and `python -m bot run` as a separate process that may be killed part-way and started again.

Shared by the crash test (small) and `bench/fanout.py` (1,000 targets per platform).
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from bot.domain import AlertFilter, Category, Notice, NoticeKind, PlatformName, Subscription
from bot.store import Store
from tests.e2e.process import start_bot
from tests.fakes.discord_api import FakeDiscord
from tests.fakes.telegram_api import FakeTelegram

CHANNELS_PER_GUILD = 100  # Discord allows 500; communities are many servers rather than one huge one


@dataclass
class Arrivals:
    """When each platform's messages reached the fakes (first to last), as seen by polling them."""

    first: float | None = None
    last: float | None = None
    count: int = 0
    down_since: float | None = None  # the bot was killed then, and nothing has arrived since
    downtime: float = 0.0            # from each kill to the first arrival after the restart

    def see(self, count: int, now: float) -> None:
        if count > self.count:
            if self.down_since is not None:
                self.downtime += now - self.down_since
                self.down_since = None
            self.first = self.first or now
            self.last, self.count = now, count

    def per_second(self, *, running_only: bool = False) -> float:
        """First to last arrival; `running_only` leaves out the time the bot was down."""
        if self.first is None or self.last is None or self.count < 2 or self.last == self.first:
            return 0.0
        return (self.count - 1) / (self.last - self.first - (self.downtime if running_only else 0.0))


@dataclass
class FanOut:
    folder: Path
    channels: int
    chats: int
    lease_seconds: float = 3.0
    # The fakes check every exchange against the published API specs; a benchmark turns that off, because it
    # costs the fakes' process more CPU than the bot spends answering, and the bot's answers are what is timed.
    check_specs: bool = True
    discord: FakeDiscord = field(default_factory=FakeDiscord)
    telegram: FakeTelegram = field(default_factory=FakeTelegram)
    arrivals: dict[str, Arrivals] = field(default_factory=lambda: {"discord": Arrivals(), "telegram": Arrivals()})
    process: asyncio.subprocess.Process | None = None
    log: deque[str] = field(default_factory=lambda: deque(maxlen=100))
    _drain: asyncio.Task[None] | None = None

    @property
    def channel_ids(self) -> list[int]:
        return [10_000 + n for n in range(self.channels)]

    @property
    def chat_ids(self) -> list[int]:
        return [-100_000_000 - n for n in range(self.chats)]

    async def __aenter__(self) -> FanOut:
        ids = self.channel_ids
        for start in range(0, len(ids), CHANNELS_PER_GUILD):
            self.discord.add_guild(9_000 + start, f"Server {start}", channels=ids[start:start + CHANNELS_PER_GUILD])
        self.discord.enforce_limits = self.telegram.enforce_limits = True
        if not self.check_specs:
            self.discord.spec = self.telegram.spec = None
        await self.discord.start()
        await self.telegram.start()
        await self._prepare_database()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.kill()
            await self.process.wait()
        await self.telegram.stop()
        await self.discord.stop()

    @property
    def database(self) -> Path:
        return self.folder / "data" / "continuity.db"

    async def _prepare_database(self) -> None:
        store = await Store.open(self.database)
        try:
            subs = store.subscriptions
            everything = AlertFilter(categories=tuple(Category))
            for n, channel in enumerate(self.channel_ids):
                guild = 9_000 + n // CHANNELS_PER_GUILD * CHANNELS_PER_GUILD
                community = await store.communities.ensure_community(PlatformName.DISCORD, str(guild), "Server")
                await subs.save_subscription(Subscription(0, community.id, PlatformName.DISCORD, str(channel), None,
                                                          everything, "en", "p_bench"))
            for chat in self.chat_ids:
                community = await store.communities.ensure_community(PlatformName.TELEGRAM, str(chat), "Group")
                await subs.save_subscription(Subscription(0, community.id, PlatformName.TELEGRAM, str(chat), None,
                                                          everything, "en", "p_bench"))
            await store.notices.add_notices([Notice(
                kind=NoticeKind.NEW_DEPRECATION, category=Category.DEPRECATION, title="gpt-4o-2024-05-13",
                dedup_key="fanout", vendor="openai", platform="api", model="gpt-4o-2024-05-13",
                models=("gpt-4o-2024-05-13",), due_date=date(2027, 2, 16), detail="gpt-5.6-sol",
                url="https://developers.openai.com/api/docs/deprecations")])
        finally:
            await store.close()

    async def start_bot(self, **settings: str) -> None:
        """`python -m bot run` with both tokens, pointed at the fakes; it routes the notice and delivers.
        `settings` add to or replace the defaults (the idle benchmark turns watching on)."""
        self.process = await start_bot(self.folder, "run", **{
            "DISCORD_TOKEN": self.discord.token, "DISCORD_API_BASE": self.discord.api_base,
            "DISCORD_GATEWAY_URL": self.discord.gateway_url, "TELEGRAM_TOKEN": self.telegram.token,
            "TELEGRAM_API_BASE": self.telegram.base_url, "WATCH_ENABLED": "false",
            "PSEUDONYM_SECRET": "bench-secret-that-is-long-enough-for-hmac",
            "DELIVERY_LEASE_SECONDS": str(self.lease_seconds), "LOG_LEVEL": "WARNING", **settings})
        self._drain = asyncio.create_task(self._read_log(self.process))

    async def _read_log(self, process: asyncio.subprocess.Process) -> None:
        """Keep the bot's log flowing (a full pipe would stall it) and its last lines for a failure message."""
        assert process.stderr is not None
        while line := await process.stderr.readline():
            self.log.append(line.decode(errors="replace").rstrip())

    def delivered(self) -> dict[str, int]:
        """Targets that have at least one message, per platform."""
        # Every channel and chat on the fakes is one of ours: counting the keys is enough, and cheap.
        return {"discord": len(self.discord.messages), "telegram": len(self.telegram.sent)}

    async def wait_for(self, discord: int, telegram: int, timeout: float) -> None:
        """Watch the fakes until at least this many targets of each platform have their message."""
        deadline = time.monotonic() + timeout
        while True:
            now = time.monotonic()
            counts = self.delivered()
            for platform, count in counts.items():
                self.arrivals[platform].see(count, now)
            if counts["discord"] >= discord and counts["telegram"] >= telegram:
                return
            if self.process is not None and self.process.returncode is not None:
                raise AssertionError(f"the bot exited with {self.process.returncode}: {await self._stderr()}")
            if now > deadline:
                raise AssertionError(f"timed out with {counts} delivered: {await self._stderr()}")
            await asyncio.sleep(0.01)

    async def kill(self) -> None:
        """SIGKILL: no shutdown, no cleanup, leases left as they were."""
        assert self.process is not None
        self.process.kill()
        await self.process.wait()
        for arrivals in self.arrivals.values():
            arrivals.down_since = time.monotonic()

    async def stop(self) -> int:
        assert self.process is not None
        self.process.terminate()
        return await asyncio.wait_for(self.process.wait(), 30)

    async def _stderr(self) -> str:
        return "\n".join(self.log)

    def figures(self) -> dict[str, dict[str, float | int]]:
        """What the fakes received, per platform: duplicates, lost targets, 429s, pace."""
        discord_posts = [len(self.discord.messages.get(c, [])) for c in self.channel_ids]
        telegram_posts = [len(self.telegram.sent.get(c, [])) for c in self.chat_ids]
        return {
            "discord": {
                "messages": sum(min(n, 1) for n in discord_posts),
                "duplicates": sum(max(n - 1, 0) for n in discord_posts),
                "lost": discord_posts.count(0),
                "retries_429": sum(1 for r in self.discord.requests if r.status == 429),
                # A retried send Discord recognised by its nonce and did not post again.
                "nonce_replays": _nonce_replays(self.discord),
            },
            "telegram": {
                "messages": sum(min(n, 1) for n in telegram_posts),
                "duplicates": sum(max(n - 1, 0) for n in telegram_posts),
                "lost": telegram_posts.count(0),
                "retries_429": sum(1 for c in self.telegram.calls if c.status == 429),
            },
        }


def _nonce_replays(fake: FakeDiscord) -> int:
    seen: set[tuple[str, str]] = set()
    replays = 0
    for request in fake.requests:
        if request.method == "POST" and request.path.endswith("/messages") and request.status == 200 and request.json:
            key = (request.path, str(request.json.get("nonce")))
            replays += key in seen
            seen.add(key)
    return replays
