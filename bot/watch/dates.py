"""Dates as vendors write them: ISO, `Jan 20, 2027`, `October 23, 2026`, US `5/22/2026`, `August 2026`,
hyphens that are not hyphens, and qualifiers such as `Not sooner than …` or `No shutdown date announced`.

One place for these rules, so every extractor reads a date the same way.
"""

from __future__ import annotations

import re
from datetime import date, datetime

import dateparser
from dateparser.search import search_dates

from bot.domain import ModelStatus, ShutdownQualifier

# Non-breaking hyphen, figure dash, en dash, minus … all appear inside dates on real pages.
_DASHES = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2212": "-",
                         "\u00a0": " ", "\u202f": " ", "\u2009": " "})
_FOOTNOTE = re.compile(r"(\[\^?\d+\]|[*†‡§¹²³⁴⁵⁶⁷⁸⁹⁰]+)")
_ISO = re.compile(r"\b(\d{4})[-.](\d{1,2})[-.](\d{1,2})\b")  # also Xiaomi's "2026.6.30"
_US = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})\b")  # Groq writes "08/16/26": two digits mean 20xx
_PARENTHESIS = re.compile(r"\([^()]*\)")  # "Mar 1, 2026 (us-east-1 and us-west-2)": a remark, not the date
_EARLIEST = re.compile(r"\b(no|not)\s+(earlier|sooner)\s+than\b|\bat\s+the\s+earliest\b|\bearliest\b|\bor\s+later\b",
                       re.I)
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|"
          r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
# A full date in English prose, by its shape: "June 26, 2025", "April 4th, 2026", "26 June 2025", ISO, US.
_PROSE_DATE = re.compile(rf"\b(?:{_MONTH}\s+{_DAY},?\s+\d{{4}}|{_DAY}\s+(?:of\s+)?{_MONTH},?\s+\d{{4}}|"
                         r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}/\d{4})\b", re.I)
_MONTH_DAY = re.compile(rf"\b({_MONTH})\s+({_DAY})\b", re.I)
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
        year = int(match[3]) + (2000 if len(match[3]) == 2 else 0)
        return _safe_date(year, int(match[1]), int(match[2]))
    text = _EARLIEST.sub(" ", text).strip(" :,.")
    if re.search(r"\d{4}", outside := _PARENTHESIS.sub(" ", text)):
        text = outside.strip(" :,.")  # only when a year stays outside it: the date is not in the remark
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


def status_on(stated: ModelStatus, shutdown: date | None, qualifier: ShutdownQualifier,
              as_of: date | None) -> ModelStatus:
    """The one rule that makes a row retired: the page says so in words for that row (`stated` is RETIRED: a
    status cell, "was retired on …"), or its firm shutdown date is on or before `as_of`, the day the copy was
    fetched. Otherwise the row keeps what its page states (active, legacy, deprecated).

    Nothing else retires a model, because a false "retired" is the worst notice the bot can post: not a
    "Past deprecations" or "Retired models" heading (vendors file rows there weeks ahead), not the newest date
    on the page (a newly listed model with a later date would flip unchanged rows), and not a "not sooner
    than" date passing (it says the model may now go, not that it went). Without `as_of` only words retire."""
    if stated == ModelStatus.RETIRED or as_of is None or shutdown is None or qualifier != ShutdownQualifier.FIRM:
        return stated
    return ModelStatus.RETIRED if shutdown <= as_of else stated


def find_dates(prose: str, languages: list[str] | None = None) -> list[tuple[str, date]]:
    """Every full date (day, month and year) named in a piece of prose, in order: for release notes.

    English dates are found by their shape: dateparser's search also reads "now" or "in one week" as a date
    (today's), and misses some dates beside id-like words ("`…-preview-05-06` … on June 26, 2025")."""
    if languages and languages != ["en"]:
        found = search_dates(clean(prose), languages=languages,
                             settings={**_SETTINGS, "REQUIRE_PARTS": ["day", "month", "year"]}) or []
        return [(text, value.date()) for text, value in found
                if isinstance(value, datetime) and re.search(r"\d{4}", text)]  # a year is named, not relative
    return [(match[0], value) for match in _PROSE_DATE.finditer(clean(prose)) if (value := parse_date(match[0]))]


def parse_month_day(text: str | None, after: date) -> date | None:
    """A day and month without a year ("November 12:", "December 2nd"), as in a list under a dated release
    note: the first such day on or after `after`."""
    match = _MONTH_DAY.search(clean(text or ""))
    if match is None:
        return None
    month = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec").index(
        match[1][:3].lower()) + 1
    day = int(re.sub(r"\D", "", match[2]))
    for year in (after.year, after.year + 1):
        found = _safe_date(year, month, day)
        if found is not None and found >= after:
            return found
    return None


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None
