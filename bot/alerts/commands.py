"""What moderators and members ask of alerts: `/alerts …` and `/notice post`.

Every method takes the Actor and plain arguments and returns a Message; permissions and validation live
here, once, for all three front doors. The channel an Actor stands in (`actor.channel`) is what
`/alerts subscribe` subscribes.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime

from bot.alerts.matching import PING_CATEGORIES
from bot.alerts.render import sample_message
from bot.alerts.service import AlertService
from bot.checks import check_date, check_url, closest, parse_number, require_moderator
from bot.domain import AlertFilter, Category, Community, Notice, NoticeKind, Ping, PlatformName, Severity, Subscription
from bot.errors import DeliveryFailed, InvalidInput, NotFound, Usage
from bot.forms import FormSpec
from bot.i18n import N_, _, _n, from_stored
from bot.presentation import Actor, Answer, Ask, FieldKind, Form, FormField, Message, MessageField, Reply, Target
from bot.pseudonyms import Pseudonyms
from bot.store import Store
from bot.watch.dates import read_deadline
from bot.watch.wording import VENDORS

CATEGORIES = tuple(c.value for c in Category)
DEFAULT_CATEGORIES = (Category.DEPRECATION, Category.REMINDER, Category.SURVEY)
DIGESTS = {"off": 0, "hourly": 60, "daily": 1440}
MISSING_DIGESTS = frozenset({"weekly", "monthly", "yearly"})  # what people ask for that does not exist
MAX_PATTERNS = 20
_PATTERN = re.compile(r"^[\w.*?\-:/\[\]]{1,60}$")
_SPLIT = re.compile(r"[,\s]+")


def _words(text: str) -> list[str]:
    return [w for w in _SPLIT.split(text.strip()) if w]


def _parse_categories(text: str) -> tuple[Category, ...]:
    chosen = []
    for word in _words(text.lower()):
        if word not in CATEGORIES:
            raise InvalidInput(N_("Unknown category “{category}”. Choose from: {choices}."),
                               category=word[:30], choices=", ".join(CATEGORIES))
        chosen.append(Category(word))
    return tuple(dict.fromkeys(chosen))


def _vendor_key(word: str) -> str | None:
    word = word.lower()
    return next((key for key, name in VENDORS.items() if word in (key, name.lower().replace(" ", ""))), None)


def _parse_vendors(text: str) -> tuple[str, ...]:
    chosen = []
    for word in _words(text):
        key = _vendor_key(word)
        if key is None:
            raise InvalidInput(N_("Unknown vendor “{vendor}”. Choose from: {choices}."),
                               vendor=word[:30], choices=", ".join(VENDORS))
        chosen.append(key)
    return tuple(dict.fromkeys(chosen))


def _parse_models(text: str) -> tuple[str, ...]:
    patterns = tuple(dict.fromkeys(w.lower() for w in _words(text)))
    for pattern in patterns:
        if not _PATTERN.match(pattern):
            raise InvalidInput(N_("“{pattern}” is not a model name or pattern. Use names like gpt-4o, 4o or "
                                  "claude-3-*."), pattern=pattern[:40])
    if len(patterns) > MAX_PATTERNS:
        raise InvalidInput(N_("At most {max} models or patterns, please."), max=MAX_PATTERNS)
    return patterns


def _refuse_near_misses(words: list[str]) -> None:
    """A typed word that is almost a category, vendor or digest (`deprecations`) is a typo, not a model
    pattern: taken as a pattern it would match nothing, and the channel would go quiet without a word."""
    known = [*CATEGORIES, *VENDORS, *DIGESTS]
    for word in words:
        lowered = word.lower()
        if lowered in known or _vendor_key(lowered):
            continue
        if lowered in MISSING_DIGESTS:
            raise InvalidInput(N_("There is no {word} digest. Choose hourly or daily, or leave it out to get each "
                                  "notice at once."), word=word[:20])
        close = closest(lowered, known)
        if close:
            raise InvalidInput(N_("“{word}” is not something I know. Did you mean {suggestion}?"),
                               word=word[:40], suggestion=close)


def _parse_digest(text: str) -> int:
    word = text.strip().lower() or "off"
    if word not in DIGESTS:
        raise InvalidInput(N_("Digest must be one of: {choices}."), choices=", ".join(DIGESTS))
    return DIGESTS[word]


def _moderator_here(actor: Actor) -> tuple[Community, Target]:
    """A moderator, and the channel their command came from (the one to subscribe)."""
    community = require_moderator(actor)
    if actor.channel is None:
        raise InvalidInput(N_("This works in a server or group, not in a private chat."))
    return community, actor.channel


def _describe(flt: AlertFilter, digest_minutes: int = 0) -> str:
    parts = [", ".join(c.value for c in flt.categories) or _("every category")]
    if flt.vendors:
        parts.append(_("vendors: {list}", list=", ".join(flt.vendors)))
    if flt.models:
        parts.append(_("models: {list}", list=", ".join(flt.models)))
    if digest_minutes:
        parts.append(_("daily digest") if digest_minutes >= 1440 else _("hourly digest"))
    return " · ".join(parts)


class AlertCommands:
    def __init__(self, store: Store, alerts: AlertService, pseudonyms: Pseudonyms,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self._store = store
        self._alerts = alerts
        self._pseudonyms = pseudonyms
        self._clock = clock

    def _pseudonym(self, actor: Actor) -> str:
        return self._pseudonyms.of(actor.platform, actor.user_id)

    def _today(self) -> date:
        return self._clock().date()

    def notice_form(self) -> FormSpec:
        async def submit(actor: Actor, answers: dict[str, Answer]) -> Message:
            reply = await self.post_notice(actor, *(str(answers[part]) for part in NOTICE_PARTS))
            assert isinstance(reply, Message)
            return reply
        return FormSpec(NOTICE_FORM, "/notice post", lambda _answers: notice_post_form(), submit)

    # --- subscriptions -----------------------------------------------------------------------------------

    async def subscribe(self, actor: Actor, categories: str = "", vendors: str = "", models: str = "",
                        role: str | None = None, digest: str = "") -> Message:
        community, channel = _moderator_here(actor)
        if role and actor.platform != PlatformName.DISCORD:
            raise InvalidInput(N_("Mentioning a role works on Discord only."))
        _refuse_near_misses(_words(models))  # Discord's models option too: a typo there would match nothing
        flt = AlertFilter(_parse_categories(categories) or DEFAULT_CATEGORIES, _parse_vendors(vendors),
                          _parse_models(models))
        sub = await self._store.subscriptions.save_subscription(Subscription(
            id=0, community_id=community.id, platform=actor.platform, channel_id=channel.channel_id,
            thread_id=channel.thread_id, filter=flt, locale=community.locale or actor.locale,
            created_by=self._pseudonym(actor), mention_role=role or None, digest_minutes=_parse_digest(digest)))
        await self._store.audit.record("alerts.subscribed", actor=self._pseudonym(actor), community_id=community.id,
                                       subscription_id=sub.id)
        body = _("New notices will be posted here: {what}.", what=_describe(sub.filter, sub.digest_minutes))
        if sub.mention_role:
            body += "\n" + _("Each alert mentions the chosen role; nobody else is ever mentioned.")
        return Message(title=_("Subscribed: #{id}", id=sub.id), body=body, severity=Severity.SUCCESS,
                       footer=_("/alerts test shows what an alert looks like here."))

    async def subscribe_if_none(self, actor: Actor) -> None:
        """The console's community hears everything unless its person chose otherwise."""
        community, _channel = _moderator_here(actor)
        if not await self._store.subscriptions.list_subscriptions(community.id):
            await self.subscribe(actor, categories=" ".join(CATEGORIES))

    async def unsubscribe(self, actor: Actor) -> Message:
        community, channel = _moderator_here(actor)
        try:
            sub = await self._store.subscriptions.community_subscription(
                community.id, at=(actor.platform, channel.channel_id, channel.thread_id))
        except NotFound:
            raise InvalidInput(N_("Nothing is subscribed here. /alerts list shows this community's "
                                  "subscriptions.")) from None
        await self._store.subscriptions.delete_subscription(sub.id)
        await self._store.audit.record("alerts.unsubscribed", actor=self._pseudonym(actor),
                                       community_id=community.id, subscription_id=sub.id)
        return Message(body=_("Unsubscribed: no more alerts will be posted here."), severity=Severity.SUCCESS)

    async def list_alerts(self, actor: Actor) -> Message:
        fields = []
        if actor.community is not None:
            for sub in await self._store.subscriptions.list_subscriptions(actor.community.id):
                where = self._alerts.place(sub)
                state = _("paused: {reason}", reason=from_stored(sub.paused_reason)) if sub.paused_reason \
                    else _("on")
                value = f"{_describe(sub.filter, sub.digest_minutes)} · {state}"
                fields.append(MessageField(f"#{sub.id} {where}", value))
        ping = await self._store.subscriptions.get_ping(actor.platform, self._pseudonym(actor))
        if ping is not None:
            state = _("paused: {reason}", reason=from_stored(ping.paused_reason)) if ping.paused_reason \
                else _("on")
            described = _describe(AlertFilter(PING_CATEGORIES, models=ping.filter.models), 1440 if ping.daily else 0)
            fields.append(MessageField(_("Your direct messages"), f"{described} · {state}"))
        body = _("Moderators subscribe a channel with /alerts subscribe; anyone can get direct messages with "
                 "/alerts ping on.") if fields else _("Nothing is subscribed yet. A moderator can run /alerts "
                                                      "subscribe in the channel that should receive alerts.")
        return Message(title=_("Alerts"), body=body, fields=tuple(fields))

    async def resume(self, actor: Actor, number: str = "") -> Message:
        community, channel = _moderator_here(actor)
        subs = self._store.subscriptions
        try:
            if number.strip():
                sub = await subs.community_subscription(community.id, parse_number(number))
            else:
                sub = await subs.community_subscription(
                    community.id, at=(actor.platform, channel.channel_id, channel.thread_id))
        except NotFound:
            raise InvalidInput(N_("There is no such subscription here. /alerts list shows the numbers.")) from None
        if not sub.paused_reason:
            return Message(body=_("Subscription #{id} is not paused.", id=sub.id))
        await subs.resume_subscription(sub.id)
        await self._store.audit.record("alerts.resumed", actor=self._pseudonym(actor), community_id=community.id,
                                       subscription_id=sub.id)
        return Message(body=_("Subscription #{id} is active again: new notices will be posted.", id=sub.id),
                       severity=Severity.SUCCESS)

    async def test(self, actor: Actor) -> Message:
        """Post a sample alert here now, so a moderator sees the look and any missing permission at once."""
        community, channel = _moderator_here(actor)
        platform = self._alerts.platforms.get(actor.platform)
        if platform is None:
            raise InvalidInput(N_("Alerts are not running on this platform right now."))
        try:
            await platform.send(channel, sample_message(locale=community.locale or actor.locale, today=self._today()))
        except DeliveryFailed as failure:
            return Message(title=_("The test alert could not be posted"), body=failure.text(),
                           severity=Severity.WARNING)
        return Message(body=_("A test alert was posted here."), severity=Severity.SUCCESS)

    # --- personal pings ----------------------------------------------------------------------------------

    async def ping_on(self, actor: Actor, models: str = "", daily: bool = False) -> Message:
        patterns = _parse_models(models)
        ping = await self._store.subscriptions.save_ping(Ping(
            id=0, pseudonym=self._pseudonym(actor), platform=actor.platform, address=actor.user_id,
            community_id=actor.community.id if actor.community else None, filter=AlertFilter(models=patterns),
            locale=actor.locale, daily=daily))
        what = _describe(AlertFilter(PING_CATEGORIES, models=patterns))
        platform = self._alerts.platforms.get(actor.platform)
        if platform is not None:
            hello = Message(title=_("Direct messages are on"),
                            body=_("You will get alerts here: {what}. /alerts ping off stops them.", what=what))
            try:
                await platform.send(Target(actor.platform, actor.user_id, direct=True), hello)
            except DeliveryFailed as failure:
                await self._store.subscriptions.delete_ping(actor.platform, ping.pseudonym)
                return Message(title=_("I cannot message you yet"), body=failure.text(),
                               severity=Severity.WARNING)
        body = _("You will get direct messages about: {what}.", what=what)
        if daily:
            body += " " + _("They come once a day, bundled.")
        return Message(body=body + " " + _("/alerts ping off stops them and forgets your account id."),
                       severity=Severity.SUCCESS)

    async def ping_off(self, actor: Actor) -> Message:
        if await self._store.subscriptions.delete_ping(actor.platform, self._pseudonym(actor)):
            return Message(body=_("Direct messages are off, and your account id is forgotten."),
                           severity=Severity.SUCCESS)
        return Message(body=_("Direct messages were not on."))

    # --- notices posted by hand --------------------------------------------------------------------------

    async def post_notice(self, actor: Actor, title: str = "", text: str = "", link: str = "", models: str = "",
                          deadline: str = "") -> Reply:
        """A notice of the moderators' own to every subscription here; with no title, the form."""
        community, _channel = _moderator_here(actor)
        if not title.strip() and not text.strip():
            return Ask(NOTICE_FORM)
        title, text, link = title.strip(), text.strip(), check_url(link) if link.strip() else ""
        if not title or len(title) > 200:
            raise InvalidInput(N_("The title is required and can be at most {max} characters."), max=200)
        if len(text) > 2000:
            raise InvalidInput(N_("The text can be at most {max} characters (it has {count})."), max=2000,
                               count=len(text))
        due = None
        if deadline.strip():
            due = read_deadline(deadline.strip(), actor.locale, self._today())
            if due < self._today():
                raise InvalidInput(N_("The deadline {date} has already passed."), date=due.isoformat())
        poster = self._pseudonym(actor)
        stored = await self._store.notices.add_notices([Notice(
            kind=NoticeKind.POSTED, category=Category.NEWS, title=title, detail=text, url=link or None,
            models=_parse_models(models), due_date=due, community_id=community.id, posted_by=poster,
            dedup_key=f"posted:{community.id}:{uuid.uuid4().hex}")])
        await self._store.audit.record("notice.posted", actor=poster, community_id=community.id,
                                       notice_id=stored[0].id)
        await self._alerts.route_pending()
        count = await self._store.outbox.count_deliveries(stored[0].id or 0)
        return Message(body=_n("Posted. It goes to {n} subscribed channel or person.",
                               "Posted. It goes to {n} subscribed channels and people.", count),
                       severity=Severity.SUCCESS)


# --- the words typed after each command (Telegram, console); the command table calls these -------------

def parse_subscribe(args: str) -> dict[str, str]:
    """Each word is a category, a vendor, hourly/daily, or else a model pattern. Commas separate words too
    (`openai,anthropic` is two vendors, not one pattern)."""
    words = _words(args)
    _refuse_near_misses(words)
    categories = [w for w in words if w.lower() in CATEGORIES]
    digests = [w for w in words if w.lower() in DIGESTS]
    vendors = [w for w in words if w not in categories and w not in digests and _vendor_key(w)]
    models = [w for w in words if w not in categories and w not in digests and w not in vendors]
    if len(digests) > 1:
        raise InvalidInput(N_("Digest must be one of: {choices}."), choices=", ".join(DIGESTS))
    return {"categories": " ".join(categories), "vendors": " ".join(vendors), "models": " ".join(models),
            "digest": digests[0] if digests else ""}


def parse_ping_on(args: str) -> dict[str, object]:
    words = _words(args)
    _refuse_near_misses([w for w in words if w.lower() in MISSING_DIGESTS])
    return {"models": " ".join(w for w in words if w.lower() != "daily"),
            "daily": any(w.lower() == "daily" for w in words)}


def parse_notice_post(args: str) -> dict[str, str]:
    """`title | text | link | models | deadline`, everything after the title optional; nothing opens the form."""
    if not args.strip():
        return {}
    parts = [p.strip() for p in args.split("|")]
    if len(parts) > len(NOTICE_PARTS):
        raise Usage
    return dict(zip(NOTICE_PARTS, parts, strict=False))


NOTICE_FORM = "notice.post"
NOTICE_PARTS = ("title", "text", "link", "models", "deadline")


def notice_post_form() -> Form:
    return Form(NOTICE_FORM, _("Post a notice"), (
        FormField("title", _("Title"), max_length=200),
        FormField("text", _("What people should know"), FieldKind.PARAGRAPH, required=False, max_length=2000),
        FormField("link", _("A web address to read more"), required=False, max_length=2000,
                  placeholder="https://…", check=check_url),
        FormField("models", _("Models it concerns (comma-separated)"), required=False, max_length=300),
        FormField("deadline", _("A deadline (like 2026-12-31)"), required=False, max_length=40, check=check_date),
    ))
