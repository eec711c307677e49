"""Azure model retirement tables: Azure AI Foundry Models (learn.microsoft.com …/concepts/model-lifecycle-retirement)
and Azure OpenAI (…/openai/concepts/model-retirements, whose tables also live in MicrosoftDocs on GitHub).

What the pages look like: Foundry has one table per model provider (headings "Cohere", "Meta", …) with
Model | Legacy date | Deprecation date | Retirement date | Suggested replacement model. Azure OpenAI has tables
per modality with Model Name | Model Version | Lifecycle Status | Deprecation Date (No New Customers) |
Retirement Date | Replacement Model, one row per version, dates such as "No earlier than 2026-10-30" and "n/a".

Why the rules are what they are:
- The model is the cell as written (Foundry writes names such as "Command R+", Azure OpenAI writes ids in code
  spans); the version column, when there is one, goes into `version`, since one model has several versions
  with their own dates.
- Status: the Lifecycle Status column speaks ("Generally Available", "Preview" are active); without one, a row
  of these tables is a model on track for retirement, so deprecated. Retired once its firm retirement date
  has passed on the fetch day (decided by `extract_page`). The page's "Last updated on 2025-10-31" is not
  today (pages go weeks without an update), so it decides nothing; Azure's legacy and deprecation stages
  before retirement, which only a known day could tell apart, are not distinguished.
- announced is the legacy date, else the deprecation date, when firm.
- A table whose rows hold no date at all (fine-tuned models: "At base model retirement") is not a schedule.
"""

from __future__ import annotations

from datetime import date

from bot.domain import DeprecationRow, ModelStatus, ShutdownQualifier
from bot.watch.dates import clean, parse_date, parse_shutdown
from bot.watch.document import Block, Cell, Document
from bot.watch.pages._tables import cell_names, column, dedupe, is_empty, link, status_in, text_at

_NOT_MODEL = ("replacement", "version", "suggested", "default")


def extract(document: Document, url: str | None) -> list[DeprecationRow]:
    return dedupe(row for table in document.tables() for row in _rows(table, url))


def _rows(table: Block, url: str | None) -> list[DeprecationRow]:
    header = table.header
    model = column(header, "model", avoid=_NOT_MODEL)
    retirement = column(header, "retirement")
    deprecation = column(header, "deprecation")
    if model is None or (retirement is None and deprecation is None):
        return []
    legacy = column(header, "legacy")
    version = column(header, "version", avoid=("default",))
    lifecycle = column(header, "lifecycle", "status", "state")
    replacement = column(header, "replacement")
    if not any(parse_date(text_at(row, i)) for row in table.rows for i in (legacy, deprecation, retirement)):
        return []
    rows = []
    for row in table.rows:
        shutdown, qualifier = parse_shutdown(text_at(row, retirement))
        dates = [_firm(text_at(row, i)) for i in (legacy, deprecation)]
        status = status_in(text_at(row, lifecycle)) or ModelStatus.DEPRECATED
        written = clean(text_at(row, version))
        replacements = cell_names(row[replacement]) if replacement is not None and replacement < len(row) else ()
        rows += [DeprecationRow("azure", "azure", name, status, version=None if is_empty(written) else written,
                                announced=next((d for d in dates if d), None), shutdown=shutdown,
                                shutdown_qualifier=qualifier, replacements=replacements,
                                url=link(url, table.section_anchor))
                 for name in _models(row[model] if model < len(row) else Cell(""))]
    return rows


def _models(cell: Cell) -> tuple[str, ...]:
    return cell_names(cell) if cell.codes else ((clean(cell.text),) if not is_empty(cell.text) else ())


def _firm(text: str) -> date | None:
    found, qualifier = parse_shutdown(text)
    return found if qualifier == ShutdownQualifier.FIRM else None

