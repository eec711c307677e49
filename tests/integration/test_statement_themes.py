"""Themes through the real store: `build_statement(..., themes=True)` themes exactly what the statement
counts, from the same read, with consent at the snapshot: a testimony withdrawn or still pending is in no
theme, and a count-only one is counted but never quoted."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bench.themes import labelled
from bot.domain import ConsentLevel, PlatformName
from bot.domain import TestimonyStatus as Status
from bot.statements.aggregate import build_statement
from bot.statements.model import Filters, Options
from bot.store.testimonies import Words

START = datetime(2026, 3, 1, tzinfo=UTC)


async def test_build_statement_with_themes(store) -> None:
    repo = store.testimonies
    community = await store.communities.ensure_community(PlatformName.DISCORD, "100", "Alpha server")
    campaign = await repo.default_campaign(community.id, START)
    stored = {}
    for n, (theme, text) in enumerate(labelled()["es"]):
        words = Words(("gpt-4o",), "gpt-4o", (theme,), text, ("keep_access",), f"Persona {n}", "es", "es", {})
        level = ConsentLevel.COUNT_ONLY if n % 4 == 3 else ConsentLevel.ANONYMOUS
        testimony = await repo.add(community.id, campaign.id, f"author-{n}", "discord", words, level, True, "v1",
                                   START + timedelta(minutes=n))
        stored[testimony.receipt] = (n, testimony)
        if n != 5:  # one stays pending
            await repo.review(testimony.id, Status.APPROVED, "mod", None, START + timedelta(hours=1))
    withdrawn = next(t for n, t in stored.values() if n == 9)
    await repo.withdraw(withdrawn.id, START + timedelta(hours=2))

    options = Options(generated_at=START + timedelta(days=1))
    statement = await build_statement(store, Filters(community_id=community.id), options, themes=True)
    plain = await build_statement(store, Filters(community_id=community.id), options)
    assert plain.themes == () and plain.included == statement.included
    assert statement.themes and {theme.language for theme in statement.themes} == {"es"}

    counted = {item.receipt for item in statement.included}
    themed = {receipt for theme in statement.themes for receipt in theme.receipts}
    assert themed <= counted
    pending = next(t for n, t in stored.values() if n == 5)
    assert pending.receipt not in themed and withdrawn.receipt not in themed
    count_only = {t.receipt for n, t in stored.values() if n % 4 == 3}
    assert themed & count_only  # counted in the themes' sizes
    for theme in statement.themes:
        assert all(quote.receipt not in count_only and quote in statement.quotes for quote in theme.quotes)
