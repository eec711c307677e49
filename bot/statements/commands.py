"""`/statement preview` and `/statement export`: a community's moderators check and take a statement of
their own community's approved testimonies, rebuilt from live data each time (a withdrawal made before it
is never in it). The document is written in the moderator's language; the file goes back as an attachment,
which each front door delivers where only the moderator sees it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from bot.checks import closest, require_moderator
from bot.domain import Severity
from bot.errors import InvalidInput, Usage
from bot.i18n import N_, _
from bot.presentation import Actor, Attachment, Message, MessageField
from bot.statements import bundle
from bot.statements.aggregate import build_statement
from bot.statements.model import Filters, Options, Statement
from bot.statements.render import labels
from bot.statements.render.common import KINDS, LOCALES, Presentation
from bot.statements.render.context import value_label
from bot.statements.render.markdown import render_markdown
from bot.store import Store

DEFAULT_FORMAT = "bundle"
PREVIEW_LINES = 6      # of the document, after its title
PREVIEW_ROWS = 5       # of each count table
MEDIA_TYPES = {".json": "application/json", ".csv": "text/csv", ".md": "text/markdown", ".html": "text/html",
               ".pdf": "application/pdf", ".zip": "application/zip"}


@dataclass(frozen=True, slots=True)
class Request:
    """What a moderator asked for, checked."""

    fmt: str
    kind: str
    filters: Filters


class StatementCommands:
    def __init__(self, store: Store, *, threshold: int, clock: Callable[[], datetime] = lambda: datetime.now(UTC)):
        self._store = store
        self._threshold = threshold
        self._clock = clock

    async def preview(self, actor: Actor, format: str = "", template: str = "", campaign: str = "",
                      since: str = "", until: str = "") -> Message:
        request = await self._request(actor, format, template, campaign, since, until)
        statement = await self._statement(request, themes=True)
        locale = document_locale(actor.locale)
        lines = await asyncio.to_thread(_first_lines, statement, request.kind, locale)
        fields = [MessageField(_("Testimonies"), _(
            "{total} from {participants} people; {quotable} may be quoted in part; {withdrawn} withdrawn (counted "
            "only).", total=statement.total, participants=statement.participants,
            quotable=len({q.receipt for q in statement.quotes}), withdrawn=statement.withdrawn))]
        for table in (statement.counts.by_model, statement.counts.by_use, statement.counts.by_ask):
            if table.cells:
                top = sorted(table.cells, key=lambda cell: -cell[1])[:PREVIEW_ROWS]
                fields.append(MessageField(labels.TABLES[locale][table.name], "\n".join(
                    f"{value_label(table.name, value, locale)}: {count}" for value, count in top)))
        if statement.themes:
            fields.append(MessageField(_("Themes"), "\n".join(
                f"{theme.label} ({theme.size})" for theme in statement.themes[:2 * PREVIEW_ROWS])))
        fields.append(MessageField(_("The document begins"), lines or "—"))
        return Message(title=_("Statement preview"), fields=tuple(fields), private=True, body=_(
            "Counts under {threshold} are hidden in every file. /statement export sends the files.",
            threshold=statement.threshold))

    async def export(self, actor: Actor, format: str = "", template: str = "", campaign: str = "",
                     since: str = "", until: str = "") -> Message:
        request = await self._request(actor, format, template, campaign, since, until)
        statement = await self._statement(request, themes=True)
        presentation = Presentation(request.kind, document_locale(actor.locale))
        fmt = bundle.exports()[request.fmt]
        files = await asyncio.to_thread(fmt.render, statement, presentation)  # CPU work, off the event loop
        attachments = tuple(Attachment(name.replace("/", "-"), data, _media_type(name))
                            for name, data in files.items())
        return Message(title=_("Your statement"), severity=Severity.SUCCESS, attachments=attachments, private=True,
                       body=_(
            "Built just now from this community's approved testimonies: {total} testimonies, {quotable} quotable "
            "passages, {withdrawn} withdrawn (counted only); counts under {threshold} are hidden. Only you see this "
            "file. A statement already sent cannot be recalled: after a withdrawal, export again.",
            total=statement.total, quotable=len(statement.quotes), withdrawn=statement.withdrawn,
            threshold=statement.threshold))

    async def _request(self, actor: Actor, fmt: str, kind: str, campaign: str, since: str, until: str) -> Request:
        community = require_moderator(actor)
        fmt, kind = (fmt or DEFAULT_FORMAT).strip().lower(), (kind or KINDS[0]).strip().lower()
        formats = bundle.exports()
        if fmt not in formats:
            raise InvalidInput(N_("There is no format “{given}”{hint}. Choose one of: {choices}."), given=fmt[:20],
                               hint=_suggest(fmt, formats), choices=", ".join(formats))
        if kind not in KINDS:
            raise InvalidInput(N_("There is no template “{given}”{hint}. Choose one of: {choices}."), given=kind[:20],
                               hint=_suggest(kind, KINDS), choices=", ".join(KINDS))
        name = campaign.strip() or None
        if name is not None:
            names = [c.name for c in await self._store.testimonies.campaigns(community.id)]
            if name.lower() not in {n.lower() for n in names}:
                known = ", ".join(f"“{n}”" for n in names if n) or _("none yet")
                raise InvalidInput(N_("There is no campaign “{name}” here. Campaigns here: {known}."), name=name[:60],
                                   known=known)
        first, last = _day(since, actor.locale), _day(until, actor.locale)
        if first and last and first > last:
            raise InvalidInput(N_("The first day ({since}) is after the last ({until}): give them the other way "
                                  "round."), since=first.isoformat(), until=last.isoformat())
        return Request(fmt, kind, Filters(community_id=community.id, campaign=name, since=first, until=last))

    async def _statement(self, request: Request, *, themes: bool) -> Statement:
        options = Options(generated_at=self._clock(), threshold=self._threshold)
        return await build_statement(self._store, request.filters, options, themes=themes)


def document_locale(locale: str) -> str:
    return locale if locale in LOCALES else LOCALES[0]


def parse_statement(args: str) -> dict[str, str]:
    """`[format] [template] | [campaign] | [since] | [until]`, as /campaign create takes its parts: the
    format and the template are told apart by their names, in either order."""
    parts = [part.strip() for part in args.split("|")]
    if len(parts) > 4:
        raise Usage
    words = parts[0].split()
    options: dict[str, str] = {}
    for word in words:
        key = "template" if word.lower() in KINDS else "format"
        if key in options:
            raise Usage
        options[key] = word
    options |= {key: value for key, value in zip(("campaign", "since", "until"), parts[1:], strict=False) if value}
    return options


def _day(text: str, locale: str) -> date | None:
    from bot.watch.dates import date_parts  # the one reader of people's dates

    text = text.strip()
    if not text:
        return None
    parts = date_parts(text, locale)
    if parts is None or parts[0] is None:
        raise InvalidInput(N_("“{text}” is not a day I can read with its year. Write it like 2026-04-15."),
                           text=text[:40])
    return date(*parts)  # type: ignore[arg-type]


def _suggest(given: str, choices: Any) -> str:
    guess = closest(given, choices)
    return _(" (did you mean {guess}?)", guess=guess) if guess else ""


def _media_type(name: str) -> str:
    return next((kind for suffix, kind in MEDIA_TYPES.items() if name.endswith(suffix)), "application/octet-stream")


def _first_lines(statement: Statement, kind: str, locale: str) -> str:
    """The document's first paragraphs after its title, as the plain text a reader sees (the Markdown parsed,
    so its escapes and marks are gone; a chat message escapes it again for its own markup)."""
    from markdown_it import MarkdownIt

    blocks = [token for token in MarkdownIt("commonmark").parse(render_markdown(statement, kind, locale))
              if token.type == "inline"]
    texts = ["".join(child.content if child.type != "softbreak" else " " for child in block.children or ())
             for block in blocks[1:PREVIEW_LINES + 1]]
    return "\n".join(text for text in texts if text.strip())
