"""Checks every command shares: where it may be used, who may use it, what counts as a web address.
One place for each rule, so `/sources`, `/survey`, `/alerts` and `/notice` refuse alike."""

from __future__ import annotations

import re

from bot.domain import Community
from bot.errors import InvalidInput, NotAllowed
from bot.i18n import N_
from bot.presentation import Actor

_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.I)


def require_community(actor: Actor) -> Community:
    if actor.community is None:
        raise InvalidInput(N_("This works in a server or group, not in a private chat."))
    return actor.community


def require_moderator(actor: Actor) -> Community:
    community = require_community(actor)
    if not actor.is_moderator:
        raise NotAllowed()
    return community


def check_url(url: str) -> str:
    url = url.strip().strip("<>")
    if not _URL.match(url) or len(url) > 2000:
        raise InvalidInput(N_("“{url}” is not a web address. Give one that starts with https://."), url=url[:80])
    return url


_NUMBER = re.compile(r"#?([0-9]{1,15})")


def parse_number(text: str, *, maximum: int = 2**53) -> int:
    """A number someone typed (`12` or `#12`), ASCII digits only: `²` or a 30-digit number is refused with a
    reason instead of reaching the database or `int()`."""
    match = _NUMBER.fullmatch(text.strip())
    if match is None or not 1 <= int(match.group(1)) <= maximum:
        raise InvalidInput(N_("“{text}” is not a number from the list. Use the number shown, like 3."),
                           text=text.strip()[:20])
    return int(match.group(1))


def check_date(text: str) -> None:
    """A date as a form's deadline question takes it (the command that uses it decides about the past)."""
    from bot.watch.dates import parse_date  # the watcher's reader of dates, so forms and commands agree

    if parse_date(text) is None:
        raise InvalidInput(N_("“{deadline}” is not a date. Write it like 2026-12-31."), deadline=text[:30])
