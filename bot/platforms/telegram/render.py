"""A Message as Telegram HTML: escaped, and split into pieces of at most 4,096 characters, at most a few.

Each block (title, body paragraph, field) is escaped and closed on its own, so a split between blocks
always leaves well-formed markup; a block too long for one piece is cut as plain text first. A message
longer than `max_pieces` pieces is cut and ends with "…": a notice with a 2 MB title once became 1,025
messages in every subscribed chat.
"""

from __future__ import annotations

import html

from bot.presentation import Message

LIMIT = 4096
MAX_PIECES = 3  # an alert is a handful of messages at most, whatever a feed put in it
REPLY_PIECES = 10  # a reply to a command (a long /sources list) may run longer, but not without end
LINK_LIMIT = 2048  # a longer link is left out rather than risk Telegram refusing the whole message
_SEPARATOR = "\n\n"
_MORE = "\n…"  # ends the last piece of a message that was cut; every piece keeps room for it


def _visible_length(text: str) -> int:
    """Telegram counts UTF-16 code units of the text after entities are parsed."""
    return len(text.encode("utf-16-le")) // 2


def _fitting(text: str, limit: int) -> int:
    """How many characters of `text` fit in `limit` UTF-16 units (characters beyond U+FFFF take two)."""
    units = 0
    for index, character in enumerate(text[:limit]):
        units += 2 if ord(character) > 0xFFFF else 1
        if units > limit:
            return index
    return min(len(text), limit)


def _cut(text: str, limit: int) -> list[str]:
    """Plain text in pieces of at most `limit` UTF-16 units, preferring to cut at a line or space."""
    pieces = []
    while _visible_length(text) > limit:
        cut = _fitting(text, limit)
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
    if message.link and len(message.link) <= LINK_LIMIT:
        blocks.append(("link", message.link))
    if message.footer:
        blocks.append(("i", message.footer))
    return blocks


def _markup(tag: str, text: str) -> str:
    if tag == "link":
        return f'<a href="{html.escape(text, quote=True)}">{html.escape(text, quote=False)}</a>'
    escaped = html.escape(text, quote=False)
    return f"<{tag}>{escaped}</{tag}>" if tag else escaped


def render_html(message: Message, limit: int = LIMIT, max_pieces: int = MAX_PIECES) -> list[str]:
    pieces: list[str] = []
    current: list[str] = []
    length = 0
    room = limit - len(_MORE)
    for tag, text in _blocks(message):
        # What cannot fit in `max_pieces` is never cut up, so the work stays small for any input.
        bounded = text if len(text) <= room * max_pieces else text[: room * max_pieces - 1] + "…"
        for part in ([text] if tag == "link" else _cut(bounded, room)):
            part_length = _visible_length(part)
            # A bold field name reads as a heading for the value after it: join them with one newline.
            joiner = "\n" if current and tag == "" and current[-1].startswith("<b>") else _SEPARATOR
            added = part_length + (_visible_length(joiner) if current else 0)
            if current and length + added > room:
                pieces.append("".join(current))
                if len(pieces) == max_pieces:
                    pieces[-1] += _MORE
                    return pieces
                current, length = [], 0
                added = part_length
            if current:
                current.append(joiner)
            current.append(_markup(tag, part))
            length += added
    if current:
        pieces.append("".join(current))
    return pieces
