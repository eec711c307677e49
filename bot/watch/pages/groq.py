"""Groq's deprecations page (console.groq.com/docs/deprecations), served as Markdown.

What the page looks like: under "Deprecation History", one heading per shutdown, newest first, written as a
link to its own anchor ("[August 16, 2026: llama-3.1-8b-instant and …](#august-16-2026-llama318binstant-and-…)").
A paragraph tells when users were emailed ("on June 17, 2026, we emailed users to announce the deprecation of
…"; sometimes only "In November 2024" or "On January 6th"), then a table "Deprecated Model | Shutdown Date |
Recommended Replacement Model ID" (older entries say "Model ID"). Shutdown dates are US dates with two-digit
years ("08/16/26", "1/6/25"); a replacement cell can hold several ids, joined by "or", by a space, or with a
remark ("llama-3.1-70b-versatile (text-only workloads)").

Why the rules are what they are:
- The announcement is the first full date in the entry's prose (the email); a month alone is not a date.
- A model named in two entries (`deepseek-r1-distill-llama-70b-specdec`: March 24, then April 14, 2025) is
  governed by the later announcement (`_tables.dedupe`).
- Groq's anchors drop all punctuation inside words (`llama-3.1-8b-instant` → `llama318binstant`); the Markdown
  names them in the heading's link, which the document keeps only as text, so they are made the same way.
- Status: deprecated; retired once the firm shutdown date has passed on the fetch day (decided by
  `extract_page`), never against the newest email date the page names (the heading dates are shutdown dates,
  possibly still ahead).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from bot.domain import DeprecationRow, ModelStatus
from bot.watch.dates import clean, find_dates, parse_shutdown
from bot.watch.document import Block, Document
from bot.watch.pages._tables import column, dedupe, is_model_id, link, text_at

VENDOR, PLATFORM = "groq", "api"


@dataclass
class _Entry:
    heading: Block
    announced: date | None = None
    tables: list[Block] = field(default_factory=list)


def extract(document: Document, url: str | None) -> list[DeprecationRow]:
    rows = []
    for entry in _entries(document):
        where = link(url, groq_anchor(entry.heading.text))
        for table in entry.tables:
            header = table.header
            model = column(header, "model", avoid=("replacement", "recommended"))
            when, replacement = column(header, "shutdown", "date"), column(header, "replacement", "recommended")
            for row in table.rows:
                ids = ids_in(text_at(row, model))
                shutdown, qualifier = parse_shutdown(text_at(row, when))
                rows += [DeprecationRow(VENDOR, PLATFORM, model_id, ModelStatus.DEPRECATED, announced=entry.announced,
                                        shutdown=shutdown, shutdown_qualifier=qualifier,
                                        replacements=ids_in(text_at(row, replacement)), url=where)
                         for model_id in ids[:1]]  # the model column names one model
    return dedupe(rows)


def _entries(document: Document) -> list[_Entry]:
    entries: list[_Entry] = []
    current: _Entry | None = None
    for block in document.blocks:
        if block.kind == "heading":
            # An entry's heading starts with its date; "Deprecation History" and the guideline headings do not.
            found = find_dates(block.text)
            current = _Entry(block) if found and block.text.startswith(found[0][0]) else None
            entries += [current] if current else []
        elif current is None:
            continue
        elif block.kind == "table":
            current.tables.append(block)
        elif block.kind == "paragraph" and current.announced is None:
            current.announced = next((d for _text, d in find_dates(block.text)), None)
    return entries


def ids_in(text: str) -> tuple[str, ...]:
    """The model ids a cell names: the words that look like ids ("or" and "(text-only workloads)" do not)."""
    words = re.split(r"[\s,;|]+", clean(text))
    return tuple(dict.fromkeys(w for w in words if is_model_id(w) and re.search(r"[\d/.-]", w)))


def groq_anchor(heading: str) -> str:
    """Groq's anchor for a heading: punctuation dropped (inside words too), words joined by hyphens."""
    return re.sub(r"\s+", "-", re.sub(r"[^\w\s]|_", "", clean(heading).lower())).strip("-")
