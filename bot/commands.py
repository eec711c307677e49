"""The commands Continuity answers, defined once: help text, Telegram's command menu and the console
read this list; Discord's cogs take their descriptions from it."""

from __future__ import annotations

from dataclasses import dataclass

from bot.i18n import N_


@dataclass(frozen=True, slots=True)
class CommandInfo:
    name: str
    description: str  # an English msgid, translated where it is shown
    usage: str = ""
    moderator_only: bool = False


COMMANDS: tuple[CommandInfo, ...] = (
    CommandInfo("help", N_("Show what Continuity can do and how to use it.")),
    CommandInfo("about", N_("What Continuity is, its version and where its code lives.")),
    CommandInfo("privacy", N_("What Continuity stores about you and how to remove it.")),
    CommandInfo("language", N_("Choose the language Continuity answers you in."),
                usage="[en|es|ja|zh_Hans|auto]"),
)

BY_NAME = {command.name: command for command in COMMANDS}
