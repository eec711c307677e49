"""The built-in sources, read from `catalog.toml` beside this file (data, not code)."""

from __future__ import annotations

import tomllib
from importlib import resources

from bot.domain import Category, Source, SourceKind

_PLATFORMS = {"openai": ("openai", "api"), "anthropic": ("anthropic", "api"), "gemini": ("google", "api"),
              "vertex": ("google", "vertex"), "azure": ("azure", "azure"), "bedrock": ("bedrock", "bedrock"),
              "mistral": ("mistral", "api"), "cohere": ("cohere", "api"), "groq": ("groq", "api"),
              "xai": ("xai", "api")}


def load_catalog() -> list[Source]:
    data = tomllib.loads(resources.files("bot.watch").joinpath("catalog.toml").read_text(encoding="utf-8"))
    sources = []
    for entry in data["source"]:
        vendor, platform = _PLATFORMS.get(entry.get("family", ""), (None, None))
        sources.append(Source(
            id=0, kind=SourceKind(entry["kind"]), category=Category(entry["category"]), url=entry["url"],
            title=entry["title"], family=entry.get("family"), vendor=vendor, platform=platform,
            catalog_key=entry["key"], poll_interval=int(entry.get("poll_interval", 3600)),
        ))
    return sources
