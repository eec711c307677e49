"""OpenAI's API deprecations page (platform.openai.com/docs/deprecations, developers.openai.com/api/docs/deprecations).

What the page looks like: one heading per announcement, "2026-04-22: Legacy GPT model snapshots", holding a
table "Shutdown date | Model / system | Recommended replacement" (sometimes with price columns, sometimes split
under smaller headings). Newer copies group the entries under "Upcoming deprecations" and "Past deprecations";
older copies put them all under one "Deprecation history".

Why the rules are what they are:
- A model cell can name a snapshot with its aliases ("`gpt-4-0613` | `gpt-4`, `gpt-4-completions`"): they shut
  down together, so each id gets its own row with the same date and replacement.
- A model cell that starts with prose ("New fine-tuning training on `babbage-002`") is about a feature of the
  model, not the model, and plain names without an id ("Assistants API", "OpenAI-Beta: realtime=v1") are
  products or headers: neither gives a row. Bare ids without code spans (`gpt-4o-realtime-preview`) do.
- "Date | Update" tables tell a product's phases (Evals platform, Agent Builder). Only a row that says something
  shuts down and names an endpoint or id in a code span (`v1/prompts`) gives a row, for that endpoint.
- Status: deprecated, or legacy under a "Legacy model" column; retired only when the entry says so in words
  ("Access to these models was shut down on July 23, 2026."). Whether a shutdown date has passed is decided
  against the fetch day by `extract_page`, never from the section: OpenAI files entries under "Past
  deprecations" while their shutdown is still ahead, and the page's newest date is not today.
- When a model appears in several entries (`gpt-4-1106-preview` was given one date in 2025 and a later one in
  2026), the newest announcement governs (see `_tables.dedupe`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from bot.domain import DeprecationRow, ModelStatus
from bot.watch.dates import find_dates, parse_date, parse_shutdown
from bot.watch.document import Block, Document
from bot.watch.pages._tables import cell_ids, column, dedupe, link, says_gone, text_at

_HEADING_DATE = re.compile(r"^\s*(\d{4}-\d{1,2}-\d{1,2})")
# The headings that group entries; they end an entry and say nothing about its status.
_SECTIONS = re.compile(r"\b(upcoming|past|history)\b", re.I)
_SHUTS = re.compile(r"shut\s*(?:s|ting)?\s*down|sunset|retire|remov|discontinu|disabled", re.I)
_NOT_MODEL = ("replacement", "substitute", "recommended", "price")


@dataclass
class _Entry:
    """One announcement: its heading, its tables, and whether its prose says its models are gone."""

    heading: Block
    announced: date | None
    tables: list[Block] = field(default_factory=list)
    gone: bool = False


def extract(document: Document, url: str | None) -> list[DeprecationRow]:
    rows = [row for entry in _entries(document) for table in entry.tables for row in _rows(table, entry, url)]
    return dedupe(rows)


def _entries(document: Document) -> list[_Entry]:
    entries: list[_Entry] = []
    entry: _Entry | None = None
    for block in document.blocks:
        if block.kind == "heading":
            if _SECTIONS.search(block.text) and block.level <= 2:
                entry = None
            elif entry is None or block.level <= entry.heading.level:
                match = _HEADING_DATE.match(block.text)
                entry = _Entry(block, parse_date(match[1]) if match else None)
                entries.append(entry)
        elif entry is None:
            continue
        elif block.kind == "table":
            entry.tables.append(block)
        elif block.kind == "paragraph":
            entry.gone = entry.gone or says_gone(block.text)
            if entry.announced is None and (found := find_dates(block.text)):
                entry.announced = found[0][1]  # "On May 7th, 2026, we notified developers …"
    return entries


def _rows(table: Block, entry: _Entry, url: str | None) -> list[DeprecationRow]:
    header = table.header
    when = column(header, "shutdown", "retirement", "date")
    model = column(header, "model", "system", "snapshot", avoid=_NOT_MODEL)
    update = column(header, "update")
    if when is None or (model is None and update is None):
        return []
    replacement = column(header, "replacement", "substitute", "recommended")
    legacy = model is not None and "legacy" in header[model].lower()
    rows = []
    for row in table.rows:
        if model is not None:
            ids = cell_ids(row[model]) if model < len(row) else ()
        elif update is not None and update < len(row) and _SHUTS.search(row[update].text):
            ids = cell_ids(row[update], leading=False)
        else:
            continue
        shutdown, qualifier = parse_shutdown(text_at(row, when))
        replacements = cell_ids(row[replacement], leading=False) if replacement is not None and replacement < len(
            row) else ()
        status = ModelStatus.RETIRED if entry.gone else ModelStatus.LEGACY if legacy else ModelStatus.DEPRECATED
        rows += [DeprecationRow("openai", "api", model_id, status, announced=entry.announced, shutdown=shutdown,
                                shutdown_qualifier=qualifier, replacements=replacements,
                                url=link(url, entry.heading.anchor))
                 for model_id in ids]
    return rows

