"""xAI's pages on docs.x.ai: the models page (docs.x.ai/developers/models, HTML) and one-off retirement notices
such as docs.x.ai/developers/migration/may-15-retirement (Markdown).

What the models page looks like (2025-11-13 copy): a pricing table "Model | Modalities | Capabilities | Context
| Rate limits | Pricing" whose rows are the models on offer, with sub-header rows ("Language models", "Image
generation models") and a region badge beside some ids ("grok-2-vision-1212 us-east-1").

What a retirement notice looks like: a title "Grok Model Retirement on May 15, 2026", "**Effective May 15, 2026
at 12:00 PM PT**, the following models will be retired from the xAI API:" with the ids as a list, and a table
"Model being retired | Redirect target after May 15" ("`grok-4.3` with `low` reasoning effort").

Why the rules are what they are:
- A model listed for sale is active; the region badge is the row's version, so each region is its own row.
- A retired model's replacement is its redirect target: the id in that cell, not the settings beside it
  (`low`, `none` are reasoning efforts). Its shutdown is the retirement date the notice states, firm.
- The notice says "will be retired", so the status is deprecated; once the day has passed on the fetch day,
  `extract_page` makes it retired. No announcement date is given.
"""

from __future__ import annotations

import re
from datetime import date

from bot.domain import DeprecationRow, ModelStatus, ShutdownQualifier
from bot.watch.dates import clean, find_dates
from bot.watch.document import Cell, Document
from bot.watch.pages._tables import column, is_model_id, link, with_headings

VENDOR, PLATFORM = "xai", "api"
_RETIRES = re.compile(r"\bretir\w*|\bshut\s*down|\bdeprecat\w*", re.I)
_REGION = re.compile(r"^(\S+)\s+([a-z]{2}-[a-z]+-\d+)$")  # "grok-2-vision-1212 us-east-1"
_REDIRECT = ("redirect", "replacement", "target")


def extract(document: Document, url: str | None) -> list[DeprecationRow]:
    retiring: dict[str, DeprecationRow] = {}
    offered: dict[tuple[str, str | None], DeprecationRow] = {}
    when = _retirement_date(document)
    listing = False  # inside the list after "the following models will be retired:"
    for path, block in with_headings(document):
        anchor = path[-1].anchor if path else None
        if block.kind == "item" and listing:
            for model_id in _ids(Cell(block.text, block.codes)):
                retiring.setdefault(model_id, _retired(model_id, when, (), link(url, anchor)))
            continue
        listing = block.kind == "paragraph" and clean(block.text).endswith(":") and bool(_RETIRES.search(block.text))
        if block.kind != "table" or (model := column(block.header, "model", avoid=_REDIRECT)) is None:
            continue
        target = column(block.header, *_REDIRECT)
        if target is not None or _RETIRES.search(block.header[model]):
            for row in block.rows:
                replacements = _ids(row[target]) if target is not None and target < len(row) else ()
                for model_id in _ids(row[model]) if model < len(row) else ():
                    retiring[model_id] = _retired(model_id, when, replacements, link(url, anchor))
        else:
            for row in block.rows:
                found = _offered(row[model].text if model < len(row) else "")
                if found:
                    offered[found] = DeprecationRow(VENDOR, PLATFORM, found[0], ModelStatus.ACTIVE, found[1],
                                                    url=link(url, anchor))
    return [*retiring.values(), *(row for key, row in offered.items() if key[0] not in retiring)]


def _retirement_date(document: Document) -> date | None:
    """The retirement day the page states: the first heading or paragraph that speaks of retiring and names a day
    (the notice's title, "Grok Model Retirement on May 15, 2026")."""
    for block in document.blocks:
        if block.kind in ("paragraph", "heading") and _RETIRES.search(block.text) and (found := find_dates(block.text)):
            return found[0][1]
    return None


def _retired(model_id: str, when: date | None, replacements: tuple[str, ...], url: str | None) -> DeprecationRow:
    return DeprecationRow(VENDOR, PLATFORM, model_id, ModelStatus.DEPRECATED, shutdown=when,
                          shutdown_qualifier=ShutdownQualifier.FIRM if when else ShutdownQualifier.TBD,
                          replacements=replacements, url=url)


def _ids(cell: Cell) -> tuple[str, ...]:
    """The model ids in a cell: code spans shaped like ids (`grok-4.3`, not `low`), else the plain text."""
    names = cell.codes or (clean(cell.text),)
    return tuple(dict.fromkeys(n for n in map(clean, names) if is_model_id(n) and re.search(r"[\d.-]", n)))


def _offered(text: str) -> tuple[str, str | None] | None:
    """A pricing row's (id, region); None for a sub-header ("Language models") or an empty row."""
    text = clean(text)
    if match := _REGION.match(text):
        return match[1], match[2]
    return (text, None) if is_model_id(text) and re.search(r"[\d-]", text) else None

