"""Markdown that is safe to build from people's words: testimony text, display names, community and model
names are data, and must show literally wherever the Markdown is read (a renderer, GitHub, our HTML page).

`Md` marks a string as Markdown we wrote ourselves; the templates' environment escapes every value it
prints that is not an `Md`, so a template (ours or a moderator's) cannot forget to escape one."""

from __future__ import annotations

import re
from collections.abc import Callable

# Inline markup and what starts links, images, HTML, entities, code and tables. Escaping these with a
# backslash (valid before any ASCII punctuation in CommonMark) makes them literal in every renderer.
_INLINE = re.compile(r"([\\`*_\[\]<>|~&{}])")
# What makes a block when it starts a line: headings, quotes, lists, setext underlines, code fences.
_LINE_START = re.compile(r"^(\s*)([#>+=\-]|\d+(?=[.)]))")
_BREAKS = re.compile(r"[\r\n\u2028\u2029\v\f]+")


class Md(str):
    """Markdown written by Continuity, printed as it is."""

    __slots__ = ()


class LaterMd:
    """Markdown of ours made only when a template first prints or tests it: the annex of every quotable
    passage takes seconds at 100,000 testimonies, and most templates never print it."""

    __slots__ = ("_made", "_make")

    def __init__(self, make: Callable[[], str]) -> None:
        self._make, self._made = make, None

    @property
    def value(self) -> Md:
        if self._made is None:
            self._made = Md(self._make())
        return self._made

    def __str__(self) -> str:
        return self.value

    def __bool__(self) -> bool:
        return bool(self.value.strip())


def escape_md(value: object) -> Md:
    """`value` as Markdown text that shows exactly its characters: no link, image, HTML, emphasis,
    heading or list can come out of it. Line breaks become spaces (a passage is one line)."""
    if isinstance(value, Md):
        return value
    text = _BREAKS.sub(" ", "" if value is None else str(value))
    text = _INLINE.sub(r"\\\1", text)
    text = _LINE_START.sub(lambda m: m.group(1) + _escape_block_start(m.group(2)), text)
    # `(` after an escaped `]` can no longer open a link; a bare `javascript:` stays text, never a link.
    return Md(text)


def _escape_block_start(token: str) -> str:
    return token + "\\" if token[0].isdigit() else "\\" + token


def finalize(value: object) -> object:
    """The templates' `finalize`: everything printed that is not our own Markdown is escaped."""
    if isinstance(value, Md):
        return value
    if isinstance(value, LaterMd):
        return value.value
    if isinstance(value, bool | int | float):
        return value
    return escape_md(value)
