"""One watch cycle over many sources: Continuity's against the `reader` library's, on the same feed server.

300 sources are made from the research corpus (`../shared/research-corpus`, or CONTINUITY_CORPUS): its real
feeds (RSS 0.91 to 2.0, RDF, Atom, JSON Feed; those both sides read) and vendor pages (HTML and Markdown,
each read by the extractor its address names), each file served again and again with a variation (a comment
naming its copy), so that no two sources have the same bytes, ETag or digest. Half are feeds and half pages.
They are served by the feed fake (tests/fakes/feed_server.py), with ETag and Last-Modified, from a process of
its own so that neither side shares its CPU with the server.

Continuity's side is its real cycle: `WatchService.poll_due` on a real Store (SQLite file, WAL) with its
Fetcher, as the bot's poll job runs it; the fake is one host standing for many, so the fetcher's pause
between two requests to one host is 0 (it still asks a host one thing at a time). reader's side
(lemon24/reader, a well-kept Python feed reader; `.venv/bin/pip install -e '.[bench]'`) is
`Reader.update_feeds` on its own SQLite file. reader reads feeds only, so the ratio is over the feeds, which
both read; pages are timed on Continuity alone and printed on a line of their own. Each side runs two cycles:
`cold` (nothing known yet: every source fetched, read and stored) and `304` (every source answers 304 Not
Modified to the validators kept from the cold cycle). One JSON line per cycle and kind:

    {"cycle": "cold", "kind": "feeds", "sources": 150, "continuity_per_s": 39.7, "reader_per_s": 28.5,
     "ratio": 1.39, "continuity_errors": 0, "reader_errors": 0, "target_ratio": 3.0}
    {"cycle": "cold", "kind": "pages", "sources": 150, "continuity_per_s": 17.8, "reader_per_s": null,
     "ratio": null, "continuity_errors": 0, "target_ratio": 3.0}

The figures are the best of `--repeat` runs of each side, each on fresh databases (the best is least
disturbed by whatever else the machine does). The target is at least 3 times reader on both cycles.

    .venv/bin/python -m bench.watch_cycle               # 300 sources, 3 runs (about a minute)
    .venv/bin/python -m bench.watch_cycle --sources 600 --repeat 1
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import multiprocessing
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from multiprocessing.connection import Connection
from pathlib import Path

from bench.extract_accuracy import default_corpus
from bench.idle import content_type
from bot.domain import Category, PlatformName, Source, SourceKind
from bot.store import Store
from bot.watch.feeds import parse_feed
from bot.watch.fetch import Fetcher, default_user_agent
from bot.watch.pages import reader_for
from bot.watch.service import WatchService
from tests.fakes.feed_server import FeedServer

TARGET_RATIO = 3.0
FEED_FILES = ("*.xml", "*.json", "*/*.xml")  # the ill-formed ones are in a folder too
PAGE_FILES = ("*.md", "*.html")


@dataclass(frozen=True)
class Served:
    path: str
    kind: SourceKind
    body: bytes
    content_type: str
    family: str | None = None  # a page's extractor, as the page's own address names it


def vary(body: bytes, suffix: str, copy: int) -> bytes:
    """The copy's own bytes: a comment naming it, where the format allows one (JSON Feed: an extension key)."""
    if suffix == ".json":
        head, brace, rest = body.partition(b"{")
        return head + brace + b'"_copy": %d, ' % copy + rest
    if suffix == ".xml" and body.lstrip().startswith(b"<?xml"):
        end = body.index(b"?>") + 2
        return body[:end] + b"<!-- copy %d -->" % copy + body[end:]
    return body + b"\n<!-- copy %d -->\n" % copy


def corpus_files(corpus: Path, patterns: tuple[str, ...], folder: str) -> list[Path]:
    return sorted(path for pattern in patterns for path in (corpus / folder).glob(pattern)
                  if not path.name.endswith(".source.txt"))


def source_url(copy: Path) -> str:
    """The address the corpus copy was taken from, as its `.source.txt` records it."""
    for line in copy.with_name(copy.name + ".source.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("source_url:"):
            return line.split()[1]
    return ""


def multiply(files: list[Path], kind: SourceKind, count: int) -> list[Served]:
    """`count` sources cycling through `files`, each copy varied; pages keep the family of their address."""
    served = []
    for n in range(count):
        path = files[n % len(files)]
        family = reader_for(source_url(path)) if kind == SourceKind.PAGE else None
        served.append(Served(f"/{kind.value}/{n}/{path.name}", kind, vary(path.read_bytes(), path.suffix, n),
                             content_type(path.name), family))
    return served


def read_by_both(corpus: Path) -> list[Path]:
    """The corpus feeds both sides read. Its broken feeds are refused by each for its own reasons (reader also
    refuses an entry without an id; Continuity reads one, with an id of its making), and a feed one side refuses
    is not the same work on both, nor can it answer 304 to validators it never kept."""
    from reader import make_reader

    files = corpus_files(corpus, FEED_FILES, "feeds")
    reader = make_reader(":memory:", feed_root=str(corpus / "feeds"))
    try:
        for path in files:
            reader.add_feed(f"file:{path.relative_to(corpus / 'feeds')}")
        with warnings.catch_warnings():  # reader warns of each feed it refuses: that is what is asked here
            warnings.simplefilter("ignore")
            reader.update_feeds()
        refused = {feed.url.removeprefix("file:") for feed in reader.get_feeds() if feed.last_exception}
    finally:
        reader.close()
    return [path for path in files if str(path.relative_to(corpus / "feeds")) not in refused
            and parse_feed(path.read_bytes(), content_type=content_type(path.name)).error is None]


def make_sources(corpus: Path, count: int) -> list[Served]:
    """`count` sources, half of them feeds (those both sides read) and half vendor pages."""
    feeds = multiply(read_by_both(corpus), SourceKind.FEED, count // 2)
    return feeds + multiply(corpus_files(corpus, PAGE_FILES, "pages"), SourceKind.PAGE, count - count // 2)


# --- the server, in a process of its own ---------------------------------------------------------------------

def _serve(sources: list[Served], connection: Connection) -> None:
    async def serve() -> None:
        async with FeedServer() as server:
            for source in sources:
                server.serve(source.path, source.body, content_type=source.content_type)
            connection.send(server.port)
            await asyncio.get_running_loop().run_in_executor(None, connection.recv)  # until told to stop
    asyncio.run(serve())


class ServerProcess:
    def __init__(self, sources: list[Served]) -> None:
        ours, theirs = multiprocessing.Pipe()
        self._connection = ours
        self._process = multiprocessing.get_context("spawn").Process(target=_serve, args=(sources, theirs),
                                                                      daemon=True)
        self._process.start()
        self.port: int = ours.recv()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def stop(self) -> None:
        self._connection.send("stop")
        self._process.join(10)


# --- the two sides -------------------------------------------------------------------------------------------

@dataclass
class Cycles:
    """Seconds each cycle took, and how many sources failed in it."""

    cold_s: float
    not_modified_s: float
    cold_errors: int
    not_modified_errors: int

    def of(self, cycle: str) -> tuple[float, int]:
        return (self.cold_s, self.cold_errors) if cycle == "cold" else (self.not_modified_s, self.not_modified_errors)


async def continuity(sources: list[tuple[str, Served]], folder: Path) -> Cycles:
    """Two runs of the bot's own poll job over `sources` (address, what is served there), as one community's
    own sources; the second run a day later, when every source is due again."""
    store = await Store.open(folder / "continuity.db")
    fetcher = Fetcher(user_agent=default_user_agent(), allow_private=True, host_interval=0)
    offset = timedelta(0)
    service = WatchService(store, fetcher, builtin_sources=False, clock=lambda: datetime.now(UTC) + offset)
    try:
        community = await store.communities.ensure_community(PlatformName.CONSOLE, "bench", "Bench")
        for url, served in sources:
            category = Category.DEPRECATION if served.kind == SourceKind.PAGE else Category.NEWS
            source = await store.sources.add_source(Source(0, served.kind, category, url, url, family=served.family))
            await store.sources.link_source(community.id, source.id, "p_bench")
        cold, results = await timed(service.poll_due)
        assert len(results) == len(sources), f"{len(results)} of {len(sources)} sources were due"
        cold_errors = sum(r.error is not None for r in results)
        offset = timedelta(days=1)
        not_modified, results = await timed(service.poll_due)
        assert all(r.unchanged or r.error for r in results), "the second cycle should find nothing new"
        return Cycles(cold, not_modified, cold_errors, sum(r.error is not None for r in results))
    finally:
        await fetcher.close()
        await store.close()


async def timed(work: Callable[[], object]) -> tuple[float, list]:
    started = time.perf_counter()
    result = await work()  # type: ignore[misc]
    return time.perf_counter() - started, result


def reader_side(urls: list[str], folder: Path, workers: int) -> Cycles:
    """reader's own update of the same feeds, twice; the second one forced (reader waits an hour otherwise)."""
    from reader import make_reader

    reader = make_reader(str(folder / "reader.db"))
    try:
        for url in urls:
            reader.add_feed(url)
        started = time.perf_counter()
        reader.update_feeds(workers=workers)
        cold = time.perf_counter() - started
        cold_errors = sum(feed.last_exception is not None for feed in reader.get_feeds())
        started = time.perf_counter()
        reader.update_feeds(scheduled=False, workers=workers)
        not_modified = time.perf_counter() - started
        return Cycles(cold, not_modified, cold_errors,
                      sum(feed.last_exception is not None for feed in reader.get_feeds()))
    finally:
        reader.close()


# --- the run -------------------------------------------------------------------------------------------------

def best(runs: list[Cycles]) -> Cycles:
    return Cycles(min(r.cold_s for r in runs), min(r.not_modified_s for r in runs),
                  max(r.cold_errors for r in runs), max(r.not_modified_errors for r in runs))


def lines(sources: list[Served], ours: dict[SourceKind, Cycles], theirs: Cycles) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for cycle in ("cold", "304"):
        for kind in (SourceKind.FEED, SourceKind.PAGE):
            count = sum(s.kind == kind for s in sources)
            seconds, errors = ours[kind].of(cycle)
            line: dict[str, object] = {"cycle": cycle, "kind": f"{kind.value}s", "sources": count,
                                       "continuity_per_s": round(count / seconds, 1), "reader_per_s": None,
                                       "ratio": None, "continuity_errors": errors}
            if kind == SourceKind.FEED:  # reader reads feeds only
                peer_seconds, peer_errors = theirs.of(cycle)
                line.update(reader_per_s=round(count / peer_seconds, 1), ratio=round(peer_seconds / seconds, 2),
                            reader_errors=peer_errors)
            out.append(line)
    return out


async def main_async(corpus: Path, count: int, repeat: int, workers: int) -> None:
    sources = make_sources(corpus, count)
    server = ServerProcess(sources)
    try:
        ours: dict[SourceKind, list[Cycles]] = {SourceKind.FEED: [], SourceKind.PAGE: []}
        theirs: list[Cycles] = []
        feeds = [server.url(s.path) for s in sources if s.kind == SourceKind.FEED]
        for _ in range(repeat):  # the two sides take turns, so a busy moment of the machine hits both alike
            for kind in (SourceKind.FEED, SourceKind.PAGE):
                with tempfile.TemporaryDirectory(prefix="continuity-cycle-") as folder:
                    mine = [(server.url(s.path), s) for s in sources if s.kind == kind]
                    ours[kind].append(await continuity(mine, Path(folder)))
            with tempfile.TemporaryDirectory(prefix="reader-cycle-") as folder:
                theirs.append(await asyncio.to_thread(reader_side, feeds, Path(folder), workers))
        for line in lines(sources, {kind: best(runs) for kind, runs in ours.items()}, best(theirs)):
            print(json.dumps({**line, "target_ratio": TARGET_RATIO}), flush=True)
    finally:
        server.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.watch_cycle", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sources", type=int, default=300, help="sources in all, half feeds (default 300)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each side; the best counts (default 3)")
    parser.add_argument("--reader-workers", type=int, default=1,
                        help="reader's threads for fetching (its default, 1)")
    args = parser.parse_args(argv)
    corpus = default_corpus()
    if not (corpus / "feeds").is_dir():
        print(f"research corpus not found at {corpus} (set CONTINUITY_CORPUS): no sources to read", file=sys.stderr)
        return 0
    try:
        import reader  # noqa: F401
    except ImportError:
        print("This benchmark compares with the `reader` library, which is not installed. Install it with:\n"
              "    .venv/bin/pip install -e '.[bench]'", file=sys.stderr)
        return 2
    # Ill-formed feeds among the sources are refused with a warning each, by design; the figures are what counts.
    logging.getLogger("bot").setLevel(logging.CRITICAL)
    asyncio.run(main_async(corpus, args.sources, args.repeat, args.reader_workers))
    return 0


if __name__ == "__main__":
    sys.exit(main())
