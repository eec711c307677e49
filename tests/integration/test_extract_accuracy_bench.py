"""The extraction-accuracy bench (`python -m bench.extract_accuracy`) on the research corpus: the shape of its
report, that its figures can fail (a corrupted extraction scores lower), and that the known dataset errors are
counted apart. The accuracy targets themselves are measured (BENCHMARKS.md), not asserted here."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta

from bench.extract_accuracy import (
    DEPRECATIONS_INFO,
    MODELDEPRECATIONS,
    VENDORS,
    Comparison,
    Entry,
    extract_copy,
    main,
    measure,
)
from bot.domain import DeprecationRow

KEYS = {"vendor", "dataset", "precision", "recall", "pairs", "precision_corrected", "recall_corrected",
        "corrections", "left_out", "pages", "snapshot"}


def test_one_report_per_vendor_and_dataset_with_the_documented_fields(corpus):
    reports = [report for report, _comparison in measure(corpus)]
    pairs = [(r["vendor"], r["dataset"]) for r in reports]
    assert len(pairs) == len(set(pairs))
    assert {d for _v, d in pairs} == {DEPRECATIONS_INFO, MODELDEPRECATIONS}
    assert {v for v, _d in pairs} <= set(VENDORS)
    # deprecations.info has no Mistral; modeldeprecations.dev has no Azure or Groq.
    assert ("mistral", DEPRECATIONS_INFO) not in pairs and ("azure", MODELDEPRECATIONS) not in pairs
    for report in reports:
        assert KEYS <= set(report), report
        assert set(report["pairs"]) == {"ours", "theirs"}
        for key in ("precision", "recall", "precision_corrected", "recall_corrected"):
            assert report[key] is None or 0.0 <= report[key] <= 1.0
        # A side with nothing to compare gives no figure rather than a made-up one.
        assert (report["precision"] is None) == (report["pairs"]["ours"] == 0)
        assert (report["recall"] is None) == (report["pairs"]["theirs"] == 0)
        if report["precision"] is None and report["recall"] is None:
            assert report.get("note") or report["left_out"], report
    measured = {(r["vendor"], r["dataset"]) for r in reports if r["precision"] is not None}
    assert {("openai", DEPRECATIONS_INFO), ("anthropic", DEPRECATIONS_INFO), ("anthropic", MODELDEPRECATIONS),
            ("bedrock", DEPRECATIONS_INFO)} <= measured


def _shifted(text: str, url: str, as_of: date) -> list[DeprecationRow]:
    """Our extraction with every other shutdown date one day late: what a misread date column looks like."""
    rows = extract_copy(text, url, as_of)
    return [replace(row, shutdown=row.shutdown + timedelta(days=1)) if row.shutdown and i % 2 == 0 else row
            for i, row in enumerate(rows)]


def test_a_corrupted_extraction_lowers_precision_and_recall(corpus):
    vendors = ["openai", "anthropic", "bedrock"]
    honest = {(r["vendor"], r["dataset"]): r for r, _c in measure(corpus, vendors)}
    corrupted = {(r["vendor"], r["dataset"]): r for r, _c in measure(corpus, vendors, extract=_shifted)}
    compared = [key for key, r in honest.items() if r["precision"] is not None]
    assert compared
    for key in compared:
        assert corrupted[key]["precision"] < honest[key]["precision"], key
        assert corrupted[key]["recall"] < honest[key]["recall"], key


def test_known_dataset_errors_are_counted_apart_and_only_change_the_corrected_figures(corpus):
    with_errors = {(r["vendor"], r["dataset"]): r for r, _c in measure(corpus, ["openai", "google"])}
    without = {(r["vendor"], r["dataset"]): r for r, _c in measure(corpus, ["openai", "google"], errors=())}
    assert sum(r["corrections"] for r in with_errors.values()) > 0
    for key, report in with_errors.items():
        plain = without[key]
        assert plain["corrections"] == 0
        assert (report["precision"], report["recall"]) == (plain["precision"], plain["recall"])
        assert (plain["precision_corrected"], plain["recall_corrected"]) == (plain["precision"], plain["recall"])


def test_vendor_filter_and_json_lines(corpus, capsys):
    assert main(["--vendor", "bedrock", "--corpus", str(corpus), "--verbose"]) == 0
    out, err = capsys.readouterr()
    lines = [json.loads(line) for line in out.splitlines()]
    assert lines and {line["vendor"] for line in lines} == {"bedrock"}
    # What a rule set aside is named, so a person can check it.
    assert "left out, theirs not on the copy" in err


def test_without_the_corpus_it_says_so_and_exits_0(tmp_path, capsys):
    assert main(["--corpus", str(tmp_path / "nowhere")]) == 0
    out, err = capsys.readouterr()
    assert out == "" and "research corpus not found" in err


def test_pairs_match_on_model_and_date_under_the_datasets_own_aliases():
    day = date(2026, 10, 23)
    theirs = [
        Entry("openai", "gpt-4", day, frozenset(), names=frozenset({"gpt-4", "gpt-4-0613"})),
        Entry("openai", "o1", day, frozenset(), names=frozenset({"o1"})),
        Entry("openai", "o3", None, frozenset(), names=frozenset({"o3"})),
    ]
    ours = [("gpt-4-0613", day), ("o1", date(2026, 10, 24)), ("o3", day), ("gpt-image-1", day)]
    comparison = Comparison("openai", DEPRECATIONS_INFO, [], ours, theirs)
    assert comparison.figures() == (0.25, round(1 / 3, 4))
    assert comparison.disagreements() == [
        ("date differs", "o1", "2026-10-24", "2026-10-23"),
        ("date differs", "o3", "2026-10-23", "none"),
        ("only ours", "gpt-image-1", "2026-10-23", "-"),
    ]
