"""A third-party aggregator feed (deprecations.info) read as rows, so that its items and the vendors' own
pages land on the same rows and one real event is one notice. Its items say, one field per line:
`Provider: OpenAI`, `Model ID: gpt-4o` (`Model:` in early versions), `Deprecation Date: …`,
`Shutdown Date: …`."""

from __future__ import annotations

import re

from bot.domain import DeprecationRow, ModelStatus, ShutdownQualifier
from bot.watch.dates import parse_date

# The aggregator's provider names → our (vendor, platform).
PROVIDERS = {
    "openai": ("openai", "api"), "anthropic": ("anthropic", "api"), "google": ("google", "api"),
    "google vertex": ("google", "vertex"), "vertex": ("google", "vertex"), "azure": ("azure", "azure"),
    "aws bedrock": ("bedrock", "bedrock"), "bedrock": ("bedrock", "bedrock"), "mistral": ("mistral", "api"),
    "cohere": ("cohere", "api"), "groq": ("groq", "api"), "xai": ("xai", "api"),
}
_LABELS = r"Provider|Model ID|Model|Deprecation Date|Shutdown Date|Announcement Date|Replacement Models?"
_FIELD = re.compile(rf"({_LABELS}):\s*(.+?)(?=\s+(?:{_LABELS}|First Observed|Last Observed):|\n|$)", re.I)


def rows_from_item(title: str, summary: str, link: str | None) -> list[DeprecationRow]:
    fields = {name.lower(): value.strip() for name, value in _FIELD.findall(summary)}
    provider = fields.get("provider") or title.partition(":")[0]
    model = (fields.get("model id") or fields.get("model") or title.partition(":")[2]).strip().strip("`")
    mapped = PROVIDERS.get(provider.strip().lower())
    if mapped is None or not model or " " in model:
        return []  # early versions of the feed also list section titles ("Legacy GPT model snapshots")
    shutdown = parse_date(fields.get("shutdown date"))
    replacements = tuple(r.strip() for r in re.split(r"[,;]", fields.get("replacement models", "")) if r.strip())
    return [DeprecationRow(
        vendor=mapped[0], platform=mapped[1], model=model, status=ModelStatus.DEPRECATED,
        announced=parse_date(fields.get("deprecation date") or fields.get("announcement date")),
        shutdown=shutdown, shutdown_qualifier=ShutdownQualifier.FIRM if shutdown else ShutdownQualifier.TBD,
        replacements=replacements, url=link,
    )]
