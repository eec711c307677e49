"""A statement's outputs. Each format is a `Format` (`common.py`): a name, what it is, the files it writes
and a function from a `Statement` to those files. The renderers read the statement only, never the
database and never the clock: every time they write comes from `Options.generated_at`, so the same
statement gives the same bytes.

`FORMATS` is the registry the command line and the bundle read; another format (Markdown, HTML, PDF) is
one more entry, and the bundle then carries its files too."""

from __future__ import annotations

from bot.statements.render import csv, json, polis
from bot.statements.render.common import Format

FORMATS: dict[str, Format] = {fmt.name: fmt for fmt in (json.FORMAT, csv.FORMAT, polis.FORMAT)}


def register(fmt: Format) -> None:
    """Add a format; its files then go into every bundle as well."""
    FORMATS[fmt.name] = fmt


__all__ = ["FORMATS", "Format", "register"]
