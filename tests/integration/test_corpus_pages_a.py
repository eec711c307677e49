"""The OpenAI, Anthropic, Azure and Bedrock extractors on real copies of the vendors' pages (the research
corpus, read in place; skipped when it is absent). The page family is recognised from each copy's real URL."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from bot.domain import DeprecationRow, ModelStatus, ShutdownQualifier
from tests.integration.corpus_copies import read_copy

FIRM, EARLIEST = ShutdownQualifier.FIRM, ShutdownQualifier.EARLIEST

# Rows per copy, and why that many.
COUNTS = {
    # 152 ids in the tables (aliases count: "`gpt-4-0613` | `gpt-4`, …" is four; `v1/prompts` comes from a
    # Date | Update table; six `/v1/…` endpoints), less 8 ids named in two announcements (gpt-4-1106-preview,
    # gpt-4-0314, gpt-4-32k-0314, code-davinci-002, and ada/babbage/curie/davinci in both 2023-07-06 tables).
    # Products without an id (Videos API, Assistants API, Evals, Agent Builder, fine-tuning) give no row.
    "openai-deprecations-2026-08-20.md": 144,
    # The 2025 copy: 73 ids and endpoints in its "Deprecation history" tables, 7 of them named twice.
    "openai-deprecations-2025-11-13.html": 66,
    # 16 rows of the status table + 13 older models only in the history (Sonnet 3.5 ×2, Opus 3, Claude 2 ×2,
    # Sonnet 3, Claude 1 ×4, Instant ×3); the API parameter table gives none.
    "anthropic-model-deprecations-2026-08-20.md": 29,
    # 35 rows of the nine provider tables (3 AI21, 1 Bria, 4 Cohere, 1 Core42, 1 DeepSeek, 1 Gretel, 9 Meta,
    # 9 Microsoft, 6 Mistral).
    "azure-foundry-model-lifecycle-retirement-2025-11-13.html": 35,
    # 55 Active + 6 Legacy + 29 EOL rows, none merged: the ids listed twice (the two Cohere embed ids in the
    # Active table; Claude 3.5 Sonnet v1/v2 and 3.7 Sonnet, Active in some regions and Legacy in others; the
    # four AI21 J2 models, EOL on two dates in two regions) say different things, so regions keep them apart.
    "aws-bedrock-model-lifecycle-2025-11-13.html": 90,
    # 14 table rows; Claude 3 Haiku's two region groups agree, so they are one row.
    "aws-bedrock-model-lifecycle-2026-08-21.md": 13,
}


def read(corpus: Path, name: str, as_of: date | None = None) -> list[DeprecationRow]:
    """The rows of a copy as of `as_of`, by default the day it was fetched."""
    return read_copy(corpus, name, as_of=as_of)


def by_model(rows: list[DeprecationRow]) -> dict[str, DeprecationRow]:
    return {row.model: row for row in rows}


@pytest.mark.parametrize("name", sorted(COUNTS))
def test_each_page_extracts_one_row_per_model_and_version(corpus, name):
    rows = read(corpus, name)
    assert len(rows) == COUNTS[name]
    duplicates = [key for key, n in Counter(row.key for row in rows).items() if n > 1]
    assert duplicates == []
    assert all(row.url and row.url.startswith("https://") and "#" in row.url for row in rows)


def test_openai_markdown_copy(corpus):
    rows = by_model(read(corpus, "openai-deprecations-2026-08-20.md"))
    gpt4 = rows["gpt-4-0613"]
    assert (gpt4.shutdown, gpt4.shutdown_qualifier, gpt4.replacements, gpt4.status, gpt4.announced) == (
        date(2026, 10, 23), FIRM, ("gpt-5.6-sol",), ModelStatus.DEPRECATED, date(2026, 4, 22))
    assert gpt4.url == "https://developers.openai.com/api/docs/deprecations.md#2026-04-22-legacy-gpt-model-snapshots"
    assert rows["gpt-4"].shutdown == rows["gpt-4-completions"].shutdown == date(2026, 10, 23), "aliases share it"
    # Named in 2025 (March 2026) and again in 2026 (October 2026): the newer announcement governs.
    assert rows["gpt-4-1106-preview"].shutdown == date(2026, 10, 23)
    # "`gpt-5.6-sol` (`reasoning.mode: pro`)": the setting is not a replacement.
    assert rows["o3-pro-2025-06-10"].replacements == ("gpt-5.6-sol",)
    assert rows["gpt-realtime"].shutdown == date(2027, 1, 20)  # "Jan 20, 2027"
    assert rows["gpt-4-0314"].replacements == ("gpt-5", "gpt-4.1")  # "`gpt-4.1*`" with a footnote mark
    # Entries that moved to "Past deprecations" are retired; a fine-tuning feature row did not shut the model.
    assert rows["gpt-5.1-codex"].status == ModelStatus.RETIRED
    assert (rows["babbage-002"].shutdown, rows["babbage-002"].status) == (date(2026, 9, 28), ModelStatus.DEPRECATED)
    assert rows["gpt-4o-realtime-preview"].shutdown == date(2026, 5, 7), "a bare id without a code span"
    assert rows["v1/prompts"].shutdown == date(2026, 11, 30)
    assert not {"Assistants API", "Videos API", "Evals platform", "Agent Builder"} & rows.keys()


def test_openai_html_copy_reads_like_the_markdown_one(corpus):
    html = by_model(read(corpus, "openai-deprecations-2025-11-13.html"))
    markdown = by_model(read(corpus, "openai-deprecations-2026-08-20.md"))
    assert html["gpt-4o-realtime-preview"].shutdown == date(2026, 2, 27), "this copy's date, since moved"
    assert html["gpt-4o-realtime-preview"].status == ModelStatus.DEPRECATED
    assert html["gpt-4-0314"].shutdown == date(2026, 3, 26), "the 2025 firm date over the 2023 'at earliest'"
    assert html["gpt-4.5-preview"].url.endswith("#2025-04-14-gpt-4-5-preview"), "the page's own heading id"
    # What the older announcements said has not changed between the two copies.
    old = [m for m, row in html.items() if row.announced and row.announced <= date(2025, 4, 28)]
    assert len(old) > 40
    assert {m: html[m].shutdown for m in old} == {m: markdown[m].shutdown for m in old}


def test_anthropic_copy(corpus):
    rows = by_model(read(corpus, "anthropic-model-deprecations-2026-08-20.md"))
    opus = rows["claude-opus-4-5-20251101"]
    assert (opus.status, opus.shutdown, opus.shutdown_qualifier) == (ModelStatus.ACTIVE, date(2026, 11, 24), EARLIEST)
    haiku = rows["claude-3-haiku-20240307"]
    assert (haiku.status, haiku.announced, haiku.shutdown, haiku.shutdown_qualifier, haiku.replacements) == (
        ModelStatus.RETIRED, date(2026, 2, 19), date(2026, 4, 20), FIRM, ("claude-haiku-4-5-20251001",))
    assert rows["claude-instant-1.2"].status == ModelStatus.RETIRED, "only in the history, long past"
    assert "temperature" not in rows, "the API parameter table is not about models"


def test_azure_foundry_copy(corpus):
    rows = by_model(read(corpus, "azure-foundry-model-lifecycle-retirement-2025-11-13.html"))
    jamba = rows["Jamba Instruct"]
    assert (jamba.status, jamba.announced, jamba.shutdown) == (ModelStatus.RETIRED, date(2025, 2, 1), date(2025, 3, 1))
    # Deprecated on October 31, 2025, the page's own "Last updated" date; retired in January 2026.
    assert (rows["jais-30b-chat"].status, rows["jais-30b-chat"].shutdown) == (ModelStatus.DEPRECATED,
                                                                              date(2026, 1, 30))
    assert rows["Command R+"].replacements == ("Cohere Command R+ 08-2024",)
    assert rows["Mistral-Nemo"].url.endswith("#mistral-ai")


def test_bedrock_copies(corpus):
    new = read(corpus, "aws-bedrock-model-lifecycle-2026-08-21.md")
    haiku = [row for row in new if row.model == "anthropic.claude-3-haiku-20240307-v1:0"]
    assert [(r.status, r.announced, r.shutdown, r.version) for r in haiku] == [
        (ModelStatus.LEGACY, date(2026, 3, 10), date(2026, 9, 10), None)]
    old = read(corpus, "aws-bedrock-model-lifecycle-2025-11-13.html")
    sonnet = [(r.status, r.shutdown, r.shutdown_qualifier) for r in old
              if r.model == "anthropic.claude-3-5-sonnet-20240620-v1:0"]
    assert sonnet == [(ModelStatus.ACTIVE, date(2025, 7, 30), EARLIEST), (ModelStatus.LEGACY, date(2026, 3, 1), FIRM)]
    jamba = by_model(old)["ai21.jamba-1-5-large-v1:0"]  # "No sooner than 9/23/2025" in a column with no title
    assert (jamba.status, jamba.shutdown, jamba.shutdown_qualifier) == (ModelStatus.ACTIVE, date(2025, 9, 23),
                                                                       EARLIEST)
    assert by_model(old)["Claude 3 Opus"].shutdown == date(2026, 1, 15), "a name only: the page gives no id"
