"""Every feed in the research corpus, good and broken, through the real watch cycle: nothing crashes,
and a broken one leaves its source with a readable error for moderators (and nothing else changed)."""

from __future__ import annotations

from bot.domain import Category, PlatformName, Source, SourceKind, SourceState
from bot.watch.feeds import parse_feed
from bot.watch.fetch import Fetcher
from bot.watch.service import WatchService
from tests.fakes.feed_server import FeedServer


async def test_every_corpus_feed_is_read_or_explained(corpus, store):
    files = sorted(p for p in (corpus / "feeds").rglob("*") if p.is_file() and not p.name.endswith(".source.txt"))
    assert len(files) > 40
    server = FeedServer()
    await server.start()
    fetcher = Fetcher(user_agent="test", allow_private=True, host_interval=0)
    watch = WatchService(store, fetcher)
    community = await store.communities.ensure_community(PlatformName.CONSOLE, "console", "console")
    broken = []
    try:
        for number, path in enumerate(files):
            url_path = f"/{number}/{path.name}"
            content_type = "application/feed+json" if path.suffix == ".json" else "application/xml"
            server.serve(url_path, path.read_bytes(), content_type=content_type)
            source = await store.sources.add_source(Source(0, SourceKind.FEED, Category.NEWS, server.url(url_path),
                                                           path.name))
            await store.sources.link_source(community.id, source.id, "p")
            result = await watch.check_source(source)
            expected = parse_feed(path.read_bytes(), url=source.url, content_type=content_type)
            if expected.error and not expected.items:
                broken.append(path.name)
                assert result.error.reason == expected.error.reason, path.name
                saved = await store.sources.get_source(source.id)
                assert (saved.failures, saved.last_error, saved.state) == (1, expected.error.stored(), SourceState.OK)
                assert result.error.reason.endswith(".") and "Traceback" not in result.error.reason
            else:
                assert result.error is None, f"{path.name}: {result.error.reason}"
                assert result.items == len(expected.items)
    finally:
        await fetcher.close()
        await server.stop()
    # The five documents that are not usable feeds at all (see tests/integration/test_feeds_corpus.py).
    assert sorted(broken) == ["aaa-illformed.xml", "rss-empty-document.xml", "rss-incomplete-cdata.xml",
                              "rss2-reuters-invalid.xml", "undeclared-namespace.xml"]
