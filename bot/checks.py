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
