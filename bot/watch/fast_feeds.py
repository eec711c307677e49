"""RSS 2.0 and Atom 1.0 as almost every feed writes them, read with the standard library's C XML parser into
the shape feedparser gives, for `feeds.py` to read on as if feedparser had.

Why: feedparser's work is Python called back for every element, characters and end tag; in a cold watch cycle
it was 2.2 of the 2.6 s of CPU the 150 feeds took (BENCHMARKS.md, Watch cycle). Here expat builds the tree in C
and only the few elements an item is made of are looked at.

What is read must be exactly what feedparser would read: an item whose id or link came out otherwise would be
announced again. So this module reads only what it knows feedparser reads the same way, and answers None for
anything else, which feedparser then reads: a DOCTYPE (entities), an encoding other than UTF-8, `xml:base`, an
element or attribute it does not know in an item or at the top, one of them given twice, markup inside a text
element, XHTML or base64 content, C1 control characters (feedparser maps them as Windows-1252). Where meaning
is decided (dates, links, whether a title is markup), feedparser's own functions decide it. The corpus's feeds
read both ways give the same items (tests/integration/test_corpus_feeds.py), and so do generated ones
(tests/unit/test_fast_feeds.py).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET  # nosec B405 # for its types; documents are parsed by defusedxml
from typing import Any

from defusedxml.common import DefusedXmlException
from defusedxml.ElementTree import fromstring
from feedparser.datetimes import _parse_date  # what feedparser makes of a date is what we must make of it
from feedparser.mixin import _FeedParserMixin
from feedparser.urls import _urljoin

_ATOM = "{http://www.w3.org/2005/Atom}"
_CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_MEDIA = "{http://search.yahoo.com/mrss/}"
_SLASH = "{http://purl.org/rss/1.0/modules/slash/}"
_SY = "{http://purl.org/rss/1.0/modules/syndication/}"
_ANY = None  # any attributes: an element feedparser keeps under keys this module never gives

# Each element known here, with the attributes it may carry; any other element or attribute makes the whole
# document feedparser's.
_RSS_TOP = {
    "title": (), "link": (), "description": (), "language": (), "copyright": (), "managingEditor": (),
    "webMaster": (), "pubDate": (), "lastBuildDate": (), "category": ("domain",), "generator": (), "docs": (),
    "ttl": (), "rating": (), "cloud": _ANY, "image": (), "textInput": (), "skipHours": (), "skipDays": (),
    "item": (), f"{_ATOM}link": ("href", "rel", "type"), f"{_SY}updatePeriod": (), f"{_SY}updateFrequency": (),
    f"{_SY}updateBase": (),
}
_RSS_ITEM = {
    "title": (), "link": (), "description": (), "guid": ("isPermaLink",), "pubDate": (), "category": ("domain",),
    "author": (), "comments": (), "enclosure": ("url", "length", "type"), f"{_CONTENT}encoded": (),
    f"{_DC}creator": (), f"{_SLASH}comments": (), f"{_MEDIA}content": _ANY, f"{_MEDIA}thumbnail": _ANY,
}
_ATOM_TOP = {
    f"{_ATOM}{name}": attributes for name, attributes in {
        "title": ("type",), "subtitle": ("type",), "link": ("href", "rel", "type", "title", "hreflang"),
        "id": (), "updated": (), "author": (), "contributor": (), "category": ("term", "scheme", "label"),
        "generator": ("uri", "version"), "icon": (), "logo": (), "rights": ("type",), "entry": (),
    }.items()
}
_ATOM_ENTRY = {
    f"{_ATOM}{name}": attributes for name, attributes in {
        "title": ("type",), "link": ("href", "rel", "type", "title", "hreflang", "length"), "id": (),
        "updated": (), "published": (), "summary": ("type",), "content": ("type",), "author": (),
        "contributor": (), "category": ("term", "scheme", "label"), "rights": ("type",),
    }.items()
} | {f"{_MEDIA}thumbnail": _ANY}
_PERSON = frozenset({f"{_ATOM}name", f"{_ATOM}uri", f"{_ATOM}email"})
# Elements with children of their own, and which: feedparser reads those into keys of their own (the feed's
# image, an author), never into a title, summary, id, link or date.
_PARTS = {
    "image": frozenset({"title", "url", "link", "width", "height", "description"}),
    "textInput": frozenset({"title", "description", "name", "link"}),
    "skipHours": frozenset({"hour"}), "skipDays": frozenset({"day"}),
    f"{_ATOM}author": _PERSON, f"{_ATOM}contributor": _PERSON,
}
_ATOM_TYPES = {None: "text/plain", "text": "text/plain", "html": "text/html"}  # xhtml: feedparser's
_DECLARED = re.compile(rb"""\A(?:\xef\xbb\xbf)?\s*<\?xml[^>]*?encoding\s*=\s*["']([^"']*)["']""")
_UTF8 = frozenset({"utf-8", "utf8"})
_C1 = re.compile("[\x80-\x9f]")
_AMPERSAND_NAME = re.compile("&([A-Za-z0-9_]+);")


class _NotPlain(Exception):
    """Something feedparser reads its own way: it reads the document."""


def read(body: bytes, content_type: str | None) -> dict[str, Any] | None:
    """feedparser's result for the parts `feeds.py` reads, or None when feedparser must read the document."""
    charset = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", content_type or "", re.IGNORECASE)
    declared = _DECLARED.match(body)
    if (charset and charset.group(1).lower() not in _UTF8) or (declared and declared.group(1).lower() not in
                                                               (b"utf-8", b"utf8")):
        return None
    if b"<!DOCTYPE" in body or b"xml:base" in body or body.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    try:
        root = fromstring(body)  # no entities, no DTD fetched: defusedxml's refusals
    except (ET.ParseError, DefusedXmlException, ValueError, RecursionError):
        return None  # feedparser says what is wrong with it
    try:
        if root.tag == "rss" and (root.get("version") or "").startswith("2.") and len(root) == 1 \
                and root[0].tag == "channel" and not root[0].attrib:
            return _rss(root[0])
        if root.tag == f"{_ATOM}feed":
            return _atom(root)
    except _NotPlain:
        pass
    return None


# --- RSS 2.0 ---------------------------------------------------------------------------------------------


def _rss(channel: ET.Element) -> dict[str, Any]:
    top = _children(channel, _RSS_TOP, repeatable={"category", "item", f"{_ATOM}link"})
    feed: dict[str, Any] = {"links": []}
    if "title" in top:
        feed.update(_guessed("title", top["title"][0]))
    for element in channel:  # in order: the last of <link> and an alternate atom:link is the feed's link
        if element.tag == "link":
            feed["link"] = _AMPERSAND_NAME.sub(r"&\g<1>", _value(element, uri=True))
        elif element.tag == f"{_ATOM}link":
            _atom_link(feed, element)
    return {"feed": feed, "entries": [_rss_item(item) for item in top.get("item", [])], "version": "rss20",
            "bozo": False}


def _rss_item(item: ET.Element) -> dict[str, Any]:
    found = _children(item, _RSS_ITEM, repeatable={"category", "enclosure", f"{_MEDIA}content",
                                                   f"{_MEDIA}thumbnail"})
    entry: dict[str, Any] = {}
    if "title" in found:
        entry.update(_guessed("title", found["title"][0]))
    if "description" in found:
        entry["summary"] = _value(found["description"][0])
        entry["summary_detail"] = {"type": "text/html"}
    if f"{_CONTENT}encoded" in found:
        value = _value(found[f"{_CONTENT}encoded"][0])
        entry["content"] = [{"type": "text/html", "value": value}]  # feeds.py reads it when there is no summary
    if "guid" in found:
        guid = found["guid"][0]
        is_link = guid.get("isPermaLink", "true") == "true"
        entry["id"] = _value(guid, uri=is_link)
        if is_link:
            entry["link"] = entry["id"]  # feedparser's: a permanent guid is the link when there is no <link>
    if "link" in found:
        link = _value(found["link"][0], uri=True).replace("&amp;", "&")
        entry["link"] = _AMPERSAND_NAME.sub(r"&\g<1>", link)
    if "pubDate" in found:
        entry["published_parsed"] = _parse_date(_value(found["pubDate"][0]))
    return entry


def _guessed(key: str, element: ET.Element) -> dict[str, Any]:
    """An RSS text element: plain text unless it looks like markup (feedparser's own test decides)."""
    value = _value(element, fix=False)
    kind = "text/html" if _FeedParserMixin.looks_like_html(value) else "text/plain"
    return {key: _fixed(value), f"{key}_detail": {"type": kind}}


# --- Atom 1.0 --------------------------------------------------------------------------------------------


def _atom(root: ET.Element) -> dict[str, Any]:
    top = _children(root, _ATOM_TOP, repeatable={f"{_ATOM}{name}" for name in
                                                 ("link", "author", "contributor", "category", "entry")})
    feed: dict[str, Any] = {"links": []}
    if f"{_ATOM}title" in top:
        feed.update(_typed("title", top[f"{_ATOM}title"][0]))
    _atom_identity(feed, top)
    return {"feed": feed, "entries": [_atom_entry(entry) for entry in top.get(f"{_ATOM}entry", [])],
            "version": "atom10", "bozo": False}


def _atom_entry(element: ET.Element) -> dict[str, Any]:
    found = _children(element, _ATOM_ENTRY, repeatable={f"{_ATOM}{name}" for name in
                                                        ("link", "author", "contributor", "category")}
                      | {f"{_MEDIA}thumbnail"})
    entry: dict[str, Any] = {"links": []}
    if f"{_ATOM}title" in found:
        entry.update(_typed("title", found[f"{_ATOM}title"][0]))
    if f"{_ATOM}content" in found:
        content = _typed("value", found[f"{_ATOM}content"][0])
        entry["content"] = [{"type": content["value_detail"]["type"], "value": content["value"]}]
    if f"{_ATOM}summary" in found:
        entry.update(_typed("summary", found[f"{_ATOM}summary"][0]))
    _atom_identity(entry, found)
    for key in ("published", "updated"):
        if f"{_ATOM}{key}" in found:
            entry[f"{key}_parsed"] = _parse_date(_value(found[f"{_ATOM}{key}"][0]))
    return entry


def _typed(key: str, element: ET.Element) -> dict[str, Any]:
    kind = element.get("type")
    if kind not in _ATOM_TYPES:
        raise _NotPlain  # XHTML (markup as elements) or a media type: feedparser's
    return {key: _value(element), f"{key}_detail": {"type": _ATOM_TYPES[kind]}}


def _atom_identity(context: dict[str, Any], found: dict[str, list[ET.Element]]) -> None:
    """id and link as feedparser gives them: an Atom id counts as a permanent link (so a feed or entry without
    an alternate HTML link has its id as link), and the last alternate HTML link wins."""
    if f"{_ATOM}id" in found:
        context["id"] = _value(found[f"{_ATOM}id"][0], uri=True)
        context["link"] = context["id"]
    for link in found.get(f"{_ATOM}link", []):
        _atom_link(context, link)


def _atom_link(context: dict[str, Any], element: ET.Element) -> None:
    if element.get("href") is None or len(element):
        raise _NotPlain  # feedparser then reads the element's text as the link
    rel = element.get("rel", "alternate")
    kind = element.get("type", "application/atom+xml" if rel == "self" else "text/html")
    href = _urljoin("", element.get("href"))  # an attribute: feedparser's repairs of text are not made
    context["links"].append({"rel": rel, "href": href})
    if rel == "alternate" and _FeedParserMixin.map_content_type(kind) in _FeedParserMixin.html_types:
        context["link"] = href


# --- elements and text -----------------------------------------------------------------------------------


def _children(parent: ET.Element, known: dict[str, tuple[str, ...] | None],
              repeatable: set[str]) -> dict[str, list[ET.Element]]:
    found: dict[str, list[ET.Element]] = {}
    for child in parent:
        allowed = known.get(child.tag, ())
        if child.tag not in known or (allowed is not _ANY and not set(child.attrib) <= set(allowed)):
            raise _NotPlain
        if len(child) and child.tag not in ("item", f"{_ATOM}entry") and not _is_part(child):
            raise _NotPlain  # markup written as elements (feedparser keeps it as text), or unknown parts
        found.setdefault(child.tag, []).append(child)
    if any(len(elements) > 1 for tag, elements in found.items() if tag not in repeatable):
        raise _NotPlain  # which of two titles feedparser keeps depends on its state
    return found


def _is_part(element: ET.Element) -> bool:
    parts = _PARTS.get(element.tag, ())
    return all(child.tag in parts and not len(child) and not child.attrib for child in element)


def _value(element: ET.Element, *, uri: bool = False, fix: bool = True) -> str:
    """An element's text with feedparser's steps: stripped, made absolute (against no base: only its fix of
    `http:///x`), and its repair of UTF-8 read as ISO-8859-1."""
    text = (element.text or "").strip()
    if uri and text:
        text = _urljoin("", text)
    return _fixed(text) if fix else text


def _fixed(text: str) -> str:
    try:
        text = text.encode("iso-8859-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        pass
    if _C1.search(text):
        raise _NotPlain
    return text
