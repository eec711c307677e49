"""What a statement is made of, as plain frozen data: the renderers read it and never the database, so
everything they may show (and nothing more) has already been decided here, consent included."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from bot.domain import ConsentLevel

DEFAULT_THRESHOLD = 5


@dataclass(frozen=True, slots=True)
class Filters:
    """Which testimonies a statement is about. Empty values select everything."""

    community_id: int | None = None   # None: every community (the command line); a moderator gets their own
    campaign: str | None = None       # a campaign's name ('' is the default campaign), matched without case
    models: tuple[str, ...] = ()      # as people write them (`4o`, `claude-3-*`), matched loosely
    since: date | None = None         # on the day the testimony was given (UTC), inclusive
    until: date | None = None         # inclusive
    language: str | None = None       # the language the person declared: en, es, ja, zh or other

    def __post_init__(self) -> None:
        if self.since and self.until and self.since > self.until:
            raise ValueError(f"since ({self.since}) is after until ({self.until})")


@dataclass(frozen=True, slots=True)
class Options:
    """How a statement is built. `generated_at` is the consent snapshot and every timestamp of the output,
    so the same database and options give the same statement."""

    generated_at: datetime
    threshold: int = DEFAULT_THRESHOLD  # counts under it are suppressed in every public table

    def __post_init__(self) -> None:
        if self.generated_at.tzinfo is None:
            raise ValueError("generated_at needs a time zone")
        if self.threshold < 1:
            raise ValueError("the suppression threshold is at least 1")


@dataclass(frozen=True, slots=True)
class Quote:
    """One passage of a testimony as it may be published: its consent allows quoting, and the health yes
    was given if it mentions health or disability. `display_name` is set only at consent level 2."""

    receipt: str
    text: str
    display_name: str | None
    language: str
    models: tuple[str, ...]
    index: int = 0  # the passage's place in its testimony, from 0


Passage = Quote  # the name the renderers' templates use for a quoted passage


@dataclass(frozen=True, slots=True)
class CountTable:
    """A count of testimonies by one property. `cells` holds (value, count) sorted by value, without the
    cells under the threshold; `suppressed` says how many cells were left out (a table whose cells add up
    to the total also loses its next smallest cell when only one was under the threshold, or the missing
    one could be worked out by subtraction)."""

    name: str
    cells: tuple[tuple[str, int], ...]
    suppressed: int = 0
    secondary: int = 0  # of the suppressed cells, those at or over the threshold, hidden only to protect another

    def get(self, value: str) -> int | None:
        """The count shown for `value`; None when it is suppressed or absent."""
        return dict(self.cells).get(value)


@dataclass(frozen=True, slots=True)
class Counts:
    by_model: CountTable
    by_use: CountTable
    by_ask: CountTable
    by_language: CountTable
    by_platform: CountTable
    by_community: CountTable
    by_month: CountTable    # YYYY-MM of the day given, UTC
    by_consent: CountTable  # 0, 1, 2: the level in force at the snapshot

    def tables(self) -> tuple[CountTable, ...]:
        return (self.by_model, self.by_use, self.by_ask, self.by_language, self.by_platform, self.by_community,
                self.by_month, self.by_consent)


@dataclass(frozen=True, slots=True)
class Included:
    """One testimony a statement counts, as the snapshot saw it: what it is about, never more of its words
    than `passages` (which holds only what may be quoted, so nothing at consent 0)."""

    receipt: str
    created_at: datetime
    community: str
    platform: str
    models: tuple[str, ...]
    uses: tuple[str, ...]
    asks: tuple[str, ...]
    language: str
    consent: ConsentLevel
    health: bool           # may passages about health or disability be quoted
    passages: tuple[Quote, ...]
    participant: int = 0   # its author, numbered 1, 2, … in order of first appearance in this statement only

    @property
    def month(self) -> str:
        """YYYY-MM in UTC, as the store's date filters read the day."""
        moment = self.created_at
        return (moment.astimezone(UTC) if moment.tzinfo else moment).strftime("%Y-%m")


@dataclass(frozen=True, slots=True)
class Theme:
    """What several testimonies in one language speak of, found offline (`bot.statements.themes`).

    `label` joins `keywords` as the language writes a list ("soledad, compañía", "孤独・会話"); every keyword
    occurs in the quotable passages of at least two testimonies, so no label carries words only one person
    wrote, nor words a person did not let a statement quote. `size` counts every testimony in the theme, at
    any consent level; `receipts` are theirs (the ids a claim about the theme cites). `quotes` are passages
    the statement may quote, from the testimonies nearest the theme's centre, nearest first."""

    language: str
    label: str
    keywords: tuple[str, ...]
    size: int
    receipts: tuple[str, ...]
    quotes: tuple[Quote, ...]


@dataclass(frozen=True, slots=True)
class Statement:
    """Approved, not withdrawn testimonies matching the filters, with their counts and quotable passages.
    `withdrawn` counts the withdrawn testimonies the filters can still place (community, campaign, dates:
    a withdrawal erases the models and the language, so those filters cannot exclude one)."""

    filters: Filters
    options: Options
    included: tuple[Included, ...]
    total: int
    participants: int     # distinct authors among `included`
    withdrawn: int
    counts: Counts
    quotes: tuple[Quote, ...]
    themes: tuple[Theme, ...] = ()  # empty unless asked for (`build_statement(..., themes=True)`)

    @property
    def generated_at(self) -> datetime:
        return self.options.generated_at

    @property
    def threshold(self) -> int:
        return self.options.threshold
