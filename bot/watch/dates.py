"""Dates as vendors write them: ISO, `Jan 20, 2027`, `October 23, 2026`, US `5/22/2026`, `August 2026`,
hyphens that are not hyphens, and qualifiers such as `Not sooner than …` or `No shutdown date announced`.

One place for these rules, so every extractor reads a date the same way.
"""

from __future__ import annotations

import re
from datetime import date, datetime

import dateparser
from babel.dates import format_date, format_skeleton
from dateparser.search import search_dates

from bot.domain import ModelStatus, ShutdownQualifier
from bot.errors import InvalidInput
from bot.i18n import N_

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


# --- dates as people write them: a deadline typed into /survey report or /notice post ------------------

# The locales whose people write a numeric day before the month: 31/12/2026, and 03/04/2026 is 3 April.
# English is written both ways (US and elsewhere), so there the numbers must decide, or the person.
_DAY_FIRST = frozenset({"es"})
_LANGUAGES = {"en": ["en"], "es": ["es", "en"], "ja": ["ja", "en"], "zh_Hans": ["zh", "en"]}
_NUMERIC = re.compile(r"(\d{1,4})[/.-](\d{1,2})(?:[/.-](\d{2}|\d{4}))?")
_CJK = re.compile(r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日?")  # 12月31日, 2026年12月31日
_DATE_LIKE = re.compile(r"\d{1,4}[/.\-年月]\d{1,4}(?:[/.\-月日]\d{0,4})*日?")
_PEOPLE = {"PREFER_DAY_OF_MONTH": "first", "RETURN_AS_TIMEZONE_AWARE": False, "REQUIRE_PARTS": ["day", "month"],
           # Only dates: "in 3 days" or "5 min" are not a deadline someone wrote down.
           "PARSERS": ["absolute-time"], "RELATIVE_BASE": datetime(2000, 1, 1)}  # a leap year: 29 February reads
_UNREADABLE = N_("“{deadline}” is not a date. Write it like 2026-12-31 or {example}.")
DayParts = tuple[int | None, int, int]  # year (None when not written), month, day


def looks_like_date(text: str) -> bool:
    """A word shaped like a date (digits and date separators: `2026-02-30`, `31/12`, `12月31日`)."""
    return bool(_DATE_LIKE.fullmatch(text.strip()))


def date_parts(text: str, locale: str) -> DayParts | None:
    """The year, month and day a person wrote, as people write them in `locale`; None when it is not a date.
    Raises InvalidInput for a date that cannot be (`2026-02-30`) or that reads two ways (`03/04/2026` in
    English), with the form to write instead."""
    text = clean(text)
    if (match := _NUMERIC.fullmatch(text)) and (match[3] or "." not in text):  # "1.5" is a number, not 1 May
        return _numeric_parts(text, match, locale)
    if match := _CJK.fullmatch(text):
        parts = (int(match[1]) if match[1] else None, int(match[2]), int(match[3]))
        return _checked(text, parts, locale)
    if not re.search(r"\d", text):
        return None
    parsed = dateparser.parse(text, languages=_LANGUAGES.get(locale, ["en"]),
                              settings={**_PEOPLE, "DATE_ORDER": "DMY" if locale in _DAY_FIRST else "MDY"})
    if parsed is None:
        return None
    return (parsed.year if re.search(r"\d{4}", text) else None), parsed.month, parsed.day


def check_deadline(text: str, locale: str) -> None:
    """Raise InvalidInput, with the expected form, unless `text` is a date a person could mean."""
    if date_parts(text, locale) is None:
        raise _refusal(_UNREADABLE, text, locale)


def split_deadline(words: list[str], locale: str) -> tuple[str, list[str]]:
    """The deadline at the start of the words typed after an address (`31 de diciembre de 2026 …`) and the
    words after it. A first word shaped like a date is the deadline even when it cannot be read, so that it
    is refused with the expected form instead of silently becoming part of the note."""
    for size in range(min(5, len(words)), 0, -1):
        candidate = " ".join(words[:size])
        try:
            found = date_parts(candidate, locale) is not None
        except InvalidInput:
            found = True  # a date that cannot be: the command refuses it and says why
        if found:
            return candidate, words[size:]
    if words and looks_like_date(words[0]):
        return words[0], words[1:]
    return "", words


def read_deadline(text: str, locale: str, today: date) -> date:
    """The day a person wrote (see `date_parts`); a date without a year is the next such day from `today`.
    Raises InvalidInput, with the expected form, for anything else."""
    parts = date_parts(text, locale)
    if parts is None:
        raise _refusal(_UNREADABLE, text, locale)
    year, month, day = parts
    if year is not None:
        return date(year, month, day)
    for candidate in range(today.year, today.year + 9):  # 29 February comes back within 8 years
        found = _safe_date(candidate, month, day)
        if found is not None and found >= today:
            return found
    raise _refusal(N_("“{deadline}” is not a day of the calendar. Write it like 2026-12-31 or {example}."),
                   text, locale)


def _numeric_parts(text: str, match: re.Match[str], locale: str) -> DayParts:
    first, second, third = match[1], match[2], match[3]
    if len(first) == 4:  # 2026-12-31, 2026/12/31: the year first is read one way only
        if third is None:
            raise _refusal(_UNREADABLE, text, locale)
        return _checked(text, (int(first), int(second), int(third)), locale)
    if len(first) == 3:
        raise _refusal(_UNREADABLE, text, locale)
    a, b = int(first), int(second)
    year = None if third is None else int(third) + (2000 if len(third) == 2 else 0)
    if locale in _DAY_FIRST or (a > 12 >= b):
        day, month = a, b
    elif b > 12 >= a or a == b:
        day, month = b, a
    else:  # both could be the month, and this language does not say which comes first
        one, other = _safe_date(year or 2000, b, a), _safe_date(year or 2000, a, b)
        if one and other:
            raise InvalidInput(N_("“{deadline}” could be {one} or {other}. Write it like 2026-12-31 or {example}."),
                               deadline=text[:30], one=_shown(one, year, locale), other=_shown(other, year, locale),
                               example=_example(locale))
        day, month = a, b
    return _checked(text, (year, month, day), locale)


def _shown(day: date, year: int | None, locale: str) -> str:
    """A day with its month in words, so the two readings of 03/04 cannot be confused."""
    return format_skeleton("yMMMMd" if year else "MMMMd", day, locale=_babel(locale))


def _checked(text: str, parts: DayParts, locale: str) -> DayParts:
    year, month, day = parts
    if _safe_date(year or 2000, month, day) is None:  # 2000 is a leap year: 29/02 without a year can be
        raise _refusal(N_("“{deadline}” is not a day of the calendar. Write it like 2026-12-31 or {example}."),
                       text, locale)
    return parts


def _refusal(message: str, text: str, locale: str) -> InvalidInput:
    return InvalidInput(message, deadline=text[:30], example=_example(locale))


def _example(locale: str) -> str:
    """31 December 2026 as people write it in `locale` (`December 31, 2026`, `31 de diciembre de 2026`)."""
    return format_date(date(2026, 12, 31), "long", locale=_babel(locale))


def _babel(locale: str) -> str:
    return locale if locale in _LANGUAGES else "en"
