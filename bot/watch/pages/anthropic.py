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
  anchor. Older models appear only in the history; they are retired when their retirement date lies before a
  date the page itself already treats as past (its newest announcement, or a date it calls retired), and
  deprecated otherwise. The history's "This model was retired …" notes are MDX blocks the Document does not
  keep, so they cannot be read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from datetime import date

from bot.domain import DeprecationRow, ModelStatus
from bot.watch.dates import parse_date, parse_shutdown
from bot.watch.document import Block, Document
from bot.watch.pages._tables import cell_ids, column, dedupe, link, status_in, text_at, with_headings

_HEADING_DATE = re.compile(r"^\s*(\d{4}-\d{1,2}-\d{1,2})")
_NOT_MODEL = ("replacement", "recommended")


def extract(document: Document, url: str | None) -> list[DeprecationRow]:
    status_rows: list[DeprecationRow] = []
    history_rows: list[DeprecationRow] = []
    for headings, block in with_headings(document):
        if block.kind != "table" or column(block.header, "model", avoid=_NOT_MODEL) is None:
            continue
        if column(block.header, "state", "status") is not None:
            status_rows += _status_rows(block, link(url, headings[-1].anchor if headings else None))
            continue
        # The announcement a history table belongs to: the nearest heading that starts with a date.
        entry = next((h for h in reversed(headings) if _HEADING_DATE.match(h.text)), headings[-1] if headings else None)
        announced = parse_date(m[1]) if entry and (m := _HEADING_DATE.match(entry.text)) else None
        history_rows += _history_rows(block, announced, link(url, entry.anchor if entry else None))
    current = {row.model: row for row in dedupe(status_rows)}
    history = {row.model: row for row in dedupe(history_rows)}  # the newest announcement of a model governs
    past = _latest_past(current.values(), history.values())
    rows = []
    for model in dict.fromkeys([*current, *history]):
        now, then = current.get(model), history.get(model)
        if now and then:
            rows.append(replace(now, announced=now.announced or then.announced, replacements=then.replacements,
                                url=then.url))
        elif now:
            rows.append(now)
        elif then:
            retired = then.shutdown is not None and past is not None and then.shutdown <= past
            rows.append(replace(then, status=ModelStatus.RETIRED) if retired else then)
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


def _history_rows(table: Block, announced: date | None, url: str | None) -> list[DeprecationRow]:
    model = column(table.header, "model", avoid=_NOT_MODEL)
    retirement = column(table.header, "retirement", "shutdown", "date")
    replacement = column(table.header, "replacement", "recommended")
    rows = []
    for row in table.rows:
        shutdown, qualifier = parse_shutdown(text_at(row, retirement))
        replacements = cell_ids(row[replacement], leading=False) if replacement is not None and replacement < len(
            row) else ()
        rows += [DeprecationRow("anthropic", "api", model_id, ModelStatus.DEPRECATED, announced=announced,
                                shutdown=shutdown, shutdown_qualifier=qualifier, replacements=replacements, url=url)
                 for model_id in (cell_ids(row[model]) if model is not None and model < len(row) else ())]
    return rows


def _latest_past(current: Iterable[DeprecationRow], history: Iterable[DeprecationRow]) -> date | None:
    """The newest date the page itself treats as past: an announcement, or the date of a retired model."""
    seen = [r.announced for r in history if r.announced]
    seen += [r.shutdown for r in current if r.status == ModelStatus.RETIRED and r.shutdown]
    return max(seen, default=None)
