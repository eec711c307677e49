"""Every command Continuity answers, defined once: its words, what it does, who may run it and where.

Telegram and the console register from this table; each Discord cog method binds the same handler with
typed options; `/help`, Telegram's menu and the parity test read it. `run` is the one answer path: the
table's rules are checked there, a `UserError` becomes a reply in the person's language, and anything
else a short "something went wrong" (logged with its traceback, never with what the person typed).
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from bot.alerts.commands import parse_notice_post, parse_ping_on, parse_subscribe
from bot.checks import require_community, require_moderator
from bot.domain import PlatformName, Severity
from bot.errors import InvalidInput, UnknownCommand, Usage, UserError
from bot.i18n import N_, NC_, _
from bot.presentation import Actor, Message, Reply
from bot.statements.commands import parse_statement
from bot.testimonies.service import parse_campaign_create, parse_review
from bot.watch.commands import parse_source_add, parse_survey_report, parse_survey_review

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)


class Where(StrEnum):
    ANYWHERE = "anywhere"
    COMMUNITY = "community"  # a server or group
    PRIVATE = "private"      # where only the person sees the answer: a private chat, a Discord ephemeral reply


Parse = Callable[[str], dict[str, Any]]


def no_arguments(args: str) -> dict[str, Any]:
    if args.strip():
        raise Usage
    return {}


def rest_as(name: str) -> Parse:
    return lambda args: {name: args.strip()}


def one_word(name: str, *, optional: bool = False) -> Parse:
    def parse(args: str) -> dict[str, Any]:
        words = args.split()
        if len(words) > 1 or (not words and not optional):
            raise Usage
        return {name: words[0]} if words else {}
    return parse


@dataclass(frozen=True, slots=True)
class Command:
    path: str          # English words: "sources add"; the first is the top-level command
    description: str   # an English msgid
    handler: Callable[[Services], Callable[..., Reply | Awaitable[Reply]]]
    parse: Parse = no_arguments   # the words typed after the path (Telegram, console) -> the handler's options
    usage: str = ""    # an msgid: the words after the path, as shown in /help
    moderators: bool = False
    where: Where = Where.ANYWHERE
    default: bool = False  # what the bare top-level word runs: /sources is /sources list
    not_on: Mapping[PlatformName, str] = field(default_factory=dict)  # front doors without it, and why

    @property
    def top(self) -> str:
        return self.path.split()[0]

    def shown_usage(self) -> str:
        return f"/{self.path} {_(self.usage)}".rstrip() if self.usage else f"/{self.path}"


@dataclass(frozen=True, slots=True)
class TopLevel:
    name: str
    description: str


STATEMENT_USAGE = N_("[format] [template] | [campaign] | [first day] | [last day]")
FORMS_ARE_MODALS = N_("Discord asks forms as modals, which have their own Cancel button.")

TOP_LEVEL: tuple[TopLevel, ...] = (
    TopLevel(NC_("command", "help"), N_("Show what Continuity can do and how to use it.")),
    TopLevel(NC_("command", "about"), N_("What Continuity is, its version and where its code lives.")),
    TopLevel(NC_("command", "privacy"), N_("What Continuity stores about you and how to remove it.")),
    TopLevel(NC_("command", "language"), N_("Choose the language Continuity answers you in.")),
    TopLevel(NC_("command", "deprecations"), N_("Upcoming model retirements, soonest first.")),
    TopLevel(NC_("command", "sources"), N_("The pages and feeds this community watches (moderators manage them).")),
    TopLevel(NC_("command", "survey"), N_("Report a vendor survey; moderators review reports.")),
    TopLevel(NC_("command", "alerts"), N_("Where notices are posted, and direct messages for you.")),
    TopLevel(NC_("command", "notice"), N_("Post a notice to this community's alert channels (moderators).")),
    TopLevel(NC_("command", "testify"), N_("Tell what a model means to you; you choose how it may be quoted.")),
    TopLevel(NC_("command", "mytestimonies"), N_("Your testimonies and where each stands.")),
    TopLevel(NC_("command", "edit"), N_("Change a testimony you gave.")),
    TopLevel(NC_("command", "withdraw"), N_("Withdraw a testimony: its words are deleted.")),
    TopLevel(NC_("command", "mydata"), N_("Everything stored about you, as a file, or delete it all.")),
    TopLevel(NC_("command", "review"), N_("Review this community's testimonies (moderators).")),
    TopLevel(NC_("command", "campaign"), N_("What testimonies are gathered for here.")),
    TopLevel(NC_("command", "statement"), N_("Turn this community's testimonies into a statement (moderators).")),
    TopLevel(NC_("command", "cancel"), N_("Stop the form you are filling in; nothing from it is kept.")),
    TopLevel(NC_("command", "back"), N_("Go back one question in the form you are filling in.")),
)

COMMANDS: tuple[Command, ...] = (
    Command("help", N_("Show what Continuity can do and how to use it."), lambda s: s.general.help),
    Command("about", N_("What Continuity is, its version and where its code lives."), lambda s: s.general.about),
    Command("privacy", N_("What Continuity stores about you and how to remove it."), lambda s: s.general.privacy),
    Command("language", N_("Choose the language Continuity answers you in."), lambda s: s.people.set_language,
            parse=rest_as("choice"), usage=N_("[en|es|ja|zh_Hans|auto]")),
    Command("deprecations list", N_("Upcoming model retirements, soonest first."),
            lambda s: s.watch_commands.deprecations, parse=rest_as("query"), usage=N_("[model or vendor]"),
            default=True),
    Command("deprecations calendar", N_("The upcoming shutdown dates and deadlines as a file for your calendar."),
            lambda s: s.watch_commands.calendar),
    Command("sources list", N_("Show the watched sources."), lambda s: s.watch_commands.list_sources,
            where=Where.COMMUNITY, default=True),
    Command("sources add", N_("Watch a page or feed for this community (moderators)."),
            lambda s: s.watch_commands.add_source, parse=parse_source_add,
            usage=N_("<address> [category] [kind of page]"), moderators=True, where=Where.COMMUNITY),
    Command("sources remove", N_("Stop watching a source here (moderators)."),
            lambda s: s.watch_commands.remove_source, parse=one_word("source_id"), usage=N_("<number>"),
            moderators=True, where=Where.COMMUNITY),
    Command("sources check", N_("Fetch a source now and show what was found (moderators)."),
            lambda s: s.watch_commands.check_source, parse=one_word("source_id"), usage=N_("<number>"),
            moderators=True, where=Where.COMMUNITY),
    Command("survey report", N_("Report a vendor survey or consultation for moderators to share."),
            lambda s: s.watch_commands.report_survey, parse=parse_survey_report,
            usage=N_("[<address> [deadline] [note]]"), where=Where.COMMUNITY),
    Command("survey review", N_("List survey reports, or approve or reject one (moderators)."),
            lambda s: s.watch_commands.review_surveys, parse=parse_survey_review,
            usage=N_("[<number> approve|reject]"), moderators=True, where=Where.COMMUNITY),
    Command("alerts list", N_("This community's subscriptions and your direct messages."),
            lambda s: s.alert_commands.list_alerts, default=True),
    Command("alerts subscribe", N_("Post notices in this channel (moderators)."),
            lambda s: s.alert_commands.subscribe, parse=parse_subscribe,
            usage=N_("[categories] [vendors] [models] [hourly|daily]"), moderators=True, where=Where.COMMUNITY),
    Command("alerts unsubscribe", N_("Stop posting notices in this channel (moderators)."),
            lambda s: s.alert_commands.unsubscribe, moderators=True, where=Where.COMMUNITY),
    Command("alerts test", N_("Post a sample alert in this channel (moderators)."),
            lambda s: s.alert_commands.test, moderators=True, where=Where.COMMUNITY),
    Command("alerts resume", N_("Restart a paused subscription (moderators)."), lambda s: s.alert_commands.resume,
            parse=one_word("number", optional=True), usage=N_("[number]"), moderators=True, where=Where.COMMUNITY),
    Command("alerts ping on", N_("Get alerts in a direct message."), lambda s: s.alert_commands.ping_on,
            parse=parse_ping_on, usage=N_("[models] [daily]")),
    Command("alerts ping off", N_("Stop direct messages and forget your account id."),
            lambda s: s.alert_commands.ping_off),
    Command("notice post", N_("Post a tip, a call to action or a workaround (moderators)."),
            lambda s: s.alert_commands.post_notice, parse=parse_notice_post,
            usage=N_("[title | text | link | models | deadline]"), moderators=True, where=Where.COMMUNITY),
    Command("testify", N_("Tell what a model means to you; you choose how it may be quoted."),
            lambda s: s.testimonies.testify, parse=rest_as("campaign"), usage=N_("[campaign]"),
            where=Where.COMMUNITY),
    Command("mytestimonies", N_("Your testimonies and where each stands."), lambda s: s.testimonies.mine,
            where=Where.PRIVATE),
    Command("edit", N_("Change a testimony you gave."), lambda s: s.testimonies.edit, parse=one_word("receipt"),
            usage=N_("<receipt>"), where=Where.PRIVATE),
    Command("withdraw", N_("Withdraw a testimony: its words are deleted."), lambda s: s.testimonies.withdraw,
            parse=one_word("receipt"), usage=N_("<receipt>"), where=Where.PRIVATE),
    Command("mydata export", N_("Everything stored about you, as a file."), lambda s: s.testimonies.my_data,
            default=True, where=Where.PRIVATE),
    Command("mydata delete", N_("Delete everything stored about you, after you confirm."),
            lambda s: s.testimonies.delete_my_data, where=Where.PRIVATE),
    Command("review", N_("Review this community's testimonies (moderators)."), lambda s: s.testimonies.review,
            parse=parse_review, usage=N_("[<receipt> approve|reject <reason>|hide|block|unblock|withdraw]"),
            moderators=True, where=Where.COMMUNITY),
    Command("campaign list", N_("What testimonies are gathered for here."), lambda s: s.testimonies.list_campaigns,
            where=Where.COMMUNITY, default=True),
    Command("campaign create", N_("Start a campaign of testimonies (moderators)."),
            lambda s: s.testimonies.create_campaign, parse=parse_campaign_create,
            usage=N_("<name> | [description] | [models] | [closing date]"), moderators=True, where=Where.COMMUNITY),
    Command("statement preview", N_("Counts, themes and the first lines of a statement, before exporting it "
                                    "(moderators)."), lambda s: s.statements.preview, parse=parse_statement,
            usage=STATEMENT_USAGE, moderators=True, where=Where.COMMUNITY, default=True),
    Command("statement export", N_("A statement of this community's testimonies as files, for you alone "
                                   "(moderators)."), lambda s: s.statements.export, parse=parse_statement,
            usage=STATEMENT_USAGE, moderators=True, where=Where.COMMUNITY),
    Command("cancel", N_("Stop the form you are filling in; nothing from it is kept."),
            lambda s: s.form_commands.cancel, not_on={PlatformName.DISCORD: FORMS_ARE_MODALS}),
    Command("back", N_("Go back one question in the form you are filling in."), lambda s: s.form_commands.back,
            not_on={PlatformName.DISCORD: FORMS_ARE_MODALS}),
)

BY_PATH = {command.path: command for command in COMMANDS}
TOP_BY_NAME = {top.name: top for top in TOP_LEVEL}


def served_on(platform: PlatformName) -> tuple[Command, ...]:
    return tuple(c for c in COMMANDS if platform not in c.not_on)


def resolve(text: str) -> tuple[Command, str]:
    """The command a typed line names ("sources add https://…", without the slash) and the words after it."""
    words = text.split()
    if not words or not any(c.top == words[0].lower() for c in COMMANDS):
        raise UnknownCommand("/" + (words[0][:40] if words else ""))
    lowered = [w.lower() for w in words]
    candidates = sorted((c for c in COMMANDS if c.top == lowered[0]), key=lambda c: -len(c.path.split()))
    for command in candidates:
        size = len(command.path.split())
        if lowered[:size] == command.path.split():
            return command, " ".join(words[size:])
    default = next((c for c in candidates if c.default), None)
    if default is not None and len(words) == 1:
        return default, ""
    if default is not None and default.parse is not no_arguments:
        # A default that takes words takes them without its own: /deprecations 4o is /deprecations list 4o.
        return default, " ".join(words[1:])
    raise InvalidInput(N_("Use: {usage}."), usage=", ".join(c.shown_usage() for c in reversed(candidates)))


async def run(services: Services, actor: Actor, command: Command, **options: Any) -> Reply:
    """Check the table's rules for `command`, then call its handler. Raises what the handler raises."""
    if command.where == Where.COMMUNITY:
        require_community(actor)
    elif command.where == Where.PRIVATE and not actor.private:
        raise InvalidInput(N_("This is about you alone, so I answer it only in a private chat with me. Send it "
                              "to me there."))
    if command.moderators:
        require_moderator(actor)
    result = command.handler(services)(actor, **options)
    return await result if inspect.isawaitable(result) else result


async def run_text(services: Services, actor: Actor, text: str) -> Reply:
    """A command typed as text (Telegram, the console): its words parsed by the table, then `run`."""
    command, args = resolve(text)
    try:
        options = command.parse(args)
    except Usage:
        raise InvalidInput(N_("Use: {usage}."), usage=command.shown_usage()) from None
    return await run(services, actor, command, **options)


async def answer(call: Callable[[], Awaitable[Reply]], *, what: str) -> Reply:
    """The one place where errors become replies, on every front door. Call it in the person's locale."""
    try:
        return await call()
    except UserError as error:
        return Message(body=error.text(), severity=Severity.WARNING)
    except Exception:
        log.exception("%s failed", what)
        return something_went_wrong()


def something_went_wrong() -> Message:
    return Message(body=_("Something went wrong on our side, and nothing was changed. Please try again later; if "
                          "it keeps happening, tell the moderators."), severity=Severity.CRITICAL)


__all__ = ["BY_PATH", "COMMANDS", "TOP_LEVEL", "Command", "Usage", "Where", "answer", "resolve",
           "run", "run_text", "something_went_wrong"]
