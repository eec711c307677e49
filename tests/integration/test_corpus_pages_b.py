"""The Gemini, Vertex, Mistral, Cohere, Groq and xAI extractors on real copies of the vendors' pages (the research
corpus, read in place; skipped when it is absent). The page family is recognised from each copy's real URL, except
Cohere's models page, whose URL the registry's Cohere pattern (deprecations pages) does not name."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from bot.domain import DeprecationRow, ModelStatus, ShutdownQualifier
from tests.integration.corpus_copies import read_copy

FIRM, EARLIEST, TBD = ShutdownQualifier.FIRM, ShutdownQualifier.EARLIEST, ShutdownQualifier.TBD
ACTIVE, DEPRECATED, RETIRED = ModelStatus.ACTIVE, ModelStatus.DEPRECATED, ModelStatus.RETIRED
VENDOR_OF = {"cohere-models-2026-08-20.md": "cohere"}

# Rows per copy, and why that many.
COUNTS = {
    # 65 model rows in eleven tables; the nine "Preview models" sub-header rows give none.
    "google-gemini-api-deprecations-2026-08-21.md": 65,
    # Shutdown notes: Nov 11 (4), Nov 10 (1), Nov 4 (10), Oct 20 (2 gone + 2 coming Dec 9), Sep 16 (4, with the
    # `gemini-embedding-exp` alias), Jun 26 (1), Jun 17 (1). Oct 15 (the two veo previews) and Jul 14
    # (`gemini-embedding-exp-03-07`) are named again later and merge. Sep 29's "The following Gemini 1.5 models
    # are now deprecated:" with its nested list gives three; releases, redirects and products without an id
    # give none.
    "google-gemini-api-changelog-2025-11-13.html": 28,
    # 7 Gemini + 3 image + 5 Veo + 6 embeddings + 3 short-term + 17 retired rows.
    "google-vertex-model-versions-2026-08-21.md": 41,
    # 45 table rows, less 3 without an API id (Mathstral 7B, Mistral Next, Mistral 7B 0.1) and 2 API ids listed
    # twice with the same facts (`voxtral-mini-2507`, `open-mistral-7b`): 40; plus 20 current-model cards (26 card
    # links, 6 of them Featured repeats).
    "mistral-models-2026-08-21.md": 60,
    # 2026-04-04: 5 retired; 2025-09-15: 4 models + 2 aliases + `summarize` + 4 endpoints (the `/v1/chat`
    # parameters, Slack and Coral give none); 2024-12-02: 2 table rows. Fine-tuning notes give none.
    "cohere-deprecations-2026-08-20.md": 18,
    # 14 Command + 5 Embed + 5 Rerank + 1 Audio + 8 Aya rows; the platform-mapping tables give none.
    "cohere-models-2026-08-20.md": 33,
    # 37 table rows; `deepseek-r1-distill-llama-70b-specdec` is in two entries (March 24 and April 14, 2025).
    "groq-deprecations-2026-08-20.md": 36,
    # 8 priced ids, `grok-2-vision-1212` in two regions; the empty row and two sub-header rows give none.
    "xai-models-2025-11-13.html": 9,
    # The 8 retired ids (list and table name the same 8).
    "xai-may-15-retirement-2026-08-20.md": 8,
}


def read(corpus: Path, name: str, as_of: date | None = None) -> list[DeprecationRow]:
    """The rows of a copy as of `as_of`, by default the day it was fetched."""
    return read_copy(corpus, name, vendor=VENDOR_OF.get(name), as_of=as_of)


def by_model(rows: list[DeprecationRow]) -> dict[str, DeprecationRow]:
    return {row.model: row for row in rows}


@pytest.mark.parametrize("name", sorted(COUNTS))
def test_each_page_extracts_one_row_per_model_and_version(corpus, name):
    rows = read(corpus, name)
    assert len(rows) == COUNTS[name]
    duplicates = [key for key, n in Counter(row.key for row in rows).items() if n > 1]
    assert duplicates == []
    assert all(row.url and row.url.startswith("https://") and "#" in row.url for row in rows)


def test_gemini_deprecations_page(corpus):
    rows = by_model(read(corpus, "google-gemini-api-deprecations-2026-08-21.md"))
    lite = rows["gemini-3.1-flash-lite"]
    assert (lite.shutdown, lite.shutdown_qualifier, lite.replacements, lite.status) == (
        date(2027, 5, 7), EARLIEST, ("gemini-3.5-flash-lite",), DEPRECATED)
    assert lite.url == "https://ai.google.dev/gemini-api/docs/deprecations#gemini-3-models"
    assert rows["gemini-2.5-pro"].url.endswith("#gemini-2.5-pro-models"), "devsite anchors keep the dots"
    assert (rows["gemini-3.7-flash"].status, rows["gemini-3.7-flash"].shutdown_qualifier) == (ACTIVE, TBD)
    assert "Preview models" not in rows
    # A preview after the sub-header row. Its March 9 date has passed by the fetch day, but the page says its
    # dates are "the earliest possible dates on which a model might be retired": may be gone, not gone.
    preview = rows["gemini-3-pro-preview"]
    assert (preview.shutdown, preview.shutdown_qualifier, preview.status, preview.replacements) == (
        date(2026, 3, 9), EARLIEST, DEPRECATED, ("gemini-3.1-pro-preview",))
    assert not [r for r in rows.values() if r.status == RETIRED], "no date on this page is firm"
    assert rows["veo-2.0-generate-001"].replacements == ("veo-3.1-generate-preview",)
    assert rows["embedding-gecko-001"].shutdown == date(2025, 10, 30), "no release date in its row"
    assert rows["gemini-embedding-001"].shutdown == date(2028, 5, 14)


def test_gemini_release_notes(corpus):
    rows = by_model(read(corpus, "google-gemini-api-changelog-2025-11-13.html"))
    veo = rows["veo-3.0-generate-preview"]
    # October 15 said November 6; November 11 said "November 12:" under "will be deprecated": the later governs.
    # The copy was fetched on November 13, after that day: retired.
    assert (veo.shutdown, veo.announced, veo.status) == (date(2025, 11, 12), date(2025, 11, 11), RETIRED)
    assert rows["gemini-2.0-flash-live-001"].status == DEPRECATED, "December 9 is still ahead"
    assert veo.url == "https://ai.google.dev/gemini-api/docs/changelog#11-11-2025"
    assert rows["gemini-2.0-flash-thinking-exp-1219"].shutdown == date(2025, 12, 2)  # "December 2nd:"
    imagen = rows["imagen-3.0-generate-002"]
    assert (imagen.shutdown, imagen.status) == (date(2025, 11, 10), RETIRED), '"is deprecated" on November 10'
    audio = rows["gemini-2.5-flash-preview-native-audio-dialog"]
    assert (audio.shutdown, audio.replacements) == (
        date(2025, 10, 20), ("gemini-2.5-flash-native-audio-preview-09-2025",))
    assert rows["gemini-2.0-flash-live-001"].shutdown == date(2025, 12, 9)  # "coming December 09, 2025"
    assert rows["gemini-2.5-flash-preview-04-17"].shutdown == date(2025, 7, 15)  # in a release sentence
    # Named on July 14 (August 14) and again on September 16 ("in October, 2025", no day): the later governs.
    assert (rows["gemini-embedding-exp-03-07"].shutdown, rows["gemini-embedding-exp-03-07"].shutdown_qualifier) == (
        None, TBD)
    # Releases, redirects ("… will be redirected to `gemini-2.5-pro` on June 26, 2025") and a feature
    # "discontinued" are not shutdowns: the November 4 list governs the redirected preview.
    assert rows["gemini-2.5-pro-preview-05-06"].shutdown == date(2025, 12, 2)
    assert not {"gemini-2.5-flash", "gemini-2.5-pro", "gemini-2.0-flash", "gemini-2.5-flash-lite"} & rows.keys()


def test_vertex_model_versions(corpus):
    rows = by_model(read(corpus, "google-vertex-model-versions-2026-08-21.md"))
    assert all(row.vendor == "google" and row.platform == "vertex" for row in rows.values())
    flash = rows["gemini-2.5-flash"]
    assert (flash.shutdown, flash.shutdown_qualifier, flash.status, flash.replacements) == (
        date(2026, 10, 20), FIRM, DEPRECATED, ("gemini-3.5-flash-lite", "gemini-3.1-flash-lite"))
    assert rows["gemini-2.5-flash-lite"].replacements == ("gemini-3.1-flash-lite", "Gemma 4")
    assert (rows["gemini-3.5-flash"].shutdown, rows["gemini-3.5-flash"].shutdown_qualifier) == (
        date(2027, 5, 19), EARLIEST)  # "May 19, 2027 or later"
    assert rows["gemini-embedding-001"].shutdown_qualifier == EARLIEST  # "No sooner than May 20, 2028"
    assert rows["gemini-3.7-flash"].shutdown_qualifier == TBD
    gecko = rows["textembedding-gecko@003"]  # "textembedding-gecko@003\*" with a footnote mark
    assert (gecko.status, gecko.shutdown, gecko.url) == (
        RETIRED, date(2025, 5, 24),
        "https://docs.cloud.google.com/gemini-enterprise-agent-platform/models/model-versions#retired-models")
    assert rows["gemini-2.5-flash-image"].replacements == ("gemini-3.1-flash-lite-image",)


def test_mistral_models(corpus):
    rows = read(corpus, "mistral-models-2026-08-21.md")
    models = by_model(rows)
    large = models["mistral-large-2407"]
    assert (large.announced, large.shutdown, large.status, large.replacements, large.version) == (
        date(2024, 11, 30), date(2025, 3, 30), RETIRED, ("mistral-large-3-25-12",), None)
    medium = models["mistral-medium-2505"]  # retiring after the newest deprecation date on the page
    assert (medium.shutdown, medium.status) == (date(2026, 8, 31), DEPRECATED)
    assert models["open-codestral-mamba"].shutdown == date(2025, 6, 6)
    assert {"mathstral-7b-0-1", "mistral-next", "Mathstral 7B"}.isdisjoint(models)
    assert models["mistral-medium-3-5-26-04"].status == ACTIVE
    assert models["mistral-medium-3-5-26-04"].url == "https://docs.mistral.ai/models#generalist-models"
    assert len([r for r in rows if r.status == ACTIVE]) == 20


def test_cohere_deprecations(corpus):
    rows = by_model(read(corpus, "cohere-deprecations-2026-08-20.md"))
    embed = rows["embed-english-v2.0"]
    assert (embed.shutdown, embed.status, embed.replacements) == (
        date(2026, 4, 4), RETIRED, ("embed-english-v3.0", "embed-multilingual-v3.0", "embed-v4.0"))
    assert embed.url == "https://docs.cohere.com/docs/deprecations.md#2026-04-04-embed-v2-0-aya-expanse-8b"
    assert rows["c4ai-aya-expanse-8b"].replacements == (
        "command-r7b-12-2024", "command-a-03-2025", "command-a-reasoning-08-2025")
    alias = rows["command-r-plus"]
    assert (alias.status, alias.announced, alias.shutdown, alias.shutdown_qualifier) == (
        DEPRECATED, date(2025, 9, 15), None, TBD)
    assert rows["rerank-multilingual-v2.0"].shutdown == date(2025, 4, 30)
    assert "/v1/generate" in rows and not {"/v1/chat", "connectors", "rerank", "classify"} & rows.keys()


def test_cohere_models(corpus):
    rows = by_model(read(corpus, "cohere-models-2026-08-20.md"))
    assert (rows["command-r-03-2024"].status, rows["command-r-03-2024"].announced) == (DEPRECATED, date(2025, 9, 15))
    assert (rows["c4ai-aya-vision-8b"].status, rows["c4ai-aya-vision-8b"].shutdown) == (RETIRED, date(2026, 4, 4))
    assert rows["embed-v4.0"].status == ACTIVE
    assert "embed-english-v2.0" not in rows, "only named in a platform-mapping table"


def test_groq_deprecations(corpus):
    rows = by_model(read(corpus, "groq-deprecations-2026-08-20.md"))
    llama = rows["llama-3.3-70b-versatile"]
    # Shut down on August 16, four days before the copy was fetched.
    assert (llama.shutdown, llama.announced, llama.replacements, llama.status) == (
        date(2026, 8, 16), date(2026, 6, 17), ("openai/gpt-oss-120b", "qwen/qwen3.6-27b"), RETIRED)
    earlier = by_model(read(corpus, "groq-deprecations-2026-08-20.md", as_of=date(2026, 8, 15)))
    assert earlier["llama-3.3-70b-versatile"].status == DEPRECATED
    assert llama.url == ("https://console.groq.com/docs/deprecations.md"
                         "#august-16-2026-llama318binstant-and-llama3370bversatile")
    specdec = rows["deepseek-r1-distill-llama-70b-specdec"]
    assert (specdec.shutdown, specdec.announced) == (date(2025, 4, 14), date(2025, 4, 7))
    assert rows["llama-3.2-11b-text-preview"].replacements == ("llama-3.2-11b-vision-preview", "llama-3.1-8b-instant")
    assert rows["llama3-groq-8b-8192-tool-use-preview"].shutdown == date(2025, 1, 6)  # "1/6/25"
    assert rows["gemma-7b-it"].status == RETIRED


def test_xai_pages(corpus):
    offered = read(corpus, "xai-models-2025-11-13.html")
    assert {(r.model, r.version) for r in offered if r.model == "grok-2-vision-1212"} == {
        ("grok-2-vision-1212", "us-east-1"), ("grok-2-vision-1212", "eu-west-1")}
    assert {r.status for r in offered} == {ACTIVE}
    retiring = by_model(read(corpus, "xai-may-15-retirement-2026-08-20.md"))
    assert retiring["grok-4-0709"].replacements == ("grok-4.3",)
    assert retiring["grok-imagine-image-pro"].replacements == ("grok-imagine-image-quality",)
    assert retiring["grok-code-fast-1"].replacements == ("grok-build-0.1",)
    assert {(r.shutdown, r.shutdown_qualifier) for r in retiring.values()} == {(date(2026, 5, 15), FIRM)}
