"""What the templates see: a statement's facts, each with the receipts that back it, worded in the
statement's language. Everything is computed here so that a template (ours or a moderator's) only places
it; the people's words and names stay data and are escaped when printed (`text.finalize`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date
from functools import cache
from importlib import metadata

from babel import Locale
from babel.dates import format_datetime, format_skeleton

import bot
from bot.statements.model import CountTable, Included, Quote, Statement
from bot.statements.render import labels
from bot.statements.render.common import KINDS, LOCALES
from bot.statements.render.text import Md

CITE_LIMIT = 10       # above it, a claim cites the appendix that lists its receipts
PARTITIONS = ("language", "platform", "community", "month", "consent")
THEME_QUOTES = 2
QUOTES = {"letter": 8, "consultation": 12, "un_portal": 3, "press": 2}
DEFAULT_HOMEPAGE = "https://github.com/continuity-bot/continuity"
LANGUAGE_OF_LOCALE = {"en": "en", "es": "es", "ja": "ja", "zh_Hans": "zh"}


@dataclass(frozen=True, slots=True)
class Row:
    value: str     # the value as stored (a model id, `keep_access`, `2026-03`)
    label: str     # as the statement's language says it
    count: int
    cite: Md


@dataclass(frozen=True, slots=True)
class Table:
    name: str
    title: str
    rows: tuple[Row, ...]
    suppressed: int

    def ranked(self) -> tuple[Row, ...]:
        """Largest first, ties by label."""
        return tuple(sorted(self.rows, key=lambda r: (-r.count, r.label)))


@dataclass(frozen=True, slots=True)
class QuoteView:
    text: str                  # the person's words: data, escaped when printed
    name: str | None           # only at consent 2
    receipt: str
    language: str              # the language's name in the statement's language
    cite: Md


@dataclass(frozen=True, slots=True)
class ThemeView:
    label: str                 # words of the testimonies' own language, as `Theme.label`
    size: int
    cite: Md
    quotes: tuple[QuoteView, ...]


@dataclass(frozen=True, slots=True)
class ThemeGroup:
    language: str              # the language's name in the statement's language
    themes: tuple[ThemeView, ...]


class Later(Sequence):
    """A sequence made when a template first reads it (see `text.LaterMd`)."""

    def __init__(self, make: Callable[[], Iterable]) -> None:
        self._make, self._made = make, None

    def _items(self) -> tuple:
        if self._made is None:
            self._made = tuple(self._make())
        return self._made

    def __getitem__(self, index):
        return self._items()[index]

    def __len__(self) -> int:
        return len(self._items())


def homepage() -> str:
    """The project's link, from the installed package's metadata (pyproject's Homepage)."""
    try:
        for entry in metadata.metadata("continuity-bot").get_all("Project-URL") or []:
            name, _, url = entry.partition(",")
            if name.strip().lower() == "homepage" and url.strip():
                return url.strip()
    except metadata.PackageNotFoundError:
        pass
    return DEFAULT_HOMEPAGE


def check_locale(locale: str) -> str:
    if locale not in LOCALES:
        raise ValueError(f"unknown locale {locale!r}: one of {', '.join(LOCALES)}")
    return locale


class Citer:
    """Citations in one statement's language: the receipts themselves, or the appendix past CITE_LIMIT."""

    def __init__(self, locale: str) -> None:
        self.appendix = labels.APPENDIX[locale]

    def __call__(self, receipts, *, listed: bool = True) -> Md:
        distinct = set(receipts) if listed else ()
        if 0 < len(distinct) <= CITE_LIMIT:
            return Md("[" + ", ".join(sorted(distinct)) + "]")
        return Md(f"[{self.appendix}]")


@cache
def _locale(locale: str) -> Locale:
    return Locale.parse(locale)


def month_label(value: str, locale: str, *, short: bool = False) -> str:
    try:
        year, month = (int(part) for part in value.split("-"))
    except ValueError:
        return value
    return format_skeleton("yMMM" if short else "yMMMM", date(year, month, 1), locale=locale)


def value_label(table: str, value: str, locale: str, *, short: bool = False) -> str:
    if table == "use":
        return labels.USES[locale].get(value, value)
    if table == "ask":
        return labels.ASKS[locale].get(value, value)
    if table == "platform":
        return labels.PLATFORMS[locale].get(value, value)
    if table == "consent":
        return labels.CONSENT[locale].get(value, value)
    if table == "month":
        return month_label(value, locale, short=short)
    if table == "language":
        code = {"zh": "zh_Hans"}.get(value, value)
        return _locale(locale).languages.get(code, value) if value not in ("other", "unknown") else {
            "en": "other", "es": "otro", "ja": "その他", "zh_Hans": "其他"}[locale]
    return value


_VALUES: dict[str, Callable[[Included], Iterable[str]]] = {
    "model": lambda item: item.models, "use": lambda item: item.uses, "ask": lambda item: item.asks,
    "language": lambda item: (item.language,), "platform": lambda item: (item.platform,),
    "community": lambda item: (item.community,),
    "month": lambda item: (item.month,),
    "consent": lambda item: (str(int(item.consent)),)}


def members(statement: Statement, table: str, wanted: set[str]) -> dict[str, list[str]]:
    """Receipts by the value they count under in one table, for the `wanted` values."""
    found: dict[str, list[str]] = {}
    values = _VALUES[table]
    for item in statement.included:
        for value in set(values(item)) & wanted:
            found.setdefault(value, []).append(item.receipt)
    return found


def table_view(statement: Statement, count_table: CountTable, locale: str, cite: Citer) -> Table:
    """A count table as shown. A cell of a table whose cells add up to the total never lists its receipts
    (with all the others listed, the suppressed ones would be the rest): it cites the appendix."""
    listed = count_table.name not in PARTITIONS
    few = {value for value, n in count_table.cells if n <= CITE_LIMIT} if listed else set()
    receipts = members(statement, count_table.name, few) if few else {}  # larger cells cite the appendix
    rows = tuple(Row(value, value_label(count_table.name, value, locale), n,
                     cite(receipts.get(value, ()), listed=listed)) for value, n in count_table.cells)
    return Table(count_table.name, labels.TABLES[locale][count_table.name], rows, count_table.suppressed)


def quote_view(quote: Quote, locale: str, cite: Citer) -> QuoteView:
    return QuoteView(quote.text, quote.display_name, quote.receipt, value_label("language", quote.language, locale),
                     cite([quote.receipt]))


def select_quotes(statement: Statement, kind: str, locale: str, cite: Citer) -> tuple[QuoteView, ...]:
    """At most QUOTES[kind] passages, one per testimony, those in the statement's language first. The
    order is the receipts' (random letters), so no one is favoured for what they wrote."""
    target = LANGUAGE_OF_LOCALE[locale]
    first: dict[str, Quote] = {}
    for quote in statement.quotes:
        first.setdefault(quote.receipt, quote)
    chosen = sorted(first.values(), key=lambda q: (q.language != target, q.receipt))[:QUOTES[kind]]
    return tuple(quote_view(q, locale, cite) for q in chosen)


def theme_groups(statement: Statement, locale: str, cite: Citer) -> tuple[ThemeGroup, ...]:
    """The statement's themes by language, the statement's own language first; each theme with at most
    THEME_QUOTES of its quotes (the most central ones)."""
    target = LANGUAGE_OF_LOCALE[locale]
    by_language: dict[str, list[ThemeView]] = {}
    for theme in statement.themes:
        quotes = tuple(quote_view(q, locale, cite) for q in theme.quotes[:THEME_QUOTES])
        by_language.setdefault(theme.language, []).append(
            ThemeView(theme.label, theme.size, cite(theme.receipts), quotes))
    order = sorted(by_language, key=lambda language: (language != target, language))
    return tuple(ThemeGroup(value_label("language", language, locale), tuple(by_language[language]))
                 for language in order)


def build_context(statement: Statement, kind: str, locale: str) -> dict:
    """Everything a template may print, for `kind` in `locale`."""
    check_locale(locale)
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}: one of {', '.join(KINDS)}")
    cite = Citer(locale)
    all_receipts = [item.receipt for item in statement.included]
    receipts = sorted(all_receipts)
    counts = statement.counts
    tables = {t.name: table_view(statement, t, locale, cite) for t in counts.tables()}
    moments = sorted(item.created_at for item in statement.included)
    filters = statement.filters
    quoted = {q.receipt for q in statement.quotes}
    named = {q.receipt for q in statement.quotes if q.display_name}
    snapshot = statement.generated_at.astimezone(UTC)
    return {
        "kind": kind, "locale": locale, "lang": labels.HTML_LANG[locale],
        "total": statement.total, "participants": statement.participants, "withdrawn": statement.withdrawn,
        "threshold": statement.threshold,
        "snapshot": format_datetime(snapshot, "long", tzinfo=UTC, locale=locale),
        "snapshot_iso": snapshot.strftime("%Y-%m-%d %H:%M UTC"),
        # With no testimony at all, the period is the snapshot's day (a sentence never has a hole in it).
        "first_day": format_skeleton("yMMMMd", moments[0] if moments else snapshot, locale=locale),
        "last_day": format_skeleton("yMMMMd", moments[-1] if moments else snapshot, locale=locale),
        "cite_all": cite(all_receipts), "appendix_name": labels.APPENDIX[locale],
        "tables": tables, "models": tables["model"].ranked(), "uses": tables["use"].ranked(),
        "asks": tables["ask"].ranked(), "communities": tables["community"].ranked(),
        "platforms": tables["platform"].ranked(), "consent": tables["consent"].rows,
        "consent_levels": labels.CONSENT[locale],
        "quotable": len(quoted), "quotable_cite": cite(quoted), "named": len(named), "named_cite": cite(named),
        "quotes": select_quotes(statement, kind, locale, cite),
        "all_quotes": Later(lambda: [quote_view(q, locale, cite)
                                     for q in sorted(statement.quotes, key=lambda q: (q.receipt, q.index))]),
        "theme_groups": theme_groups(statement, locale, cite),
        "filter_campaign": filters.campaign, "filter_models": ", ".join(filters.models),
        "filter_language": value_label("language", filters.language, locale) if filters.language else None,
        "filter_since": format_skeleton("yMMMMd", filters.since, locale=locale) if filters.since else None,
        "filter_until": format_skeleton("yMMMMd", filters.until, locale=locale) if filters.until else None,
        "receipts": receipts, "receipt_list": ", ".join(receipts),
        "homepage": Md(homepage()), "version": Md(bot.__version__),
        "generated_on": format_skeleton("yMMMMd", snapshot, locale=locale),
    }
