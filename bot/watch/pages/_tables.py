"""Small helpers the page extractors share: find a column by the words of its header, read the model ids a
cell names, link to an entry's anchor, and keep one row per model when a page names a model twice."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

from bot.domain import DeprecationRow, ModelStatus, ShutdownQualifier
from bot.watch.dates import clean
from bot.watch.document import Block, Cell, Document

# A model id or an endpoint as vendors write them: `gpt-4o-2024-05-13`, `anthropic.claude-3-haiku-20240307-v1:0`,
# `/v1/fine-tunes`. No spaces: "Assistants API" or "reasoning.mode: pro" are not ids.
_ID = re.compile(r"^/?[A-Za-z0-9][\w.:/+-]*$")
# Plain text (no code span) must also look technical, so that an English word alone is not taken for an id.
_TECHNICAL = re.compile(r"[\d./:-]")
# Between several ids in one cell: "a | b, c", "a, b, or c", "a and b".
_SEPARATORS = re.compile(r"\s*(?:\||,|;|\bor\b|\band\b)\s*")
_EMPTY = {"", "n/a", "na", "none", "-", "--", "---", "—", "–", "tbd", "not applicable"}


def column(header: Sequence[str], *words: str, avoid: Iterable[str] = ()) -> int | None:
    """Index of the first column whose title holds one of `words` and none of `avoid` (case-insensitive)."""
    avoid = tuple(avoid)
    for index, title in enumerate(header):
        title = title.lower()
        if any(w in title for w in words) and not any(a in title for a in avoid):
            return index
    return None


def text_at(row: Sequence[Cell], index: int | None) -> str:
    """The text of a row's cell, or "" when the column is missing or the row is short."""
    return row[index].text if index is not None and index < len(row) else ""


def is_model_id(text: str) -> bool:
    return bool(_ID.match(text))


def cell_ids(cell: Cell, *, leading: bool = True) -> tuple[str, ...]:
    """The model ids a cell names, in order: its code spans that look like ids, or, without code spans, its
    plain text when every part of it (split on `|`, `,`, `or`, `and`) looks like an id.

    With `leading`, a cell whose text starts with prose names no model: "New fine-tuning training on
    `babbage-002`" is about a feature of the model, not about the model."""
    text = clean(cell.text)
    if cell.codes:
        codes = [clean(code) for code in cell.codes]
        if leading and not text.startswith(codes[0]):
            return ()
        return tuple(dict.fromkeys(c for c in codes if is_model_id(c)))
    parts = [p for p in _SEPARATORS.split(text) if p]
    if parts and all(is_model_id(p) and _TECHNICAL.search(p) for p in parts):
        return tuple(dict.fromkeys(parts))
    return ()


def cell_names(cell: Cell) -> tuple[str, ...]:
    """What a cell names when names may hold spaces ("Cohere Command R 08-2024"): its code spans, else its
    text split on separators; "N/A", "—" and the like name nothing."""
    if cell.codes:
        return tuple(dict.fromkeys(c for c in map(clean, cell.codes) if is_model_id(c)))
    parts = (p.strip(" .") for p in _SEPARATORS.split(clean(cell.text)))
    return tuple(dict.fromkeys(p for p in parts if p.lower() not in _EMPTY))


_STATUS_WORDS = (
    (ModelStatus.RETIRED, re.compile(r"\b(retired|end[ -]of[ -]life|eol)\b", re.I)),
    (ModelStatus.DEPRECATED, re.compile(r"\bdeprecated\b", re.I)),
    (ModelStatus.LEGACY, re.compile(r"\blegacy\b", re.I)),
    (ModelStatus.ACTIVE, re.compile(r"\b(active|generally available|ga|preview)\b", re.I)),
)


def status_in(text: str) -> ModelStatus | None:
    """The lifecycle state a cell or heading names ("Retired", "Deprecated (Claude Opus 4.7 and later)",
    "Generally Available", "Legacy versions"); the latest state wins when several are named."""
    return next((status for status, words in _STATUS_WORDS if words.search(text)), None)


# A page saying in words that something has gone: "This model was retired August 5, 2026.", "These models were
# retired …", "Access to these models was shut down on July 23, 2026.", "is no longer available". Future
# wording ("will be retired", "is scheduled to shut down") does not match.
_SAID_GONE = re.compile(r"\b(?:was|were|has\s+been|have\s+been)\s+(?:retired|shut\s*down|removed|discontinued)\b|"
                        r"\b(?:is|are)\s+no\s+longer\s+available\b", re.I)


def says_gone(text: str) -> bool:
    """Whether a note says in words, in the past tense, that its models are retired."""
    return bool(_SAID_GONE.search(clean(text)))


def is_empty(text: str) -> bool:
    """A cell that says nothing: blank, "N/A", "—", "TBD"."""
    return clean(text).strip(" .").lower() in _EMPTY


def with_headings(document: Document) -> Iterator[tuple[tuple[Block, ...], Block]]:
    """Each non-heading block with the heading blocks above it, outermost first (anchors included, which
    `Block.headings` does not keep)."""
    path: list[Block] = []
    for block in document.blocks:
        if block.kind == "heading":
            path = [h for h in path if h.level < block.level] + [block]
        else:
            yield tuple(path), block


def link(url: str | None, anchor: str | None) -> str | None:
    """The page URL pointing at an entry's anchor (any fragment the URL had is replaced)."""
    if not url:
        return None
    base = url.split("#", 1)[0]
    return f"{base}#{anchor}" if anchor else base


_FIRMNESS = {ShutdownQualifier.FIRM: 2, ShutdownQualifier.EARLIEST: 1, ShutdownQualifier.TBD: 0}


def dedupe(rows: Iterable[DeprecationRow]) -> list[DeprecationRow]:
    """One row per (vendor, platform, model, version), in page order. When a page names a model twice, the
    row that governs wins: the later announcement; on a tie, a firm date over an earliest one over none; on a
    full tie, the first on the page (vendors list the newest first)."""
    kept: dict[tuple[str, str, str, str], DeprecationRow] = {}
    for row in rows:
        old = kept.get(row.key)
        if old is None or _weight(row) > _weight(old):
            kept[row.key] = row
    return list(kept.values())


def _weight(row: DeprecationRow) -> tuple[int, int]:
    return (row.announced.toordinal() if row.announced else 0, _FIRMNESS[row.shutdown_qualifier])
