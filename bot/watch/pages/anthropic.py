"""Anthropic's model deprecations page (docs.anthropic.com, docs.claude.com, platform.claude.com
…/about-claude/model-deprecations).

What the page looks like: a "Model status" table (API model name | Current state | Deprecated | Tentative
retirement date) for current and recently retired models, then a "Deprecation history" with one heading per
announcement ("2026-04-14: Claude Sonnet 4 and Claude Opus 4 models") over a table Retirement date |
Deprecated model | Recommended replacement. A last table lists deprecated API *parameters*: it has no model
column, so it gives no rows.

Why the rules are what they are:
- The status table is the page's current word: its state, its dates ("Not sooner than June 9, 2027" is an
  earliest date) and its Deprecated column (the announcement) govern. "N/A" there means not deprecated.
- The history adds what the status table lacks: the replacement, the announcement date and the entry's
  anchor. Older models appear only in the history; they are deprecated, or retired when their entry's note
  says so ("This model was retired August 5, 2026.", "These models were retired …", MDX <Note> blocks kept
  as paragraphs). A retirement date that has passed by the fetch day is decided by `extract_page`, never
  against a date the page names (its newest announcement is not today).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from bot.domain import DeprecationRow, ModelStatus
from bot.watch.dates import parse_date, parse_shutdown
from bot.watch.document import Block, Document
from bot.watch.pages._tables import cell_ids, column, dedupe, link, says_gone, status_in, text_at, with_headings

_HEADING_DATE = re.compile(r"^\s*(\d{4}-\d{1,2}-\d{1,2})")
_NOT_MODEL = ("replacement", "recommended")


def extract(document: Document, url: str | None) -> list[DeprecationRow]:
    status_rows: list[DeprecationRow] = []
    history_rows: list[DeprecationRow] = []
    gone: set[Block] = set()  # history entries whose note says their models were retired
    for headings, block in with_headings(document):
        # The announcement a block belongs to: the nearest heading that starts with a date.
        dated = next((h for h in reversed(headings) if _HEADING_DATE.match(h.text)), None)
        if block.kind == "paragraph" and dated is not None and says_gone(block.text):
            gone.add(dated)
        if block.kind != "table" or column(block.header, "model", avoid=_NOT_MODEL) is None:
            continue
        if column(block.header, "state", "status") is not None:
            status_rows += _status_rows(block, link(url, headings[-1].anchor if headings else None))
            continue
        entry = dated or (headings[-1] if headings else None)
        announced = parse_date(m[1]) if entry and (m := _HEADING_DATE.match(entry.text)) else None
        status = ModelStatus.RETIRED if dated in gone else ModelStatus.DEPRECATED
        history_rows += _history_rows(block, status, announced, link(url, entry.anchor if entry else None))
    current = {row.model: row for row in dedupe(status_rows)}
    history = {row.model: row for row in dedupe(history_rows)}  # the newest announcement of a model governs
    rows = []
    for model in dict.fromkeys([*current, *history]):
        now, then = current.get(model), history.get(model)
        if now and then:
            rows.append(replace(now, announced=now.announced or then.announced, replacements=then.replacements,
                                url=then.url))
        elif now:
            rows.append(now)
        elif then:
            rows.append(then)
    return rows


def _status_rows(table: Block, url: str | None) -> list[DeprecationRow]:
    model = column(table.header, "model", avoid=_NOT_MODEL)
    state = column(table.header, "state", "status")
    deprecated = column(table.header, "deprecat", avoid=("model",))
    retirement = column(table.header, "retirement", "retired", "shutdown")
    rows = []
    for row in table.rows:
        shutdown, qualifier = parse_shutdown(text_at(row, retirement))
        status = status_in(text_at(row, state)) or ModelStatus.ACTIVE
        rows += [DeprecationRow("anthropic", "api", model_id, status, announced=parse_date(text_at(row, deprecated)),
                                shutdown=shutdown, shutdown_qualifier=qualifier, url=url)
                 for model_id in (cell_ids(row[model]) if model is not None and model < len(row) else ())]
    return rows


def _history_rows(table: Block, status: ModelStatus, announced: date | None,
                  url: str | None) -> list[DeprecationRow]:
    model = column(table.header, "model", avoid=_NOT_MODEL)
    retirement = column(table.header, "retirement", "shutdown", "date")
    replacement = column(table.header, "replacement", "recommended")
    rows = []
    for row in table.rows:
        shutdown, qualifier = parse_shutdown(text_at(row, retirement))
        replacements = cell_ids(row[replacement], leading=False) if replacement is not None and replacement < len(
            row) else ()
        rows += [DeprecationRow("anthropic", "api", model_id, status, announced=announced,
                                shutdown=shutdown, shutdown_qualifier=qualifier, replacements=replacements, url=url)
                 for model_id in (cell_ids(row[model]) if model is not None and model < len(row) else ())]
    return rows

