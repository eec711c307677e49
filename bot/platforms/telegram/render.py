"""A Message as Telegram HTML: escaped, and split into pieces of at most 4,096 characters.

Each block (title, body paragraph, field) is escaped and closed on its own, so a split between blocks
always leaves well-formed markup; a block too long for one piece is cut as plain text first.
"""

from __future__ import annotations

import html

from bot.presentation import Message

LIMIT = 4096
_SEPARATOR = "\n\n"


def _visible_length(text: str) -> int:
    """Telegram counts UTF-16 code units of the text after entities are parsed."""
    return len(text.encode("utf-16-le")) // 2


def _cut(text: str, limit: int) -> list[str]:
    """Plain text in pieces of at most `limit` UTF-16 units, preferring to cut at a line or space."""
    pieces = []
    while _visible_length(text) > limit:
        cut = limit
        while _visible_length(text[:cut]) > limit:
            cut -= 1
        boundary = max(text.rfind("\n", 0, cut), text.rfind(" ", 0, cut))
        cut = boundary if boundary > cut // 2 else cut
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    pieces.append(text)
    return pieces


def _blocks(message: Message) -> list[tuple[str, str]]:
    """(tag, plain text) pairs; the tag wraps the text once escaped."""
    blocks: list[tuple[str, str]] = []
    if message.title:
        blocks.append(("b", message.title))
    blocks.extend(("", paragraph) for paragraph in message.body.split(_SEPARATOR) if paragraph)
    for field in message.fields:
        blocks.append(("b", field.name))
        blocks.append(("", field.value))
    if message.link:
        blocks.append(("link", message.link))
    if message.footer:
        blocks.append(("i", message.footer))
    return blocks


def _markup(tag: str, text: str) -> str:
    if tag == "link":
        return f'<a href="{html.escape(text, quote=True)}">{html.escape(text, quote=False)}</a>'
    escaped = html.escape(text, quote=False)
    return f"<{tag}>{escaped}</{tag}>" if tag else escaped


def render_html(message: Message, limit: int = LIMIT) -> list[str]:
    pieces: list[str] = []
    current: list[str] = []
    length = 0
    for tag, text in _blocks(message):
        for part in ([text] if tag == "link" else _cut(text, limit)):
            part_length = _visible_length(part)
            # A bold field name reads as a heading for the value after it: join them with one newline.
            joiner = "\n" if current and tag == "" and current[-1].startswith("<b>") else _SEPARATOR
            added = part_length + (_visible_length(joiner) if current else 0)
            if current and length + added > limit:
                pieces.append("".join(current))
                current, length = [], 0
                added = part_length
            if current:
                current.append(joiner)
            current.append(_markup(tag, part))
            length += added
    if current:
        pieces.append("".join(current))
    return pieces
