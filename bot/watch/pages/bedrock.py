"""Amazon Bedrock's model lifecycle page (docs.aws.amazon.com/bedrock/latest/userguide/model-lifecycle.html).

What the page looks like: tables under headings that name a lifecycle state. Older copies have three:
"Active versions" (Provider | Model name | Model ID | Regions supported | Launch date | an EOL column the header
forgets, reading "No sooner than 9/23/2025" | modalities), "Legacy versions" and "End-of-Life (EOL) versions"
(Model version — a display name, no id | Legacy date | [Public extended access date] | EOL date | Recommended
model version replacement | Recommended model ID), with regions in the date cells: "October 16, 2024
(us-east-1 and us-west-2)". Newer copies have one table "Legacy and end-of-life (EOL) models" (Model provider
| Model name | Model ID | Regions | Legacy date | EOL date | Public extended access start date), where a model
has one row per group of regions.

Why the rules are what they are:
- Status comes from the heading, short of retired: Active is active; Legacy, "Legacy and end-of-life" and
  End-of-Life are legacy (a model filed there is pending EOL or past it). Only the EOL date, once it has
  passed on the fetch day (decided by `extract_page`), makes a model retired: a heading is not a date.
- The model is the Model ID. A table that has only display names gets the id the same page gives that name
  in another table (when one name means one id), else the name as written.
- shutdown is the EOL date; without an EOL column, the cell that says "No sooner than …" (an earliest date).
  announced is the Legacy date.
- Rows of one model id that say different things (Active in some regions, Legacy in others) are kept apart
  with their regions as `version`; rows that say the same thing become one row.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.domain import DeprecationRow, ModelStatus
from bot.watch.dates import clean, parse_date, parse_shutdown
from bot.watch.document import Block, Document
from bot.watch.pages._tables import column, dedupe, link, status_in, text_at, with_headings

_REGION = re.compile(r"\b(?:us|eu|ap|ca|sa|me|af|il|mx)(?:-gov)?-[a-z]+-\d\b")
_BEDROCK_ID = re.compile(r"\b[a-z0-9-]+\.[a-z0-9][\w.-]*(?::\d+)?")
_EARLIEST = re.compile(r"\b(?:sooner|earlier)\s+than\b", re.I)
_NAME = ("model name", "model version")
_NOT_MODEL = ("recommended", "replacement")


def extract(document: Document, url: str | None) -> list[DeprecationRow]:
    ids = _ids_by_name(document)
    found: list[tuple[DeprecationRow, str | None]] = []
    for headings, block in with_headings(document):
        stated = next(((h, s) for h in reversed(headings) if (s := _state(h.text))), None)
        if block.kind == "table" and stated:
            found += _rows(block, stated[1], link(url, stated[0].anchor), ids)
    return dedupe(_versions(found))


def _state(title: str) -> ModelStatus | None:
    stated = ModelStatus.LEGACY if re.search(r"\blegacy\b", title, re.I) else status_in(title)
    return ModelStatus.LEGACY if stated == ModelStatus.RETIRED else stated  # "End-of-Life versions": see above


def _ids_by_name(document: Document) -> dict[str, str]:
    """Display name -> model id, from the tables that give both (a name with two ids maps to none)."""
    seen: dict[str, set[str]] = {}
    for table in document.tables():
        name, model = column(table.header, *_NAME, avoid=_NOT_MODEL), column(table.header, "model id", avoid=_NOT_MODEL)
        for row in table.rows if name is not None and model is not None else ():
            seen.setdefault(clean(text_at(row, name)).lower(), set()).add(clean(text_at(row, model)))
    return {name: next(iter(ids)) for name, ids in seen.items() if len(ids) == 1 and name}


def _rows(table: Block, status: ModelStatus, url: str | None,
          ids: dict[str, str]) -> list[tuple[DeprecationRow, str | None]]:
    header = table.header
    model = column(header, "model id", avoid=_NOT_MODEL)
    name = column(header, *_NAME, avoid=_NOT_MODEL)
    if model is None and name is None:
        return []
    regions = column(header, "region")
    legacy = column(header, "legacy")
    eol = column(header, "eol", "end-of-life", "end of life")
    recommended = column(header, "recommended model id", "replacement model id")
    rows = []
    for row in table.rows:
        written = clean(text_at(row, model) or text_at(row, name))
        if not written:
            continue
        model_id = written if model is not None else ids.get(written.lower(), written)
        eol_text = text_at(row, eol) if eol is not None else next((c.text for c in row if _EARLIEST.search(c.text)), "")
        shutdown, qualifier = parse_shutdown(eol_text)
        # Regions: their own column, else the remark in the EOL date, else the one in the Legacy date.
        where = next((found for text in (text_at(row, regions), eol_text, text_at(row, legacy))
                      if (found := _REGION.findall(text))), [])
        rows.append((DeprecationRow("bedrock", "bedrock", model_id, status, announced=parse_date(text_at(row, legacy)),
                                    shutdown=shutdown, shutdown_qualifier=qualifier,
                                    replacements=tuple(dict.fromkeys(_BEDROCK_ID.findall(text_at(row, recommended)))),
                                    url=url),
                     ", ".join(dict.fromkeys(where)) or None))
    return rows


def _versions(found: list[tuple[DeprecationRow, str | None]]) -> list[DeprecationRow]:
    """Regions become the version only for a model whose rows disagree."""
    says: dict[str, set[tuple[object, ...]]] = {}
    for row, _ in found:
        says.setdefault(row.model, set()).add((row.status, row.shutdown, row.shutdown_qualifier, row.announced))
    return [replace(row, version=where) if len(says[row.model]) > 1 else row for row, where in found]
