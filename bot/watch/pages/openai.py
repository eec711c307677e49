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
- Status comes from the section: "Upcoming" is deprecated, "Past" retired. Under a single history, a shutdown
  before the page's newest announcement is already past (so retired), any other is deprecated. A "Legacy
  model" column means legacy.
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
from bot.watch.pages._tables import cell_ids, column, dedupe, link, text_at

_HEADING_DATE = re.compile(r"^\s*(\d{4}-\d{1,2}-\d{1,2})")
_SECTIONS = (("upcoming", "upcoming"), ("past", "past"), ("history", "history"))
_SHUTS = re.compile(r"shut\s*(?:s|ting)?\s*down|sunset|retire|remov|discontinu|disabled", re.I)
_NOT_MODEL = ("replacement", "substitute", "recommended", "price")


@dataclass
class _Entry:
    """One announcement: its heading, the section it sits in, and its tables."""

    heading: Block
    section: str
    announced: date | None
    tables: list[Block] = field(default_factory=list)


def extract(document: Document, url: str | None) -> list[DeprecationRow]:
    entries = _entries(document)
    newest = max((e.announced for e in entries if e.announced), default=None)
    rows = [row for entry in entries for table in entry.tables for row in _rows(table, entry, url, newest)]
    return dedupe(rows)


def _entries(document: Document) -> list[_Entry]:
    entries: list[_Entry] = []
    section = ""
    entry: _Entry | None = None
    for block in document.blocks:
        if block.kind == "heading":
            kind = next((k for word, k in _SECTIONS if re.search(rf"\b{word}\b", block.text, re.I)), None)
            if kind and block.level <= 2:
                section, entry = kind, None
            elif entry is None or block.level <= entry.heading.level:
                match = _HEADING_DATE.match(block.text)
                entry = _Entry(block, section, parse_date(match[1]) if match else None)
                entries.append(entry)
        elif entry is None:
            continue
        elif block.kind == "table":
            entry.tables.append(block)
        elif entry.announced is None and block.kind == "paragraph" and (found := find_dates(block.text)):
            entry.announced = found[0][1]  # "On May 7th, 2026, we notified developers …"
    return entries


def _rows(table: Block, entry: _Entry, url: str | None, newest: date | None) -> list[DeprecationRow]:
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
        status = _status(entry.section, legacy, shutdown, newest)
        rows += [DeprecationRow("openai", "api", model_id, status, announced=entry.announced, shutdown=shutdown,
                                shutdown_qualifier=qualifier, replacements=replacements,
                                url=link(url, entry.heading.anchor))
                 for model_id in ids]
    return rows


def _status(section: str, legacy: bool, shutdown: date | None, newest: date | None) -> ModelStatus:
    if section == "past":
        return ModelStatus.RETIRED
    if section != "upcoming" and shutdown and newest and shutdown < newest:
        return ModelStatus.RETIRED  # one history for all: the page already announced things after this shutdown
    return ModelStatus.LEGACY if legacy else ModelStatus.DEPRECATED
