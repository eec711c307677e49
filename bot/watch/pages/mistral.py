"""Mistral's models overview (docs.mistral.ai/models, formerly docs.mistral.ai/getting-started/models/).

What the page looks like: cards for the current models, each a link to `/models/<slug>` ("Mistral Medium 3.5 …
v26.04" → `/models/mistral-medium-3-5-26-04`) under "Featured Models" and again under the categories of "All
models"; then one table "Deprecated & retired models" with "Model | Version | API | Deprecation | Retirement |
Alternative", its dates in US form (`5/22/2026`) and its alternatives as links to the same model pages.

Why the rules are what they are:
- A retired or deprecated model is its API id (`mistral-large-2407`), the name users call. Rows with no API id
  (Mathstral 7B, Mistral Next, Mistral 7B 0.1) were never reachable on the API platform: no row.
- Two table rows with one API id (Voxtral Mini and Voxtral Mini Transcribe both `voxtral-mini-2507`; Mistral 7B
  0.2 and 0.3 both `open-mistral-7b`) are one row when they say the same; only when their dates or alternatives
  differ does the Version column keep them apart.
- Current models have no API id on the page, so a card is its page slug; alternatives are the slugs they link
  to, so a replacement names a row of the same page. A card listed twice (Featured, then its category) is one
  row, under its category.
- Status: a table row is deprecated; it is retired once its firm retirement date has passed on the fetch day
  (decided by `extract_page`), not against the newest date the page names. Cards are active.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.domain import DeprecationRow, ModelStatus
from bot.watch.dates import clean, parse_date, parse_shutdown
from bot.watch.document import Block, Cell, Document
from bot.watch.pages._tables import column, dedupe, is_empty, link, text_at, with_headings

VENDOR, PLATFORM = "mistral", "api"
_MODEL_PAGE = re.compile(r"(?:^|/)models/([\w.-]+)/?$")


def extract(document: Document, url: str | None) -> list[DeprecationRow]:
    retired = _table_rows(document, url)
    listed = {row.model.lower() for row in retired}
    return dedupe([*retired, *(row for row in _cards(document, url) if row.model.lower() not in listed)])


def _table_rows(document: Document, url: str | None) -> list[DeprecationRow]:
    tables = [(path, t) for path, t in with_headings(document)
              if t.kind == "table" and column(t.header, "api") is not None and column(t.header, "retire") is not None]
    by_id: dict[str, list[tuple[str, DeprecationRow]]] = {}
    for path, table in tables:
        header = table.header
        api, version = column(header, "api"), column(header, "version")
        deprecation, retirement = column(header, "deprecat"), column(header, "retire")
        alternative = column(header, "alternative", "replacement")
        anchor = path[-1].anchor if path else None
        for row in table.rows:
            model_id = clean(text_at(row, api))
            if is_empty(model_id) or " " in model_id:
                continue  # no API id: not a model of the API platform
            shutdown, qualifier = parse_shutdown(text_at(row, retirement))
            replacements = _slugs(row[alternative]) if alternative is not None and alternative < len(row) else ()
            entry = DeprecationRow(VENDOR, PLATFORM, model_id, ModelStatus.DEPRECATED,
                                   announced=parse_date(text_at(row, deprecation)),
                                   shutdown=shutdown, shutdown_qualifier=qualifier, replacements=replacements,
                                   url=link(url, anchor))
            by_id.setdefault(model_id.lower(), []).append((clean(text_at(row, version)), entry))
    rows = []
    for entries in by_id.values():
        facts = {(e.announced, e.shutdown, e.replacements) for _v, e in entries}
        if len(facts) == 1:
            rows.append(entries[0][1])
        else:  # the same API id said two different things: the version tells them apart
            rows += [replace(entry, version=version or None) for version, entry in entries]
    return rows


def _cards(document: Document, url: str | None) -> list[DeprecationRow]:
    cards: dict[str, DeprecationRow] = {}
    for path, block in with_headings(document):
        if block.kind != "paragraph" or not block.links:
            continue
        anchor = path[-1].anchor if path else None
        for slug in _slugs_of(block):
            # A card listed again further down, under its category: that place's anchor wins.
            cards[slug] = DeprecationRow(VENDOR, PLATFORM, slug, ModelStatus.ACTIVE, url=link(url, anchor))
    return list(cards.values())


def _slugs(cell: Cell) -> tuple[str, ...]:
    slugs = tuple(m[1] for _text, href in cell.links if (m := _MODEL_PAGE.search(href)))
    return slugs or ((clean(cell.text),) if not is_empty(cell.text) else ())


def _slugs_of(block: Block) -> list[str]:
    return [m[1] for _text, href in block.links if (m := _MODEL_PAGE.search(href))]
