"""Replaying the ten successive versions of the deprecations.info feed (research corpus) through the real
watch cycle: each real event becomes one notice, and nothing else does.

What counts as a real event is tallied independently from the raw XML below (a regex per field, not our
parser), with the rules the README states: the first version is a baseline; a model first listed with a
shutdown date on or after that day (or none yet) is a new deprecation; a model first listed with a date
already past is history (silent); a shutdown date that changes is one "date moved"; a version that lists
more than 25 new models at once (a coverage expansion) is one summary notice; an item that disappears and
comes back, or a version published twice, says nothing.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

from bot.domain import Category, NoticeKind, PlatformName, Source, SourceKind
from bot.watch.aggregator import PROVIDERS
from bot.watch.diff import BULK_NEW_ROWS
from bot.watch.fetch import Fetcher
from bot.watch.service import WatchService
from tests.fakes.feed_server import FeedServer


def _as_of(path: Path) -> date:
    return date.fromisoformat(path.name[len("feed-"):len("feed-") + 10])


def _tally(versions: list[Path]) -> Counter[str]:
    state: dict[tuple[str, str], str | None] = {}
    events: Counter[str] = Counter()
    for index, path in enumerate(versions):
        as_of, current = _as_of(path), {}
        for item in ET.parse(path).getroot().iter("item"):
            text, title = item.findtext("description") or "", item.findtext("title") or ""
            provider = (re.search(r"Provider:\s*(.+)", text) or re.search(r"(.*)", title.partition(":")[0]))[1]
            found = re.search(r"Model(?: ID)?:\s*(.+)", text)
            model = (found[1] if found else title.partition(":")[2]).strip().strip("`").lower()
            shutdown = re.search(r"Shutdown Date:\s*(\d{4}-\d{2}-\d{2})", text)
            if provider.strip().lower() in PROVIDERS and model and " " not in model:
                current.setdefault((provider.strip().lower(), model), shutdown[1] if shutdown else None)
        if index:
            new = [k for k, day in current.items()
                   if k not in state and (day is None or date.fromisoformat(day) >= as_of)]
            if len(new) > BULK_NEW_ROWS:
                events["many_listed"] += 1
            else:
                events["new_deprecation"] += len(new)
            events["date_changed"] += sum(1 for k, day in current.items() if k in state and day and state[k] != day)
        state.update(current)
    return events


async def test_ten_versions_of_the_aggregator_give_each_event_once(corpus, store):
    versions = sorted((corpus / "feeds" / "deprecations-info-history").glob("feed-*.xml"))
    assert len(versions) == 10
    expected = _tally(versions)
    # As counted on the corpus, version by version: 2025-11-11 grew from 14 to 503 models (one summary);
    # 2025-11-13 renamed 81 (one summary) and moved 6 dates; 2025-12-02 brought 4 new deprecations and 10
    # moved dates, and was published twice (the copy says nothing); 2026-02-06 brought 13 and moved 4;
    # 2026-02-07 dropped 15 items that 2026-02-08 brought back (silent); 2026-07-23 added 308 models at
    # once (one summary) and moved 51 dates; 2026-07-24 moved one (gemini-embedding-001 to 2028-05-14).
    assert expected == Counter({"new_deprecation": 17, "date_changed": 72, "many_listed": 3})

    server = FeedServer()
    await server.start()
    clock = {"now": datetime(2025, 8, 25, tzinfo=UTC)}
    fetcher = Fetcher(user_agent="test", allow_private=True, host_interval=0)
    watch = WatchService(store, fetcher, clock=lambda: clock["now"], jitter=lambda: 0.5)
    try:
        source = await store.sources.add_source(Source(0, SourceKind.FEED, Category.DEPRECATION,
                                                       server.url("/feed.xml"), "deprecations.info",
                                                       family="aggregator"))
        community = await store.communities.ensure_community(PlatformName.CONSOLE, "console", "console")
        await store.sources.link_source(community.id, source.id, "p")
        for path in versions:
            clock["now"] = datetime.combine(_as_of(path), datetime.min.time(), UTC)
            server.serve("/feed.xml", path.read_bytes())
            result = await watch.check_source(await store.sources.get_source(source.id))
            assert result.error is None, f"{path.name}: {result.error}"
    finally:
        await fetcher.close()
        await server.stop()

    notices = await store.notices.list_notices(limit=10_000)
    assert Counter(n.kind.value for n in notices) == expected
    assert len({n.dedup_key for n in notices}) == len(notices)
    assert not [n for n in notices if n.kind == NoticeKind.SOURCE_FAILING]
