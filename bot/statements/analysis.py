"""A testimony's text as a statement reads it: its passages, whether each mentions health or disability, and
the words each is made of for finding themes. This gives the same answer at every export, and at 100,000
testimonies it was most of an export's time, so it is done once and kept in the testimony's own row
(`testimonies.analysis`): blanked with the person's words when they withdraw, cleared when they edit, gone
when the row goes.

What is kept is checked before it is trusted: it carries `version()`, a digest of the rules that made it (the
passage splitter, the health word list, the word cutters and the versions of the tools behind them), and the
length of the text it was made from. Kept work from other rules or another text is done again, so a newer
health list always decides what may be quoted."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path

from bot.statements import passages as _passages
from bot.statements import words as _words
from bot.statements.passages import LANGUAGES, mentions_health, split_passages
from bot.statements.words import tokenizer
from bot.store.testimonies import SnapshotTestimony

_TOOLS = ("jieba", "SudachiPy", "SudachiDict-small")


@dataclass(frozen=True, slots=True)
class AnalysedPassage:
    text: str
    health: bool       # mentions health or disability (`bot.statements.passages.mentions_health`)
    words: str         # the words of a testimony in one of the four languages, space-separated; else ''


@cache
def version() -> str:
    """A digest of everything an analysis depends on: the rules' source and the tools' versions."""
    digest = hashlib.sha256()
    for module in (_passages, _words):
        digest.update(Path(module.__file__ or "").read_bytes())
    for tool in _TOOLS:
        try:
            digest.update(f"{tool}={metadata.version(tool)};".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{tool}=none;".encode())
    return digest.hexdigest()[:16]


def analyse(text: str, language: str | None, detected: str | None) -> tuple[AnalysedPassage, ...]:
    """`text` cut into passages, each tested for health and cut into words. `language` is the one the
    person declared (themes group by it, so words come from its cutter); the health test reads the
    detected one where the declared one is none of the four."""
    hint = language if language in LANGUAGES else detected
    cut = tokenizer(language) if language in LANGUAGES else None
    return tuple(AnalysedPassage(passage, mentions_health(passage, hint), " ".join(cut(passage)) if cut else "")
                 for passage in split_passages(text, hint))


def encode(text: str, analysed: tuple[AnalysedPassage, ...]) -> str:
    """The stored form: passages as offsets into the text (the words are the person's once, not twice)."""
    spans, start = [], 0
    for passage in analysed:
        start = text.index(passage.text, start)
        spans.append([start, start + len(passage.text), int(passage.health), passage.words])
        start += len(passage.text)
    return json.dumps({"v": version(), "n": len(text), "p": spans}, ensure_ascii=False, separators=(",", ":"))


def decode(text: str, stored: str | None) -> tuple[AnalysedPassage, ...] | None:
    """The kept analysis of `text`; None when there is none or it was made by other rules or from another
    text."""
    if not _current(text, stored):
        return None
    try:
        spans = json.loads(stored)["p"]  # type: ignore[arg-type]
        return tuple(AnalysedPassage(text[start:end], bool(health), words) for start, end, health, words in spans)
    except (ValueError, KeyError, TypeError):
        return None  # unreadable: made again, never trusted


def _current(text: str, stored: str | None) -> bool:
    """Whether `stored` was made by these rules from a text of this length, read from its opening alone (as
    `encode` writes it), so checking 100,000 rows parses none of them."""
    return bool(stored) and stored.startswith(f'{{"v":"{version()}","n":{len(text)},')  # type: ignore[union-attr]


def of(row: SnapshotTestimony) -> tuple[AnalysedPassage, ...]:
    """The row's analysis: as `complete` made it, else the kept one when it is current, else made now."""
    if isinstance(row.analysis, tuple):
        return row.analysis
    return _kept_or_made(row)[0]


def complete(rows: Iterable[SnapshotTestimony]) -> tuple[list[SnapshotTestimony], list[tuple[int, str, str]]]:
    """The rows, each holding its analysis (read once here, for everything the statement does with it), and
    the analyses made now to be kept: (testimony id, the `updated_at` they were made for, stored form). Pure;
    the caller writes them (`TestimonyRepository.keep_analyses`), which keeps none for a testimony changed in
    the meantime."""
    done, made = [], []
    for row in rows:
        testimony = row.testimony
        analysed, stored = _kept_or_made(row)
        if stored is not None:
            made.append((testimony.id, testimony.updated_at.isoformat(), stored))
        done.append(SnapshotTestimony(testimony, row.community, row.campaign, analysed))
    return done, made


def _kept_or_made(row: SnapshotTestimony) -> tuple[tuple[AnalysedPassage, ...], str | None]:
    """The row's kept analysis when it is current (and None), else one made now (and its stored form)."""
    text = row.testimony.meaning
    if not text:
        return (), None
    kept = decode(text, row.analysis if isinstance(row.analysis, str) else None)
    if kept is not None:
        return kept, None
    analysed = analyse(text, row.testimony.language, row.testimony.detected_language)
    return analysed, encode(text, analysed)
