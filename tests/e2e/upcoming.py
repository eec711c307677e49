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


async def store_followed_rows(store: Store) -> None:
    """`upcoming_rows()` as stated by a built-in page, which every community follows unless it mutes it."""
    await store.sources.upsert_builtin(Source(id=0, kind=SourceKind.PAGE, category=Category.DEPRECATION,
                                              url="https://vendor.example/deprecations", title="Vendor",
                                              family="openai", catalog_key="test-page"))
    source = next(s for s in await store.sources.list_sources() if s.catalog_key == "test-page")
    await store.deprecations.upsert_rows(upcoming_rows(), source.id)
