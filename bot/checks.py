"""Checks every command shares: where it may be used, who may use it, what counts as a web address.
One place for each rule, so `/sources`, `/survey`, `/alerts` and `/notice` refuse alike."""

from __future__ import annotations

import re
from collections.abc import Iterable

from rapidfuzz import fuzz, process

from bot.domain import Community
from bot.errors import InvalidInput, NotAllowed
from bot.i18n import N_, current_locale
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


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice a typed word was most likely meant to be (`deprecations` → deprecation, `openia` → openai),
    or None when none is close enough to be a probable typo: a wrong suggestion is worse than none."""
    match = process.extractOne(word.lower(), list(choices), scorer=fuzz.ratio, score_cutoff=80)
    return match[0] if match else None


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
    from bot.watch.dates import check_deadline  # the one reader of people's dates, so forms and commands agree

    check_deadline(text.strip(), current_locale())
