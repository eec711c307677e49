"""Dates as vendors write them: ISO, `Jan 20, 2027`, `October 23, 2026`, US `5/22/2026`, `August 2026`,
hyphens that are not hyphens, and qualifiers such as `Not sooner than …` or `No shutdown date announced`.

One place for these rules, so every extractor reads a date the same way.
"""

from __future__ import annotations

import re
from datetime import date, datetime

import dateparser
from dateparser.search import search_dates

from bot.domain import ShutdownQualifier

# Non-breaking hyphen, figure dash, en dash, minus … all appear inside dates on real pages.
_DASHES = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2212": "-",
                         "\u00a0": " ", "\u202f": " ", "\u2009": " "})
_FOOTNOTE = re.compile(r"(\[\^?\d+\]|[*†‡§¹²³⁴⁵⁶⁷⁸⁹⁰]+)")
_ISO = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_US = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")
_EARLIEST = re.compile(r"\b(no|not)\s+(earlier|sooner)\s+than\b|\bat\s+the\s+earliest\b|\bearliest\b", re.I)
_SETTINGS = {"DATE_ORDER": "MDY", "PREFER_DAY_OF_MONTH": "first", "RETURN_AS_TIMEZONE_AWARE": False,
             "REQUIRE_PARTS": ["month", "year"]}


def clean(text: str) -> str:
    """Text with odd dashes and spaces made plain and footnote marks removed."""
    return _FOOTNOTE.sub("", text.translate(_DASHES)).strip()


def parse_date(text: str | None) -> date | None:
    """The date in a short text such as a table cell, or None. A month without a day means its first day."""
    if not text:
        return None
    text = clean(text)
    if match := _ISO.search(text):
        return _safe_date(int(match[1]), int(match[2]), int(match[3]))
    if match := _US.search(text):
        return _safe_date(int(match[3]), int(match[1]), int(match[2]))
    text = _EARLIEST.sub(" ", text).strip(" :,.")
    if not text or not re.search(r"\d{4}", text):
        return None
    parsed = dateparser.parse(text, languages=["en"], settings=_SETTINGS)
    return parsed.date() if parsed else None


def parse_shutdown(text: str | None) -> tuple[date | None, ShutdownQualifier]:
    """A shutdown cell: the date and how firm it is. No date at all ("No shutdown date announced",
    "Coming soon", "N/A", "—") is TBD."""
    found = parse_date(text)
    if found is None:
        return None, ShutdownQualifier.TBD
    return found, ShutdownQualifier.EARLIEST if _EARLIEST.search(text or "") else ShutdownQualifier.FIRM


def find_dates(prose: str, languages: list[str] | None = None) -> list[tuple[str, date]]:
    """Every full date (day, month and year) named in a piece of prose, in order: for release notes."""
    found = search_dates(clean(prose), languages=languages or ["en"],
                         settings={**_SETTINGS, "REQUIRE_PARTS": ["day", "month", "year"]}) or []
    return [(text, value.date()) for text, value in found if isinstance(value, datetime)]


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None
