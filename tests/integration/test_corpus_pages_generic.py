"""Every page copy of the research corpus through `extract_page` (read in place; skipped when it is absent), and
the generic extractor on the copies of vendors that have no extractor of their own: real rows where the page
has a retirement table, none where it has not."""

from __future__ import annotations

import importlib.util
import os
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from bot.domain import DeprecationRow, ModelStatus, ShutdownQualifier
from bot.watch.pages import FAMILIES, UnknownPageFamily, family_for
from tests.integration.corpus_copies import read_copy, source_url

FIRM = ShutdownQualifier.FIRM
# Where the `corpus` fixture looks, so that the page copies can be listed when the tests are collected.
PAGES = Path(os.environ.get("CONTINUITY_CORPUS", Path(__file__).resolve().parents[2].parent / "shared" /
                            "research-corpus")) / "pages"

# Synthetic fixtures have no real address; their .source.txt says which vendor page each one imitates.
IMITATES = {
    "deprecations-rss-google_deprecations.html": "gemini",  # ai.google.dev/gemini-api/docs/deprecations
    "quora-anthropic.html": "anthropic", "quora-bedrock.html": "bedrock", "quora-gemini.html": "gemini",
    "quora-openai.html": "openai", "quora-vertex.html": "vertex",
}

# Rows per copy read by the generic extractor, and why that many.
GENERIC = {
    # Five tables (Category | Model name | Deprecation time | Replacement model): 5 + 42 + 1 + 8 + 8 ids.
    "alibaba-model-retirement-2026-08-21.md": 64,
    # One table (Deprecated Model | Offline Time | System replacement time | System Replacement Model | …).
    "xiaomi-mimo-deprecations-2026-08-21.md": 4,
    # No table: one MDX <Update label="2026-08-17"> block per announcement in prose, with no retirement dates.
    "cerebras-deprecations-2026-08-20.md": 0,
    # Its "Deprecated Models" table is Model Name | Description ("Deprecated"): no date column; the dates
    # ("officially discontinued on May 25, 2026") are in prose notes.
    "moonshot-models-2026-08-20.md": 0,
    # No tables at all: a list of model cards.
    "openai-models-2026-08-20.md": 0,
    # Feature comparison tables (Feature | Claude Fable 5 | …): no model column, no dates.
    "anthropic-models-overview-2026-08-20.md": 0,
    # Changelogs in prose and MDX blocks, without tables.
    "deepseek-updates-2026-08-21.md": 0,
    "fireworks-changelog-2026-08-20.md": 0,
    "perplexity-changelog-2026-08-20.md": 0,
    "minimax-model-releases-2026-08-20.md": 0,
    "z-ai-releases-2026-08-20.md": 0,
}


def read(corpus: Path, name: str) -> list[DeprecationRow]:
    """The rows of a copy as of the day it was fetched (synthetic fixtures have none: only words retire)."""
    return read_copy(corpus, name, vendor=IMITATES.get(Path(name).name))


def by_model(rows: list[DeprecationRow]) -> dict[str, DeprecationRow]:
    return {row.model: row for row in rows}


def copies() -> list[str]:
    found = PAGES.rglob("*") if PAGES.is_dir() else ()
    return sorted(str(p.relative_to(PAGES)) for p in found if p.suffix in (".md", ".html"))


@pytest.mark.parametrize("name", copies() or ["(corpus absent)"])
def test_every_copy_goes_through_extract_page(corpus, name):
    path = corpus / "pages" / name
    try:
        family = family_for(source_url(path), IMITATES.get(path.name))
    except UnknownPageFamily:
        family = "generic"
    if importlib.util.find_spec(FAMILIES[family][0]) is None:
        pytest.skip(f"the {family} extractor is not written yet")
    assert all(isinstance(row, DeprecationRow) for row in read(corpus, name))


@pytest.mark.parametrize("name", sorted(GENERIC))
def test_generic_pages_give_rows_only_where_they_have_a_retirement_table(corpus, name):
    url = source_url(corpus / "pages" / name)
    with pytest.raises(UnknownPageFamily):
        family_for(url)  # no family of its own: the generic extractor reads it
    rows = read(corpus, name)
    assert len(rows) == GENERIC[name]
    assert not [key for key, n in Counter(row.key for row in rows).items() if n > 1]
    assert all(row.url and row.url.startswith(f"{url}#") and row.platform == "api" for row in rows)


def test_alibaba(corpus):
    rows = by_model(read(corpus, "alibaba-model-retirement-2026-08-21.md"))
    assert {row.vendor for row in rows.values()} == {"alibaba"}
    max_ = rows["qwen3-max"]
    assert (max_.status, max_.shutdown, max_.shutdown_qualifier, max_.replacements) == (
        ModelStatus.DEPRECATED, date(2026, 10, 10), FIRM, ("qwen3.7-max",))
    assert max_.url == ("https://www.alibabacloud.com/help/en/model-studio/model-depreciation"
                        "#scheduled-for-deprecation-on-october-10-2026")
    assert (rows["gte-rerank"].shutdown, rows["gte-rerank"].replacements) == (date(2026, 5, 30), ("qwen3-rerank",))
    assert rows["qwen-vl-plus-2024-08-09"].replacements == ("qwen3-vl-flash-2025-10-15",)
    assert rows["qwen1.5-7b-chat"].shutdown == date(2025, 8, 20), "'00:00:00 (UTC+08:00)' after the date"
    assert rows["MiniMax-M2.1"].shutdown == date(2026, 10, 10), "third-party models too"
    assert not {"Qwen-Max", "Qwen-VL", "rerank"} & rows.keys(), "the Category column names no model"


def test_xiaomi(corpus):
    rows = by_model(read(corpus, "xiaomi-mimo-deprecations-2026-08-21.md"))
    assert list(rows) == ["mimo-v2-pro", "mimo-v2-omni", "mimo-v2-flash", "mimo-v2-tts"]
    # "Offline Time: Beijing Time 2026.6.30 00:00" is the shutdown; "System replacement time" (when requests are
    # rerouted) is neither the shutdown nor a replacement. Fetched on August 21, after that day: retired.
    assert {(r.vendor, r.status, r.shutdown, r.shutdown_qualifier) for r in rows.values()} == {
        ("xiaomi", ModelStatus.RETIRED, date(2026, 6, 30), FIRM)}
    assert rows["mimo-v2-pro"].replacements == ("mimo-v2.5-pro",)
    assert rows["mimo-v2-tts"].replacements == ("mimo-v2.5-tts",)
