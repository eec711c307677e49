"""Status follows dates, never a section heading or the page's newest date: real copies of the vendors' pages
(the research corpus, read in place; skipped when it is absent), read as of the day each was fetched and as of
other days, with the truth for named rows checked by hand against the copy."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.domain import DeprecationRow, ModelStatus
from bot.watch.pages import extract_page
from tests.integration.corpus_copies import copy_day, read_copy, source_url

ACTIVE, LEGACY = ModelStatus.ACTIVE, ModelStatus.LEGACY
DEPRECATED, RETIRED = ModelStatus.DEPRECATED, ModelStatus.RETIRED


def status(corpus: Path, name: str, as_of: date | None = None) -> dict[tuple[str, str | None], ModelStatus]:
    return {(r.model, r.version): r.status for r in read_copy(corpus, name, as_of=as_of)}


def words_only(corpus: Path, name: str) -> dict[tuple[str, str | None], ModelStatus]:
    """What the page says with no day known: only its words can retire a model."""
    path = corpus / "pages" / name
    return {(r.model, r.version): r.status for r in extract_page(path.read_text(encoding="utf-8"),
                                                                   url=source_url(path))}


# (copy, model, version, as of, status, why): rows filed under "past", "retired" or "end-of-life" headings, and
# the rows beside them, on the copy's own day and on other days.
CASES = [
    # OpenAI's "Past deprecations" holds gpt-5.2-chat-latest, shut down Aug 10, 2026.
    ("openai-deprecations-2026-08-20.md", "gpt-5.2-chat-latest", None, None, RETIRED, "Aug 10 before the fetch"),
    ("openai-deprecations-2026-08-20.md", "gpt-5.2-chat-latest", None, date(2026, 8, 1), DEPRECATED,
     "under 'Past deprecations', but fetched before its Aug 10 shutdown"),
    # "Access to these models was shut down on July 23, 2026." is the page's word for that entry.
    ("openai-deprecations-2026-08-20.md", "gpt-5.1-codex", None, date(2026, 7, 1), RETIRED, "the entry says so"),
    ("openai-deprecations-2026-08-20.md", "gpt-4-0613", None, None, DEPRECATED, "Upcoming: Oct 23, 2026"),
    ("openai-deprecations-2026-08-20.md", "gpt-4-0613", None, date(2026, 10, 23), RETIRED, "on its shutdown day"),
    # The 2025 copy has one "Deprecation history": the day decides, not the newest announcement (Sep 26, 2025).
    ("openai-deprecations-2025-11-13.html", "o1-mini", None, None, RETIRED, "Oct 27, 2025, before the fetch"),
    ("openai-deprecations-2025-11-13.html", "gpt-4-0314", None, None, DEPRECATED, "Mar 26, 2026 still ahead"),
    # Bedrock 2025: tables under "Active", "Legacy" and "End-of-Life (EOL) versions" headings.
    ("aws-bedrock-model-lifecycle-2025-11-13.html", "Cohere Command", None, None, RETIRED, "EOL Aug 12, 2025"),
    ("aws-bedrock-model-lifecycle-2025-11-13.html", "Cohere Command", None, date(2025, 8, 1), LEGACY,
     "under 'End-of-Life', but fetched before its EOL date"),
    ("aws-bedrock-model-lifecycle-2025-11-13.html", "Claude Opus 4", None, None, LEGACY, "EOL May 31, 2026"),
    ("aws-bedrock-model-lifecycle-2025-11-13.html", "Claude Opus 4", None, date(2026, 6, 1), RETIRED,
     "after its EOL date"),
    ("aws-bedrock-model-lifecycle-2025-11-13.html", "Stable Diffusion XL 1.0", None, None, RETIRED,
     "under 'Legacy', EOL May 20, 2025 already passed"),
    ("aws-bedrock-model-lifecycle-2025-11-13.html", "ai21.jamba-1-5-large-v1:0", None, None, ACTIVE,
     "'No sooner than 9/23/2025' passed: it may go, it has not gone"),
    # Bedrock 2026: one "Legacy and end-of-life (EOL) models" table.
    ("aws-bedrock-model-lifecycle-2026-08-21.md", "cohere.command-r-v1:0", None, None, RETIRED, "EOL Aug 19, 2026"),
    ("aws-bedrock-model-lifecycle-2026-08-21.md", "cohere.command-r-v1:0", None, date(2026, 8, 18), LEGACY,
     "the day before its EOL"),
    ("aws-bedrock-model-lifecycle-2026-08-21.md", "anthropic.claude-3-haiku-20240307-v1:0", None, None, LEGACY,
     "EOL Sep 10, 2026 still ahead"),
    # Vertex's "Retired models" heading holds gemini-2.0-flash, retiring June 1, 2026.
    ("google-vertex-model-versions-2026-08-21.md", "gemini-2.0-flash", None, None, RETIRED, "June 1 passed"),
    ("google-vertex-model-versions-2026-08-21.md", "gemini-2.0-flash", None, date(2026, 5, 1), DEPRECATED,
     "under 'Retired models', but fetched before June 1"),
    ("google-vertex-model-versions-2026-08-21.md", "gemini-2.5-flash", None, None, DEPRECATED, "Oct 20, 2026"),
    # Gemini's dates are "the earliest possible dates": passed ones retire nothing.
    ("google-gemini-api-deprecations-2026-08-21.md", "gemini-2.0-flash", None, None, DEPRECATED,
     "earliest June 1, 2026: may be gone, not said to be"),
    ("google-gemini-api-changelog-2025-11-13.html", "veo-3.0-generate-preview", None, None, RETIRED,
     "'November 12:' under 'will be deprecated', fetched Nov 13"),
    ("google-gemini-api-changelog-2025-11-13.html", "veo-3.0-generate-preview", None, date(2025, 11, 11),
     DEPRECATED, "fetched the day the note was written"),
    # Anthropic: the status table's "Current state" and the history's notes are words for their rows.
    ("anthropic-model-deprecations-2026-08-20.md", "claude-sonnet-4-5-20250929", None, date(2026, 12, 1), ACTIVE,
     "'Not sooner than September 29, 2026' passed: still active"),
    ("anthropic-model-deprecations-2026-08-20.md", "claude-3-opus-20240229", None, None, RETIRED,
     "history only, Jan 5, 2026"),
]


@pytest.mark.parametrize(("name", "model", "version", "as_of", "expected", "why"), CASES,
                         ids=[f"{c[1]}@{c[3] or 'copy'}" for c in CASES])
def test_status_follows_the_fetch_day(corpus, name, model, version, as_of, expected, why):
    assert status(corpus, name, as_of)[(model, version)] == expected, why


# Rows the pages retire in words for that row, with no day known: a status cell or a note of their entry.
WORDS = {
    "anthropic-model-deprecations-2026-08-20.md": [
        "claude-opus-4-1-20250805", "claude-3-5-sonnet-20240620",  # "Retired" cell; "These models were retired …"
        "claude-instant-1.2"],
    "openai-deprecations-2026-08-20.md": ["gpt-5.1-codex", "o3-deep-research"],  # "was shut down on July 23, 2026"
    "cohere-models-2026-08-20.md": ["c4ai-aya-vision-8b"],  # "Retired Apr 4, 2026"
}


@pytest.mark.parametrize("name", sorted(WORDS))
def test_words_retire_without_a_day(corpus, name):
    path = corpus / "pages" / name
    rows = {r.model: r.status for r in extract_page(path.read_text(encoding="utf-8"), url=source_url(path),
                                                    vendor="cohere" if "cohere" in name else None)}
    assert {m: rows[m] for m in WORDS[name]} == dict.fromkeys(WORDS[name], RETIRED)


def test_without_a_day_no_date_retires_anything(corpus):
    # Bedrock 2025 has no status words for rows: with no day known, none of its 90 rows is retired.
    assert RETIRED not in words_only(corpus, "aws-bedrock-model-lifecycle-2025-11-13.html").values()


# A newly listed model with a later date, inserted into a real copy: (copy, the line it goes after, the lines,
# its id, the fetch day if not the copy's). Pages whose extractors once took "today" from the newest date they
# name (an announcement, a release or deprecation date, an email) are the ones it would have flipped. Groq is
# read on Aug 1, 2026, when its August 16 shutdowns were still ahead (on the copy's day every row is past).
GEMINI_ROW = "| gemini-3.7-flash               | August 2026       | No shutdown date announced |"
INSERTS = [
    ("openai-deprecations-2025-11-13.html",
     "<p>All deprecations are listed below, with the most recent announcements at the top.</p>",
     '<h3 id="2030-01-06-test">2030-01-06: Test snapshots</h3><table><tr><th>Shutdown date</th><th>Model / system'
     '</th><th>Recommended replacement</th></tr><tr><td>2031-01-06</td><td><code>gpt-test-2030</code></td>'
     '<td><code>gpt-5</code></td></tr></table>', "gpt-test-2030", None),
    ("openai-deprecations-2026-08-20.md", "## Upcoming deprecations",
     "\n### 2030-01-06: Test snapshots\n\n| Shutdown date | Model / system | Recommended replacement |\n"
     "| --- | --- | --- |\n| 2031-01-06 | `gpt-test-2030` | `gpt-5` |\n", "gpt-test-2030", None),
    ("anthropic-model-deprecations-2026-08-20.md",
     "All deprecations are listed in the following sections, with the most recent announcements first.",
     "\n### 2030-01-06: Claude Test model\n\n| Retirement date | Deprecated model | Recommended replacement |\n"
     "| --- | --- | --- |\n| January 6, 2031 | `claude-test-2030` | `claude-opus-5` |\n", "claude-test-2030", None),
    ("google-gemini-api-deprecations-2026-08-21.md", GEMINI_ROW,
     "| gemini-test-9 | December 1, 2030 | No shutdown date announced | |", "gemini-test-9", None),
    ("google-vertex-model-versions-2026-08-21.md",
     "| gemini-2.5-flash                   | June 17, 2025     | October 20, 2026       |",
     "| gemini-test-9 | December 1, 2030 | December 1, 2031 | |", "gemini-test-9", None),
    ("mistral-models-2026-08-21.md",
     "| [Leanstral ↗](/models/leanstral-26-03)                             | 26.03   | labs-leanstral-2603 ",
     "| [Test](/models/test) | 30.01 | mistral-test-3001 | 1/6/2030 | 1/6/2031 | [L 1.5](/models/leanstral-1-5) |",
     "mistral-test-3001", None),
    ("groq-deprecations-2026-08-20.md", "## [Deprecation History](#deprecation-history)",
     "\n### [January 6, 2031: test-model-2030](#january-6-2031-testmodel2030)\n\n"
     "On January 6, 2030, we emailed users to announce the deprecation of `test-model-2030`.\n\n"
     "| Deprecated Model | Shutdown Date | Recommended Replacement Model ID |\n| --- | --- | --- |\n"
     "| test-model-2030 | 01/06/31 | openai/gpt-oss-120b |\n", "test-model-2030", date(2026, 8, 1)),
    ("cohere-deprecations-2026-08-20.md", "## Deprecation History",
     "\n### 2030-01-06: Test model\n\nEffective January 6th, 2031, the following models will be retired:\n\n"
     "* `command-test-2030`\n", "command-test-2030", None),
]


def _insert(text: str, after: str, lines: str) -> str:
    """The copy with `lines` on a new line after the line that contains `after` (which must be there once)."""
    assert text.count(after) == 1, f"the anchor line is not unique in the copy: {after!r}"
    end = text.index("\n", text.index(after))
    return f"{text[:end]}\n{lines}{text[end:]}"


@pytest.mark.parametrize(("name", "after", "lines", "model", "as_of"), INSERTS, ids=[i[0] for i in INSERTS])
def test_a_newly_listed_later_model_flips_no_unchanged_row(corpus, name, after, lines, model, as_of):
    path = corpus / "pages" / name
    text, url, day = path.read_text(encoding="utf-8"), source_url(path), as_of or copy_day(path)

    def rows(page: str) -> dict[tuple[str, str | None], DeprecationRow]:
        return {(r.model, r.version): r for r in extract_page(page, url=url, as_of=day)}

    before, after_insert = rows(text), rows(_insert(text, after, lines))
    assert (model, None) in after_insert, "the inserted row was read"
    assert {k: r.status for k, r in after_insert.items() if k != (model, None)} == {
        k: r.status for k, r in before.items()}
