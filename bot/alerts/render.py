"""How an alert reads: one notice as its own message, or several bundled into a digest, in the
target's language, mentioning only the role the subscription names."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from bot.domain import Notice, Severity
from bot.i18n import _, _n, use_locale
from bot.presentation import Message, MessageField
from bot.watch.wording import notice_message

_SEVERITY_ORDER = (Severity.INFO, Severity.SUCCESS, Severity.WARNING, Severity.CRITICAL)


def alert_message(notices: list[Notice], *, locale: str, today: date, mention_role: str | None = None) -> Message:
    with use_locale(locale):
        if len(notices) == 1:
            message = notice_message(notices[0], today)
        else:
            messages = [notice_message(n, today) for n in notices]
            fields = tuple(MessageField(m.title or m.body, _digest_line(m)) for m in messages)
            message = Message(
                title=_n("{n} new notice", "{n} new notices", len(notices)),
                body=_("Bundled into one message by the digest setting. /deprecations shows every upcoming "
                       "retirement."),
                fields=fields, severity=max((m.severity for m in messages), key=_SEVERITY_ORDER.index))
    return replace(message, mention_roles=(mention_role,) if mention_role else ())


def sample_message(*, locale: str, today: date) -> Message:
    """What `/alerts test` posts: an alert as it will look here, saying plainly that it is a test."""
    with use_locale(locale):
        return Message(
            title=_("Test alert from Continuity"),
            body=_("This is how alerts will look here. Nothing is being retired: this is only a test."),
            fields=(MessageField(_("Shutdown date"), f"{today.isoformat()}", inline=True, when=today),),
            severity=Severity.INFO)


def _digest_line(message: Message) -> str:
    line = message.body.split("\n", 1)[0]
    return f"{line} {message.link}" if message.link else line
