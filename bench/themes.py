"""Themes against known ones: on a labelled test set (`tests/fixtures/themes/labelled.json`, testimonies
written for it around four known themes in each of English, Spanish, Japanese and Chinese: companionship and
loneliness, creative writing, accessibility and disability, work and coding; eight each, in varied wording),
how far the themes `bot.statements.themes` finds agree with the known ones, as the adjusted Rand index
(1 = the same grouping, 0 = no better than chance). A testimony left out of every theme shown counts as a
group of its own.

The testimonies go through the statement's real rules (`aggregate.assemble`): a quarter are given at
consent 0 (counted, never quoted), one in five of the others said no to quoting health passages, a third are
named (consent 2).

    .venv/bin/python -m bench.themes          # one JSON object per language, then the time taken

Each object: {"language", "testimonies", "known", "themes", "ari", "labels", "sizes"}.
"""

from __future__ import annotations

import hashlib
import json
import time
from datetime import UTC, datetime
from pathlib import Path

from bot.domain import Consent, ConsentLevel, Testimony, TestimonyStatus
from bot.statements.aggregate import assemble, theme_words
from bot.statements.model import Filters, Options, Statement
from bot.statements.themes import LANGUAGES, themes_of
from bot.store.testimonies import SnapshotTestimony

FIXTURE = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "themes" / "labelled.json"
AT = datetime(2026, 6, 1, tzinfo=UTC)
USES = {"companionship": "companionship", "creative": "creative", "accessibility": "accessibility",
        "work": "work"}


def labelled() -> dict[str, list[tuple[str, str]]]:
    """Per language, (known theme, text) in the file's order."""
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return {language: [(theme, text) for theme, texts in data[language].items() for text in texts]
            for language in LANGUAGES}


def receipt(language: str, n: int) -> str:
    """A receipt that does not follow the file's order (so nothing can lean on it)."""
    return "T-" + hashlib.sha256(f"{language}{n}".encode()).hexdigest()[:6].upper()


def consent_for(n: int) -> Consent:
    level = ConsentLevel(0) if n % 4 == 3 else ConsentLevel(2) if n % 3 == 0 else ConsentLevel(1)
    return Consent(level, health=n % 5 != 1, text_version="1", created_at=AT)


def row(language: str, n: int, theme: str, text: str, consent: Consent | None = None) -> SnapshotTestimony:
    testimony = Testimony(
        id=n + 1, receipt=receipt(language, n), community_id=1, campaign_id=1, author=f"author-{language}-{n}",
        platform="console", status=TestimonyStatus.APPROVED, models=("gpt-4o",), models_text="gpt-4o",
        uses=(USES.get(theme, "other"),), meaning=text, asks=("keep_access",), display_name=f"Person {n}",
        language=language, detected_language=language, redactions={}, consent=consent or consent_for(n),
        imported=False, created_at=AT, updated_at=AT)
    return SnapshotTestimony(testimony, "console", "")


def statement_of(rows: list[SnapshotTestimony], threshold: int = 5) -> tuple[Statement, dict[str, tuple[str, ...]]]:
    """The statement of `rows` and the words themes are found from."""
    statement = assemble(rows, Filters(), Options(generated_at=AT, threshold=threshold))
    return statement, theme_words(rows, statement)


def measure() -> list[dict]:
    from sklearn.metrics import adjusted_rand_score

    results = []
    for language, items in labelled().items():
        rows = [row(language, n, theme, text) for n, (theme, text) in enumerate(items)]
        known = {r.testimony.receipt: theme for r, (theme, _) in zip(rows, items, strict=True)}
        statement, words = statement_of(rows)
        themes = themes_of(statement, words)
        found = {r: str(i) for i, theme in enumerate(themes) for r in theme.receipts}
        order = sorted(known)
        truth = [known[r] for r in order]
        guess = [found.get(r, "none:" + r) for r in order]
        results.append({
            "language": language, "testimonies": len(order), "known": len(set(truth)), "themes": len(themes),
            "ari": round(adjusted_rand_score(truth, guess), 3), "labels": [t.label for t in themes],
            "sizes": [t.size for t in themes]})
    return results


def main() -> None:
    start = time.perf_counter()
    for result in measure():
        print(json.dumps(result, ensure_ascii=False))
    print(json.dumps({"seconds": round(time.perf_counter() - start, 2)}))


if __name__ == "__main__":
    main()
