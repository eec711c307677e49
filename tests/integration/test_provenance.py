"""One community's source can never change what another community is told. Two communities on the real
services and a real database, their pages served by the loopback feed server, an injected clock: what each one's
/deprecations shows, which of its subscriptions a notice is routed to, which reminders it gets, and what is left
when a source is removed or a built-in page muted."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from bot.alerts.service import AlertService
from bot.domain import AlertFilter, Category, Community, PlatformName, Source, SourceKind, Subscription
from bot.presentation import Actor
from bot.pseudonyms import Pseudonyms
from bot.store import Store
from bot.store.db import Database
from bot.store.migrate import bundled_migrations, migrate
from bot.watch.commands import WatchCommands
from bot.watch.fetch import Fetcher
from bot.watch.service import WatchService
from tests.fakes.feed_server import FeedServer

PAGE = """# Deprecations

## Deprecation history

### 2026-04-22: Legacy GPT model snapshots

| Shutdown date    | Model snapshot       | Recommended replacement |
| ---------------- | -------------------- | ----------------------- |
{rows}
"""
VENDOR_ROWS = "| October 23, 2026 | `gpt-4-0613`         | `gpt-5.6-sol`           |"
# A community's "mirror" that invents an earlier date for the vendor's model and a model of its own.
MIRROR_ROWS = "| October 17, 2026 | `gpt-4-0613`         | `invented-1`            |\n" \
              "| October 17, 2026 | `o3-mirror-only`     | `invented-2`            |"
MIRROR_MOVED = "| October 17, 2026 | `gpt-4-0613`         | `invented-1`            |\n" \
               "| October 18, 2026 | `o3-mirror-only`     | `invented-2`            |\n" \
               "| October 19, 2026 | `gpt-4o-made-up`     | `invented-3`            |"


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 8, 20, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@dataclass
class World:
    store: Store
    server: FeedServer
    clock: Clock
    watch: WatchService
    alerts: AlertService
    commands: WatchCommands
    builtin: Source
    a: Community
    b: Community
    sub_a: Subscription
    sub_b: Subscription

    def moderator(self, community: Community) -> Actor:
        return Actor(community.platform, f"mod-{community.id}", "mod", "en", community, True)

    async def listed(self, community: Community, query: str = "") -> list[tuple[str, str]]:
        message = await self.commands.deprecations(self.moderator(community), query)
        return [(f.name.split(" · ")[0], f.value) for f in message.fields]

    async def told(self, sub: Subscription) -> list[tuple[str, str | None, str | None]]:
        """What the outbox holds for one subscription: (kind, model, new value) of each notice routed to it."""
        await self.alerts.route_pending()
        rows = await self.store.db.fetch_all(
            """SELECT n.kind, n.model, n.new_value FROM deliveries d JOIN notices n ON n.id = d.notice_id
               WHERE d.subscription_id = ? ORDER BY n.id""", (sub.id,))
        return [tuple(r) for r in rows]

    async def poll(self, source_id: int) -> None:
        result = await self.watch.check_source(await self.store.sources.get_source(source_id))
        assert result.error is None


@pytest.fixture
async def world(store: Store) -> AsyncIterator[World]:
    server = FeedServer()
    await server.start()
    clock = Clock()
    fetcher = Fetcher(user_agent="Continuity-test", allow_private=True, host_interval=0, timeout=5)
    watch = WatchService(store, fetcher, clock=clock, jitter=lambda: 0.5)
    alerts = AlertService(store, clock=clock)
    watch.on_notices(alerts.notices_stored)
    commands = WatchCommands(store, watch, Pseudonyms(b"test-secret-that-is-long-enough"), clock=clock)

    server.serve("/vendor/deprecations.md", PAGE.format(rows=VENDOR_ROWS), content_type="text/markdown")
    await store.sources.upsert_builtin(Source(
        0, SourceKind.PAGE, Category.DEPRECATION, server.url("/vendor/deprecations.md"), "OpenAI deprecations",
        family="openai", vendor="openai", platform="api", catalog_key="openai-test"))
    [builtin] = [s for s in await store.sources.list_sources() if s.catalog_key == "openai-test"]
    a = await store.communities.ensure_community(PlatformName.DISCORD, "1001", "Community A")
    b = await store.communities.ensure_community(PlatformName.TELEGRAM, "-1002", "Community B")
    subs = [await store.subscriptions.save_subscription(Subscription(
        id=0, community_id=c.id, platform=c.platform, channel_id=f"chan-{c.id}", thread_id=None,
        filter=AlertFilter(), locale="en", created_by="p_mod")) for c in (a, b)]
    world = World(store, server, clock, watch, alerts, commands, builtin, a, b, *subs)
    await world.poll(builtin.id)  # the baseline: gpt-4-0613 retires on October 23
    yield world
    await fetcher.close()
    await server.stop()


async def _mirror(world: World) -> int:
    """Community A's moderator adds its own page claiming to be OpenAI's (`openai` names the family)."""
    world.server.serve("/mirror/openai.md", PAGE.format(rows=MIRROR_ROWS), content_type="text/markdown")
    added = await world.commands.add_source(world.moderator(world.a), world.server.url("/mirror/openai.md"),
                                            "deprecation", "openai")
    assert "Found 2 models." in (added.body or "")
    [mine] = [s for s, _muted in await world.store.sources.community_sources(world.a.id) if not s.builtin]
    return mine.id


async def test_a_communitys_own_page_informs_only_that_community(world):
    before_b = await world.listed(world.b)
    assert before_b == [("gpt-4-0613", "2026-10-23 (in 64 days) · replacement: gpt-5.6-sol · "
                         f"{world.builtin.url}#2026-04-22-legacy-gpt-model-snapshots")]
    mirror = await _mirror(world)
    world.server.serve("/mirror/openai.md", PAGE.format(rows=MIRROR_MOVED), content_type="text/markdown")
    await world.commands.check_source(world.moderator(world.a), str(mirror))

    assert await world.listed(world.b) == before_b, "B reads exactly what it read before"
    listed_a = dict(await world.listed(world.a))
    assert listed_a["gpt-4-0613"] == before_b[0][1], "the vendor's page outranks the mirror for its own model"
    assert listed_a["o3-mirror-only"].startswith("2026-10-18 (in 59 days) · replacement: invented-2 · "
                                                 "from a source this community added · http://127.0.0.1:")
    assert "from a source this community added" in listed_a["gpt-4o-made-up"]

    told_a = await world.told(world.sub_a)
    assert told_a == [("date_changed", "o3-mirror-only", "2026-10-18"),
                      ("new_deprecation", "gpt-4o-made-up", "2026-10-19")]
    assert await world.told(world.sub_b) == [], "nothing A's page says reaches B"

    # The vendor's page still speaks to both, and A's page cannot pre-empt it: the same row was A's news first.
    world.server.serve("/vendor/deprecations.md", PAGE.format(
        rows=VENDOR_ROWS + "\n| October 19, 2026 | `gpt-4o-made-up`     | `gpt-5.6-sol`           |"),
        content_type="text/markdown")
    await world.poll(world.builtin.id)
    assert (await world.told(world.sub_b))[-1:] == [("new_deprecation", "gpt-4o-made-up", "2026-10-19")]
    assert (await world.told(world.sub_a))[-1:] == [("new_deprecation", "gpt-4o-made-up", "2026-10-19")]
    assert "from a source this community added" not in dict(await world.listed(world.a))["gpt-4o-made-up"], \
        "now the catalogue's word"


async def test_reminders_follow_each_communitys_current_word_and_go_with_its_source(world):
    mirror = await _mirror(world)
    reminded = {world.sub_a.id: [], world.sub_b.id: []}

    async def remind_on(day: datetime) -> None:
        world.clock.now = day
        await world.watch.run_reminders()
        for sub in (world.sub_a, world.sub_b):
            reminded[sub.id] = [(m, v) for k, m, v in await world.told(sub) if k == "reminder"]

    await remind_on(datetime(2026, 10, 16, 9, tzinfo=UTC))  # 7 days before the vendor's date, 1 before A's
    assert reminded[world.sub_b.id] == [("gpt-4-0613", "7")], "B never counts down to A's invented dates"
    assert reminded[world.sub_a.id] == [("gpt-4-0613", "7"), ("o3-mirror-only", "1")]
    await world.watch.run_reminders()
    assert len(await world.store.notices.list_notices()) == 2, "none twice"

    await world.commands.remove_source(world.moderator(world.a), str(mirror))
    assert await world.store.sources.get_source(mirror) is None
    assert await world.store.db.fetch_value("SELECT COUNT(*) FROM deprecations WHERE source_id = ?", (mirror,)) == 0
    assert [name for name, _value in await world.listed(world.a)] == ["gpt-4-0613"], "its rows went with it"
    await remind_on(datetime(2026, 10, 17, 9, tzinfo=UTC))  # the mirror's "retires today"
    assert reminded[world.sub_a.id] == [("gpt-4-0613", "7"), ("o3-mirror-only", "1")], "and its reminders"


async def test_a_muted_builtin_page_is_silent_for_that_community_only(world):
    muted = await world.commands.remove_source(world.moderator(world.b), str(world.builtin.id))
    assert "Muted built-in source" in (muted.body or "")
    assert await world.listed(world.b) == []

    world.server.serve("/vendor/deprecations.md", PAGE.format(rows=VENDOR_ROWS.replace("October 23", "October 30")),
                       content_type="text/markdown")
    await world.poll(world.builtin.id)
    assert await world.told(world.sub_a) == [("date_changed", "gpt-4-0613", "2026-10-30")]
    assert await world.told(world.sub_b) == []

    world.clock.now = datetime(2026, 10, 23, 9, tzinfo=UTC)  # 7 days before
    await world.watch.run_reminders()
    assert (await world.told(world.sub_a))[-1] == ("reminder", "gpt-4-0613", "7")
    assert await world.told(world.sub_b) == [], "no reminders from a page B muted"

    # B wants it back: /sources add with its address un-mutes it, and B reads it again.
    await world.commands.add_source(world.moderator(world.b), world.builtin.url)
    assert [name for name, _value in await world.listed(world.b)] == ["gpt-4-0613"]


async def test_a_muted_page_drops_what_waited_for_that_communitys_digest(world):
    await world.store.subscriptions.save_subscription(Subscription(
        id=world.sub_b.id, community_id=world.b.id, platform=world.b.platform, channel_id=world.sub_b.channel_id,
        thread_id=None, filter=AlertFilter(), locale="en", created_by="p_mod", digest_minutes=1440))
    world.server.serve("/vendor/deprecations.md", PAGE.format(rows=VENDOR_ROWS.replace("October 23", "October 30")),
                       content_type="text/markdown")
    await world.poll(world.builtin.id)
    assert await world.told(world.sub_b) == [("date_changed", "gpt-4-0613", "2026-10-30")]
    await world.commands.remove_source(world.moderator(world.b), str(world.builtin.id))
    states = await world.store.db.fetch_all("SELECT subscription_id, state FROM deliveries ORDER BY subscription_id")
    assert [tuple(r) for r in states] == [(world.sub_a.id, "pending"), (world.sub_b.id, "failed")]


async def test_the_upgrade_keeps_each_row_with_its_source_and_drops_what_removed_sources_left(tmp_path):
    db = await Database.open(tmp_path / "old.db")
    try:
        await migrate(db, bundled_migrations()[:4])
        now = "2026-08-01T00:00:00+00:00"
        await db.execute(
            """INSERT INTO sources (id, catalog_key, kind, category, url, family, content_hash, etag, baseline_done,
                                    created_at, updated_at)
               VALUES (1, 'openai', 'page', 'deprecation', 'https://o/dep', 'openai', 'h', 'e', 1, ?1, ?1),
                      (2, NULL, 'feed', 'news', 'https://n/feed', NULL, 'h', 'e', 1, ?1, ?1)""", (now,))
        await db.execute(
            """INSERT INTO deprecations (vendor, platform, model, status, shutdown, source_id, first_seen_at,
                                         updated_at)
               VALUES ('openai', 'api', 'gpt-4-0613', 'deprecated', '2026-10-23', 1, ?1, ?1),
                      ('openai', 'api', 'left-behind', 'deprecated', '2026-10-17', NULL, ?1, ?1)""", (now,))
        await migrate(db)
        rows = await db.fetch_all("SELECT model, source_id FROM deprecations")
        assert [tuple(r) for r in rows] == [("gpt-4-0613", 1)]
        sources = await db.fetch_all("SELECT id, content_hash, etag, baseline_done FROM sources ORDER BY id")
        assert [tuple(r) for r in sources] == [(1, None, None, 0), (2, "h", "e", 1)], \
            "pages read themselves again once, silently; feeds of news are untouched"
    finally:
        await db.close()
