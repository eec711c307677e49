"""The commands Continuity answers, defined once: help text, Telegram's command menu and the console
read this list; Discord's cogs take their descriptions from it."""

from __future__ import annotations

from dataclasses import dataclass

from bot.i18n import N_, NC_


@dataclass(frozen=True, slots=True)
class CommandInfo:
    name: str  # English; Discord shows a translated name (msgctxt "command"), Telegram cannot
    description: str  # an English msgid, translated where it is shown
    usage: str = ""
    moderator_only: bool = False


COMMANDS: tuple[CommandInfo, ...] = (
    CommandInfo(NC_("command", "help"), N_("Show what Continuity can do and how to use it.")),
    CommandInfo(NC_("command", "about"), N_("What Continuity is, its version and where its code lives.")),
    CommandInfo(NC_("command", "privacy"), N_("What Continuity stores about you and how to remove it.")),
    CommandInfo(NC_("command", "language"), N_("Choose the language Continuity answers you in."),
                usage="[en|es|ja|zh_Hans|auto]"),
    CommandInfo(NC_("command", "deprecations"), N_("Upcoming model retirements, soonest first."),
                usage="[model or vendor]"),
    CommandInfo(NC_("command", "sources"), N_("The pages and feeds this community watches (moderators manage them)."),
                usage="[list | add <address> [category] | remove <number> | check <number>]"),
    CommandInfo(NC_("command", "survey"), N_("Report a vendor survey; moderators review reports."),
                usage="report <address> [deadline] [note] | review [<number> approve|reject]"),
    CommandInfo(NC_("command", "alerts"), N_("Where notices are posted, and direct messages for you."),
                usage="[list | subscribe [categories] [vendors] [models] [hourly|daily] | unsubscribe | test | "
                      "resume [number] | ping on [models] [daily] | ping off]"),
    CommandInfo(NC_("command", "notice"), N_("Post a notice to this community's alert channels (moderators)."),
                usage="post title | text | link | models | deadline", moderator_only=True),
)

BY_NAME = {command.name: command for command in COMMANDS}
