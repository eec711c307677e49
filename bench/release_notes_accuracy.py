"""How well the release-notes extractor finds the retirements in the real consumer release notes of the
research corpus, against the hand-made truth in `tests/integration/release_notes_truth.py`.

    .venv/bin/python -m bench.release_notes_accuracy [--verbose]

One JSON line per copy, {"file", "precision", "recall", "truth", "found"}, then one for "total" (micro-averaged:
all copies' rows pooled). With --verbose, the rows only one side has follow on stderr. Without the corpus
(`../shared/research-corpus`, or CONTINUITY_CORPUS) it says so on stderr and exits 0.

A row matches a truth row when all of these are equal: the model id (case aside), the platform, the shutdown
date (or both have none) with its qualifier, and the status. Each copy is read with its address (the
`source_url` in its header) and `as_of` = the copy's own date, as a poll on that day would.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Iterable
from pathlib import Path

from bot.domain import DeprecationRow
from bot.watch.pages import extract_page
from tests.integration.release_notes_truth import TRUTH, Copy, Truth

PROJECT = Path(__file__).resolve().parents[1]
_URL = re.compile(r"https?://[^\s|\"'<>)]+")

Key = tuple[str, str, object, str, str]


def corpus_path() -> Path:
    return Path(os.environ.get("CONTINUITY_CORPUS", PROJECT.parent / "shared" / "research-corpus"))


def truth_key(row: Truth) -> Key:
    return (row.model.lower(), row.platform, row.shutdown, row.qualifier.value, row.status.value)


def row_key(row: DeprecationRow) -> Key:
    return (row.model.lower(), row.platform, row.shutdown, row.shutdown_qualifier.value, row.status.value)


def extract_copy(corpus: Path, name: str, copy: Copy) -> list[DeprecationRow]:
    text = (corpus / "pages" / name).read_text(encoding="utf-8")
    url = next(iter(_URL.findall(text[:1000])), None)  # the header's source address, as `bot extract` reads it
    return extract_page(text, url=url, as_of=copy.as_of)


def _ratio(hits: int, total: int) -> float | None:
    return round(hits / total, 4) if total else None


def score(name: str, truth: Iterable[Key], found: Iterable[Key]) -> dict[str, object]:
    truth, found = set(truth), set(found)
    hits = len(truth & found)
    return {"file": name, "precision": _ratio(hits, len(found)), "recall": _ratio(hits, len(truth)),
            "truth": len(truth), "found": len(found), "matched": hits}


def measure(corpus: Path, verbose: bool = False) -> list[dict[str, object]]:
    reports, all_truth, all_found = [], set(), set()
    for name, copy in TRUTH.items():
        truth = {truth_key(row) for row in copy.rows}
        found = {row_key(row) for row in extract_copy(corpus, name, copy)}
        reports.append(score(name, truth, found))
        all_truth |= {(name, *key) for key in truth}
        all_found |= {(name, *key) for key in found}
        if verbose:
            for key in sorted(truth - found, key=str):
                print(f"{name}: missed {key}", file=sys.stderr)
            for key in sorted(found - truth, key=str):
                print(f"{name}: extra  {key}", file=sys.stderr)
    reports.append(score("total", all_truth, all_found))
    return reports


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="the rows only one side has, on stderr")
    args = parser.parse_args(argv)
    corpus = corpus_path()
    if not (corpus / "pages").is_dir():
        print(f"research corpus not found at {corpus} (set CONTINUITY_CORPUS)", file=sys.stderr)
        return 0
    for report in measure(corpus, args.verbose):
        print(json.dumps(report, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
