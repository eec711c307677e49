"""Plain data every layer shares. No I/O, no platform imports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class PlatformName(StrEnum):
    DISCORD = "discord"
    TELEGRAM = "telegram"
    CONSOLE = "console"


class Severity(StrEnum):
    """How loudly a message should look; renderers map it to colour or an emoji."""

    INFO = "info"
    SUCCESS = "success"
    WARNING = "warning"
    CRITICAL = "critical"


@dataclass(frozen=True, slots=True)
class Community:
    """A Discord server, a Telegram chat, or the local console: where people and settings live."""

    id: int
    platform: PlatformName
    external_id: str
    name: str
    locale: str | None = None
    moderator_role: str | None = None


@dataclass(frozen=True, slots=True)
class PersonPreferences:
    """What a person chose for themselves, keyed by pseudonym, never by platform id."""

    pseudonym: str
    locale: str | None = None


class ModelStatus(StrEnum):
    ACTIVE = "active"
    LEGACY = "legacy"
    DEPRECATED = "deprecated"
    RETIRED = "retired"


class ShutdownQualifier(StrEnum):
    """How sure a shutdown date is: a firm date, an earliest date ("not sooner than"), or none yet."""

    FIRM = "firm"
    EARLIEST = "earliest"
    TBD = "tbd"


@dataclass(frozen=True, slots=True)
class DeprecationRow:
    """One model on one platform as a vendor page states it on one day."""

    vendor: str                    # "openai", "anthropic", "google", "azure", "bedrock", …
    platform: str                  # "api", "chatgpt", "claude.ai", "gemini-app", "vertex", "bedrock", "azure"
    model: str                     # the model id as the vendor writes it, e.g. "gpt-4o-2024-05-13"
    status: ModelStatus
    version: str | None = None     # a version or region qualifier where the page has one
    announced: date | None = None  # when the deprecation was announced (or the model became legacy)
    shutdown: date | None = None
    shutdown_qualifier: ShutdownQualifier = ShutdownQualifier.TBD
    replacements: tuple[str, ...] = ()
    url: str | None = None         # link to the entry, with an anchor where the page has one

    @property
    def key(self) -> tuple[str, str, str, str]:
        """What identifies the row across snapshots: the same model on the same platform."""
        return (self.vendor, self.platform, self.model.lower(), (self.version or "").lower())

    def to_json(self) -> dict[str, object]:
        return {
            "vendor": self.vendor, "platform": self.platform, "model": self.model, "version": self.version,
            "status": self.status.value,
            "announced": self.announced.isoformat() if self.announced else None,
            "shutdown": self.shutdown.isoformat() if self.shutdown else None,
            "shutdown_qualifier": self.shutdown_qualifier.value,
            "replacements": list(self.replacements), "url": self.url,
        }
