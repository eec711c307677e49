"""Cohere's deprecations page (docs.cohere.com/docs/deprecations) and its models overview (docs.cohere.com/docs/
models), both served as Markdown.

What the deprecations page looks like: under "Deprecation History", one heading per announcement, "2026-04-04:
Embed v2.0, Aya Expanse 8B", newest first. Models come in a list after a lead-in ("Effective April 4th, 2026,
the following models will be retired:", "Deprecated Models:") or in a table "Shutdown Date | Deprecated Model |
Deprecated Model Price | Recommended Replacement". Alternatives come in lists too, sometimes grouped ("Embedding
tasks alternatives:", "Chat tasks alternatives:"), or in a sentence ("we recommend you use `command-r-08-2024`,
… instead"). Items name an alias ("`command-r-03-2024` (and the alias `command-r`)"), an endpoint
(`/v1/generate`) or a parameter of one ("`/v1/chat` parameters: `connectors`, …").

What the models page looks like: per family a table "Model Name | Status | Description | …" with statuses
"Live", "Deprecated Sept 15, 2025", "Retired Apr 4, 2026" (some tables have no Status column), each followed by
a "Using … on Different Platforms" table mapping the ids to other clouds.

Why the rules are what they are:
- Cohere's words: deprecated means closed to new customers with no shutdown date yet; retired or shut down
  means gone. So "deprecat…" gives the announcement date and no shutdown, "retire/shut down/sunset" the date
  as the shutdown date. The heading's date is the announcement.
- An item names what its first code span names, and the aliases it mentions; an item that goes on with prose
  ("`/v1/chat` parameters: …") is about part of it, and prose ("Fine-tuning for the `command-light` … models is
  being retired") is about a feature: no row.
- With grouped alternatives, a model gets the group of its own kind (ids sharing its first word, `embed-…`),
  else the groups no retired model shares a word with (the chat models for `c4ai-aya-expanse-8b`).
- An entry's models are deprecated; retired once their firm shutdown date has passed on the fetch day (decided
  by `extract_page`), not against the newest announcement the page names. On the models page the Status cell
  speaks ("Retired Apr 4, 2026"); platform-mapping tables (no Description column) give no row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from bot.domain import DeprecationRow, ModelStatus, ShutdownQualifier
from bot.watch.dates import clean, find_dates, parse_date, parse_shutdown
from bot.watch.document import Block, Document
from bot.watch.pages._tables import cell_ids, column, dedupe, is_model_id, link, status_in, text_at, with_headings

VENDOR, PLATFORM = "cohere", "api"
_HEADING_DATE = re.compile(r"^\s*(\d{4}-\d{1,2}-\d{1,2})")
_GONE = re.compile(r"\b(retir\w*|shut\s*down|shutdown|sunset\w*|remov\w*)\b", re.I)
_DEPRECATES = re.compile(r"\bdeprecat\w*", re.I)
_ALTERNATIVES = re.compile(r"\b(alternatives?|replacements?|migrate|recommend\w*|instead)\b", re.I)
_ALIAS = re.compile(r"\balias(?:es)?\b\s*`?([\w.:/-]+)")


@dataclass
class _Entry:
    heading: Block
    announced: date | None
    when: date | None = None                       # the effective date the entry's prose names
    retired: list[tuple[str, bool]] = field(default_factory=list)   # (id, gone rather than deprecated)
    groups: list[list[str]] = field(default_factory=list)           # groups of alternatives
    tables: list[Block] = field(default_factory=list)


def extract(document: Document, url: str | None) -> list[DeprecationRow]:
    rows = [row for entry in _entries(document) for row in _entry_rows(entry, url)]
    return dedupe([*rows, *_model_table_rows(document, url)])


# --- the deprecations page -------------------------------------------------------------------------------

def _entries(document: Document) -> list[_Entry]:
    entries: list[_Entry] = []
    entry: _Entry | None = None
    mode = ""  # what the list items under the latest lead-in are: "gone", "deprecated" or "alternatives"
    for block in document.blocks:
        if block.kind == "heading":
            match = _HEADING_DATE.match(block.text)
            entry = _Entry(block, parse_date(match[1])) if match else None
            if entry:
                entries.append(entry)
            mode = ""
            continue
        if entry is None:
            continue
        text = clean(block.text)
        if block.kind == "table":
            entry.tables.append(block)
        elif block.kind == "item" and mode and (ids := _item_ids(block)):
            if mode == "alternatives":
                entry.groups[-1].extend(ids)
            else:
                entry.retired += [(i, mode == "gone") for i in ids]
        elif text.endswith(":") and _ALTERNATIVES.search(text):
            mode = "alternatives"
            entry.groups.append([])  # "Embedding tasks alternatives:" opens a group of its own
        elif text.endswith(":") and (_GONE.search(text) or _DEPRECATES.search(text)):
            mode = "gone" if _GONE.search(text) else "deprecated"
            entry.when = entry.when or next((d for _t, d in find_dates(text)), None)
        else:
            if entry.when is None and (found := find_dates(text)):
                entry.when = found[0][1]  # "Effective September 15, 2025, the following deprecations will roll out."
            if block.kind == "paragraph" and _ALTERNATIVES.search(text) and (ids := _code_ids(block)):
                entry.groups.append(list(ids))  # "we recommend you use `command-r-08-2024`, … instead"
            if block.kind != "item":
                mode = ""
    return entries


def _entry_rows(entry: _Entry, url: str | None) -> list[DeprecationRow]:
    where = link(url, entry.heading.anchor)
    rows = []
    retired_ids = [i for i, _gone in entry.retired]
    for model_id, gone in entry.retired:
        shutdown = (entry.when or entry.announced) if gone else None
        rows.append(DeprecationRow(
            VENDOR, PLATFORM, model_id, ModelStatus.DEPRECATED, announced=entry.announced, shutdown=shutdown,
            shutdown_qualifier=ShutdownQualifier.FIRM if shutdown else ShutdownQualifier.TBD,
            replacements=_alternatives_for(model_id, entry.groups, retired_ids), url=where))
    for table in entry.tables:
        model = column(table.header, "model", avoid=("price", "replacement"))
        when, replacement = column(table.header, "shutdown", "retire"), column(table.header, "replacement")
        for row in table.rows:
            shutdown, qualifier = parse_shutdown(text_at(row, when))
            replacements = cell_ids(row[replacement], leading=False) if replacement is not None and replacement < len(
                row) else ()
            rows += [DeprecationRow(VENDOR, PLATFORM, model_id, ModelStatus.DEPRECATED, announced=entry.announced,
                                    shutdown=shutdown, shutdown_qualifier=qualifier, replacements=replacements,
                                    url=where)
                     for model_id in (cell_ids(row[model]) if model is not None and model < len(row) else ())]
    return rows


def _item_ids(block: Block) -> tuple[str, ...]:
    """What a list item names: its leading code span, and the aliases it mentions; nothing when the code span
    is followed by more words ("`/v1/chat` parameters: …"), which are about a part of it."""
    text = clean(block.text)
    if not block.codes or not text.startswith(block.codes[0]) or not is_model_id(block.codes[0]):
        return ()
    rest = text[len(block.codes[0]):].strip()
    if rest and not rest.startswith("("):
        return ()
    return (block.codes[0], *(alias for alias in _ALIAS.findall(rest) if is_model_id(alias)))


def _code_ids(block: Block) -> tuple[str, ...]:
    return tuple(dict.fromkeys(code for code in block.codes if is_model_id(code) and re.search(r"[\d.-]", code)))


def _alternatives_for(model_id: str, groups: list[list[str]], retired: list[str]) -> tuple[str, ...]:
    groups = [g for g in groups if g]
    own = [g for g in groups if any(_first_word(a) == _first_word(model_id) for a in g)]
    if not own:  # none of its kind: the groups meant for none of the retired models' kinds
        taken = {_first_word(r) for r in retired}
        own = [g for g in groups if not any(_first_word(a) in taken for a in g)]
    return tuple(dict.fromkeys(a for g in own for a in g))


def _first_word(model_id: str) -> str:
    return re.split(r"[-.:/]", model_id.lstrip("/"), maxsplit=1)[0].lower()


# --- the models page -------------------------------------------------------------------------------------

def _model_table_rows(document: Document, url: str | None) -> list[DeprecationRow]:
    rows = []
    for path, table in with_headings(document):
        if table.kind != "table" or column(table.header, "description") is None:
            continue  # the "Using … on Different Platforms" tables map ids to other clouds
        model, status_at = column(table.header, "model"), column(table.header, "status")
        anchor = path[-1].anchor if path else None
        for row in table.rows:
            said = text_at(row, status_at)
            status = status_in(said) or ModelStatus.ACTIVE  # "Live", or no Status column at all
            when = next((d for _t, d in find_dates(said)), None)
            shutdown = when if status == ModelStatus.RETIRED else None
            announced = when if status == ModelStatus.DEPRECATED else None
            rows += [DeprecationRow(VENDOR, PLATFORM, model_id, status, announced=announced, shutdown=shutdown,
                                    shutdown_qualifier=ShutdownQualifier.FIRM if shutdown else ShutdownQualifier.TBD,
                                    url=link(url, anchor))
                     for model_id in (cell_ids(row[model]) if model is not None and model < len(row) else ())]
    return rows
