"""Idle footprint: `python -m bot run` connected to fake Discord and fake Telegram and watching the built-in
catalogue, served from the research corpus by the feed fake; resident memory and CPU over a quiet minute.

The catalogue's sources (`bot/watch/catalog.toml`) are served on loopback from the corpus copy of each page
(a real feed standing in where the corpus has none of that source) and given to the bot as one community's
own sources, at the fake's addresses: the bot runs with WATCH_BUILTIN_SOURCES=false, so it never reaches a
real address, and polls them exactly as it polls the built-in ones. One subscription per platform and one
alert delivered at start make the alert workers live, as in a real community.

Measuring starts once start-up has settled: both front doors connected, the alert delivered, every source
checked once (the first cycle reads every page) and a few quiet seconds more. Over the next `--seconds`,
memory is sampled every second and CPU is counted from /proc for the bot and every process it started
(multiprocessing's resource tracker; the reading workers while a cycle reads a feed or a page), so nothing it spawned is
left out. One JSON line:

    {"rss_mb": 120.7, "cpu_percent": 0.6, "target_rss_mb": 150, "target_cpu_percent": 2.0, "met": true, ...}

`rss_mb` is the largest sum of the processes' resident sets seen (a shared library counts once per process);
`pss_mb` shares such pages out (what the processes cost the machine together); `main_rss_mb` is the bot's
own process; `startup_peak_rss_mb` the largest sum while starting, the first cycle reading every page in the
reading workers. `cpu_percent` is of one core.

    .venv/bin/python -m bench.idle                 # a minute after start-up (about 90 s in all)
    .venv/bin/python -m bench.idle --seconds 15
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sqlite3
import sys
import tempfile
import time
from contextlib import closing
from dataclasses import replace
from pathlib import Path

from bench.extract_accuracy import default_corpus
from bot.domain import PlatformName, Source
from bot.store import Store
from bot.watch.catalog import load_catalog
from tests.e2e.fanout import FanOut
from tests.fakes.feed_server import FeedServer

TARGET_RSS_MB, TARGET_CPU_PERCENT = 150, 2.0
SETTLE_SECONDS = 5.0
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

# The corpus copy served for each catalogue source. Pages are the vendor's own page (the nearest copy the
# corpus has; Azure's two pages share its one copy); the corpus holds none of the news and status feeds, so
# real feeds of the same kind (a changelog, a blog, a release feed) stand in for them.
COPIES = {
    "openai-deprecations": "pages/openai-deprecations-2026-08-20.md",
    "anthropic-deprecations": "pages/anthropic-model-deprecations-2026-08-20.md",
    "gemini-deprecations": "pages/google-gemini-api-deprecations-2026-08-21.md",
    "gemini-changelog": "pages/google-gemini-api-changelog-2025-11-13.html",
    "vertex-model-versions": "pages/google-vertex-model-versions-2026-08-21.md",
    "azure-openai-retirements": "pages/azure-foundry-model-lifecycle-retirement-2025-11-13.html",
    "azure-foundry-lifecycle": "pages/azure-foundry-model-lifecycle-retirement-2025-11-13.html",
    "bedrock-lifecycle": "pages/aws-bedrock-model-lifecycle-2026-08-21.md",
    "mistral-models": "pages/mistral-models-2026-08-21.md",
    "cohere-deprecations": "pages/cohere-deprecations-2026-08-20.md",
    "groq-deprecations": "pages/groq-deprecations-2026-08-20.md",
    "xai-models": "pages/xai-models-2025-11-13.html",
    "chatgpt-release-notes": "pages/openai-chatgpt-release-notes-2025-06-13.md",
    "openai-model-release-notes": "pages/openai-chatgpt-enterprise-edu-release-notes-2026-06-25.md",
    "claude-release-notes": "pages/anthropic-claude-app-release-notes-2026-02-05.md",
    "gemini-app-release-notes": "pages/google-gemini-app-release-notes-2025-12-17.md",
    "openai-news": "feeds/rss2-ghost.xml",
    "vertex-release-notes": "feeds/atom-github-releases-feed-rs.xml",
    "azure-updates": "feeds/rss2-cloudflare-blog.xml",
    "aws-whats-new": "feeds/rss2-element-io.xml",
    "openai-status": "feeds/atom-theregister.xml",
    "anthropic-status": "feeds/atom-usgs-earthquakes.xml",
    "deprecations-info": "feeds/deprecations-info-history/feed-2026-07-24-b1885cd.xml",
}
STAND_IN = {"page": "pages/openai-deprecations-2026-08-20.md", "feed": "feeds/rss2-ghost.xml"}  # a new entry
CONTENT_TYPES = {".md": "text/markdown; charset=utf-8", ".html": "text/html; charset=utf-8",
                 ".xml": "application/rss+xml; charset=utf-8", ".json": "application/feed+json"}


def content_type(path: str) -> str:
    """What a server sends for the copy; JSON Feed and Markdown variants are served as vendors serve them."""
    return CONTENT_TYPES[Path(path).suffix]


def serve_catalogue(server: FeedServer, corpus: Path) -> list[Source]:
    """Every catalogue source served from its corpus copy; the sources at the fake's addresses."""
    sources = []
    for source in load_catalog():
        assert source.catalog_key is not None
        copy = COPIES.get(source.catalog_key, STAND_IN[source.kind.value])
        path = f"/{source.catalog_key}"
        server.serve(path, (corpus / copy).read_bytes(), content_type=content_type(copy))
        sources.append(replace(source, url=server.url(path), catalog_key=None))
    return sources


async def watch_in_community(database: Path, guild: int, sources: list[Source]) -> None:
    store = await Store.open(database)
    try:
        community = await store.communities.ensure_community(PlatformName.DISCORD, str(guild), "Server")
        for source in sources:
            await store.sources.watch_here(community.id, source, "p_bench", limit=len(sources))
    finally:
        await store.close()


# --- the process tree, from /proc ----------------------------------------------------------------------------

def _stat(pid: int) -> list[str]:
    """The fields of /proc/<pid>/stat after the command name (which may hold spaces): state, ppid, …"""
    text = Path(f"/proc/{pid}/stat").read_text()
    return text[text.rindex(")") + 2:].split()


def process_tree(root: int) -> list[int]:
    """`root` and every process descended from it."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                children.setdefault(int(_stat(int(entry.name))[1]), []).append(int(entry.name))
            except (OSError, ValueError, IndexError):
                continue  # it ended meanwhile
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, []))
    return tree


def cpu_seconds(pid: int) -> float:
    fields = _stat(pid)
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime + stime


def _kilobytes(path: str, key: str) -> int:
    for line in Path(path).read_text().splitlines():
        if line.startswith(key):
            return int(line.split()[1])
    return 0


def memory_mb(pid: int) -> tuple[float, float]:
    """(resident set, proportional set) in MB."""
    return (_kilobytes(f"/proc/{pid}/status", "VmRSS:") / 1024,
            _kilobytes(f"/proc/{pid}/smaps_rollup", "Pss:") / 1024)


def memory_of_tree(root: int) -> tuple[list[int], float, float, float]:
    """The tree's processes, the sums of their resident and proportional sets, and the bot's own RSS, in MB."""
    pids = process_tree(root)
    sizes = [memory_mb(pid) for pid in pids]
    return pids, sum(r for r, _ in sizes), sum(p for _, p in sizes), sizes[0][0]


async def peak_rss(root: int, peak: list[float]) -> None:
    """Keep `peak[0]` at the largest RSS of the tree seen, twice a second, until cancelled."""
    while True:
        peak[0] = max(peak[0], memory_of_tree(root)[1])
        await asyncio.sleep(0.5)


async def measure(root: int, seconds: float) -> dict[str, float | int]:
    """Largest memory seen, sampled each second, and CPU over `seconds` of the whole tree."""
    start = {pid: cpu_seconds(pid) for pid in process_tree(root)}
    began = time.monotonic()
    rss = pss = main = 0.0
    while True:
        pids, tree_rss, tree_pss, own = memory_of_tree(root)
        rss, pss, main = max(rss, tree_rss), max(pss, tree_pss), max(main, own)
        if time.monotonic() - began >= seconds:
            break
        await asyncio.sleep(1.0)
    # A process that ended meanwhile (a reading worker let go) takes its CPU with it: none does once start-up settled.
    used = sum(cpu_seconds(pid) - start.get(pid, 0.0) for pid in pids)
    elapsed = time.monotonic() - began
    return {"rss_mb": round(rss, 1), "cpu_percent": round(100 * used / elapsed, 2), "pss_mb": round(pss, 1),
            "main_rss_mb": round(main, 1), "processes": len(pids), "seconds": round(elapsed, 1)}


# --- the run -----------------------------------------------------------------------------------------------

def count(database: Path, where: str) -> int:
    """Sources of the bot's database matching `where` (a fixed condition), read-only beside the running bot."""
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
        return int(db.execute(f"SELECT COUNT(*) FROM sources WHERE {where}").fetchone()[0])


async def all_checked(database: Path, timeout: float) -> None:
    """Until the bot's first watch cycle has checked every source."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if count(database, "last_checked_at IS NULL") == 0:
            return
        await asyncio.sleep(0.5)
    raise TimeoutError(f"the first watch cycle did not finish within {timeout:g} s")


async def run(corpus: Path, seconds: float) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="continuity-idle-") as folder:
        async with FeedServer() as server, FanOut(Path(folder), channels=1, chats=1, check_specs=False) as bot:
            sources = serve_catalogue(server, corpus)
            await watch_in_community(bot.database, 9_000, sources)  # the fan-out's first server
            started, peak = time.monotonic(), [0.0]
            await bot.start_bot(WATCH_ENABLED="true", WATCH_BUILTIN_SOURCES="false",
                                WATCH_ALLOW_PRIVATE_ADDRESSES="true")
            assert bot.process is not None
            sampling = asyncio.create_task(peak_rss(bot.process.pid, peak))
            await bot.wait_for(discord=1, telegram=1, timeout=60)
            await all_checked(bot.database, timeout=120)
            await asyncio.sleep(SETTLE_SECONDS)
            sampling.cancel()
            settled = time.monotonic() - started
            figures = await measure(bot.process.pid, seconds)
            failing = count(bot.database, "last_error IS NOT NULL")
            await bot.stop()
    return {**figures, "target_rss_mb": TARGET_RSS_MB, "target_cpu_percent": TARGET_CPU_PERCENT,
            "met": figures["rss_mb"] < TARGET_RSS_MB and figures["cpu_percent"] < TARGET_CPU_PERCENT,
            "sources": len(sources), "sources_failing": failing, "startup_s": round(settled, 1),
            "startup_peak_rss_mb": round(peak[0], 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.idle", description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="how long to measure (default 60)")
    args = parser.parse_args(argv)
    corpus = default_corpus()
    if not (corpus / "pages").is_dir():
        print(f"research corpus not found at {corpus} (set CONTINUITY_CORPUS): nothing to watch", file=sys.stderr)
        return 0
    print(json.dumps(asyncio.run(run(corpus, args.seconds))), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
