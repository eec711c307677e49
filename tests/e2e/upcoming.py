"""Retirement rows for the /deprecations tests on every front door."""

from __future__ import annotations

from datetime import date, timedelta

from bot.domain import Category, DeprecationRow, ModelStatus, ShutdownQualifier, Source, SourceKind
from bot.store import Store

SOON = date.today() + timedelta(days=40)


def upcoming_rows() -> list[DeprecationRow]:
    firm = ShutdownQualifier.FIRM
    return [DeprecationRow("openai", "api", "gpt-4o-2024-05-13", ModelStatus.DEPRECATED, shutdown=SOON,
                           shutdown_qualifier=firm, replacements=("gpt-5.6-sol",)),
            DeprecationRow("openai", "chatgpt", "chatgpt-4o-latest", ModelStatus.DEPRECATED, shutdown=SOON,
                           shutdown_qualifier=firm),
            DeprecationRow("anthropic", "api", "claude-3-haiku-20240307", ModelStatus.DEPRECATED, shutdown=SOON,
                           shutdown_qualifier=firm)]


async def state_as_builtin(store: Store, rows: list[DeprecationRow]) -> int:
    """Store `rows` as a built-in vendor page states them (every community reads the catalogue's word);
    the page is never fetched. Returns its source id."""
    await store.sources.upsert_builtin(Source(0, SourceKind.PAGE, Category.DEPRECATION, "https://vendor.example/dep",
                                              "Vendor deprecations", family="generic", catalog_key="test-vendor"))
    source = next(s for s in await store.sources.list_sources() if s.catalog_key == "test-vendor")
    await store.deprecations.upsert_rows(rows, source.id)
    return source.id
