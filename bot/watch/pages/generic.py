"""The fallback for vendors without their own extractor (Alibaba Model Studio, Xiaomi MiMo, Moonshot, …):
any page whose *tables* say which model retires when.

What such pages look like: a table per announcement or per lifecycle state, with a model column ("Model name",
"Model ID", "Deprecated model", "API model name"), a retirement date column ("Shutdown date", "Retirement
date", "Deprecation time", "Offline time", "EOL", "Sunset", "Removal date"), often a replacement column and
sometimes a status column or a "Deprecated"/"Announced" date.

Why the rules are what they are — this reads pages nobody has looked at, so it says less rather than wrong:
- Only tables, and only tables with both a model column and a retirement date column. A pricing table, a
  feature comparison or a model catalogue without dates names models but says nothing about their end;
  changelogs in prose are read by people, not here.
- A model is a cell that looks like an id (`cell_ids`): "Qwen-Max" categories and display names with spaces
  are not ids, and a row without an id gives nothing.
- "Deprecation date/time" is a retirement date on these pages (Alibaba's "Deprecation time" is when calls
  start to fail), but a column titled "Deprecated" (or "Announced", "Legacy date") is when the deprecation
  was announced, as on Anthropic's status table. A more specific retirement word wins over "deprecation".
- Status: the row's status cell, else the nearest heading that names a state ("Deprecated models"; words
  with digits are left out, since "Llama 3.2 90B Text Preview" names a model, not a preview state), else
  deprecated when the row has a *firm* retirement date. A "not sooner than" date alone does not make a model
  deprecated (Anthropic gives active models such dates), and a row without any of these gives nothing. A
  "Retired" heading makes a row only deprecated: vendors file rows there ahead of their date, and only the
  date, once passed on the fetch day (decided by `extract_page`), or the row's own status cell retires it.
- The vendor comes from the page's host; without a URL nobody knows whose models these are, so no rows.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import urlsplit

from bot.domain import DeprecationRow, ModelStatus, ShutdownQualifier
from bot.watch.dates import parse_date, parse_shutdown
from bot.watch.document import Block, Document
from bot.watch.pages._tables import cell_ids, dedupe, is_empty, link, status_in, text_at, with_headings

# Hosts whose registrable name is not the vendor's; any other host gives its second-level label.
_VENDORS = {"alibabacloud.com": "alibaba", "aliyun.com": "alibaba", "mi.com": "xiaomi", "xiaomimimo.com": "xiaomi",
            "kimi.ai": "moonshot", "kimi.com": "moonshot", "moonshot.ai": "moonshot", "moonshot.cn": "moonshot",
            "claude.com": "anthropic", "claude.ai": "anthropic", "x.ai": "xai", "z.ai": "zai", "bigmodel.cn": "zai",
            "google.dev": "google", "microsoft.com": "azure"}
_SECOND_LEVEL = {"co", "com", "net", "org", "gov", "edu", "ac"}  # www.example.co.uk → example

_REPLACEMENT = r"replace|recommend|successor|redirect|alternative|migrat"
_MODEL_ID = re.compile(r"\bmodel[\s_-]*id\b|\bapi model name\b", re.I)
_MODEL = re.compile(r"\bmodels?\b", re.I)
_NOT_MODEL = re.compile(rf"{_REPLACEMENT}|famil|\btype|categor|provider|series|status|state|\bdate|\btime|price", re.I)
_RETIREMENT = re.compile(r"shut\s*-?\s*down|retire|discontinu|offline|end[\s-]of[\s-]life|\beol\b|sunset|remov", re.I)
_DEPRECATION = re.compile(r"deprecation", re.I)
_NOT_RETIREMENT = re.compile(rf"\bmodels?\b|{_REPLACEMENT}|reason|note", re.I)
_ANNOUNCED = re.compile(r"announce|deprecated|legacy", re.I)
_NOT_ANNOUNCED = re.compile(rf"\bmodels?\b|{_REPLACEMENT}", re.I)
_REPLACEMENTS = re.compile(_REPLACEMENT, re.I)
_NOT_REPLACEMENTS = re.compile(r"\b(time|date|impact|notes?|reason)\b", re.I)
_STATUS = re.compile(r"status|state|lifecycle|stage", re.I)
_NOT_STATUS = re.compile(r"\b(date|time)\b", re.I)
_LIVE = re.compile(r"^\W*(live|current|stable)\b", re.I)  # states status_in does not know ("Not live" is none)
_NAMED = re.compile(r"\S*\d\S*")  # words with digits in headings are names or dates


def extract(document: Document, url: str | None) -> list[DeprecationRow]:
    vendor = vendor_for(url)
    if vendor is None:
        return []
    rows: list[DeprecationRow] = []
    for headings, block in with_headings(document):
        if block.kind == "table":
            section = next((s for h in reversed(headings) if (s := _section_state(h.text))), None)
            rows += _rows(block, vendor, section, link(url, headings[-1].anchor if headings else None))
    return dedupe(rows)


def vendor_for(url: str | None) -> str | None:
    """The vendor a page belongs to, from its host: `www.alibabacloud.com` → "alibaba", `docs.fireworks.ai` →
    "fireworks"."""
    host = (urlsplit(url).hostname or "") if url else ""
    labels = [label for label in host.lower().split(".") if label]
    if len(labels) < 2 or not re.search(r"[a-z]", host):
        return host or None  # localhost, an IP address
    keep = 3 if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2 else 2
    registrable = ".".join(labels[-keep:])
    return _VENDORS.get(registrable, labels[-keep])


def _section_state(title: str) -> ModelStatus | None:
    """The state a heading names ("Deprecated models", "Retired"). Model names in headings say nothing ("Llama
    3.2 90B Text Preview", "o1-preview"), and neither does "Preview" or "GA" alone: only "active" means active."""
    title = _NAMED.sub(" ", title)
    status = status_in(title)
    if status == ModelStatus.RETIRED:
        return ModelStatus.DEPRECATED  # a heading is not a date: see the module docstring
    return None if status == ModelStatus.ACTIVE and not re.search(r"\bactive\b", title, re.I) else status


def _find(header: Sequence[str], words: re.Pattern[str], avoid: re.Pattern[str], *,
          skip: int | None = None) -> int | None:
    return next((i for i, title in enumerate(header)
                 if i != skip and words.search(title) and not avoid.search(title)), None)


def _rows(table: Block, vendor: str, section: ModelStatus | None, url: str | None) -> list[DeprecationRow]:
    header = table.header
    model = _find(header, _MODEL_ID, _NOT_MODEL)
    model = model if model is not None else _find(header, _MODEL, _NOT_MODEL)
    retirement = _find(header, _RETIREMENT, _NOT_RETIREMENT)
    retirement = retirement if retirement is not None else _find(header, _DEPRECATION, _NOT_RETIREMENT)
    if model is None or retirement is None:
        return []  # pricing, features, a catalogue without dates: nothing about retirement
    announced = _find(header, _ANNOUNCED, _NOT_ANNOUNCED, skip=retirement)
    replacement = _find(header, _REPLACEMENTS, _NOT_REPLACEMENTS)
    state = _find(header, _STATUS, _NOT_STATUS)
    rows = []
    for row in table.rows:
        if model >= len(row) or not (ids := [i for i in cell_ids(row[model]) if not is_empty(i)]):
            continue
        shutdown, qualifier = parse_shutdown(text_at(row, retirement))
        stated = text_at(row, state)
        status = (status_in(stated) or (ModelStatus.ACTIVE if _LIVE.search(stated) else None) or section
                  or (ModelStatus.DEPRECATED if qualifier == ShutdownQualifier.FIRM else None))
        if status is None:
            continue  # no state and no firm date: the page does not say this model is going away
        replacements = cell_ids(row[replacement], leading=False) if replacement is not None and replacement < len(
            row) else ()
        rows += [DeprecationRow(vendor, "api", model_id, status,
                                announced=parse_date(text_at(row, announced)),
                                shutdown=shutdown, shutdown_qualifier=qualifier,
                                replacements=tuple(r for r in replacements if r != model_id and not is_empty(r)),
                                url=url)
                 for model_id in ids]
    return rows
