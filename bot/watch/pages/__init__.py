"""One extractor per vendor page family. Each module has `extract(document, url) -> list[DeprecationRow]`
and reads the HTML and the Markdown copies of its pages alike (see `bot.watch.document`).

An extractor states a row's status only as the page words it for that row (a status cell, "was retired on
…", a lifecycle the family distinguishes: active, legacy, deprecated); it never knows the day. Whether a
date has passed is decided once, here, against the day the copy was fetched (`dates.status_on`)."""

from __future__ import annotations

import importlib
import inspect
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from urllib.parse import urlsplit

from bot.domain import DeprecationRow
from bot.errors import UserError
from bot.i18n import N_
from bot.watch.dates import status_on
from bot.watch.document import Document, parse_document
from bot.watch.visible import visible

Extractor = Callable[[Document, str | None], list[DeprecationRow]]

# family -> (module, pattern of `host/path` that identifies its pages). The pattern is matched from the start of
# the address's own host (or a subdomain of it) and never against its query or fragment, so an address that merely
# mentions a vendor (`https://evil.example/?x=platform.openai.com`, `https://platform.openai.com.evil.example/`) is
# not that vendor's page.
FAMILIES: dict[str, tuple[str, str]] = {
    "openai": ("bot.watch.pages.openai", r"(platform|developers)\.openai\.com/.*deprecations"),
    "anthropic": ("bot.watch.pages.anthropic",
                  r"(docs\.anthropic\.com|platform\.claude\.com|docs\.claude\.com)/.*deprecations"),
    "gemini": ("bot.watch.pages.gemini", r"ai\.google\.dev/.*(deprecations|changelog)"),
    "vertex": ("bot.watch.pages.vertex", r"cloud\.google\.com/.*model-versions"),
    "azure": ("bot.watch.pages.azure",
              r"(learn\.microsoft\.com|(raw\.githubusercontent|github)\.com/MicrosoftDocs)/.*(retirement|lifecycle)"),
    "bedrock": ("bot.watch.pages.bedrock", r"docs\.aws\.amazon\.com/bedrock/.*model-lifecycle"),
    "mistral": ("bot.watch.pages.mistral", r"docs\.mistral\.ai/.*(models|deprecation)"),
    "cohere": ("bot.watch.pages.cohere", r"docs\.cohere\.com/.*(deprecations|models)"),
    "groq": ("bot.watch.pages.groq", r"console\.groq\.com/docs/deprecations"),
    "xai": ("bot.watch.pages.xai", r"docs\.x\.ai/"),
    "release-notes": ("bot.watch.pages.release_notes",
                      r"help\.openai\.com/.*release-notes|support\.(anthropic|claude)\.com/.*release-notes|"
                      r"gemini\.google/.*release"),
    "generic": ("bot.watch.pages.generic", r"(?!x)x"),  # never recognised: named, or the fallback of extract_page
}


class UnknownPageFamily(UserError):
    def __init__(self, hint: str) -> None:
        super().__init__(N_("No extractor knows the page {page}. Name one with --vendor: {families}."),
                         page=hint[:200], families=", ".join(sorted(FAMILIES)))


def family_for(url: str | None, vendor: str | None = None) -> str:
    if vendor:
        if vendor not in FAMILIES:
            raise UnknownPageFamily(vendor)
        return vendor
    where = _host_and_path(url)
    for family, (_module, pattern) in FAMILIES.items():
        if where and re.match(rf"(?:[^/]+\.)?(?:{pattern})", where, re.I):
            return family
    raise UnknownPageFamily(url or "?")


def _host_and_path(url: str | None) -> str | None:
    """`host/path` of a web address (no credentials, port, query or fragment), or None for anything else."""
    try:
        parts = urlsplit((url or "").strip())
        host = parts.hostname
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    return f"{host.rstrip('.')}{parts.path or '/'}"


def extractor(family: str) -> Extractor:
    return importlib.import_module(FAMILIES[family][0]).extract  # type: ignore[no-any-return]


def extract_page(text: str, *, url: str | None = None, vendor: str | None = None,
                 as_of: date | None = None) -> list[DeprecationRow]:
    """Rows from one copy of a vendor page, as of `as_of`, the day the copy was fetched (None: not known, so
    only the page's words retire a model). The family comes from `vendor` or is recognised by `url`, and a page
    no family recognises is read by the generic extractor (its retirement tables, if any). A family whose
    `extract` takes `as_of` gets it too (release notes: a "retiring on" date in prose is read against it)."""
    extract = extractor(reader_for(url, vendor))
    text = visible(text)
    if as_of is not None and "as_of" in inspect.signature(extract).parameters:
        rows = extract(parse_document(text), url, as_of=as_of)  # type: ignore[call-arg]
    else:
        rows = extract(parse_document(text), url)
    return [_as_of(row, as_of) for row in rows]


def _as_of(row: DeprecationRow, as_of: date | None) -> DeprecationRow:
    status = status_on(row.status, row.shutdown, row.shutdown_qualifier, as_of)
    return row if status == row.status else replace(row, status=status)


def reader_for(url: str | None, vendor: str | None = None) -> str:
    """The family whose extractor reads a page: `vendor`, else the one its address names, else generic."""
    try:
        return family_for(url, vendor)
    except UnknownPageFamily:
        if vendor:
            raise
        return "generic"


# A page of prose release notes may rightly name no retirement: finding none there says nothing about the family.
MAY_BE_EMPTY = frozenset({"release-notes"})


def nothing_found(text: str, url: str | None, vendor: str | None) -> tuple[str | None, str | None]:
    """For a page its reader found no model on: that family and the family whose reader finds the most there
    (None if none does), so a moderator can be told which kind of page it is; (None, None) when an empty
    answer is normal for the family."""
    family = reader_for(url, vendor)
    if family in MAY_BE_EMPTY:
        return None, None
    found = {}
    for other in FAMILIES:
        if other in (family, *MAY_BE_EMPTY):
            continue
        try:
            found[other] = len(extractor(other)(parse_document(text), url))
        except Exception:  # nosec B112 # a reader meeting a page not of its kind may fail: not the one
            continue
    best = max(found, key=lambda f: (found[f], f == "generic"), default=None)  # a tie: generic, made for any page
    return family, best if best and found[best] else None
