"""The release-notes extractor on the real consumer release notes of the research corpus (ChatGPT Enterprise/Edu,
two ChatGPT clippings, the Claude apps, the Gemini app), scored against the hand-made truth in
`release_notes_truth.py`: precision and recall ≥ 0.95 on each copy and over all of them, and the rules those
pages need, each on the sentence that needs it."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest

from bench.release_notes_accuracy import extract_copy, main, measure, row_key, score, truth_key
from bot.domain import ModelStatus
from tests.integration.release_notes_truth import TRUTH

ENTERPRISE = "openai-chatgpt-enterprise-edu-release-notes-2026-06-25.md"
CHATGPT_JUNE_13 = "openai-chatgpt-release-notes-2025-06-13.md"
CLAUDE = "anthropic-claude-app-release-notes-2026-02-05.md"
GEMINI = "google-gemini-app-release-notes-2025-12-17.md"


def rows(corpus, name, as_of=None):
    copy = TRUTH[name]
    return {row.model: row for row in extract_copy(corpus, name, replace(copy, as_of=as_of or copy.as_of))}


def test_every_copy_of_the_truth_is_in_the_corpus(corpus):
    for name in TRUTH:
        assert (corpus / "pages" / name).is_file(), name
        assert (corpus / "pages" / f"{name}.source.txt").is_file(), name


@pytest.mark.parametrize("name", [*TRUTH, "total"])
def test_precision_and_recall_reach_the_target(corpus, name):
    report = next(r for r in measure(corpus) if r["file"] == name)
    assert report["precision"] is not None and report["precision"] >= 0.95, report
    assert report["recall"] >= 0.95, report


def test_the_score_can_fail():
    truth = {("gpt-4", "chatgpt", date(2025, 4, 30), "firm", "retired")}
    # The same row with the status a page's date alone would wrongly give, and a row the truth does not have.
    found = {("gpt-4", "chatgpt", date(2025, 4, 30), "firm", "deprecated"), ("o1-pro", "chatgpt", None, "tbd",
                                                                              "deprecated")}
    assert score("x", truth, found) == {"file": "x", "precision": 0.0, "recall": 0.0, "truth": 1, "found": 2,
                                        "matched": 0}
    assert score("x", truth, set())["precision"] is None


def test_the_bench_prints_one_json_line_per_copy_and_a_total(corpus, capsys):
    assert main([]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["file"] for line in lines] == [*TRUTH, "total"]
    assert all({"file", "precision", "recall", "truth", "found"} <= set(line) for line in lines)
    assert lines[-1]["truth"] == sum(len(copy.rows) for copy in TRUTH.values())


def test_status_follows_as_of_not_the_page(corpus):
    # GPT-4 "will be retired" on April 30, 2025: retired when read on the copy's day, not on April 20.
    assert rows(corpus, CHATGPT_JUNE_13)["gpt-4"].status is ModelStatus.RETIRED
    assert rows(corpus, CHATGPT_JUNE_13, as_of=date(2025, 4, 20))["gpt-4"].status is ModelStatus.DEPRECATED
    # "We've removed Claude Opus 4 and 4.1": the words say it, whatever the day.
    assert rows(corpus, CLAUDE, as_of=date(2026, 1, 1))["claude-opus-4-1"].status is ModelStatus.RETIRED


def test_variants_not_families_and_launches_not_retirements(corpus):
    found = rows(corpus, ENTERPRISE)
    # "GPT-5.1 models are no longer available … This applies to GPT-5.1 Instant, GPT-5.1 Thinking, and GPT-5.1
    # Pro"; "retiring GPT-5 (Instant and Thinking)"; "GPT-5 models remain available for three months".
    assert "gpt-5.1" not in found and "gpt-5" not in found
    assert {"gpt-5.1-instant", "gpt-5.1-thinking", "gpt-5.1-pro", "gpt-5-instant", "gpt-5-thinking"} <= set(found)
    # The family's announcement (November 12, 2025) is when its variants' end was first said.
    assert found["gpt-5-instant"].announced == date(2025, 11, 12)
    # "GPT-5.1 Instant is now live …, and GPT-5.1 Auto and GPT-5.1 Thinking are no longer available as Early
    # Access options" (November 25, 2025) is a launch: GPT-5.1 Thinking is retired on March 11, 2026 only.
    assert found["gpt-5.1-thinking"].announced == date(2026, 3, 11)
    # Launches that replace an older model in the picker.
    assert not {"o1-pro", "gpt-4o-mini", "o1-mini", "o1-preview", "gpt-5-instant-mini"} & set(found)
    assert all(row.platform == "chatgpt" for row in found.values())  # "There are no API changes at this time."


def test_the_gemini_app_dotted_dates_and_a_limited_time(corpus):
    found = rows(corpus, GEMINI)
    # "## 2025.01.30" … "Gemini 1.5 Flash and 1.5 Pro will remain available for the next few weeks."
    assert {truth_key(t) for t in TRUTH[GEMINI].rows} == {row_key(r) for r in found.values()}
    assert {r.announced for r in found.values()} == {date(2025, 1, 30)}
