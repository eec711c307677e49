"""A statement's outputs. Each format is a `Format` (`common.py`): a name, what it is, the files it writes
and a function from a `Statement` to those files. The renderers read the statement only, never the
database and never the clock: every time they write comes from `Options.generated_at`, so the same
statement gives the same bytes. The documents (Markdown, HTML, PDF) are written in a `Presentation`: a
template in a language.

`FORMATS` is the registry the command line, the chat commands and the bundle read; another format is one
more entry, and the bundle then carries its files too."""

from __future__ import annotations

from bot.statements.render import csv, html, json, markdown, pdf, polis
from bot.statements.render.common import PLAIN, Format, Presentation

FORMATS: dict[str, Format] = {
    fmt.name: fmt for fmt in (json.FORMAT, csv.FORMAT, polis.FORMAT, markdown.FORMAT, html.FORMAT, pdf.FORMAT)}


def register(fmt: Format) -> None:
    """Add a format; its files then go into every bundle as well."""
    FORMATS[fmt.name] = fmt


__all__ = ["FORMATS", "PLAIN", "Format", "Presentation", "register"]
