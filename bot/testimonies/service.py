"""Testimonies: the rules every front door and the importer share. A person gives one through the Form,
sees exactly what will be stored, and gets a receipt; they can list, edit and withdraw theirs and take or
delete everything stored about them. Moderators review their own community's, and only theirs."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from rapidfuzz import fuzz, process

from bot.checks import closest, require_community, require_moderator
from bot.domain import Campaign, ConsentLevel, PlatformName, Severity, Target, Testimony, TestimonyStatus
from bot.errors import AlreadyExists, DeliveryFailed, InvalidInput, NotFound, Usage
from bot.forms import CONTEXT, DRAFT, FormSpec
from bot.i18n import N_, _, _n, use_locale
from bot.presentation import Actor, Answer, Ask, Attachment, FieldKind, Form, FormField, Message, MessageField, Platform
from bot.pseudonyms import Pseudonyms
from bot.store import Store
from bot.store.testimonies import Words
from bot.testimonies import form as testimony
from bot.testimonies.form import CONSENT_TEXT_VERSION, FORM_KEY
from bot.watch import models as model_names

PER_DAY = 3            # testimonies one person may submit in 24 hours
NEAR_DUPLICATE = 90    # rapidfuzz ratio (0–100) from which a person's new text repeats one they gave
DELETE_FORM = "mydata.delete"
REVIEW_DECISIONS = ("approve", "reject", "hide", "block", "unblock", "withdraw")
NAME_LIMIT, DESCRIPTION_LIMIT = 60, 500


def repeated(meaning: str, earlier: Iterable[tuple[int, str]]) -> int | None:
    """The key of an earlier text that `meaning` nearly repeats (the one rule for a person's own repeats, in
    the Form and in imports), or None."""
    texts = dict(earlier)
    found = process.extractOne(meaning, texts, scorer=fuzz.ratio, score_cutoff=NEAR_DUPLICATE) if texts else None
    return found[2] if found else None


def status_label(status: TestimonyStatus) -> str:
    return {
        TestimonyStatus.PENDING: _("waiting for review"),
        TestimonyStatus.APPROVED: _("approved"),
        TestimonyStatus.REJECTED: _("not accepted"),
        TestimonyStatus.HIDDEN: _("hidden by the moderators"),
        TestimonyStatus.WITHDRAWN: _("withdrawn"),
    }[status]


@dataclass(frozen=True, slots=True)
class Submission:
    """A testimony arriving from any door: the Form's answers, or a row of an import file."""

    community_id: int
    campaign_id: int
    author: str
    platform: str
    words: Words
    level: ConsentLevel
    health: bool
    imported: bool = False
    submitted_at: datetime | None = None  # when the source system took it (imports); else now


class TestimonyService:
    def __init__(self, store: Store, pseudonyms: Pseudonyms, platforms: Callable[[], Mapping[PlatformName, Platform]],
                 *, clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self._store = store
        self._pseudonyms = pseudonyms
        self._platforms = platforms  # the front doors attached now, to tell an author the outcome of a review
        self._clock = clock
        self._known_models: tuple[str, ...] = ()

    # --- the Form ----------------------------------------------------------------------------------------

    def form_specs(self) -> list[FormSpec]:
        return [FormSpec(FORM_KEY, "/testify", self._build, self._submit_form),
                FormSpec(DELETE_FORM, "/mydata delete", lambda _answers: delete_form(), self._submit_delete)]

    def _build(self, answers: Mapping[str, object]) -> Form:
        return testimony.testimony_form(answers, self._known_models)

    @property
    def known_models(self) -> tuple[str, ...]:
        """The model ids typed names are matched to, as of the last `refresh_models`."""
        return self._known_models

    async def refresh_models(self, community_id: int | None) -> None:
        """The model ids the watch knows, so typed names are matched to them (`4o` → gpt-4o)."""
        rows = await self._store.deprecations.current_for(community_id)
        self._known_models = tuple(sorted({row.row.model for row in rows}))

    async def model_suggestions(self, community_id: int | None, typed: str, limit: int = 25) -> list[str]:
        """Model families the watch knows whose names match what is typed so far (Discord's autocomplete)."""
        rows = await self._store.deprecations.current_for(community_id)
        families = sorted({model_names.family(row.row.model) for row in rows})
        typed = typed.strip()
        return [name for name in families if not typed or model_names.matches(typed, name)
                or model_names.normalise(typed) in name][:limit]

    async def testify(self, actor: Actor, model: str = "", campaign: str = "") -> Ask:
        community = require_community(actor)
        author = self._pseudonym(actor)
        await self._check_may_submit(community.id, author)
        chosen = await self._campaign(community.id, campaign)
        await self.refresh_models(community.id)
        prefill: dict[str, Answer] = {CONTEXT + "campaign": str(chosen.id), CONTEXT + "campaign_name": chosen.name}
        language = {"zh_Hans": "zh"}.get(actor.locale, actor.locale)
        if language in testimony.LANGUAGES:
            prefill[DRAFT + "language"] = language
        if model.strip():
            prefill[DRAFT + "models"] = model.strip()[:testimony.MODELS_LIMIT]
        return Ask(FORM_KEY, prefill=prefill)

    async def _submit_form(self, actor: Actor, answers: dict[str, Answer]) -> Message:
        if answers["confirm"] is not True:
            raise InvalidInput(N_("Nothing was stored. To store your testimony, tick “{label}” (or answer yes); to "
                                  "stop, cancel the form."), label=_("Store my testimony"))
        words = testimony.words(answers, self._known_models)
        level, health = ConsentLevel(int(str(answers["consent"]))), answers["health"] is True
        author = self._pseudonym(actor)
        editing = str(answers.get(CONTEXT + "editing") or "")
        if editing:  # an edit may be finished anywhere private; the testimony knows its community
            return await self._save_edit(author, int(editing), words, level, health)
        community = require_community(actor)
        stored = await self.submit(Submission(community.id, int(str(answers[CONTEXT + "campaign"])), author,
                                              actor.platform.value, words, level, health))
        body = _("Your receipt is {receipt}. The moderators will review it. /mytestimonies lists yours, /edit "
                 "{receipt} changes it and /withdraw {receipt} removes it.", receipt=stored.receipt)
        if actor.platform != PlatformName.CONSOLE:
            # Only to tell them the outcome of the review; forgotten once nothing of theirs waits for one.
            await self._store.testimonies.save_contact(author, actor.platform, actor.user_id, actor.locale,
                                                       self._clock())
            body += " " + _("I will tell you the outcome in a direct message, if I can send you one.")
        return Message(title=_("Thank you. Your testimony is stored."), severity=Severity.SUCCESS, body=body)

    async def submit(self, submission: Submission) -> Testimony:
        """The rules for every new testimony, then the store: a blocked person, a full day, a repeat of
        their own earlier text are refused with a reason and nothing is kept. An import is not held to the
        day's allowance (a file brings many at once), and to every other rule."""
        store = self._store.testimonies
        # The rules are read inside the transaction that stores: two submissions of one person at the same
        # moment (a form sent twice) cannot both pass them.
        async with self._store.db.transaction():
            state = await store.intake_state(submission.author, submission.community_id,
                                             self._clock() - timedelta(days=1))
            self._check_standing(state.blocked, state.count_since if not submission.imported else 0)
            self._check_not_repeated(submission.words.meaning, state.texts)
            return await store.add(
                submission.community_id, submission.campaign_id, submission.author, submission.platform,
                submission.words, submission.level, submission.health, CONSENT_TEXT_VERSION,
                submission.submitted_at or self._clock(), imported=submission.imported)

    async def _check_may_submit(self, community_id: int, author: str) -> None:
        since = self._clock() - timedelta(days=1)
        self._check_standing(await self._store.testimonies.is_blocked(community_id, author),
                             await self._store.testimonies.count_since(author, since))

    @staticmethod
    def _check_standing(blocked: bool, today: int) -> None:
        if blocked:
            raise InvalidInput(N_("The moderators of this community have stopped new testimonies from you. If you "
                                  "think this is a mistake, write to them."))
        if today >= PER_DAY:
            raise InvalidInput(N_("You have given {count} testimonies in the last 24 hours, which is as many as one "
                                  "day takes. Thank you; please come back tomorrow, or add to one with /edit."),
                               count=PER_DAY)

    @staticmethod
    def _check_not_repeated(meaning: str, earlier: list[tuple[int, str]], *, besides: int | None = None) -> None:
        if repeated(meaning, [(key, text) for key, text in earlier if key != besides]) is not None:
            raise InvalidInput(N_("This is nearly the same as a testimony you already gave, so it was not stored "
                                  "again. To change that one, use /mytestimonies and /edit."))

    # --- the person's own --------------------------------------------------------------------------------

    async def mine(self, actor: Actor) -> Message:
        found = await self._store.testimonies.of_author(self._pseudonym(actor))
        if not found:
            return Message(body=_("You have not given a testimony here yet. /testify gives one."))
        return Message(
            title=_("Your testimonies"),
            body=_("/edit followed by the receipt changes one; /withdraw followed by the receipt removes it."),
            fields=tuple(MessageField(f"{t.receipt} · {status_label(t.status)}", _summary(t)) for t in found[-25:]))

    async def edit(self, actor: Actor, receipt: str) -> Ask:
        found = await self._own(actor, receipt)
        if found.status == TestimonyStatus.WITHDRAWN:
            raise InvalidInput(N_("{receipt} was withdrawn, so there is nothing left to edit. /testify gives a new "
                                  "testimony."), receipt=found.receipt)
        await self.refresh_models(found.community_id)
        campaign = await self._store.testimonies.campaign(found.community_id, found.campaign_id)
        consent = found.consent
        earlier: dict[str, Answer] = {
            "models": found.models_text or "", "uses": list(found.uses), "meaning": found.meaning or "",
            "asks": list(found.asks), "display_name": found.display_name or "", "language": found.language or "",
            "consent": str(int(consent.level)) if consent else "", "health": bool(consent and consent.health)}
        return Ask(FORM_KEY, prefill={CONTEXT + "editing": str(found.id), CONTEXT + "campaign": str(campaign.id),
                                      CONTEXT + "campaign_name": campaign.name,
                                      **{DRAFT + key: value for key, value in earlier.items()}})

    async def _save_edit(self, author: str, testimony_id: int, words: Words, level: ConsentLevel,
                         health: bool) -> Message:
        found = await self._store.testimonies.get(testimony_id)
        if found.author != author or found.status == TestimonyStatus.WITHDRAWN:
            raise InvalidInput(N_("That testimony can no longer be edited."))
        self._check_not_repeated(words.meaning, await self._store.testimonies.texts_of_author(
            author, found.community_id), besides=found.id)
        changed = tuple(name for name, before, after in (
            ("models", found.models, words.models), ("uses", found.uses, words.uses),
            ("meaning", found.meaning, words.meaning), ("asks", found.asks, words.asks),
            ("display_name", found.display_name or "", words.display_name),
            ("language", found.language, words.language),
            ("consent", (found.consent.level, found.consent.health) if found.consent else None, (level, health)),
        ) if before != after)
        updated = await self._store.testimonies.update(found, words, level, health, CONSENT_TEXT_VERSION,
                                                       self._clock(), changed=changed)
        if not changed:
            return Message(body=_("Nothing changed in {receipt}.", receipt=found.receipt))
        body = _("{receipt} is updated.", receipt=found.receipt)
        if found.status != TestimonyStatus.PENDING and updated.status == TestimonyStatus.PENDING:
            body += " " + _("The moderators had already decided on it, so they will review the changes.")
        return Message(body=body, severity=Severity.SUCCESS)

    async def withdraw(self, actor: Actor, receipt: str) -> Message:
        found = await self._own(actor, receipt)
        if found.status == TestimonyStatus.WITHDRAWN:
            return Message(body=_("{receipt} was already withdrawn.", receipt=found.receipt))
        await self._withdraw(found)
        return Message(
            title=_("Withdrawn"), severity=Severity.SUCCESS,
            body=_("{receipt} is withdrawn: its words are deleted and will be in no statement made from now on. Only "
                   "a note that a testimony was withdrawn remains, so the counts stay honest. A statement already "
                   "sent cannot be recalled.", receipt=found.receipt))

    async def _withdraw(self, found: Testimony) -> None:
        await self._store.testimonies.withdraw(found.id, self._clock())
        await self._store.testimonies.forget_contact_unless_pending(found.author)
        await self._store.db.checkpoint()  # the old words leave the write-ahead log as well

    async def my_data(self, actor: Actor) -> Message:
        pseudonym = self._pseudonym(actor)
        data = await self._store.export_person(pseudonym)
        document = {"exported_at": self._clock().isoformat(timespec="seconds"), "platform": actor.platform.value,
                    "pseudonym": pseudonym, "data": data}
        encoded = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True).encode()
        return Message(
            title=_("Everything stored about you"), severity=Severity.SUCCESS,
            body=_("The file holds everything this instance stores about you on this platform: {parts}. /mydata "
                   "delete removes all of it.", parts=", ".join(sorted(data)) or _("nothing")),
            attachments=(Attachment("continuity-my-data.json", encoded, "application/json"),))

    async def delete_my_data(self, actor: Actor) -> Ask:
        return Ask(DELETE_FORM)

    async def _submit_delete(self, actor: Actor, answers: dict[str, Answer]) -> Message:
        if answers["sure"] is not True:
            return Message(body=_("Nothing was deleted."))
        await self._store.delete_person(self._pseudonym(actor))
        return Message(title=_("Deleted"), severity=Severity.SUCCESS, body=_(
            "Everything stored about you on this platform is deleted: testimonies, consent records, preferences and "
            "direct messages. A statement already sent cannot be recalled."))

    async def _own(self, actor: Actor, receipt: str) -> Testimony:
        """The person's own testimony by its receipt; anyone else's is as unknown as one that never was."""
        text = receipt.strip().upper()
        if not text:
            raise InvalidInput(N_("Give the receipt of the testimony, like T-7KQ2M9 (/mytestimonies lists them)."))
        found = await self._store.testimonies.by_receipt(text)
        if found is None or found.author != self._pseudonym(actor):
            raise InvalidInput(N_("You have no testimony {receipt}. /mytestimonies lists yours."), receipt=text[:12])
        return found

    # --- moderators --------------------------------------------------------------------------------------

    async def review(self, actor: Actor, receipt: str = "", decision: str = "", reason: str = "") -> Message:
        community = require_moderator(actor)
        store = self._store.testimonies
        if not receipt.strip():
            waiting = await store.count_pending(community.id)
            if not waiting:
                return Message(body=_("No testimonies are waiting for review."))
            return _review_card((await store.pending(community.id))[0], waiting)
        found = await self._here(community.id, receipt)
        choice = decision.strip().lower()
        if choice not in REVIEW_DECISIONS:
            raise InvalidInput(N_("After the receipt, say one of: {choices}."), choices=", ".join(REVIEW_DECISIONS))
        moderator = self._pseudonym(actor)
        if choice in ("block", "unblock"):
            return await self._block(community.id, found, moderator, choice == "block")
        if found.status == TestimonyStatus.WITHDRAWN:
            raise InvalidInput(N_("{receipt} was withdrawn by its author."), receipt=found.receipt)
        if choice == "withdraw":
            return await self._withdraw_for_author(community.id, found, moderator)
        status = {"approve": TestimonyStatus.APPROVED, "reject": TestimonyStatus.REJECTED,
                  "hide": TestimonyStatus.HIDDEN}[choice]
        why = reason.strip()
        if status == TestimonyStatus.REJECTED and not why:
            raise InvalidInput(N_("Say why after reject, in a few words: the author is told."))
        if len(why) > 500:
            raise InvalidInput(N_("The reason can be at most {max} characters (it has {count})."), max=500,
                               count=len(why))
        await store.review(found.id, status, moderator, why or None, self._clock())
        await self._store.audit.record(f"testimony.{status.value}", actor=moderator, community_id=community.id,
                                       receipt=found.receipt)
        told = await self._tell_author(found, status, why)
        receipt = found.receipt
        done = {TestimonyStatus.APPROVED: _("{receipt} approved.", receipt=receipt),
                TestimonyStatus.REJECTED: _("{receipt} rejected.", receipt=receipt),
                TestimonyStatus.HIDDEN: _("{receipt} hidden.", receipt=receipt)}[status]
        note = _("The author was told.") if told else _("The author could not be told: I cannot message them.")
        left = await store.count_pending(community.id)
        more = _n("{n} testimony is still waiting: /review shows it.", "{n} testimonies are still waiting: /review "
                  "shows the next.", left) if left else _("None are waiting now.")
        return Message(body=f"{done} {note} {more}", severity=Severity.SUCCESS)

    async def _withdraw_for_author(self, community_id: int, found: Testimony, moderator: str) -> Message:
        """An imported testimony's author has no account to withdraw with: the moderators do it when asked."""
        if not found.imported:
            raise InvalidInput(N_("Only its author can withdraw {receipt}, with /withdraw. You can hide it."),
                               receipt=found.receipt)
        await self._withdraw(found)
        await self._store.audit.record("testimony.withdrawn_for_author", actor=moderator, community_id=community_id,
                                       receipt=found.receipt)
        return Message(severity=Severity.SUCCESS, body=_(
            "{receipt} is withdrawn on its author's behalf: its words are deleted. A statement already sent cannot "
            "be recalled.", receipt=found.receipt))

    async def _block(self, community_id: int, found: Testimony, moderator: str, block: bool) -> Message:
        store = self._store.testimonies
        if block:
            changed = await store.block(community_id, found.author, moderator, self._clock())
        else:
            changed = await store.unblock(community_id, found.author)
        if changed:
            await self._store.audit.record("testimony.author_blocked" if block else "testimony.author_unblocked",
                                           actor=moderator, community_id=community_id, receipt=found.receipt)
        receipt = found.receipt
        if block and changed:
            body = _("The author of {receipt} can no longer submit testimonies here. They are not told who did it, "
                     "and you are not told who they are.", receipt=receipt)
        elif block:
            body = _("The author of {receipt} was already blocked here.", receipt=receipt)
        elif changed:
            body = _("The author of {receipt} may submit testimonies here again.", receipt=receipt)
        else:
            body = _("The author of {receipt} was not blocked here.", receipt=receipt)
        return Message(body=body, severity=Severity.SUCCESS)

    async def _here(self, community_id: int, receipt: str) -> Testimony:
        """A testimony of this community; another community's is as unknown as one that never was."""
        text = receipt.strip().upper()
        found = await self._store.testimonies.by_receipt(text)
        if found is None or found.community_id != community_id:
            raise InvalidInput(N_("There is no testimony {receipt} in this community."), receipt=text[:12])
        return found

    async def _tell_author(self, found: Testimony, status: TestimonyStatus, reason: str) -> bool:
        """The outcome in the author's private chat, where that is possible; then their address is forgotten
        unless another of theirs still waits."""
        contact = await self._store.testimonies.contact(found.author, found.platform)
        told = False
        platform = next((p for name, p in self._platforms().items() if name.value == found.platform), None)
        if contact is not None and platform is not None:
            address, locale = contact
            with use_locale(locale):
                receipt = found.receipt
                body = {
                    TestimonyStatus.APPROVED: _("Your testimony {receipt} was approved. Thank you for giving it.",
                                                receipt=receipt),
                    TestimonyStatus.REJECTED: _("Your testimony {receipt} was not accepted. The moderators said: "
                                                "{reason}", receipt=receipt, reason=reason),
                    TestimonyStatus.HIDDEN: _("Your testimony {receipt} was hidden by the moderators: it stays yours "
                                              "but is left out of statements.", receipt=receipt),
                }[status]
                message = Message(title=_("Your testimony"), body=body + " " + _(
                    "/mytestimonies shows yours; /withdraw removes one."))
            try:
                await platform.send(Target(platform.name, address, direct=True), message)
                told = True
            except DeliveryFailed:
                told = False
        await self._store.testimonies.forget_contact_unless_pending(found.author)
        return told

    # --- campaigns ---------------------------------------------------------------------------------------

    async def create_campaign(self, actor: Actor, name: str = "", description: str = "", models: str = "",
                              closes: str = "") -> Message:
        community = require_moderator(actor)
        name, description = name.strip(), description.strip()
        if not name or len(name) > NAME_LIMIT:
            raise InvalidInput(N_("A campaign needs a name of at most {max} characters."), max=NAME_LIMIT)
        if len(description) > DESCRIPTION_LIMIT:
            raise InvalidInput(N_("The description can be at most {max} characters (it has {count})."),
                               max=DESCRIPTION_LIMIT, count=len(description))
        closes_on = None
        if closes.strip():
            from bot.watch.dates import read_deadline  # the one reader of people's dates

            closes_on = read_deadline(closes.strip(), actor.locale, self._clock().date())
        try:
            created = await self._store.testimonies.add_campaign(
                community.id, name, description, tuple(testimony.intake.split_list(models))[:20], closes_on,
                self._pseudonym(actor), self._clock())
        except AlreadyExists:
            raise InvalidInput(N_("There is already a campaign called “{name}” here."), name=name) from None
        await self._store.audit.record("campaign.created", actor=self._pseudonym(actor), community_id=community.id,
                                       campaign_id=created.id)
        return Message(severity=Severity.SUCCESS, body=_(
            "Campaign “{name}” created. Members join it with /testify campaign:{name} (Telegram and console: /testify "
            "{name}).", name=name))

    async def list_campaigns(self, actor: Actor) -> Message:
        community = require_community(actor)
        await self._store.testimonies.default_campaign(community.id, self._clock())
        fields = []
        for campaign in await self._store.testimonies.campaigns(community.id):
            title = _("The community's testimonies (default)") if campaign.is_default else campaign.name
            about = " · ".join(filter(None, [
                campaign.description, ", ".join(campaign.models),
                _("closes {date}", date=campaign.closes_on.isoformat()) if campaign.closes_on else ""]))
            fields.append(MessageField(title, about or "—"))
        return Message(title=_("Campaigns"), body=_("/testify gives a testimony to the default campaign; /testify "
                                                    "followed by a campaign's name gives one to that campaign."),
                       fields=tuple(fields))

    async def _campaign(self, community_id: int, name: str) -> Campaign:
        default = await self._store.testimonies.default_campaign(community_id, self._clock())
        if not name.strip():
            return default
        try:
            chosen = await self._store.testimonies.campaign_named(community_id, name.strip())
        except NotFound:
            names = {c.name.lower(): c.name for c in await self._store.testimonies.campaigns(community_id) if c.name}
            near = names.get(closest(name.strip(), names) or "")
            if near:
                raise InvalidInput(N_("There is no campaign “{name}” here. Did you mean “{near}”?"),
                                   name=name.strip()[:60], near=near) from None
            raise InvalidInput(N_("There is no campaign “{name}” here. /campaign list shows them."),
                               name=name.strip()[:60]) from None
        if chosen.closed_on(self._clock().date()):
            raise InvalidInput(N_("The campaign “{name}” closed on {date}."), name=chosen.name,
                               date=chosen.closes_on.isoformat())
        return chosen

    def _pseudonym(self, actor: Actor) -> str:
        return self._pseudonyms.of(actor.platform, actor.user_id)


def delete_form() -> Form:
    return Form(DELETE_FORM, _("Delete my data"), (
        FormField("sure", _("Delete everything about me?"), FieldKind.YESNO, explanation=_(
            "This deletes everything this instance stores about you on this platform: your testimonies and their "
            "consent records, your language choice, your direct messages. It cannot be undone, and a statement "
            "already sent cannot be recalled. /mydata first gives you a copy.")),))


def _summary(found: Testimony) -> str:
    if found.meaning is None:
        return _("Its words were deleted.")
    text = found.meaning if len(found.meaning) <= 160 else found.meaning[:159] + "…"
    extra = _("Not accepted: {reason}", reason=found.review_reason) if found.status == TestimonyStatus.REJECTED \
        and found.review_reason else ""
    return "\n".join(filter(None, [", ".join(found.models), text, extra]))


def _review_card(found: Testimony, waiting: int) -> Message:
    consent = found.consent
    fields = [
        MessageField(_("Models"), ", ".join(found.models) or "—", inline=True),
        MessageField(_("Uses"), ", ".join(testimony.use_label(u) for u in found.uses) or "—", inline=True),
        MessageField(_("Asks"), ", ".join(testimony.ask_label(a) for a in found.asks) or "—", inline=True),
        MessageField(_("Consent"), testimony.consent_label(consent.level) if consent else "—", inline=True),
        MessageField(_("Language"), found.language or "—", inline=True),
    ]
    if found.imported:
        fields.append(MessageField(_("Source"), _("imported from a file"), inline=True))
    if found.changed_fields:
        questions = testimony.testimony_form({})  # the changed answers by their questions, in the reader's words
        changed = "; ".join(questions.field(key).label for key in found.changed_fields)
        fields.append(MessageField(_("Changed since the last review"), changed))
        if found.previous_meaning and found.previous_meaning != found.meaning:
            fields.append(MessageField(_("The text as reviewed then"), found.previous_meaning[:1000]))
    return Message(
        title=_("{receipt}, waiting for review ({n} in all)", receipt=found.receipt, n=waiting),
        body=found.meaning or "", fields=tuple(fields),
        footer=_("/review {receipt} approve, /review {receipt} reject <reason>, /review {receipt} hide, or /review "
                 "{receipt} block to stop its author from submitting here.", receipt=found.receipt))




def parse_review(args: str) -> dict[str, str]:
    """`T-7KQ2M9 reject not about a model`: the receipt, the decision, and a reason with its spaces."""
    words = args.split(maxsplit=2)
    return dict(zip(("receipt", "decision", "reason"), words, strict=False))


def parse_campaign_create(args: str) -> dict[str, str]:
    """`name | description | models | closing date`, as /notice post takes its parts."""
    if not args.strip():
        raise Usage
    parts = [part.strip() for part in args.split("|")]
    if len(parts) > 4:
        raise Usage
    return dict(zip(("name", "description", "models", "closes"), parts, strict=False))
