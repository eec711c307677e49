"""Retirement rows for the /deprecations tests on every front door."""

from __future__ import annotations

from datetime import date, timedelta

from bot.domain import DeprecationRow, ModelStatus, ShutdownQualifier

SOON = date.today() + timedelta(days=40)


def upcoming_rows() -> list[DeprecationRow]:
    firm = ShutdownQualifier.FIRM
    return [DeprecationRow("openai", "api", "gpt-4o-2024-05-13", ModelStatus.DEPRECATED, shutdown=SOON,
                           shutdown_qualifier=firm, replacements=("gpt-5.6-sol",)),
            DeprecationRow("openai", "chatgpt", "chatgpt-4o-latest", ModelStatus.DEPRECATED, shutdown=SOON,
                           shutdown_qualifier=firm),
            DeprecationRow("anthropic", "api", "claude-3-haiku-20240307", ModelStatus.DEPRECATED, shutdown=SOON,
                           shutdown_qualifier=firm)]
