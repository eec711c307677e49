"""A vendor page, HTML or Markdown, as one sequence of blocks: headings, paragraphs, list items, tables.

Vendors serve the same page as HTML and as Markdown, and switch between them over the years; reading
both into one shape lets one extractor per page family handle every copy. Markdown is parsed with
markdown-it-py (GFM tables, escaped pipes), HTML with BeautifulSoup.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, NavigableString, Tag
from markdown_it import MarkdownIt
from markdown_it.token import Token

from bot.watch.dates import clean

_SPACES = re.compile(r"\s+")
_HTML_START = re.compile(r"<(!doctype\s+html|html)[\s>]", re.I)


def _squash(text: str) -> str:
    return _SPACES.sub(" ", clean(text)).strip()


def slug(text: str) -> str:
    """The anchor most documentation sites give a heading: lower case, words joined by hyphens."""
    # Docs sites turn "Claude Opus 4.1" into "claude-opus-4-1": dots become hyphens, other punctuation goes.
    text = re.sub(r"[^\w\s-]", "", _squash(text).lower().replace(".", "-"))
    return re.sub(r"[\s_]+", "-", text).strip("-")


@dataclass(frozen=True, slots=True)
class Cell:
    text: str                                   # visible text, inline code without its backticks
    codes: tuple[str, ...] = ()                 # inline code spans, in order: model ids usually live here
    links: tuple[tuple[str, str], ...] = ()     # (text, href)


@dataclass(frozen=True, slots=True)
class Block:
    kind: str                                   # "heading" | "paragraph" | "item" | "table"
    text: str = ""
    level: int = 0                              # heading level
    anchor: str | None = None                   # heading anchor (explicit id, else the slug)
    headings: tuple[str, ...] = ()              # the headings this block sits under, outermost first
    section_anchor: str | None = None           # anchor of the nearest heading above
    codes: tuple[str, ...] = ()
    links: tuple[tuple[str, str], ...] = ()
    header: tuple[str, ...] = ()                # tables: column titles
    rows: tuple[tuple[Cell, ...], ...] = ()     # tables: body rows


@dataclass
class Document:
    blocks: list[Block] = field(default_factory=list)

    def tables(self) -> Iterator[Block]:
        return (b for b in self.blocks if b.kind == "table")

    def sections(self, level: int) -> Iterator[tuple[Block, list[Block]]]:
        """Each heading of `level` with the blocks under it (until the next heading of that level or higher)."""
        current: Block | None = None
        body: list[Block] = []
        for block in self.blocks:
            if block.kind == "heading" and block.level <= level:
                if current is not None:
                    yield current, body
                current, body = (block, []) if block.level == level else (None, [])
            elif current is not None:
                body.append(block)
        if current is not None:
            yield current, body


def parse_document(text: str, *, is_html: bool | None = None) -> Document:
    """Read a page; HTML is recognised by its first tag unless told."""
    if is_html is None:
        is_html = bool(_HTML_START.search(text[:4000]))
    return _parse_html(text) if is_html else _parse_markdown(text)


class _Builder:
    """Keeps the heading path while blocks are added, so each block knows where it sits."""

    def __init__(self) -> None:
        self.document = Document()
        self._path: list[Block] = []

    def heading(self, level: int, text: str, anchor: str | None) -> None:
        text = _squash(text)
        if not text:
            return
        block = Block("heading", text, level, anchor or slug(text), self._titles())
        self._path = [h for h in self._path if h.level < level] + [block]
        self.document.blocks.append(block)

    def add(self, kind: str, text: str = "", **fields: object) -> None:
        anchor = self._path[-1].anchor if self._path else None
        self.document.blocks.append(Block(kind, _squash(text), headings=self._titles(),
                                          section_anchor=anchor, **fields))  # type: ignore[arg-type]

    def _titles(self) -> tuple[str, ...]:
        return tuple(h.text for h in self._path)


# --- Markdown -------------------------------------------------------------------------------------------

_EXPLICIT_ANCHOR = re.compile(r"\s*\{#([\w-]+)\}\s*$")


def _inline(token: Token | None) -> Cell:
    if token is None or not token.children:
        return Cell(_squash(token.content) if token else "")
    text, codes, links = [], [], []
    href, link_text = None, []
    for child in token.children:
        if child.type == "code_inline":
            codes.append(child.content.strip())
            text.append(child.content)
            link_text.append(child.content)
        elif child.type in ("text", "html_inline"):
            value = child.content if child.type == "text" else re.sub(r"<[^>]+>", "", child.content)
            text.append(value)
            link_text.append(value)
        elif child.type in ("softbreak", "hardbreak"):
            text.append(" ")
        elif child.type == "link_open":
            href, link_text = str(child.attrs.get("href", "")), []
        elif child.type == "link_close" and href is not None:
            links.append((_squash("".join(link_text)), href))
            href = None
    return Cell(_squash("".join(text)), tuple(c for c in codes if c), tuple(links))


def _parse_markdown(text: str) -> Document:
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    builder = _Builder()
    items_open = 0
    i = 0
    while i < len(tokens):
        token = tokens[i]
        items_open += {"list_item_open": 1, "list_item_close": -1}.get(token.type, 0)
        if token.type == "heading_open":
            cell = _inline(tokens[i + 1])
            title = cell.text
            explicit = _EXPLICIT_ANCHOR.search(title)
            builder.heading(int(token.tag[1]), _EXPLICIT_ANCHOR.sub("", title), explicit[1] if explicit else None)
            i += 3
        elif token.type == "table_open":
            header: list[str] = []
            rows: list[tuple[Cell, ...]] = []
            row: list[Cell] = []
            i += 1
            while tokens[i].type != "table_close":
                kind = tokens[i].type
                if kind in ("th_open", "td_open"):
                    cell = _inline(tokens[i + 1])
                    (header.append(cell.text) if kind == "th_open" else row.append(cell))
                elif kind == "tr_close" and row:
                    rows.append(tuple(row))
                    row = []
                i += 1
            builder.add("table", header=tuple(header), rows=tuple(rows))
            i += 1
        elif token.type == "html_block":
            # MDX components (<Note>, <Warning>) hold real statements ("This model was retired on …").
            text = re.sub(r"<[^>]+>", " ", token.content)
            if text.strip():
                builder.add("paragraph", text)
            i += 1
        elif token.type == "inline":
            cell = _inline(token)
            builder.add("item" if items_open else "paragraph", cell.text, codes=cell.codes, links=cell.links)
            i += 1
        else:
            i += 1
    return builder.document


# --- HTML ------------------------------------------------------------------------------------------------

_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_SKIP = {"script", "style", "noscript", "nav", "header", "footer", "svg", "button", "template"}


def _html_cell(tag: Tag) -> Cell:
    for br in tag.find_all("br"):
        br.replace_with(" ")
    codes = tuple(_squash(c.get_text()) for c in tag.find_all("code") if _squash(c.get_text()))
    links = tuple((_squash(a.get_text()), str(a.get("href", ""))) for a in tag.find_all("a") if a.get("href"))
    return Cell(_squash(tag.get_text(" ")), codes, links)


def _parse_html(text: str) -> Document:
    soup = BeautifulSoup(text, "html.parser")
    builder = _Builder()
    root = soup.find("main") or soup.find("article") or soup.body or soup
    _walk(root, builder)
    return builder.document


def _walk(node: Tag, builder: _Builder) -> None:
    for child in node.children:
        if isinstance(child, Tag):
            _walk_tag(child, builder)


_CONTAINERS = {"ul", "ol", "table", "p", "div", *_HEADINGS}


def _walk_tag(tag: Tag, builder: _Builder) -> None:
    name = tag.name
    if name in _SKIP:
        return
    if name in _HEADINGS:
        anchor = tag.get("id") or next((a.get("id") for a in tag.find_all(id=True)), None)
        builder.heading(int(name[1]), tag.get_text(" "), str(anchor) if anchor else None)
    elif name == "table":
        _table(tag, builder)
    elif name in ("p", "li", "dt", "dd", "blockquote") and not tag.find(["table", *_HEADINGS, "p", "li"]):
        _add_text(tag, "item" if name == "li" else "paragraph", builder)
    elif name == "li":
        # "The following models are now deprecated:" followed by a nested list: keep the lead-in too.
        nested = [c for c in tag.children if isinstance(c, Tag) and c.name in _CONTAINERS]
        lead = BeautifulSoup("", "html.parser").new_tag("span")
        for part in [c for c in tag.children if c not in nested]:
            lead.append(part.__copy__() if isinstance(part, Tag) else NavigableString(str(part)))
        _add_text(lead, "item", builder)
        for part in nested:
            _walk_tag(part, builder)
    else:
        _walk(tag, builder)


def _add_text(tag: Tag, kind: str, builder: _Builder) -> None:
    cell = _html_cell(tag)
    if cell.text:
        builder.add(kind, cell.text, codes=cell.codes, links=cell.links)


def _table(table: Tag, builder: _Builder) -> None:
    header: list[str] = []
    rows: list[tuple[Cell, ...]] = []
    carried: dict[int, tuple[Cell, int]] = {}  # column -> (cell, rows it still spans)
    for tr in table.find_all("tr"):
        if tr.find_parent("table") is not table:
            continue  # a table nested in a cell belongs to that cell
        cells = tr.find_all(["th", "td"], recursive=False)
        if not header and cells and all(c.name == "th" for c in cells):
            header = [_squash(c.get_text(" ")) for c in cells]
            continue
        row: list[Cell] = []
        pending = list(cells)
        while pending or row_has_carry(carried, len(row)):
            if row_has_carry(carried, len(row)):
                cell, left = carried.pop(len(row))
                if left > 1:
                    carried[len(row)] = (cell, left - 1)
                row.append(cell)
                continue
            tag = pending.pop(0)
            cell = _html_cell(tag)
            # Merged cells stand for several columns or rows: repeat them so columns stay aligned.
            for _ in range(_span(tag, "colspan")):
                if _span(tag, "rowspan") > 1:
                    carried[len(row)] = (cell, _span(tag, "rowspan") - 1)
                row.append(cell)
        if row:
            rows.append(tuple(row))
    builder.add("table", header=tuple(header), rows=tuple(rows))


def row_has_carry(carried: dict[int, tuple[Cell, int]], column: int) -> bool:
    return column in carried


def _span(tag: Tag, attribute: str) -> int:
    try:
        return max(1, min(int(str(tag.get(attribute, "1"))), 50))
    except ValueError:
        return 1
