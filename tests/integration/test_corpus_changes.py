"""Every pair of dated copies of one vendor page in the research corpus, compared as a poll would: the older
copy read as of the day it was fetched (what the bot had stored), the newer as of its own day, diffed with
`as_of` = the newer copy's day. Each notice the pairs produce is written down below with its reason, so an
unexpected one fails; and every status change must be supported by the row's dates or the page's words."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from itertools import pairwise
from pathlib import Path

import pytest

from bench.extract_accuracy import page_key
from bot.domain import DeprecationRow, KnownRow, ModelStatus, Notice, NoticeKind, ShutdownQualifier, SourceRank
from bot.watch.diff import diff_rows
from bot.watch.pages import extract_page
from bot.watch.snapshot import snapshot_notices
from tests.integration.corpus_copies import copy_day, read_copy, source_url

NEW, STATUS, DATE, MANY = (NoticeKind.NEW_DEPRECATION, NoticeKind.STATUS_CHANGED, NoticeKind.DATE_CHANGED,
                           NoticeKind.MANY_LISTED)
BEDROCK = ("aws-bedrock-model-lifecycle-2025-11-13.html", "aws-bedrock-model-lifecycle-2026-08-21.md")
OPENAI = ("openai-deprecations-2025-11-13.html", "openai-deprecations-2026-08-20.md")
CHATGPT = ("openai-chatgpt-release-notes-2025-06-07.md", "openai-chatgpt-release-notes-2025-06-13.md")

# (old copy, new copy) -> every notice: (kind, model, from, to, why). Copies of the same page are found by
# their `source_url:` (bench.extract_accuracy.page_key: platform.openai.com moved to developers.openai.com).
# Anthropic, Gemini (the deprecations page and the changelog are two pages), Vertex, Azure, Mistral, Cohere,
# Groq and xAI (the models page and a retirement notice are two pages) have one copy per page: no pair.
EXPECTED: dict[tuple[str, str], list[tuple[NoticeKind, str | None, str | None, str | None, str]]] = {
    BEDROCK: [
        # Active on 2025-11-13, in the "Legacy and end-of-life" table with a firm EOL date on 2026-08-21.
        (NEW, "ai21.jamba-1-5-large-v1:0", "active", "legacy", "legacy since 2026-05-26, EOL 2026-11-26"),
        (NEW, "ai21.jamba-1-5-mini-v1:0", "active", "legacy", "legacy since 2026-05-26, EOL 2026-11-26"),
        (NEW, "amazon.nova-canvas-v1:0", "active", "legacy", "legacy since 2026-03-30, EOL 2026-09-30"),
        (NEW, "amazon.nova-reel-v1:0", "active", "legacy", "legacy since 2026-03-30, EOL 2026-09-30"),
        (NEW, "anthropic.claude-opus-4-1-20250805-v1:0", "active", "legacy", "legacy since 2026-07-08, EOL 2027-01-08"),
        (NEW, "anthropic.claude-sonnet-4-20250514-v1:0", "active", "legacy", "legacy since 2026-04-14, EOL 2026-10-14"),
        (NEW, "anthropic.claude-3-haiku-20240307-v1:0", "active", "legacy", "legacy since 2026-03-10, EOL 2026-09-10"),
        # Not on the 2025 copy at all, listed with a firm EOL date still ahead.
        (NEW, "amazon.nova-reel-v1:1", None, "2026-09-30", "first listed, EOL 2026-09-30"),
        (NEW, "amazon.nova-premier-v1:0", None, "2026-09-14", "first listed, EOL 2026-09-14"),
        (NEW, "amazon.nova-sonic-v1:0", None, "2026-09-14", "first listed, EOL 2026-09-14"),
        (NEW, "twelvelabs.marengo-embed-2-7-v1:0", None, "2026-11-30", "first listed, EOL 2026-11-30"),
        # Not a notice: cohere.command-r-v1:0 and -plus are first listed already past their 2026-08-19 EOL
        # (history, recorded silently); the 2025 copy's EOL rows are gone from the 2026 copy (missing, silent).
    ],
    OPENAI: [
        (DATE, "gpt-4-1106-preview", "2026-03-26", "2026-10-23", "the 2026-04-22 entry gave it a later date"),
        # Deprecated with a firm shutdown ahead on 2025-11-13, that date passed by 2026-08-20.
        (STATUS, "gpt-4-0314", "deprecated", "retired", "shut down 2026-03-26"),
        (STATUS, "gpt-4-0125-preview", "deprecated", "retired", "shut down 2026-03-26"),
        (STATUS, "gpt-4-turbo-preview", "deprecated", "retired", "shut down 2026-03-26 (alias)"),
        (STATUS, "gpt-4-turbo-preview-completions", "deprecated", "retired", "shut down 2026-03-26 (alias)"),
        (STATUS, "gpt-4o-realtime-preview", "deprecated", "retired", "shut down 2026-05-07 (moved from 2026-02-27)"),
        (STATUS, "gpt-4o-realtime-preview-2025-06-03", "deprecated", "retired", "shut down 2026-05-07"),
        (STATUS, "gpt-4o-realtime-preview-2024-12-17", "deprecated", "retired", "shut down 2026-05-07"),
        # 52 models newly listed with a date still ahead (gpt-4-0613 …, the 2026 announcements) come as one
        # summary; newly listed rows already past their date are history, silent.
        (MANY, None, None, "52", "more than BULK_NEW_ROWS new rows"),
    ],
    # The ChatGPT release notes of June 7 and June 13, 2025 name the same one retirement: nothing changes.
    CHATGPT: [],
}


def pairs(corpus: Path) -> list[tuple[str, str]]:
    """Consecutive dated copies of the same page (synthetic fixtures have no date and no address)."""
    pages: dict[str, list[tuple[date, str]]] = defaultdict(list)
    for path in sorted((corpus / "pages").glob("*")):
        if path.suffix in (".md", ".html") and (url := source_url(path)) and (day := copy_day(path)):
            pages[page_key(url)].append((day, path.name))
    found = []
    for copies in pages.values():
        copies.sort()
        found += [(old, new) for (_d, old), (_e, new) in pairwise(copies)]
    return sorted(found)


def poll(corpus: Path, old: str, new: str) -> tuple[list[Notice], dict[str, DeprecationRow], date]:
    as_of = copy_day(corpus / "pages" / new)
    assert as_of is not None
    known = {row.key: KnownRow(row) for row in read_copy(corpus, old)}
    after = read_copy(corpus, new)
    notices = diff_rows(known, after, source_id=0, rank=SourceRank.BUILTIN_PAGE, baseline=False, today=as_of).notices
    return notices, {row.model: row for row in after}, as_of


def test_the_corpus_pairs_are_the_ones_written_down(corpus):
    assert pairs(corpus) == sorted(EXPECTED)


@pytest.mark.parametrize("pair", sorted(EXPECTED), ids=[old.rsplit("-", 3)[0] for old, _new in sorted(EXPECTED)])
def test_each_pair_gives_exactly_the_notices_written_down(corpus, pair):
    notices, _rows, _as_of = poll(corpus, *pair)
    got = sorted(((n.kind, n.model or None, n.old_value, n.new_value) for n in notices), key=str)
    assert got == sorted(((k, m, f, t) for k, m, f, t, _why in EXPECTED[pair]), key=str)


@pytest.mark.parametrize("pair", sorted(EXPECTED), ids=[old.rsplit("-", 3)[0] for old, _new in sorted(EXPECTED)])
def test_every_status_change_is_supported_by_dates_or_words(corpus, pair):
    notices, rows, as_of = poll(corpus, *pair)
    path = corpus / "pages" / pair[1]
    said = {r.model: r.status for r in extract_page(path.read_text(encoding="utf-8"), url=source_url(path))}
    statuses = {s.value for s in ModelStatus}
    for notice in notices:
        if notice.old_value not in statuses:
            continue  # not a status change: a date, a first listing, a summary
        row = rows[notice.model or ""]
        assert notice.old_value != ModelStatus.RETIRED, f"{notice.model}: never 'retired → …'"
        if notice.new_value == ModelStatus.RETIRED:
            by_date = row.shutdown_qualifier == ShutdownQualifier.FIRM and row.shutdown and row.shutdown <= as_of
            assert by_date or said[row.model] == ModelStatus.RETIRED, f"{notice.model}: retired without support"
        else:
            # Not retired, so the row's date must still be ahead of the fetch day, or not firm.
            assert not (row.shutdown_qualifier == ShutdownQualifier.FIRM and row.shutdown and row.shutdown <= as_of)


async def test_the_cli_diff_without_the_old_day_shows_only_what_the_page_changed(corpus):
    # `extract --diff` without --old-as-of reads both copies on the --as-of day: no status that time alone
    # changed (the 7 rows above are retired on both copies by then), so the moved dates show instead: the
    # three gpt-4o-realtime-preview ids (2026-02-27 -> 2026-05-07) besides gpt-4-1106-preview.
    pages = corpus / "pages"
    notices = await snapshot_notices(str(pages / OPENAI[0]), str(pages / OPENAI[1]), as_of=date(2026, 8, 20))
    assert sorted((n.kind, n.model, n.old_value, n.new_value) for n in notices if n.kind == DATE) == [
        (DATE, "gpt-4-1106-preview", "2026-03-26", "2026-10-23"),
        (DATE, "gpt-4o-realtime-preview", "2026-02-27", "2026-05-07"),
        (DATE, "gpt-4o-realtime-preview-2024-12-17", "2026-02-27", "2026-05-07"),
        (DATE, "gpt-4o-realtime-preview-2025-06-03", "2026-02-27", "2026-05-07")]
    assert {n.kind for n in notices} == {DATE, MANY}
    # With the old copy's own day, the CLI gives what the poll gives.
    moved = await snapshot_notices(str(pages / OPENAI[0]), str(pages / OPENAI[1]), as_of=date(2026, 8, 20),
                                   old_as_of=date(2025, 11, 13))
    assert sorted((n.kind, n.model or None) for n in moved) == sorted(
        (k, m) for k, m, _f, _t, _w in EXPECTED[OPENAI])


async def test_the_same_copy_twice_says_nothing(corpus):
    page = str(corpus / "pages" / "openai-deprecations-2026-08-20.md")
    assert await snapshot_notices(page, page, as_of=date(2026, 8, 20)) == []
