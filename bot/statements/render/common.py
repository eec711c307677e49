"""What every renderer shares: the `Format` record, the `Presentation` a document is rendered in, the
software's version, and the one way a moment is written."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from bot import __version__
from bot.i18n import LOCALES
from bot.statements.bulk import paused_collector
from bot.statements.model import Statement

DISTRIBUTION = "continuity-bot"
KINDS = ("letter", "consultation", "un_portal", "press")


@dataclass(frozen=True, slots=True)
class Presentation:
    """How a statement is written as a document (Markdown, HTML, PDF): which template (`kind`, or a
    moderator's own file) in which language. The data formats (JSON, CSV, Pol.is) are the same in any."""

    kind: str = "letter"
    locale: str = "en"
    template: Path | None = None  # a moderator's template file; its name only goes into a bundle's manifest

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown kind {self.kind!r}: one of {', '.join(KINDS)}")
        if self.locale not in LOCALES:
            raise ValueError(f"unknown locale {self.locale!r}: one of {', '.join(LOCALES)}")


PLAIN = Presentation()  # what the data formats are given: they ignore it


@dataclass(frozen=True, slots=True)
class Format:
    """One output: `render` gives its files (name → bytes; a name may hold a folder, `polis/comments.csv`).
    A format of one file is written to --out; a format of several into the folder --out names."""

    name: str
    description: str
    files: tuple[str, ...]
    make: Callable[[Statement, Presentation], dict[str, bytes]]

    def render(self, statement: Statement, presentation: Presentation = PLAIN) -> dict[str, bytes]:
        with paused_collector():
            return self.make(statement, presentation)

    @property
    def single(self) -> bool:
        return len(self.files) == 1


def software_version() -> str:
    """The installed distribution's version, else the package's own (a source tree run without installing)."""
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return __version__


def iso(moment: datetime) -> str:
    """`2026-04-15T12:00:00Z`: the one way every output writes a moment (always in UTC)."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


# A cell a spreadsheet would run as a formula begins with one of these (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
_STARTS = frozenset(FORMULA_STARTS)


def inert(value: object) -> str:
    """A CSV cell that cannot run as a formula: text beginning with = + - @, a tab or a line break gets a
    single quote before it, as OWASP recommends (the csv module then quotes the cell as needed). Numbers
    are written as they are."""
    if isinstance(value, int):
        return str(value)
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_bytes(header: Iterable[str], rows: Iterable[Iterable[object]], *, lineterminator: str = "\r\n") -> bytes:
    """UTF-8 CSV (RFC 4180 quoting), every cell made inert. Encoded as it is written: a text buffer would hold
    four bytes for every character of a file with one emoji in it."""
    out = io.BytesIO()
    with io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=False) as text:
        writer = csv.writer(text, lineterminator=lineterminator, quoting=csv.QUOTE_MINIMAL)
        writer.writerow(list(header))
        # `inert` for the cells that need it: most are text that starts with none of FORMULA_STARTS
        writer.writerows([cell if type(cell) is str and cell[:1] not in _STARTS else inert(cell) for cell in row]
                         for row in rows)
        text.flush()
        return out.getvalue()
