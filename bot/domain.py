"""Plain data every layer shares. No I/O, no platform imports."""

from __future__ import annotations

from dataclasses import dataclass
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
