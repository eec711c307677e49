"""Feeds read from bytes the fetcher already got: RSS 0.9x/1.0/2.0 and Atom through feedparser, JSON Feed
through the json module. Nothing here touches the network or the disk.

A document that is not a usable feed gives `ParsedFeed.error`, a sentence a moderator can act on (a
`FeedProblem`, worded in each reader's language); a feed that is a little broken but still gives items
gives them, with `warning` saying what was wrong.
"""

from __future__ import annotations

import hashlib
import html
import io
import json
import re
import time
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

import feedparser
from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning

from bot.errors import Explained
from bot.i18n import N_
from bot.watch import fast_feeds
from bot.watch.visible import visible

# What one feed may put in front of people, whatever it sends: a title is a line, not a book (a 2 MB title
# once became a thousand Telegram messages), and the busiest real feed (an aggregator) has about 500 items.
TITLE_LIMIT = 300
SUMMARY_LIMIT = 2000
MAX_ITEMS = 1000
LINK_LIMIT = 2048  # longer links are dropped: Discord refuses embed links over 2,048 characters
# Markup and whitespace around the text are read at most this many times the limit: stripping tags from a
# 4 MB title takes seconds, and regular expressions hold the GIL, so even a thread would stall the loop.
_RAW_FACTOR = 20
_ID_LIMIT = 512
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_JSON_TYPES = frozenset({"application/feed+json", "application/json"})
_LEADING_NOISE = re.compile(rb"\A(?:\s+|<\?.*?\?>|<!--.*?-->)*", re.DOTALL)  # whitespace, declarations, comments
_HTML_START = re.compile(rb"<(?:!doctype\s+html|html[\s>])", re.IGNORECASE)
_UNSAFE_IN_LINK = re.compile(r"[\x00-\x20\x7f-\x9f\s]")


@dataclass(frozen=True)
class FeedItem:
    id: str  # guid/id, else link, else a hash of title and date: the same item keeps it across polls
    title: str  # plain text, at most TITLE_LIMIT characters
    link: str | None  # http(s), at most LINK_LIMIT characters
    summary: str  # plain text, whitespace squashed, at most SUMMARY_LIMIT characters
    published: datetime | None  # aware, UTC
    updated: datetime | None
    content_hash: str  # of title and summary: same id with another hash means the item was edited


class FeedProblem(Explained):
    """What is wrong with a document that should be a feed."""


_NO_ITEMS = FeedProblem(N_("The feed has no items."))


@dataclass(frozen=True)
class ParsedFeed:
    title: str
    items: list[FeedItem]
    error: FeedProblem | None  # the document is not a usable feed (items is then empty)
    warning: FeedProblem | None = None  # something was off, but the items are usable


def parse_feed(body: bytes, *, url: str | None = None, content_type: str | None = None,
               fast: bool = True) -> ParsedFeed:
    """`fast=False` reads RSS and Atom with feedparser alone, to check `fast_feeds` against it."""
    start = body.removeprefix(b"\xef\xbb\xbf").lstrip()
    if not _LEADING_NOISE.sub(b"", start, count=1):
        return ParsedFeed("", [], FeedProblem(N_("The document is empty.")))
    media_type = (content_type or "").split(";", 1)[0].strip().lower()
    if start.startswith(b"{") or (media_type in _JSON_TYPES and not start.startswith(b"<")):
        return _parse_json_feed(body, url)
    return _parse_xml_feed(body, url, content_type, fast)


# --- items ------------------------------------------------------------------------------------------


def _make_item(*, id: str | None, title: str, link: str | None, summary: str, published: datetime | None,
               updated: datetime | None) -> FeedItem:
    if not id:
        # No identity given: title and date identify the item; the summary only when there is nothing else.
        stamp = published.isoformat() if published else ""
        basis = f"{title}\n{stamp}" if title or stamp else summary
        id = "sha256:" + hashlib.sha256(basis.encode()).hexdigest()[:32]
    elif len(id) > _ID_LIMIT:  # an id is a key in the database, not a place to store megabytes
        id = "sha256:" + hashlib.sha256(id.encode()).hexdigest()[:32]
    digest = hashlib.sha256(f"{title}\n{summary}".encode()).hexdigest()
    return FeedItem(id, title, _plain_link(link), summary, published, updated, digest)


def _plain_link(link: str | None) -> str | None:
    """No address holds a space or a control character: they are percent-encoded, as a browser sends them, so
    the link stays one Discord and Telegram accept and a console shows no escape sequence from a feed. (An id
    made from the link keeps the link as the feed wrote it, so no item already seen looks new.)"""
    if link is None:
        return None
    link = _UNSAFE_IN_LINK.sub(lambda unsafe: quote(unsafe.group(0)), link)
    return link if len(link) <= LINK_LIMIT else None


def _unique(items: list[FeedItem]) -> list[FeedItem]:
    """One item per id (the first): a feed that repeats an id must not produce two notices."""
    unique: dict[str, FeedItem] = {}
    for item in items:
        unique.setdefault(item.id, item)
    return list(unique.values())


# --- RSS and Atom ------------------------------------------------------------------------------------


def _parse_xml_feed(body: bytes, url: str | None, content_type: str | None, fast: bool) -> ParsedFeed:
    # BytesIO, never bare bytes: feedparser treats bytes that look like a path as a file name and reads
    # that file, so a server answering "/etc/passwd" would make us parse our own disk.
    # No Content-Location either: feedparser would then resolve <id>s against it (an id must not change
    # with the address) and, without a Content-Type, decode as ISO-8859-1 instead of UTF-8.
    headers = {"content-type": content_type} if content_type else {}
    # Neither sanitising nor resolving links inside markup: `_text` keeps only the text (script and style
    # dropped) and no link from inside markup is used, so both would be work thrown away (a sixth of the parse).
    try:
        parsed = (fast and fast_feeds.read(body, content_type)) or feedparser.parse(
            io.BytesIO(body), response_headers=headers, sanitize_html=False, resolve_relative_uris=False)
    except Exception as error:  # feedparser's own bug; a broken feed must not stop whoever reads it
        return ParsedFeed("", [], FeedProblem(N_("The feed could not be read ({error})."),
                                                error=type(error).__name__))
    feed = parsed.get("feed", {})
    title = _text(feed.get("title", ""), feed.get("title_detail", {}).get("type"))
    base = url or _feed_base(feed)
    entries = parsed.get("entries", [])[:MAX_ITEMS]
    items = _unique([item for entry in entries if (item := _entry_item(entry, base))])
    # feedparser puts an XML declaration on a line of its own in front of a document without one.
    shift = 0 if body.removeprefix(b"\xef\xbb\xbf").startswith(b"<?xml") else 1
    problem = _bozo_problem(parsed, shift)
    if problem is not None and hasattr(parsed.get("bozo_exception"), "getLineNumber") and _cut_off(body):
        # The items of a part are not the feed's: a later whole copy would make the rest look new.
        return ParsedFeed(title, [], FeedProblem(N_("The feed was cut off before its end; none of it was used. "
                                                    "It is read again at the next check.")))
    if items:
        return ParsedFeed(title, items, None, problem)
    if not parsed.get("version"):
        if _HTML_START.search(body[:2048]):
            return ParsedFeed(title, [], FeedProblem(N_("The address gives a web page (HTML), not a feed.")))
        return ParsedFeed(title, [], FeedProblem(N_("{problem} No RSS, Atom or JSON feed could be read."),
                                                 problem=problem) if problem else
                          FeedProblem(N_("The document is not an RSS, Atom or JSON feed.")))
    if problem:
        return ParsedFeed(title, [], FeedProblem(N_("{problem} No items could be read from it."), problem=problem))
    return ParsedFeed(title, [], None, _NO_ITEMS)  # valid, just empty: not a failure


_FIRST_ELEMENT = re.compile(rb"<([A-Za-z_][\w.:-]*)")  # the root: <?xml …?> and <!-- … --> do not match


def _cut_off(body: bytes) -> bool:
    """Whether a document that is not well-formed XML stops before its root element's end tag (`</rss>`,
    `</feed>`, `</rdf:RDF>`; a last `>` missing still counts as the end): cut off in transit or by the server,
    rather than merely sloppy, which feeds often are and which feedparser reads on."""
    root = _FIRST_ELEMENT.search(body, 0, 4096)
    if root is None:
        return False  # not ASCII-compatible markup (e.g. UTF-16): nothing to tell from the bytes
    return re.search(rb"</" + re.escape(root.group(1)) + rb"\s*>?\s*(?:<!--(?:(?!-->).)*-->\s*)*\Z",
                     body[-8192:], re.DOTALL) is None


def _bozo_problem(parsed: Any, line_shift: int) -> FeedProblem | None:
    """feedparser's bozo exception as a sentence, or None when it is harmless. feedparser's and the XML
    parser's own words stay in brackets, as details for whoever digs further."""
    if not parsed.get("bozo"):
        return None
    error = parsed.get("bozo_exception")
    if isinstance(error, feedparser.NonXMLContentType):
        return None  # servers often send feeds as text/html or application/octet-stream; the body decides
    if isinstance(error, feedparser.CharacterEncodingOverride):
        if parsed.get("encoding", "").lower() in ("utf-8", "utf8"):
            return None  # e.g. text/xml without charset, which RFC 3023 calls ASCII: UTF-8 was right
        return FeedProblem(N_("The feed's character encoding is missing or wrong; it was read as {encoding}, so "
                              "some characters may look garbled."), encoding=str(parsed.get("encoding")))
    if isinstance(error, feedparser.CharacterEncodingUnknown):
        return FeedProblem(N_("The feed's character encoding could not be worked out."))
    if hasattr(error, "getLineNumber"):  # a SAXParseException from the strict XML parser
        message, line = error.getMessage(), max(1, error.getLineNumber() - line_shift)
        if "undefined entity" in message:
            return FeedProblem(N_("The feed uses an entity that XML does not define, such as &nbsp; (line {line})."),
                               line=line)
        return FeedProblem(N_("The feed is not well-formed XML (line {line}: {error})."), line=line, error=message)
    return FeedProblem(N_("The feed could not be read cleanly ({error})."), error=str(error))


def _feed_base(feed: Any) -> str | None:
    """Where relative links point from when we do not know the address: the feed's self link, else its home."""
    for link in feed.get("links", []):
        if link.get("rel") == "self" and _is_web(link.get("href")):
            return link["href"]
    home = feed.get("link")
    return home if _is_web(home) else None


def _entry_item(entry: Any, base: str | None) -> FeedItem | None:
    title = _text(entry.get("title", ""), entry.get("title_detail", {}).get("type"))
    content = (entry.get("content") or [{}])[0]
    summary_html = entry.get("summary") or content.get("value") or ""
    # Without a summary feedparser copies the content into `summary`, but not its type.
    summary_type = entry.get("summary_detail", {}).get("type") or content.get("type") or "text/html"
    summary = _text(summary_html, summary_type, SUMMARY_LIMIT)
    raw_id = (entry.get("id") or "").strip()
    link = _web_link(entry.get("link"), base)
    if not (raw_id or link or title or summary):
        return None  # e.g. a half-parsed entry in a broken document: nothing to tell anyone about
    return _make_item(id=raw_id or link, title=title, link=link, summary=summary,
                      published=_from_struct(entry.get("published_parsed")),
                      # dict.get: feedparser's own get() answers a missing `updated` with `published`
                      updated=_from_struct(dict.get(entry, "updated_parsed")))


def _from_struct(value: time.struct_time | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime(*value[:6], tzinfo=UTC)  # feedparser already converted to UTC
    except (TypeError, ValueError):
        return None


# --- JSON Feed ---------------------------------------------------------------------------------------


def _parse_json_feed(body: bytes, url: str | None) -> ParsedFeed:
    try:
        document = json.loads(body)
    except json.JSONDecodeError as error:
        return ParsedFeed("", [], FeedProblem(N_("The JSON Feed is not valid JSON (line {line}: {error})."),
                                              line=error.lineno, error=error.msg))
    except ValueError:  # undecodable bytes
        return ParsedFeed("", [], FeedProblem(N_("The JSON Feed is not valid JSON (it is not UTF-8 text).")))
    except RecursionError:
        return ParsedFeed("", [], FeedProblem(N_("The JSON Feed is nested too deeply to be read.")))
    if not isinstance(document, dict) or "jsonfeed.org" not in str(document.get("version", "")):
        return ParsedFeed("", [], FeedProblem(N_("The document is JSON, but not a JSON Feed.")))
    # JSON Feed titles are plain text, but feeds made from HTML pages often keep entities (&#8211;).
    title = _text(html.unescape(_raw(document.get("title"), TITLE_LIMIT)), None)
    entries = document.get("items")
    if not isinstance(entries, list):
        return ParsedFeed(title, [], FeedProblem(N_("The JSON Feed has no list of items.")))
    base = url or next((u for u in (document.get("feed_url"), document.get("home_page_url")) if _is_web(u)), None)
    items = []
    for entry in entries[:MAX_ITEMS]:
        if not isinstance(entry, dict):
            continue
        summary = _text(str(entry.get("summary") or ""), None, SUMMARY_LIMIT) \
            or _text(str(entry.get("content_text") or ""), None, SUMMARY_LIMIT) \
            or _text(str(entry.get("content_html") or ""), "text/html", SUMMARY_LIMIT)
        link = _web_link(entry.get("url") or entry.get("external_url"), base)
        raw_id = entry.get("id")
        items.append(_make_item(
            id=(str(raw_id).strip() if raw_id is not None else "") or link,  # 1.0 allowed numbers
            title=_text(html.unescape(_raw(entry.get("title"), TITLE_LIMIT)), None), link=link, summary=summary,
            published=_from_iso(entry.get("date_published")), updated=_from_iso(entry.get("date_modified"))))
    items = _unique(items)
    return ParsedFeed(title, items, None, None if items else _NO_ITEMS)


def _from_iso(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


# --- text --------------------------------------------------------------------------------------------


def _raw(value: object, limit: int) -> str:
    """A JSON value as text, no longer than `_text` will read of it anyway."""
    return str(value or "")[: limit * _RAW_FACTOR]


def _text(value: str, content_type: str | None, limit: int = TITLE_LIMIT) -> str:
    """Plain text with whitespace squashed, at most `limit` characters; markup is stripped only when the feed
    says it is markup."""
    value = value[: limit * _RAW_FACTOR]
    if content_type in _HTML_TYPES and ("<" in value or "&" in value):
        with warnings.catch_warnings():  # bs4 warns when short markup looks like a URL; it is still markup
            warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
            soup = BeautifulSoup(value, "html.parser")
        for hidden in soup(["script", "style", "template"]):
            hidden.decompose()
        value = soup.get_text(" ")
    elif content_type in _HTML_TYPES:
        value = html.unescape(value)
    text = " ".join(visible(value).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _is_web(link: object) -> bool:
    return isinstance(link, str) and urlsplit(link).scheme in ("http", "https")


def _web_link(link: object, base: str | None) -> str | None:
    """The link made absolute; only http(s) links are kept (a tag: URI or javascript: is no place to send people)."""
    if not isinstance(link, str) or not link.strip():
        return None
    if len(link) > LINK_LIMIT * 2:
        return None
    absolute = urljoin(base, link.strip()) if base else link.strip()
    return absolute if _is_web(absolute) and len(absolute) <= LINK_LIMIT else None


# --- surveys and consultations -----------------------------------------------------------------------

# Latin scripts: whole words, so "surveyor" or "consultancy" do not count. Phrases around "feedback" and
# "opinión", because the bare words mostly appear in reports ("thanks to your feedback") and op-eds.
_SURVEY_WORDS = re.compile(
    r"\b(?:surveys?|questionnaires?|consultations?|requests?\s+for\s+comments?|public\s+comments?"
    r"|calls?\s+for\s+(?:evidence|input|comments?|feedback)|have\s+your\s+say|tell\s+us"
    r"|share\s+your\s+(?:experiences?|stor(?:y|ies)|thoughts|views|opinions?|feedback)"
    r"|(?:share|give|send|leave|submit|provide|want|need|love|welcome|invite|seek(?:ing)?)\s+(?:us\s+)?"
    r"(?:your\s+|some\s+)?(?:\w+\s+)?feedback"
    r"|feedback\s+(?:forms?|surveys?|requests?|wanted|welcome|sessions?)"
    r"|encuestas?|cuestionarios?|consultas?\s+p[úu]blicas?"
    r"|(?:tu|tus|su|sus|vuestra|vuestras)\s+opini(?:ó|o)n(?:es)?"
    r"|comparte\s+tu\s+experiencia|cu[ée]ntanos)\b",
    re.IGNORECASE,
)
# "RFC" as a request for comment ("RFC: new retention policy"), but not a cited standard ("RFC 7231").
_RFC = re.compile(r"\bRFC\b(?!\s*[-#]?\s*\d)")
# Japanese and Chinese have no spaces between words: plain substrings. 调查 alone also means an
# investigation, so the usual investigation compounds (antitrust, regulatory, case filing…) do not count.
_SURVEY_CJK = re.compile(
    r"アンケート|意見募集|意見公募|パブリックコメント|パブコメ|ご意見をお(?:寄せ|聞かせ)"
    r"|问卷|問卷|征求意见|徵求意見|意见征集|意見徵集"
    r"|(?<!反垄断)(?<!反壟斷)(?<!监管)(?<!監管)(?<!立案)(?<!刑事)(?<!司法)(?<!事故)[调調]查"
)


def looks_like_survey(text: str) -> bool:
    """Whether a feed item reads like a survey or public consultation people can take part in."""
    return bool(_SURVEY_WORDS.search(text) or _RFC.search(text) or _SURVEY_CJK.search(text))
