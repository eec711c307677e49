"""/help, /about and /privacy: the same answers on every front door."""

from __future__ import annotations

from bot import HOMEPAGE, __version__
from bot.commands import COMMANDS, TOP_LEVEL
from bot.i18n import _
from bot.presentation import Actor, Message, MessageField


class GeneralService:
    def help(self, actor: Actor) -> Message:
        fields = []
        for top in TOP_LEVEL:
            commands = [c for c in COMMANDS if c.top == top.name and actor.platform not in c.not_on
                        and (actor.is_moderator or not c.moderators)]
            if len(commands) == 1 and commands[0].path == top.name:
                fields.append(MessageField(commands[0].shown_usage(), _(top.description)))
            elif commands:
                lines = [f"{c.shown_usage()}: {_(c.description)}" for c in commands]
                fields.append(MessageField(f"/{top.name}: {_(top.description)}", "\n".join(lines)))
        return Message(
            title=_("Continuity: help"),
            body=_("Continuity watches for AI model retirements, alerts this community, and helps members "
                   "speak with one voice. These are the commands you can use:"),
            fields=tuple(fields),
            footer=_("Answers come in your language; change it with /language."),
        )

    def about(self, actor: Actor) -> Message:
        return Message(
            title=_("About Continuity"),
            body=_("Continuity is an open-source bot for communities of people who depend on particular AI "
                   "models. It watches vendors' retirement notices, alerts communities before models go "
                   "away, and collects testimonies into statements that moderators can send where it "
                   "counts."),
            fields=(
                MessageField(_("Version"), __version__, inline=True),
                MessageField(_("License"), "AGPL-3.0-or-later", inline=True),
                MessageField(_("Source code"), HOMEPAGE),
            ),
        )

    def privacy(self, actor: Actor) -> Message:
        return Message(
            title=_("Privacy"),
            body=_("Continuity keeps as little about you as it can, and only for what you use."),
            fields=(
                MessageField(_("Who you are"), _(
                    "You are stored under a pseudonym made from your account id with this instance's secret "
                    "key. Your name and messages are not stored, and your account id only while you receive "
                    "direct messages.")),
                MessageField(_("What is stored"), _(
                    "Your language choice, if you set one with /language. If you turn on direct messages with "
                    "/alerts ping on: your account id (it is the address) and the models you chose. If you give a "
                    "testimony with /testify: what you wrote (e-mail addresses, phone numbers and handles removed), "
                    "your consent choices, and, until its review is decided, your account id so you can be told "
                    "the outcome.")),
                MessageField(_("Logs"), _("Logs never contain message text or tokens.")),
                MessageField(_("Removing it"), _(
                    "/mydata sends you a file with everything stored about you; /mydata delete removes all of it. "
                    "/withdraw removes one testimony's words. /language auto removes your language choice, and "
                    "/alerts ping off stops direct messages and deletes your account id.")),
                MessageField(_("Who runs this"), _(
                    "This Continuity instance is run by the people who host it, usually this community's "
                    "moderators. Ask them about anything stored here.")),
            ),
        )
