"""The quotable passages as Pol.is's `comments.csv`, so open deliberation tools can read a statement's data.

The layout is Pol.is's own export, as its server writes it (compdemocracy/polis,
`server/src/routes/export.ts`, `sendCommentSummary`, the `comments.csv` report): the header
`timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body`, lines ending in `\\n`;
`timestamp` is Unix seconds, `datetime` JavaScript's `Date.toString()` of it, `comment-id` the comment's
number (`tid`), `author-id` the participant's (`pid`), `moderated` 1 for accepted (0 unmoderated, -1
rejected). Unlike Pol.is, a body holding a comma or a quote is quoted as RFC 4180 says, so every CSV reader
gets the same cells.

Here a comment is one passage that may be quoted (consent 1 or 2; nothing at consent 0), with no name:
Pol.is has no place for one. `comment-id` counts from 0 in the statement's order. `author-id` is a plain
number given in order of first appearance in this file, never derived from the pseudonym, so it means
nothing outside this export; and a person's passages quoted with their name (consent 2) and without it
(consent 1) get different numbers, or the anonymous ones could be put beside the named ones (in
`quotes.csv`) and so be named. `timestamp` is the day (UTC) the testimony was given, not the minute, so the
time someone was seen on line does not single them out. Nobody voted in Continuity: agrees and disagrees
are 0, and every comment was approved by a moderator, so `moderated` is 1."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.statements.model import Statement
from bot.statements.render.common import PLAIN, Format, Presentation, csv_bytes

FILE = "polis/comments.csv"
HEADER = ("timestamp", "datetime", "comment-id", "author-id", "agrees", "disagrees", "moderated", "comment-body")
ACCEPTED = 1


def js_datetime(moment: datetime) -> str:
    """JavaScript's `new Date(ms).toString()` on a machine set to UTC:
    `Wed Apr 15 2026 00:00:00 GMT+0000 (Coordinated Universal Time)`."""
    return moment.astimezone(UTC).strftime("%a %b %d %Y %H:%M:%S GMT+0000 (Coordinated Universal Time)")


def comments(statement: Statement) -> bytes:
    authors: dict[tuple[int, int], int] = {}
    rows = []
    for item in statement.included:
        if not item.passages:
            continue
        author = authors.setdefault((item.participant, int(item.consent)), len(authors))
        given = item.created_at if item.created_at.tzinfo else item.created_at.replace(tzinfo=UTC)
        day = given.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        for passage in item.passages:
            rows.append((int(day.timestamp()), js_datetime(day), len(rows), author, 0, 0, ACCEPTED, passage.text))
    return csv_bytes(HEADER, rows, lineterminator="\n")


def render(statement: Statement, presentation: Presentation = PLAIN) -> dict[str, bytes]:
    return {FILE: comments(statement)}


FORMAT = Format("polis", "the quotable passages as Pol.is's comments.csv", (FILE,), render)
