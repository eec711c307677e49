"""Approved testimonies, as their consent at one moment allows, become a `Statement`: counts with small
cells suppressed, and the passages that may be quoted. The rules, in one place:

- only approved testimonies given by the snapshot (`Options.generated_at`) count; pending, rejected and
  hidden ones are not there at all; withdrawn ones are counted as withdrawn, never with anything of theirs;
- the consent that counts is the latest record made at or before the snapshot;
- a passage is quoted only at consent 1 or 2, with the display name only at 2, and a passage that mentions
  health or disability only when the person also said yes to that."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace

from bot.domain import ConsentLevel, TestimonyStatus
from bot.statements import analysis
from bot.statements.bulk import paused_collector
from bot.statements.model import Counts, CountTable, Filters, Included, Options, Quote, Statement
from bot.statements.themes import find_themes
from bot.store import Store
from bot.store.testimonies import SnapshotTestimony
from bot.watch import models as model_names

UNKNOWN = "unknown"


async def build_statement(store: Store, filters: Filters, options: Options, *, themes: bool = False) -> Statement:
    """The statement for `filters` as the database stands, with consent as it stood at
    `options.generated_at`. The counting, which grows with the number of testimonies, runs on a worker thread.
    With `themes`, the themes are found (`bot.statements.themes`) from the same rows, so they describe exactly
    the testimonies the statement counts."""
    rows = await snapshot(store, filters, options)
    statement = await asyncio.to_thread(assemble, rows, filters, options)
    if themes:
        words = await asyncio.to_thread(theme_words, rows, statement)
        del rows  # a large statement's rows, gone before the themes need their memory
        statement = replace(statement, themes=await find_themes(statement, words))
    return statement


async def snapshot(store: Store, filters: Filters, options: Options) -> list[SnapshotTestimony]:
    """The rows a statement is made of, in one query, each with its text's analysis (`bot.statements.analysis`):
    those missing or made by older rules are made now, on a worker thread, and kept for the next export."""
    with paused_collector():
        rows = await store.testimonies.for_statement(
            options.generated_at, community_id=filters.community_id, campaign=filters.campaign,
            since=filters.since, until=filters.until, language=filters.language)
        rows, made = await asyncio.to_thread(analysis.complete, rows)
    await store.testimonies.keep_analyses(made)
    return rows


@paused_collector()
def theme_words(rows: Iterable[SnapshotTestimony], statement: Statement) -> dict[str, tuple[str, ...]]:
    """The words of each passage of each testimony `statement` counts, by receipt, for finding themes and
    nothing else.

    `Included` holds no text on purpose: a renderer can only show what was already judged quotable. Themes
    need every counted testimony's words (consent 0 too: they shape the themes' sizes), so they get them here,
    from the statement's own rows, and `find_themes` shows of them only the statement's quotes and words
    those quotes share. Never hand this mapping to a renderer."""
    counted = {item.receipt for item in statement.included}
    return {row.testimony.receipt: tuple(passage.words for passage in analysis.of(row)) for row in rows
            if row.testimony.receipt in counted and row.testimony.meaning}


@paused_collector()
def assemble(rows: Iterable[SnapshotTestimony], filters: Filters, options: Options) -> Statement:
    """The statement from rows the store already narrowed by community, campaign, dates and language. Pure:
    the same rows and options give the same statement."""
    included: list[Included] = []
    authors: dict[str, int] = {}  # pseudonym → its number in this statement, never derived from the pseudonym
    withdrawn = 0
    for row in rows:
        testimony = row.testimony
        if testimony.status == TestimonyStatus.WITHDRAWN:
            withdrawn += 1
            continue
        if testimony.status != TestimonyStatus.APPROVED or testimony.consent is None:
            continue  # a testimony with no consent on record by the snapshot cannot be counted on
        if filters.models and not any(model_names.matches(query, model)
                                      for query in filters.models for model in testimony.models):
            continue
        participant = authors.setdefault(testimony.author, len(authors) + 1)
        included.append(_included(row, options, participant))
    quotes = tuple(quote for item in included for quote in item.passages)
    return Statement(filters=filters, options=options, included=tuple(included), total=len(included),
                     participants=len(authors), withdrawn=withdrawn, counts=count(included, options.threshold),
                     quotes=quotes)


def _included(row: SnapshotTestimony, options: Options, participant: int) -> Included:
    testimony = row.testimony
    consent = testimony.consent
    assert consent is not None
    language = testimony.language or UNKNOWN
    return Included(
        receipt=testimony.receipt, created_at=testimony.created_at, community=row.community,
        platform=testimony.platform, models=testimony.models, uses=testimony.uses, asks=testimony.asks,
        language=language, consent=consent.level, health=consent.health,
        passages=quotable(row, language), participant=participant)


def quotable(row: SnapshotTestimony, language: str) -> tuple[Quote, ...]:
    """The passages of a testimony its consent at the snapshot lets a statement quote."""
    testimony = row.testimony
    consent = testimony.consent
    if consent is None or consent.level < ConsentLevel.ANONYMOUS or not testimony.meaning:
        return ()
    name = (testimony.display_name or None) if consent.level == ConsentLevel.NAMED else None
    return tuple(Quote(testimony.receipt, passage.text, name, language, testimony.models, index)
                 for index, passage in enumerate(analysis.of(row)) if consent.health or not passage.health)


def count(included: list[Included], threshold: int) -> Counts:
    def table(name: str, values: Iterable[Iterable[str]]) -> CountTable:
        # a testimony counts once per value, however often it names it
        return suppress(name, Counter(value for each in values for value in set(each)), threshold)

    def partition(name: str, values: Iterable[str]) -> CountTable:
        # one value per testimony: the cells add up to the total
        return suppress(name, Counter(values), threshold, partition=True)

    return Counts(
        by_model=table("model", (item.models for item in included)),
        by_use=table("use", (item.uses for item in included)),
        by_ask=table("ask", (item.asks for item in included)),
        by_language=partition("language", (item.language for item in included)),
        by_platform=partition("platform", (item.platform for item in included)),
        by_community=partition("community", (item.community for item in included)),
        by_month=partition("month", (item.month for item in included)),
        by_consent=partition("consent", (str(int(item.consent)) for item in included)),
    )


def suppress(name: str, counter: Counter[str], threshold: int, *, partition: bool = False) -> CountTable:
    """The table without its cells under `threshold`. In a table whose cells add up to the total (each
    testimony in exactly one cell), a single suppressed cell could be recovered as the total minus the
    others, so the smallest shown cell is suppressed with it."""
    hidden = {value for value, n in counter.items() if n < threshold}
    secondary = 0
    if partition and len(hidden) == 1 and len(counter) > 1:
        shown = sorted((n, value) for value, n in counter.items() if value not in hidden)
        hidden.add(shown[0][1])
        secondary = 1
    cells = tuple(sorted((value, n) for value, n in counter.items() if value not in hidden))
    return CountTable(name, cells, len(hidden), secondary)
