"""Google's Gemini API pages: the deprecations page (ai.google.dev/gemini-api/docs/deprecations) and the release
notes (ai.google.dev/gemini-api/docs/changelog).

What the deprecations page looks like: one table per model family ("Gemini 3 models", "Imagen models", …) with
"Model | Release date | Shutdown date | Recommended replacement" (bold header cells in the Markdown copy). Inside a
table a row "Preview models" with empty cells is a sub-header, not a model: the rows after it are previews. A
note above the tables says the shutdown dates are "the earliest possible dates", and a model not yet scheduled
reads "No shutdown date announced". Release dates are full dates or a month ("August 2026").

What the release notes look like: one section per day ("November 11, 2025", anchored `11-11-2025`), in prose.
Shutdowns are announced as a lead-in with a list ("The following models will be deprecated:" then "November 12:"
and the ids), or in a sentence ("`gemini-2.5-flash-preview-04-17` will be deprecated on July 15, 2025.").

Why the rules are what they are:
- In the release notes Google says "deprecated" for turned off: "`imagen-3.0-generate-002` is deprecated" on
  November 10, 2025 is the shutdown the deprecations page dates November 10, 2025, and later copies of the notes
  reword those lines "is shut down". So a dated "will be deprecated / shut down / retired / removed" gives the
  shutdown date, and an undated "is (now) deprecated / shut down / no longer supported" means it happened on the
  section's day. Redirects ("will be redirected to …") and "discontinued" features announce no end, and
  products without an id ("Gemini 1.0 Pro is no longer supported") name none: no row.
- Only sentences that announce one of those and name an id (a code span, or a token shaped like
  `gemini-1.5-pro-001`) count. A later note about the same model governs (`_tables.dedupe` by announcement).
- Status: a shutdown date makes a model deprecated; no date at all means it is active (deprecations page) or
  deprecated without a date (release notes). Whether the date has passed is decided against the fetch day by
  `extract_page`, never against the newest date the page names (a model released later is not today). The
  deprecations page's dates are all earliest dates (its own note), so a passed one does not retire a model
  there; the release notes give the firm day.
- Anchors are Google's devsite ids, which keep dots ("#gemini-2.5-pro-models"); the Markdown copy has none, so
  they are made from the heading the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

from bot.domain import DeprecationRow, ModelStatus, ShutdownQualifier
from bot.watch.dates import clean, find_dates, parse_month_day, parse_shutdown
from bot.watch.document import Block, Cell, Document, slug
from bot.watch.pages._tables import cell_ids, column, dedupe, is_model_id, link, text_at, with_headings

VENDOR, PLATFORM = "google", "api"

_EARLIEST_NOTE = re.compile(r"earliest\s+possible\s+date", re.I)
# What announces an end in the release notes. "Discontinued" is left out: Google uses it for features
# ("support for URL context with `gemini-2.0-flash` will be discontinued"), not models.
_ENDS = re.compile(r"\b(deprecat\w*|shut\s*down|shutdown|retir\w*|remov\w*|no\s+longer\s+(?:supported|available))",
                   re.I)
_FUTURE = re.compile(r"\b(will|coming|upcoming|scheduled)\b", re.I)
_REPLACES = re.compile(r"\b(instead|migrate\s+to|replacement|recommend\w*)\b", re.I)
# A model id in plain prose: lower-case words joined by hyphens, with a digit ("gemini-1.5-pro-001").
_WORD = re.compile(r"(?<![\w./-])[a-z][a-z0-9]*(?:[-.][a-z0-9]+)+(?![\w/-])")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_MONTH_DAY_ONLY = re.compile(r"^\s*[A-Za-z]+\.?\s+\d{1,2}(?:st|nd|rd|th)?\s*:?\s*$")


def extract(document: Document, url: str | None) -> list[DeprecationRow]:
    return dedupe([*_table_rows(document, url), *_release_note_rows(document, url)])


def devsite_anchor(heading: Block) -> str | None:
    """The id Google's devsite gives a heading: lower case, words joined by hyphens, dots kept. An explicit id
    (the HTML copy's) is kept as it is."""
    if heading.anchor and heading.anchor != slug(heading.text):
        return heading.anchor
    text = re.sub(r"[^\w\s.-]", "", clean(heading.text).lower())
    return re.sub(r"\s+", "-", text).strip("-") or None


def model_tokens(text: str) -> list[str]:
    """The ids a piece of prose or a cell names without code spans, in order: lower-case words joined by
    hyphens, with a digit ("gemini-1.5-pro-001"; not "cutting-edge" nor "text-only")."""
    return [m.group() for m in _WORD.finditer(clean(text)) if "-" in m.group() and re.search(r"\d", m.group())]


# --- the deprecations page -------------------------------------------------------------------------------

def _table_rows(document: Document, url: str | None) -> list[DeprecationRow]:
    earliest = any(_EARLIEST_NOTE.search(b.text) for b in document.blocks if b.kind == "paragraph")
    tables = [(path, table) for path, table in with_headings(document) if table.kind == "table"
              and column(table.header, "model") is not None and column(table.header, "shutdown") is not None]
    rows = []
    for path, table in tables:
        header = table.header
        model, shutdown_at = column(header, "model", avoid=("replacement",)), column(header, "shutdown")
        replacement = column(header, "replacement")
        anchor = devsite_anchor(path[-1]) if path else None
        for row in table.rows:
            # "Preview models" with empty cells is a sub-header: no id, so no row.
            ids = cell_ids(row[model]) if model is not None and model < len(row) else ()
            shutdown, qualifier = parse_shutdown(text_at(row, shutdown_at))
            if shutdown and earliest:
                qualifier = ShutdownQualifier.EARLIEST  # the page's own note: dates are the earliest possible
            replacements = tuple(dict.fromkeys(model_tokens(text_at(row, replacement))))
            status = ModelStatus.DEPRECATED if shutdown else ModelStatus.ACTIVE
            rows += [DeprecationRow(VENDOR, PLATFORM, model_id, status, shutdown=shutdown, shutdown_qualifier=qualifier,
                                    replacements=replacements, url=link(url, anchor)) for model_id in ids]
    return rows


# --- the release notes -----------------------------------------------------------------------------------

@dataclass
class _Lead:
    """A lead-in such as "The following models will be deprecated:" and the list it opens."""

    future: bool
    when: date | None
    rows: list[DeprecationRow] = field(default_factory=list)


def _release_note_rows(document: Document, url: str | None) -> list[DeprecationRow]:
    # A release note is a section whose heading is a day ("November 11, 2025").
    sections = [(heading, body, found[0][1]) for heading, body in document.sections(2)
                if (found := find_dates(heading.text))]
    rows: list[DeprecationRow] = []
    for heading, body, day in sections:
        rows += _section_rows(body, day, link(url, devsite_anchor(heading)))
    return rows


def _section_rows(body: list[Block], day: date, url: str | None) -> list[DeprecationRow]:
    rows: list[DeprecationRow] = []
    lead: _Lead | None = None
    last: list[DeprecationRow] = []  # the rows a following "use … instead" sentence gives a replacement to
    for block in body:
        if block.kind not in ("paragraph", "item"):
            continue
        text = clean(block.text)
        if lead is not None and _MONTH_DAY_ONLY.match(text):
            lead.when = parse_month_day(text, day)  # "November 12:" under the lead-in
            continue
        if lead is not None and block.kind == "item" and (ids := cell_ids(Cell(block.text, block.codes))):
            lead.rows += [_row(i, lead.future, lead.when, day, url) for i in ids]
            continue
        if lead is not None and lead.rows:
            rows += lead.rows
            last = lead.rows
        lead = None
        if text.endswith(":") and _ENDS.search(text):
            dates = find_dates(text)
            lead = _Lead(bool(_FUTURE.search(text)), dates[0][1] if dates else None)
            continue
        for sentence in _SENTENCE_END.split(text):
            ids = _ids_in(sentence, block.codes)
            if not ids:
                continue
            if _ENDS.search(sentence):
                dates = find_dates(sentence)
                future = bool(_FUTURE.search(sentence))
                last = [_row(i, future, dates[0][1] if dates else None, day, url) for i in ids]
                rows += last
            elif _REPLACES.search(sentence) and last:
                # "You can use `…` instead.": the models just named get it as their replacement.
                rows = [replace(row, replacements=ids) if row in last and not row.replacements else row for row in rows]
                last = []
    if lead is not None:
        rows += lead.rows
    return rows


def _row(model: str, future: bool, when: date | None, day: date, url: str | None) -> DeprecationRow:
    # Present tense without a date ("is deprecated", "are now deprecated") happened on the section's day.
    shutdown = when if when is not None or future else day
    qualifier = ShutdownQualifier.FIRM if shutdown else ShutdownQualifier.TBD
    return DeprecationRow(VENDOR, PLATFORM, model, ModelStatus.DEPRECATED, announced=day, shutdown=shutdown,
                          shutdown_qualifier=qualifier, url=url)


def _ids_in(sentence: str, codes: tuple[str, ...]) -> tuple[str, ...]:
    """The ids a sentence names: its code spans that look like ids, and id-shaped words, in order."""
    found = [(m.start(), code) for code in codes if is_model_id(code) and re.search(r"\d", code) and "-" in code
             and (m := re.search(rf"(?<![\w.-]){re.escape(code)}(?![\w-])", sentence))]
    found += [(sentence.find(token), token) for token in model_tokens(sentence)]
    return tuple(dict.fromkeys(token for _at, token in sorted(found)))
