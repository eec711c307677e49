"""The neutral vocabulary between the core and the front doors.

What a person sees is defined once as a `Message` or a `Form` and rendered per platform; who acts is an
`Actor` built by the adapter; where a message goes is a `Target`. Escaping and length limits live in
each platform's renderer, nowhere else.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from bot.domain import Community, PlatformName, Severity, Target
from bot.errors import InvalidInput
from bot.i18n import N_

if TYPE_CHECKING:
    from bot.alerts.pacing import Pacer


@dataclass(frozen=True, slots=True)
class MessageField:
    name: str
    value: str
    inline: bool = False
    when: date | None = None  # the value is about this day: Discord shows it in each reader's own calendar


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file sent with a message (a calendar, a data export): Discord and Telegram attach it, the console
    writes it next to the database and prints where."""

    filename: str
    data: bytes
    media_type: str = "application/octet-stream"


@dataclass(frozen=True, slots=True)
class Message:
    """Something to show: rendered as a Discord embed, Telegram HTML or console text.

    All text is plain (never markup): renderers escape it, so text from a feed cannot inject markup.
    `mention_roles` are the only mentions a renderer may emit.
    """

    body: str
    title: str | None = None
    fields: tuple[MessageField, ...] = ()
    link: str | None = None
    severity: Severity = Severity.INFO
    footer: str | None = None
    mention_roles: tuple[str, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    # For the asker's eyes only (a statement's files): where the answer would be public, a Telegram group,
    # it goes to the person's private chat instead. Discord's answers are ephemeral anyway.
    private: bool = False


class FieldKind(StrEnum):
    SHORT = "short"          # one line of text
    PARAGRAPH = "paragraph"  # several lines of text
    CHOICE = "choice"        # exactly one of `choices`
    MULTI = "multi"          # any number of `choices`
    YESNO = "yesno"          # a yes or a no


@dataclass(frozen=True, slots=True)
class Choice:
    value: str  # what is stored; stable across languages
    label: str  # what the person reads, already in their language


Answer = str | list[str] | bool
"""A cleaned answer: text for SHORT/PARAGRAPH/CHOICE, the chosen values for MULTI, a bool for YESNO."""


@dataclass(frozen=True, slots=True)
class FormField:
    """One question. Labels and explanations are in the reader's language (forms are built per request);
    the limits are the one rule every front door enforces through `clean`."""

    key: str
    label: str
    kind: FieldKind = FieldKind.SHORT
    required: bool = True
    min_length: int = 0
    max_length: int = 1000
    choices: tuple[Choice, ...] = ()
    placeholder: str | None = None
    explanation: str | None = None  # a plain sentence shown before the question
    check: Callable[[str], object] | None = None  # a further rule for a text answer: raises InvalidInput
    alone: bool = False  # asked on a page of its own, after every answer before it (a review to confirm)

    @property
    def is_text(self) -> bool:
        return self.kind in (FieldKind.SHORT, FieldKind.PARAGRAPH)

    def choice_label(self, value: str) -> str:
        return next((c.label for c in self.choices if c.value == value), value)

    def clean(self, raw: object) -> Answer:
        """The accepted value, or `InvalidInput` saying what to change. One rule for every platform."""
        if self.kind == FieldKind.YESNO:
            return self._clean_yes_no(raw)
        if self.kind == FieldKind.MULTI:
            return self._clean_multi(raw)
        value = raw.strip() if isinstance(raw, str) else ""
        if not value:
            if self.required:
                raise InvalidInput(N_("“{label}” is required."), label=self.label)
            return ""
        if self.kind == FieldKind.CHOICE:
            if value not in {c.value for c in self.choices}:
                raise InvalidInput(N_("“{label}” must be one of: {choices}."), label=self.label,
                                   choices=", ".join(c.label for c in self.choices))
            return value
        if len(value) < self.min_length:
            raise InvalidInput(N_("“{label}” needs at least {min} characters (it has {count})."),
                               label=self.label, min=self.min_length, count=len(value))
        if len(value) > self.max_length:
            raise InvalidInput(N_("“{label}” can be at most {max} characters (it has {count})."),
                               label=self.label, max=self.max_length, count=len(value))
        if self.check is not None:
            self.check(value)
        return value

    def _clean_multi(self, raw: object) -> list[str]:
        values = [raw] if isinstance(raw, str) and raw else list(raw) if isinstance(raw, list | tuple) else []
        known = [c.value for c in self.choices]
        unknown = [v for v in values if v not in known]
        if unknown or not all(isinstance(v, str) for v in values):
            raise InvalidInput(N_("“{label}” must be one or more of: {choices}."), label=self.label,
                               choices=", ".join(c.label for c in self.choices))
        if self.required and not values:
            raise InvalidInput(N_("“{label}” is required."), label=self.label)
        return [v for v in known if v in values]  # the form's order, each once

    def _clean_yes_no(self, raw: object) -> bool:
        if isinstance(raw, bool):
            return raw
        if raw is None or raw == "":
            if self.required:
                raise InvalidInput(N_("“{label}” is required."), label=self.label)
            return False
        raise InvalidInput(N_("“{label}” takes a yes or a no."), label=self.label)


@dataclass(frozen=True, slots=True)
class Form:
    """Questions to ask a person: Discord modal(s), a Telegram conversation, console prompts."""

    key: str
    title: str
    fields: tuple[FormField, ...]

    def field(self, key: str) -> FormField:
        return next(f for f in self.fields if f.key == key)

    def clean(self, answers: Mapping[str, object]) -> dict[str, Answer]:
        return {f.key: f.clean(answers.get(f.key)) for f in self.fields}

    def pages(self, size: int, cost: Callable[[FormField], int] = lambda field: 1) -> list[tuple[FormField, ...]]:
        """The fields in groups costing at most `size` (Discord: five components per modal, and a long
        explanation is a component of its own); a field asked `alone` starts a page and ends it."""
        pages: list[list[FormField]] = [[]]
        for item in self.fields:
            used = sum(cost(f) for f in pages[-1])
            if pages[-1] and (item.alone or pages[-1][-1].alone or used + cost(item) > size):
                pages.append([])
            pages[-1].append(item)
        return [tuple(page) for page in pages if page]


@dataclass(frozen=True, slots=True)
class Ask:
    """A handler's answer meaning "fill in this form first": the front door asks it, step by step and
    kept in the database, then the form's own submit does the work. `prefill` holds answers already given."""

    form: str
    prefill: Mapping[str, Answer] = field(default_factory=dict)
    resume: bool = False  # go on with the form the person has open (after /back) instead of a new one


Reply = Message | Ask


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is acting, as the adapter saw them. `user_id` stays in memory; the store gets a pseudonym."""

    platform: PlatformName
    user_id: str
    display_name: str
    locale: str
    community: Community | None = None
    is_moderator: bool = False
    channel: Target | None = None  # where the command was given: what /alerts subscribe subscribes
    private: bool = False  # only this person sees the answer (a Discord ephemeral reply, a private chat)


@dataclass(frozen=True, slots=True)
class RateLimit:
    """At most `count` messages in any `seconds`."""

    count: int
    seconds: float


NO_LIMIT = RateLimit(1_000_000, 1.0)


@dataclass(frozen=True, slots=True)
class Capabilities:
    max_message_length: int
    max_form_fields: int
    markup: str = "plain"
    embeds: bool = False
    # The platform's published sending limits; the delivery workers pace themselves under them.
    overall: RateLimit = NO_LIMIT
    per_channel: RateLimit = NO_LIMIT
    per_person: RateLimit = NO_LIMIT
    # How long the platform recognises a resent message by its nonce (None: it has no nonce at all).
    nonce_window: float | None = None
    extra: dict[str, int] = field(default_factory=dict)


PartSent = Callable[[int, str], Awaitable[None]]
"""Told after each piece of a split message is delivered: (pieces delivered so far, its message id)."""


@runtime_checkable
class Platform(Protocol):
    """What the core may ask of any front door."""

    name: PlatformName
    capabilities: Capabilities
    pacer: Pacer  # everything sent under the platform's limits takes its turn here: the alerts, and replies where
    #               the platform counts them too

    async def send(self, target: Target, message: Message, *, nonce: str | None = None, skip_parts: int = 0,
                   on_part: PartSent | None = None) -> str:
        """Post `message` to `target`; return the platform's message id (of the last piece).

        `nonce` makes a retried send idempotent where the platform supports it (Discord). A message split
        into pieces reports each delivered piece to `on_part`; a retry passes `skip_parts` to resume.
        Failures raise `DeliveryFailed`, saying whether to retry, give up, or pause the target.
        """
        ...

    def place_name(self, target: Target) -> str | None:
        """What people call `target` ("#general"), from what the front door already knows (no request); None
        when it knows no name."""
        ...

    async def find_posted(self, target: Target, message: Message, since: float) -> str | None:
        """The id of `message` if the bot already posted it to `target` since `since` (a Unix time), else
        None; asked before a resend the nonce no longer covers. None too where the platform cannot tell
        (a Telegram bot cannot read what it sent). Failures raise `DeliveryFailed`."""
        ...


@runtime_checkable
class FrontDoor(Protocol):
    """How the composition root drives a front door: connect, serve until done, disconnect."""

    name: PlatformName

    async def start(self) -> None:
        """Log in and get ready; raise `PlatformLoginFailed` with what to do if that is impossible."""
        ...

    async def run(self) -> None:
        """Serve until stopped (returns normally when the front door is finished, e.g. end of input)."""
        ...

    async def stop(self) -> None: ...
