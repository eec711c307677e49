"""Plain data every layer shares. No I/O, no platform imports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import IntEnum, StrEnum


class PlatformName(StrEnum):
    DISCORD = "discord"
    TELEGRAM = "telegram"
    CONSOLE = "console"


@dataclass(frozen=True, slots=True)
class Target:
    """Where a message goes: a channel or chat, optionally a thread or forum topic inside it; or, when
    `direct`, a person (`channel_id` is their account id and the front door opens the private chat)."""

    platform: PlatformName
    channel_id: str
    thread_id: str | None = None
    direct: bool = False


class Severity(StrEnum):
    """How loudly a message should look; renderers map it to colour or an emoji."""

    INFO = "info"
    SUCCESS = "success"
    WARNING = "warning"
    CRITICAL = "critical"


@dataclass(frozen=True, slots=True)
class Community:
    """A Discord server, a Telegram chat, or the local console: where people and settings live."""

    id: int
    platform: PlatformName
    external_id: str
    name: str
    locale: str | None = None
    moderator_role: str | None = None


@dataclass(frozen=True, slots=True)
class PersonPreferences:
    """What a person chose for themselves, keyed by pseudonym, never by platform id."""

    pseudonym: str
    locale: str | None = None


class ModelStatus(StrEnum):
    ACTIVE = "active"
    LEGACY = "legacy"
    DEPRECATED = "deprecated"
    RETIRED = "retired"


class ShutdownQualifier(StrEnum):
    """How sure a shutdown date is: a firm date, an earliest date ("not sooner than"), or none yet."""

    FIRM = "firm"
    EARLIEST = "earliest"
    TBD = "tbd"


@dataclass(frozen=True, slots=True)
class DeprecationRow:
    """One model on one platform as a vendor page states it on one day."""

    vendor: str                    # "openai", "anthropic", "google", "azure", "bedrock", …
    platform: str                  # "api", "chatgpt", "claude.ai", "gemini-app", "vertex", "bedrock", "azure"
    model: str                     # the model id as the vendor writes it, e.g. "gpt-4o-2024-05-13"
    status: ModelStatus
    version: str | None = None     # a version or region qualifier where the page has one
    announced: date | None = None  # when the deprecation was announced (or the model became legacy)
    shutdown: date | None = None
    shutdown_qualifier: ShutdownQualifier = ShutdownQualifier.TBD
    replacements: tuple[str, ...] = ()
    url: str | None = None         # link to the entry, with an anchor where the page has one

    @property
    def key(self) -> tuple[str, str, str, str]:
        """What identifies the row across snapshots: the same model on the same platform."""
        return (self.vendor, self.platform, self.model.lower(), (self.version or "").lower())

    def to_json(self) -> dict[str, object]:
        return {
            "vendor": self.vendor, "platform": self.platform, "model": self.model, "version": self.version,
            "status": self.status.value,
            "announced": self.announced.isoformat() if self.announced else None,
            "shutdown": self.shutdown.isoformat() if self.shutdown else None,
            "shutdown_qualifier": self.shutdown_qualifier.value,
            "replacements": list(self.replacements), "url": self.url,
        }


RowKey = tuple[str, str, str, str]


class SourceRank(IntEnum):
    """How much a source's word on a model counts when several sources state it. A community's own source
    ranks lowest and informs only the communities that added it; the catalogue's sources outrank it."""

    COMMUNITY = 1      # a source moderators added: their community's word, for their community only
    BUILTIN_FEED = 2   # a catalogue feed mapped onto rows (the aggregator): a copy of the vendors' pages
    BUILTIN_PAGE = 3   # a vendor's own page in the catalogue

    @classmethod
    def of(cls, kind: str, builtin: bool) -> SourceRank:
        if not builtin:
            return cls.COMMUNITY
        return cls.BUILTIN_PAGE if kind == "page" else cls.BUILTIN_FEED


@dataclass(frozen=True, slots=True)
class KnownRow:
    """A row as one source stated it before, with how many of that source's polls have missed it since."""

    row: DeprecationRow
    missing_polls: int = 0
    removed: bool = False


@dataclass(frozen=True, slots=True)
class StatedRow:
    """A row with its provenance: the source that states it and how much that source's word counts."""

    row: DeprecationRow
    source_id: int
    rank: SourceRank
    updated_at: str = ""  # when the source last wrote it (ISO 8601 UTC): what a calendar's SEQUENCE follows

    @property
    def own(self) -> bool:
        """From a source the community added itself, not from the catalogue."""
        return self.rank == SourceRank.COMMUNITY


class NoticeKind(StrEnum):
    NEW_DEPRECATION = "new_deprecation"
    DATE_CHANGED = "date_changed"
    STATUS_CHANGED = "status_changed"
    DATE_FIRM = "date_firm"
    MODEL_LISTED = "model_listed"
    MANY_LISTED = "many_listed"
    NEWS = "news"
    STATUS = "status"
    STATUS_UPDATE = "status_update"
    SURVEY = "survey"
    REMINDER = "reminder"
    SOURCE_FAILING = "source_failing"
    POSTED = "posted"                # written by a community's moderators with /notice post
    TARGET_PAUSED = "target_paused"  # a subscribed channel could not be used and was paused


class Category(StrEnum):
    DEPRECATION = "deprecation"
    REMINDER = "reminder"
    SURVEY = "survey"
    NEWS = "news"
    STATUS = "status"


@dataclass(frozen=True, slots=True)
class Notice:
    """Something worth telling people, in structured form; each front door words it in its reader's
    language. `dedup_key` names the real-world event: the same event from two sources is one notice."""

    kind: NoticeKind
    category: Category
    title: str                     # what the source called it (a model id, a feed item's title)
    dedup_key: str
    vendor: str | None = None
    platform: str | None = None
    model: str | None = None
    detail: str = ""
    url: str | None = None
    old_value: str | None = None
    new_value: str | None = None
    due_date: date | None = None
    models: tuple[str, ...] = ()
    source_id: int | None = None
    community_id: int | None = None
    posted_by: str | None = None   # pseudonym of the moderator, for notices posted by hand
    id: int | None = None
    created_at: str | None = None


class SourceKind(StrEnum):
    FEED = "feed"
    PAGE = "page"


class SourceState(StrEnum):
    OK = "ok"
    FAILING = "failing"
    DISABLED = "disabled"


@dataclass(frozen=True, slots=True)
class Source:
    id: int
    kind: SourceKind
    category: Category
    url: str
    title: str
    family: str | None = None
    vendor: str | None = None
    platform: str | None = None
    catalog_key: str | None = None
    poll_interval: int = 3600
    state: SourceState = SourceState.OK
    etag: str | None = None
    last_modified: str | None = None
    content_hash: str | None = None
    baseline_done: bool = False
    failures: int = 0
    last_error: str | None = None
    failing_notified: bool = False
    last_checked_at: str | None = None
    last_success_at: str | None = None
    next_check_at: str | None = None

    @property
    def builtin(self) -> bool:
        return self.catalog_key is not None

    @property
    def rank(self) -> SourceRank:
        """How much its word counts when sources disagree: a vendor's page over a feed that copies it."""
        return SourceRank.of(self.kind.value, self.builtin)


class SurveyStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class SurveyReport:
    id: int
    community_id: int
    url: str
    deadline: date | None
    note: str
    reporter: str
    status: SurveyStatus
    notice_id: int | None = None
    organiser: str | None = None    # who runs it: vendor, public, research, other
    audience: tuple[str, ...] = ()  # who can take part: app, api, anyone, invited


@dataclass(frozen=True, slots=True)
class AlertFilter:
    """Which notices a subscription or a person wants. An empty tuple lets everything through."""

    categories: tuple[Category, ...] = ()
    vendors: tuple[str, ...] = ()
    models: tuple[str, ...] = ()     # patterns as people write them: `gpt-4o*`, `claude-3-*`, `4o`


@dataclass(frozen=True, slots=True)
class Subscription:
    """A channel, thread, chat or forum topic that receives a community's notices."""

    id: int
    community_id: int
    platform: PlatformName
    channel_id: str
    thread_id: str | None
    filter: AlertFilter
    locale: str
    created_by: str
    mention_role: str | None = None
    digest_minutes: int = 0
    paused_reason: str | None = None
    paused_at: str | None = None


@dataclass(frozen=True, slots=True)
class Ping:
    """A person's wish for direct messages. `address` is their account id, kept only while this exists."""

    id: int
    pseudonym: str
    platform: PlatformName
    address: str
    community_id: int | None
    filter: AlertFilter
    locale: str
    daily: bool = False
    paused_reason: str | None = None


class DeliveryState(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class FormProgress:
    """A form someone is filling in, as kept in the database between steps."""

    id: int
    token: str
    pseudonym: str
    platform: PlatformName
    form_key: str
    community_id: int | None
    channel: Target | None
    moderator: bool
    locale: str
    answers: dict[str, object]
    step: int
    expires_at: datetime
    expired: bool = False


class TestimonyStatus(StrEnum):
    PENDING = "pending"      # waiting for a moderator
    APPROVED = "approved"    # may be counted and, as its consent allows, quoted
    REJECTED = "rejected"    # a moderator said no, with a reason the author is told
    HIDDEN = "hidden"        # kept for the author, left out of everything public
    WITHDRAWN = "withdrawn"  # a content-free tombstone: the words are gone


class ConsentLevel(IntEnum):
    COUNT_ONLY = 0      # counted in the statistics, never quoted
    ANONYMOUS = 1       # may be quoted without a name
    NAMED = 2           # may be quoted with the display name


@dataclass(frozen=True, slots=True)
class Consent:
    """One consent choice as recorded: a new record each time it changes, never an edited flag."""

    level: ConsentLevel
    health: bool        # passages that mention health or disability may be quoted
    text_version: str   # the version of the consent text the person read
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Campaign:
    id: int
    community_id: int
    name: str           # '' for the community's default campaign
    description: str
    models: tuple[str, ...]
    closes_on: date | None

    @property
    def is_default(self) -> bool:
        return self.name == ""

    def closed_on(self, day: date) -> bool:
        """Whether it takes no more testimonies on `day` (its closing day is the last that counts)."""
        return self.closes_on is not None and self.closes_on < day


@dataclass(frozen=True, slots=True)
class Testimony:
    """A person's testimony as stored. The text fields are None once it is withdrawn."""

    id: int
    receipt: str
    community_id: int
    campaign_id: int
    author: str
    platform: str
    status: TestimonyStatus
    models: tuple[str, ...]
    models_text: str | None
    uses: tuple[str, ...]
    meaning: str | None
    asks: tuple[str, ...]
    display_name: str | None
    language: str | None
    detected_language: str | None
    redactions: dict[str, int]
    consent: Consent | None
    imported: bool
    created_at: datetime
    updated_at: datetime
    review_reason: str | None = None
    previous_meaning: str | None = None
    changed_fields: tuple[str, ...] = ()
