"""Forms in progress: one rule for every front door.

A handler answers `Ask(form_key)`; the front door begins the form here and asks its fields in its own
way (Discord modals, a Telegram conversation, console prompts), handing each answer back. Every answer is
checked by the Form's own rule and saved at once, so a restart between two steps loses nothing; when the
last one is in, the form's `submit` does the work, acting in the community where the command was given.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from bot.domain import FormProgress, Severity
from bot.errors import InvalidInput, UserError
from bot.i18n import N_, _
from bot.presentation import Actor, Answer, Ask, FieldKind, Form, FormField, Message
from bot.pseudonyms import Pseudonyms
from bot.store import Store

DRAFT = "~"  # answers[DRAFT + key]: an answer not yet given: choices toggled so far in a multiple-choice
#               question not yet done, or the earlier answer to a question asked again (`revisit`)
CONTEXT = "@"  # answers[CONTEXT + key]: what the command that opened the form knew (the campaign, the testimony
#               being edited), carried to `submit` and never asked
KEEP = object()  # given for a question with an earlier answer (`DRAFT`): keep that answer
FORGET_EXPIRED_AFTER = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class FormSpec:
    """A form and what to do with its answers. `build` runs in the reader's language and gets the answers
    so far (a last question may review them); `command` is how the person starts it again (named in the
    expiry message)."""

    key: str
    command: str
    build: Callable[[Mapping[str, object]], Form]
    submit: Callable[[Actor, dict[str, Answer]], Awaitable[Message]]


class FormExpired(UserError):
    def __init__(self, command: str, hours: int) -> None:
        super().__init__(N_("Your form waited more than {hours} hours and was closed, so nothing from it was kept. "
                            "Start again with {command}."), hours=hours, command=command)


class FormService:
    def __init__(self, store: Store, pseudonyms: Pseudonyms, specs: list[FormSpec], *,
                 lifetime: timedelta = timedelta(hours=24),
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self._store = store
        self._pseudonyms = pseudonyms
        self._specs = {spec.key: spec for spec in specs}
        self._lifetime = lifetime
        self._clock = clock

    def spec(self, key: str) -> FormSpec:
        return self._specs[key]

    def form(self, progress: FormProgress) -> Form:
        return self._specs[progress.form_key].build(progress.answers)

    async def begin(self, actor: Actor, ask: Ask) -> FormProgress:
        spec = self._specs[ask.form]  # a KeyError is our bug: every Ask names a registered form
        return await self._store.forms.begin(
            self._pseudonym(actor), actor.platform, spec.key,
            community_id=actor.community.id if actor.community else None, channel=actor.channel,
            moderator=actor.is_moderator, locale=actor.locale, answers=dict(ask.prefill),
            expires_at=self._clock() + self._lifetime)

    async def start(self, actor: Actor, ask: Ask) -> FormProgress:
        """The form an `Ask` names, begun (answers it already holds count as given), or the open one for
        `resume`."""
        if ask.resume and (progress := await self.current(actor)) is not None:
            return progress
        return await self.answer(await self.begin(actor, ask), {})

    async def give(self, progress: FormProgress, actor: Actor, given: Mapping[str, object]) -> FormProgress | Message:
        """Keep answers; once the last is in, submit. The progress to ask next, or the submit's reply."""
        progress = await self.answer(progress, given)
        if self.is_complete(progress):
            return await self.finish(progress, actor)
        return progress

    async def current(self, actor: Actor, token: str | None = None) -> FormProgress | None:
        """The person's open form (the one named by `token`, if given); `FormExpired` once, politely,
        for one that waited too long."""
        progress = await self._store.forms.of_person(self._pseudonym(actor), actor.platform)
        if progress is None or (token is not None and progress.token != token):
            return None
        if progress.expired or progress.expires_at <= self._clock():
            await self._end(progress)
            raise FormExpired(self._specs[progress.form_key].command, int(self._lifetime.total_seconds() // 3600))
        return progress

    async def answer(self, progress: FormProgress, given: Mapping[str, object]) -> FormProgress:
        """Check and keep answers to the next field(s); nothing is kept when one of them is refused."""
        form = self.form(progress)
        answers = dict(progress.answers)
        for key, raw in given.items():
            if raw is KEEP:
                raw = answers.get(DRAFT + key)
            answers[key] = form.field(key).clean(raw)
            answers.pop(DRAFT + key, None)
        step = next((i for i, f in enumerate(form.fields) if f.key not in answers), len(form.fields))
        await self._store.forms.save(progress.id, answers, step)
        return replace(progress, answers=answers, step=step)

    async def save_draft(self, progress: FormProgress, key: str, values: list[str]) -> FormProgress:
        """Choices toggled so far in a multiple-choice question, kept until the person presses Done."""
        answers = {**progress.answers, DRAFT + key: values}
        await self._store.forms.save(progress.id, answers, progress.step)
        return replace(progress, answers=answers)

    async def back(self, progress: FormProgress) -> FormProgress:
        """One question back: it is asked again, its answer offered as the earlier one to keep or change (so
        going back in an /edit never loses a long text)."""
        if progress.step == 0:
            raise InvalidInput(N_("This is the first question; there is nothing to go back to."))
        form = self.form(progress)
        step = progress.step - 1
        key = form.fields[step].key
        answers = {k: v for k, v in progress.answers.items() if k not in (key, DRAFT + key)}
        if key in progress.answers:
            answers[DRAFT + key] = progress.answers[key]
        await self._store.forms.save(progress.id, answers, step)
        return replace(progress, answers=answers, step=step)

    async def revisit(self, progress: FormProgress, step: int = 0) -> FormProgress:
        """Ask again from `step`: the answers from there on become drafts, shown as each question's default,
        so a form whose submit was refused can be changed and sent again, page by page (Discord)."""
        form = self.form(progress)
        answers = dict(progress.answers)
        for field in form.fields[step:]:
            if field.key in answers:
                answers[DRAFT + field.key] = answers.pop(field.key)
        await self._store.forms.save(progress.id, answers, step)
        return replace(progress, answers=answers, step=step)

    def is_complete(self, progress: FormProgress) -> bool:
        return progress.step >= len(self.form(progress).fields)

    async def finish(self, progress: FormProgress, actor: Actor) -> Message:
        """Hand the answers to the form's submit, as the person acting where they began the form. A refusal
        (a deadline already passed) keeps the form, so they can go back and change that answer."""
        form = self.form(progress)
        context = {k: v for k, v in progress.answers.items() if k.startswith(CONTEXT) and isinstance(v, str)}
        answers = {**context, **form.clean(progress.answers)}
        where = actor
        if progress.community_id is not None and (actor.community is None
                                                  or actor.community.id != progress.community_id):
            community = await self._store.communities.community_by_id(progress.community_id)
            where = replace(actor, community=community, channel=progress.channel, is_moderator=progress.moderator)
        message = await self._specs[progress.form_key].submit(where, answers)
        await self._end(progress)
        return message

    async def cancel(self, actor: Actor) -> bool:
        progress = await self._store.forms.of_person(self._pseudonym(actor), actor.platform)
        if progress is None:
            return False
        await self._end(progress)
        return True

    async def _end(self, progress: FormProgress) -> None:
        """Forget the form, and the answers as typed with it: every step was saved, so the write-ahead log
        holds each version (a phone number a testimony's review said was removed, say) until emptied."""
        await self._store.forms.end(progress.id)
        await self._store.db.checkpoint()

    async def sweep(self) -> int:
        """Wipe the answers of forms nobody finished in time (run by the scheduler)."""
        now = self._clock()
        wiped = await self._store.forms.expire_due(now, forget_after=now - FORGET_EXPIRED_AFTER)
        if wiped:
            await self._store.db.checkpoint()  # the answers leave the write-ahead log too
        return wiped

    def _pseudonym(self, actor: Actor) -> str:
        return self._pseudonyms.of(actor.platform, actor.user_id)


class FormCommands:
    """/cancel and /back, for the front doors that ask a form one question at a time."""

    def __init__(self, forms: FormService) -> None:
        self._forms = forms

    async def cancel(self, actor: Actor) -> Message:
        if await self._forms.cancel(actor):
            return Message(body=_("Stopped. Nothing from that form was kept."), severity=Severity.SUCCESS)
        return Message(body=_("No form is open, so there is nothing to stop."))

    async def back(self, actor: Actor) -> Ask:
        progress = await self._forms.current(actor)
        if progress is None:
            raise InvalidInput(N_("No form is open. Commands such as /survey report open one."))
        progress = await self._forms.back(progress)
        return Ask(progress.form_key, resume=True)


def answer_from_text(field: FormField, text: str) -> object:
    """What a person typed, as the raw answer `FormField.clean` expects: a choice by its number or its
    value, several as `1, 3`, yes/no in English or in the person's language. Used by the console, and by
    Telegram when someone types instead of pressing a button."""
    text = text.strip()
    if field.kind == FieldKind.YESNO:
        if not text:
            return None
        word = text.lower()
        if word in {"y", "yes", _("yes").lower()}:
            return True
        if word in {"n", "no", _("no").lower()}:
            return False
        return text  # refused by clean() with what it takes
    if field.kind in (FieldKind.CHOICE, FieldKind.MULTI):
        picked = [_choice_value(field, part) for part in text.split(",") if part.strip()] \
            if field.kind == FieldKind.MULTI else [_choice_value(field, text)] if text else []
        return picked if field.kind == FieldKind.MULTI else (picked[0] if picked else "")
    return text


def _choice_value(field: FormField, text: str) -> str:
    text = text.strip()
    if text.isascii() and text.isdigit() and 1 <= int(text) <= len(field.choices):
        return field.choices[int(text) - 1].value
    return next((c.value for c in field.choices if text.lower() in (c.value, c.label.lower())), text)


def earlier_answer(form: Form, progress: FormProgress) -> Answer | None:
    """The answer given before to the question asked now (a stored value being edited, a revisited answer),
    which `KEEP` keeps; None when there is none, or none that would still be accepted."""
    if progress.step >= len(form.fields):
        return None
    field = form.fields[progress.step]
    value = progress.answers.get(DRAFT + field.key)
    if value is None or value == "" or value == []:
        return None
    try:
        return field.clean(value)
    except UserError:
        return None


def shown_answer(field: FormField, value: Answer) -> str:
    """An answer as the person reads it: a choice's label, yes or no, the text itself."""
    if field.kind == FieldKind.YESNO:
        return _("yes") if value is True else _("no")
    if isinstance(value, list):
        return ", ".join(field.choice_label(v) for v in value)
    return field.choice_label(value) if field.kind == FieldKind.CHOICE else str(value)


def question_message(form: Form, step: int, *, earlier: Answer | None = None, keep: str | None = None) -> Message:
    """The question at `step` in neutral terms: the form's title with where we are, the explanation, the
    question, the `earlier` answer it may keep, numbered choices, and how to keep, skip or stop (front doors
    with buttons add them as buttons; `keep` says how to keep the earlier answer on this front door)."""
    field = form.fields[step]
    choices = "\n".join(f"{i}. {c.label}" for i, c in enumerate(field.choices, 1))
    current = _("Current answer: {answer}", answer=shown_answer(field, earlier)) if earlier is not None else ""
    body = "\n\n".join(filter(None, [field.explanation, field.label, current, choices]))
    hints = []
    if field.kind == FieldKind.YESNO:
        hints.append(_("Answer yes or no."))
    if field.kind == FieldKind.MULTI:
        hints.append(_("Choose any number, then Done (typed: the numbers, comma-separated)."))
    if earlier is not None and keep:
        hints.append(keep)
    elif not field.required:
        hints.append(_("Optional: leave it empty (or press Skip) to skip it."))
    hints.append(_("/back goes back one question; /cancel stops and keeps nothing."))
    return Message(title=f"{form.title} ({step + 1}/{len(form.fields)})", body=body, footer=" ".join(hints))
