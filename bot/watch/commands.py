"""What members and moderators ask of the watcher: `/deprecations`, `/sources …`, `/survey …`.

Every method takes the Actor and plain arguments and returns a Message; permission and validation rules
live here, once, for all three front doors.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

from bot.checks import check_date, check_url, closest, parse_number, require_community, require_moderator
from bot.domain import (
    Category,
    Community,
    DeprecationRow,
    Notice,
    NoticeKind,
    Severity,
    ShutdownQualifier,
    Source,
    SourceKind,
    SourceState,
    SurveyReport,
    SurveyStatus,
)
from bot.errors import AlreadyExists, Explained, InvalidInput, LimitReached, NotFound, Usage
from bot.forms import FormSpec
from bot.i18n import N_, _, _n, current_locale, from_stored
from bot.presentation import (
    Actor,
    Answer,
    Ask,
    Attachment,
    Choice,
    FieldKind,
    Form,
    FormField,
    Message,
    MessageField,
    Reply,
)
from bot.pseudonyms import Pseudonyms
from bot.store import Store
from bot.watch import calendar, models
from bot.watch.dates import read_deadline, split_deadline
from bot.watch.fetch import FetchError, shown_address
from bot.watch.pages import FAMILIES, UnknownPageFamily, family_for
from bot.watch.service import CheckResult, WatchService, source_title
from bot.watch.wording import VENDORS, day_text, moment_text, notice_message, platform_name, row_field

MAX_LISTED = 15
MAX_EARLIEST = 8  # one field of lines: Discord allows 1024 characters in it
PAGE_FAMILIES = tuple(sorted(FAMILIES))
CATEGORIES = tuple(c.value for c in (Category.DEPRECATION, Category.SURVEY, Category.NEWS, Category.STATUS))


class WatchCommands:
    def __init__(self, store: Store, watch: WatchService, pseudonyms: Pseudonyms,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self._store = store
        self._watch = watch
        self._pseudonyms = pseudonyms
        self._clock = clock

    def _today(self) -> date:
        return self._clock().date()

    # --- /deprecations -----------------------------------------------------------------------------------

    async def deprecations(self, actor: Actor, query: str = "") -> Message:
        """Upcoming retirements, soonest first; `query` is a model (loosely: `4o`) or a vendor."""
        today, query = self._today(), query.strip()
        # The current word as this community reads it: never another community's sources.
        community_id = actor.community.id if actor.community else None
        rows = await self._store.deprecations.upcoming_for(community_id, today)
        if query:
            vendor = next((key for key, name in VENDORS.items() if query.lower() in (key, name.lower())), None)
            rows = [s for s in rows if s.row.vendor == vendor or models.matches(query, s.row.model)]
        # A firm date is a retirement; "not sooner than" is only the earliest end of a model that may live on.
        firm = [s for s in rows if s.row.shutdown_qualifier == ShutdownQualifier.FIRM]
        earliest = [s.row for s in rows if s.row.shutdown_qualifier == ShutdownQualifier.EARLIEST]
        unread = await self._unread_sources(actor)
        if not firm and not earliest:
            body = _("No upcoming retirements are known for “{query}”.", query=query[:60]) if query \
                else _("No upcoming retirements are known.")
            if unread:  # "none known" is only true of the sources that could be read
                body = _("No upcoming retirements were found in the sources that could be read.")
            return Message(title=_("Upcoming retirements"), body="\n".join(filter(None, [body, unread])),
                           severity=Severity.WARNING if unread else Severity.INFO)
        shown = firm[:MAX_LISTED]
        fields = [row_field(s.row, today, own=s.own) for s in shown]
        if earliest:
            fields.append(_earliest_section(earliest[:MAX_EARLIEST], today))
        hidden = len(firm) - len(shown) + max(0, len(earliest) - MAX_EARLIEST)
        footer = _("…and {n} more. Narrow it down with /deprecations list followed by a model or vendor.",
                   n=hidden) if hidden else None
        body = _("Soonest first. Dates are the vendors' own; check the linked page before acting.") if firm else \
            _("No firm retirement date is known; only the earliest dates below.")
        return Message(title=_("Upcoming retirements"), body="\n".join(filter(None, [body, unread])),
                       fields=tuple(fields), footer=footer, severity=Severity.WARNING if unread else Severity.INFO)

    async def _unread_sources(self, actor: Actor) -> str | None:
        """A line saying how many of the sources behind the answer could not be read lately, or None."""
        if actor.community is not None:
            followed = [s for s, muted in await self._store.sources.community_sources(actor.community.id)
                        if not muted]
        else:  # a private chat hears the built-in sources
            followed = [s for s in await self._store.sources.list_sources() if s.builtin]
        unread = [s for s in followed if s.state in (SourceState.FAILING, SourceState.DISABLED)]
        if not unread:
            return None
        read_last = [s.last_success_at for s in unread if s.last_success_at]
        if len(read_last) < len(unread):  # one was never read at all: there is no "since"
            return _n("{unread} of {n} source could not be read; the list may be incomplete.",
                      "{unread} of {n} sources could not be read; the list may be incomplete.", len(followed),
                      unread=len(unread))
        return _n("{unread} of {n} source could not be read since {date}; the list may be incomplete.",
                  "{unread} of {n} sources could not be read since {date}; the list may be incomplete.",
                  len(followed), unread=len(unread), date=moment_text(min(read_last)))

    async def calendar(self, actor: Actor) -> Message:
        """The upcoming shutdown dates and open deadlines followed here, as a file for a calendar app."""
        community = actor.community
        data, count = await calendar.calendar_file(self._store, community.id if community else None, self._today())
        return Message(
            title=_("Continuity: upcoming retirements"), severity=Severity.SUCCESS,
            body=_n("{n} event: the upcoming shutdown dates and open deadlines followed here. Open the file with "
                    "your calendar app; importing a newer one later moves the events whose dates changed instead "
                    "of adding them twice.",
                    "{n} events: the upcoming shutdown dates and open deadlines followed here. Open the file with "
                    "your calendar app; importing a newer one later moves the events whose dates changed instead "
                    "of adding them twice.", count),
            attachments=(Attachment(calendar.FILENAME, data, calendar.MEDIA_TYPE),))

    # --- /sources ----------------------------------------------------------------------------------------

    async def list_sources(self, actor: Actor) -> Message:
        community = require_community(actor)
        fields = []
        for source, muted in await self._store.sources.community_sources(community.id):
            state = _("muted") if muted else {"ok": _("ok"), "failing": _("failing"),
                                              "disabled": _("stopped")}[source.state.value]
            value = f"{source.category.value} · {state} · {shown_address(source.url)}"
            if not muted:
                value += "\n" + _check_times(source)
            if source.last_error and not muted:
                value += "\n" + _("Last error: {error}", error=from_stored(source.last_error))
            fields.append(MessageField(f"#{source.id} {source_title(source)}", value))
        return Message(title=_("Watched sources"), fields=tuple(fields),
                       body=_("Built-in sources serve every community; moderators can add their own with "
                              "/sources add and mute any with /sources remove."))

    async def add_source(self, actor: Actor, url: str, category: str = "", page: str = "") -> Message:
        """A feed, or a vendor page: recognised by its address, or named by `page` (e.g. a mirror)."""
        community = require_moderator(actor)
        url = check_url(url)
        category, page = (category or "").strip().lower(), (page or "").strip().lower()
        if category and category not in CATEGORIES:
            _refuse_near_miss(category, (*CATEGORIES, *PAGE_FAMILIES))  # the typed form puts any word here
            raise InvalidInput(N_("Unknown category “{category}”. Choose one of: {choices}."),
                               category=category[:30], choices=", ".join(CATEGORIES))
        if page and page not in PAGE_FAMILIES:
            _refuse_near_miss(page, PAGE_FAMILIES)
            raise InvalidInput(N_("Unknown kind of page “{page}”. Choose one of: {choices}."),
                               page=page[:30], choices=", ".join(PAGE_FAMILIES))
        await self._refuse_unfetchable(url)
        try:
            family: str | None = page or family_for(url)
        except UnknownPageFamily:
            family = None
        kind = SourceKind.PAGE if family else SourceKind.FEED
        chosen = Category(category) if category else Category.DEPRECATION if family else Category.NEWS
        try:
            source = await self._store.sources.watch_here(community.id, Source(
                id=0, kind=kind, category=chosen, url=url, title=shown_address(url), family=family),
                self._pseudonym(actor))
        except AlreadyExists as known:
            raise InvalidInput(N_("Source #{id} already watches this address here. /sources check {id} checks it "
                                  "now."), id=known.which) from None
        except LimitReached as full:
            raise InvalidInput(N_("This community already watches {limit} sources of its own, the most it can. "
                                  "Remove one with /sources remove, then add this one."), limit=full.limit) from None
        await self._store.audit.record("source.added", actor=self._pseudonym(actor), community_id=community.id,
                                       source_id=source.id)
        result = await self._watch.check_source(source)
        return self._check_message(result.source, result.error, result.rows, result.items,
                                   title=_("Source added: #{id}", id=source.id), no_models=_no_models(result))

    async def _refuse_unfetchable(self, url: str) -> None:
        """An address the fetcher will never fetch is refused now, with its reason, and nothing is stored:
        kept, it would only fail for ever."""
        try:
            await self._watch.check_address(url)
        except FetchError as refused:
            raise InvalidInput(N_("{url} was not added: {reason}"), url=url[:200], reason=refused) from None

    async def remove_source(self, actor: Actor, source_id: str) -> Message:
        community = require_moderator(actor)
        source = await self._community_source(community, source_id)
        # Its influence goes with it: its rows and reminders leave this community's current word (that is read
        # through community_sources), and what it said that still waits for a digest here is dropped.
        await self._store.outbox.drop_waiting_from_source(community.id, source.id, "Its source was removed here.")
        if source.builtin:
            await self._store.sources.link_source(community.id, source.id, self._pseudonym(actor), muted=True)
            body = _("Muted built-in source #{id} for this community. /sources add with its address brings it "
                     "back.", id=source.id)
        else:
            await self._store.sources.unlink_source(community.id, source.id)
            body = _("Removed source #{id}.", id=source.id)
        await self._store.audit.record("source.removed", actor=self._pseudonym(actor), community_id=community.id,
                                       source_id=source.id)
        return Message(body=body, severity=Severity.SUCCESS)

    async def check_source(self, actor: Actor, source_id: str) -> Message:
        community = require_moderator(actor)
        source = await self._community_source(community, source_id)
        result = await self._watch.check_source(source)
        return self._check_message(result.source, result.error, result.rows, result.items,
                                   title=_("Checked #{id}", id=source.id), unchanged=result.unchanged,
                                   notices=result.notices, no_models=_no_models(result))

    def _check_message(self, source: Source, error: Explained | None, rows: int, items: int, *, title: str,
                       unchanged: bool = False, notices: list[Notice] | None = None,
                       no_models: str | None = None) -> Message:
        if error:
            return Message(title=title, severity=Severity.WARNING,
                           body=_("{url} could not be read: {error} Continuity will keep trying.",
                                  url=shown_address(source.url), error=error.text()))
        if no_models:
            return Message(title=title, body=f"{shown_address(source.url)}\n{no_models}", severity=Severity.WARNING)
        if unchanged:
            found = _("Nothing changed since the last check.")
        elif source.kind == SourceKind.PAGE or source.family == "aggregator":
            found = _("Found {n} models.", n=rows)
        else:
            found = _("Found {n} items.", n=items)
        fields = tuple(MessageField(n.title, notice_message(n, self._today()).title or "") for n in (notices or []))
        return Message(title=title, body=f"{shown_address(source.url)}\n{found}", fields=fields,
                       severity=Severity.SUCCESS)

    async def _community_source(self, community: Community, source_id: str) -> Source:
        try:
            return await self._store.sources.community_source(community.id, parse_number(source_id))
        except NotFound as missing:
            raise InvalidInput(N_("There is no source #{id} here. /sources list shows the numbers."),
                               id=missing.which) from None

    # --- /survey -----------------------------------------------------------------------------------------

    async def report_survey(self, actor: Actor, url: str = "", deadline: str = "", note: str = "", *,
                            organiser: str | None = None, audience: tuple[str, ...] = ()) -> Reply:
        """A survey for the moderators to review; with no address, the form that asks for everything."""
        community = require_community(actor)
        if not url.strip():
            return Ask(SURVEY_FORM)
        url = check_url(url)
        when = None
        if deadline.strip():
            when = read_deadline(deadline.strip(), actor.locale, self._today())
            if when < self._today():
                raise InvalidInput(N_("The deadline {date} has already passed."), date=when.isoformat())
        if len(note) > 500:
            raise InvalidInput(N_("The note can be at most {max} characters (it has {count})."), max=500,
                               count=len(note))
        try:
            report = await self._store.surveys.add_report(community.id, url, when, note.strip(),
                                                          self._pseudonym(actor), organiser=organiser,
                                                          audience=audience)
        except AlreadyExists:
            raise InvalidInput(N_("This survey was already reported here.")) from None
        thanks = _("Thank you! Survey report #{id} waits for a moderator's review.", id=report.id)
        if when:  # how the deadline was read, with the month in words: 03/04 has two readings
            thanks += " " + _("Deadline: {date}.", date=day_text(when))
        return Message(body=thanks, severity=Severity.SUCCESS)

    def survey_form(self) -> FormSpec:
        return FormSpec(SURVEY_FORM, "/survey report", lambda _answers: survey_report_form(), self._submit_survey_form)

    async def _submit_survey_form(self, actor: Actor, answers: dict[str, Answer]) -> Message:
        if answers["public"] is not True:
            raise InvalidInput(N_("Please report only a link that anyone can open: a personal invitation link can "
                                  "identify you. Ask the organisers for a public link and report that one."))
        reply = await self.report_survey(actor, str(answers["url"]), str(answers["deadline"]), str(answers["note"]),
                                         organiser=str(answers["organiser"]), audience=tuple(answers["audience"]))
        assert isinstance(reply, Message)
        return reply

    async def review_surveys(self, actor: Actor, report_id: str = "", decision: str = "") -> Message:
        community = require_moderator(actor)
        if not report_id.strip():
            pending = await self._store.surveys.list_reports(community.id, SurveyStatus.PENDING)
            if not pending:
                return Message(body=_("No survey reports are waiting."))
            return Message(
                title=_("Survey reports waiting for review"),
                body=_("Approve or reject one with /survey review followed by its number and approve or reject."),
                fields=tuple(MessageField(f"#{r.id} {r.url}", " · ".join(filter(None, [
                    _("deadline {date}", date=r.deadline.isoformat()) if r.deadline else _("no deadline"),
                    _survey_context(r), r.note]))) for r in pending))
        try:
            report = await self._store.surveys.community_report(community.id, parse_number(report_id))
        except NotFound as missing:
            raise InvalidInput(N_("There is no survey report #{id} here."), id=missing.which) from None
        if report.status != SurveyStatus.PENDING:
            raise InvalidInput(N_("Survey report #{id} was already reviewed."), id=report.id)
        choice = decision.strip().lower()
        if choice not in ("approve", "reject"):
            raise InvalidInput(N_("Say approve or reject after the number."))
        reviewer = self._pseudonym(actor)
        if choice == "reject":
            await self._store.surveys.review(report.id, SurveyStatus.REJECTED, reviewer, None)
            return Message(body=_("Survey report #{id} rejected.", id=report.id), severity=Severity.SUCCESS)
        stored = await self._store.notices.add_notices([Notice(
            kind=NoticeKind.SURVEY, category=Category.SURVEY, title=report.note or report.url, url=report.url,
            detail=report.note, due_date=report.deadline, community_id=community.id,
            dedup_key=f"survey:{community.id}:{report.url}")])
        await self._store.surveys.review(report.id, SurveyStatus.APPROVED, reviewer,
                                         stored[0].id if stored else None)
        await self._store.audit.record("survey.approved", actor=reviewer, community_id=community.id,
                                       report_id=report.id)
        await self._watch.publish(stored)
        return Message(body=_("Survey report #{id} approved: it is now a survey notice.", id=report.id),
                       severity=Severity.SUCCESS)

    def _pseudonym(self, actor: Actor) -> str:
        return self._pseudonyms.of(actor.platform, actor.user_id)


SURVEY_FORM = "survey.report"


def survey_report_form() -> Form:
    """The questions of /survey report; labels fit Discord's 45 characters."""
    return Form(SURVEY_FORM, _("Report a survey"), (
        FormField("url", _("Survey address"), max_length=2000, placeholder="https://…", check=check_url),
        FormField("organiser", _("Who runs it"), FieldKind.CHOICE, choices=tuple(
            Choice(value, _(label)) for value, label in ORGANISERS.items())),
        FormField("audience", _("Who can take part"), FieldKind.MULTI, required=False, choices=tuple(
            Choice(value, _(label)) for value, label in AUDIENCES.items())),
        FormField("deadline", _("Closes on (like 2026-12-31)"), required=False, max_length=40, check=check_date),
        FormField("note", _("A note for the moderators"), FieldKind.PARAGRAPH, required=False, max_length=500),
        FormField("public", _("The link is public"), FieldKind.YESNO, explanation=_(
            "A personal invitation link can identify you. Share only a link that anyone can open.")),
    ))


ORGANISERS = {"vendor": N_("The vendor"), "public": N_("A regulator or public body"),
              "research": N_("Researchers"), "other": N_("Someone else")}
AUDIENCES = {"app": N_("People who use the app"), "api": N_("Developers using the API"), "anyone": N_("Anyone"),
             "invited": N_("Only people invited")}


def _survey_context(report: SurveyReport) -> str:
    parts = [_(ORGANISERS[report.organiser])] if report.organiser in ORGANISERS else []
    parts += [_(AUDIENCES[a]) for a in report.audience if a in AUDIENCES]
    return ", ".join(parts)


def _earliest_section(rows: list[DeprecationRow], today: date) -> MessageField:
    """Models with only an earliest possible end ("not sooner than"), apart from the firm dates."""
    lines = [f"{r.model} · {platform_name(r.vendor, r.platform)}: {row_field(r, today).value}" for r in rows]
    return MessageField(_("Earliest possible retirement (not sooner than)"), "\n".join(lines))


def _check_times(source: Source) -> str:
    """When a source was last read and will be next, in the reader's own way of writing dates."""
    if source.last_checked_at is None:
        last = _("Not checked yet")
    else:
        last = _("Last checked {when}", when=moment_text(source.last_checked_at))
    if source.state == SourceState.DISABLED:
        return _("{last} · no further checks", last=last)
    if source.next_check_at is None:
        return _("{last} · next check soon", last=last)
    return _("{last} · next check {when}", last=last, when=moment_text(source.next_check_at))


def _refuse_near_miss(word: str, choices: tuple[str, ...]) -> None:
    """A word that is almost one of `choices` (`opnai`, `deprecations`) is refused with the one meant."""
    suggestion = closest(word, choices)
    if suggestion:
        raise InvalidInput(N_("“{word}” is not a category or a kind of page. Did you mean {suggestion}?"),
                           word=word[:30], suggestion=suggestion)


def _no_models(result: CheckResult) -> str | None:
    """What to say when a page's reader found no model on it, instead of "found 0 models"; None otherwise."""
    family, other, source = result.read_as, result.try_instead, result.source
    if result.error or family is None:
        return None
    if family == "generic" and other is None:
        return _("No reader found a model on this page: it has no table of models and retirement dates that "
                 "Continuity can read.")
    if family == "generic":
        advice = _("The generic reader found no models on this page. It reads like a {other} page.", other=other)
    elif other is None or other == "generic":
        advice = _("The {family} reader found no models on this page. Is it the right kind of page? Try generic.",
                   family=family)
    else:
        advice = _("The {family} reader found no models on this page. Is it the right kind of page? Try generic "
                   "or {other}.", family=family, other=other)
    if source.builtin:  # not the moderators' to change
        return advice
    fix = _("To read it as another kind: /sources remove {id}, then /sources add {url} {kind}.",
            id=source.id, url=shown_address(source.url), kind=other or "generic")
    return f"{advice}\n{fix}"


# --- the words typed after each command (Telegram, console); the command table calls these -------------

def parse_source_add(args: str) -> dict[str, str]:
    """`<address> [category] [kind of page]`: after the address, a category and/or a page family, any order."""
    words = args.split()
    if not 1 <= len(words) <= 3:
        raise Usage
    extra = [w.lower() for w in words[1:]]
    return {"url": words[0], "category": next((w for w in extra if w not in PAGE_FAMILIES), ""),
            "page": next((w for w in extra if w in PAGE_FAMILIES), "")}


def parse_survey_report(args: str) -> dict[str, str]:
    """`[<address> [deadline] [note…]]`; nothing at all opens the form."""
    words = args.split()
    if not words:
        return {}
    deadline, rest = split_deadline(words[1:], current_locale())
    return {"url": words[0], "deadline": deadline, "note": " ".join(rest)}


def parse_survey_review(args: str) -> dict[str, str]:
    """`[<number> approve|reject]`."""
    words = args.split()
    if len(words) not in (0, 2):
        raise Usage
    return dict(zip(("report_id", "decision"), words, strict=False))
