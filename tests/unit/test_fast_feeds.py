"""fast_feeds against feedparser on generated RSS 2.0 and Atom 1.0 documents: the elements an item is made of,
in any order, with the values where feedparser has rules of its own (markup in a plain title, a guid that is or
is not a link, an `&amp;` in a link, `http:////`, dates it can and cannot read, UTF-8 read as Latin-1, C1
characters). Whatever fast_feeds reads must come out as feedparser's; what it does not know, it leaves to it."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.watch import fast_feeds
from bot.watch.feeds import ParsedFeed, parse_feed

TEXTS = ["Model retired", "  spaced  out  ", "", "AT&T & friends", "<b>bold</b> news", "a </p> b &copy; 2025",
         "5 < 6 &amp; 7 > 3", "caf\u00c3\u00a9 (UTF-8 read as Latin-1)", "Ñandú señal", "模型将于下月停用",
         "<script>x()</script>text", "&nbsp;entity&nbsp;", "C1 \x85 character", "x &unknown; y"]
LINKS = ["https://a.example/post?a=1&b=2", "/relative/post", "http:////b.example/x", "", "  https://c.example/  ",
         "https://d.example/a&amp;b;c", "tag:example.org,2025:1", "javascript:alert(1)"]
DATES = ["Mon, 01 Dec 2025 10:00:00 GMT", "2025-12-01T10:00:00Z", "2025-12-01T10:00:00+09:00", "not a date",
         "Tue, 2 Dec 2025 25:00:00 +0100", "1 Dec 2025", ""]
URLS = ["https://feeds.example/feed.xml", None]

text = st.sampled_from(TEXTS)
link = st.sampled_from(LINKS)
date = st.sampled_from(DATES)


def element(tag: str, value: str, attributes: str = "", cdata: bool = False) -> str:
    inner = f"<![CDATA[{value}]]>" if cdata and "]]>" not in value else escape(value)
    return f"<{tag}{attributes}>{inner}</{tag}>"


@st.composite
def rss_items(draw: st.DrawFn) -> str:
    parts = []
    if draw(st.booleans()):
        parts.append(element("title", draw(text), cdata=draw(st.booleans())))
    if draw(st.booleans()):
        parts.append(element("link", draw(link)))
    if draw(st.booleans()):
        parts.append(element("description", draw(text), cdata=draw(st.booleans())))
    if draw(st.booleans()):
        permalink = draw(st.sampled_from(["", ' isPermaLink="true"', ' isPermaLink="false"', ' isPermaLink="True"']))
        parts.append(element("guid", draw(st.sampled_from([*LINKS, "abc-123", "  id with spaces "])), permalink))
    if draw(st.booleans()):
        parts.append(element("pubDate", draw(date)))
    if draw(st.booleans()):
        parts.append(element("content:encoded", draw(text), cdata=True))
    for extra in draw(st.lists(st.sampled_from([
            element("category", "news"), element("author", "a@example.org (A)"), element("dc:creator", "A"),
            '<enclosure url="https://e.example/a.mp3" length="1" type="audio/mpeg"/>',
            '<media:thumbnail url="https://e.example/t.png"/>',
            # feedparser reads these into an item's own keys, or by rules of its own: fast_feeds leaves them
            element("dc:date", "2025-12-01"), element("media:title", "Other title"),
            element("title", "A second title"), '<atom:link href="https://f.example/" rel="alternate"/>',
            "<description>with <em>markup</em> as elements</description>", element("comments", "x")]),
            max_size=2)):
        parts.append(extra)
    order = draw(st.permutations(parts))
    return "<item>" + "".join(order) + "</item>"


@st.composite
def rss_documents(draw: st.DrawFn) -> bytes:
    channel = [element("title", draw(text)), element("link", draw(link))]
    if draw(st.booleans()):
        channel.append(f'<atom:link href={quoteattr(draw(link))} rel="self" type="application/rss+xml"/>')
    if draw(st.booleans()):
        channel.append("<image><url>https://i.example/a.png</url><title>Image</title><link>https://i.example/"
                       "</link></image>")
    channel = list(draw(st.permutations(channel)))
    channel += draw(st.lists(rss_items(), min_size=1, max_size=4))
    declaration = draw(st.sampled_from(["", '<?xml version="1.0" encoding="UTF-8"?>', "<?xml version='1.0'?>"]))
    return (f'{declaration}<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/" '
            f'xmlns:atom="http://www.w3.org/2005/Atom"><channel>{"".join(channel)}</channel></rss>').encode()


@st.composite
def atom_entries(draw: st.DrawFn) -> str:
    parts = []
    kinds = st.sampled_from(["", ' type="text"', ' type="html"', ' type="xhtml"'])
    if draw(st.booleans()):
        parts.append(element("title", draw(text), draw(kinds)))
    if draw(st.booleans()):
        parts.append(element("id", draw(st.sampled_from([*LINKS, "urn:uuid:1234"]))))
    for _ in range(draw(st.integers(0, 3))):
        rel = draw(st.sampled_from(["", ' rel="alternate"', ' rel="self"', ' rel="enclosure"', ' rel="related"']))
        kind = draw(st.sampled_from(["", ' type="text/html"', ' type="application/pdf"',
                                     ' type="application/xhtml+xml"']))
        parts.append(f"<link href={quoteattr(draw(link))}{rel}{kind}/>")
    if draw(st.booleans()):
        parts.append(element("summary", draw(text), draw(kinds)))
    if draw(st.booleans()):
        parts.append(element("content", draw(text), draw(kinds)))
    if draw(st.booleans()):
        parts.append(element("published", draw(date)))
    if draw(st.booleans()):
        parts.append(element("updated", draw(date)))
    if draw(st.booleans()):
        parts.append("<author><name>A</name><uri>https://a.example/</uri></author>")
    if draw(st.booleans()):
        parts.append(draw(st.sampled_from(['<category term="news"/>', element("rights", "CC"),
                                           '<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">x</div>'
                                           "</content>", '<link rel="alternate">https://t.example/</link>',
                                           element("source", "elsewhere")])))
    return "<entry>" + "".join(draw(st.permutations(parts))) + "</entry>"


@st.composite
def atom_documents(draw: st.DrawFn) -> bytes:
    top = [element("title", draw(text)), element("id", draw(link))]
    if draw(st.booleans()):
        top.append(f'<link href={quoteattr(draw(link))} rel="self"/>')
    if draw(st.booleans()):
        top.append(f"<link href={quoteattr(draw(link))}/>")
    top = list(draw(st.permutations(top))) + draw(st.lists(atom_entries(), min_size=1, max_size=4))
    return ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            + "".join(top) + "</feed>").encode()


def shown(parsed: ParsedFeed) -> tuple[object, ...]:
    return parsed.title, parsed.items, str(parsed.error), str(parsed.warning)


def read_both_ways(document: bytes) -> bool:
    for content_type in (None, "application/atom+xml; charset=utf-8"):
        for url in URLS:
            assert shown(parse_feed(document, url=url, content_type=content_type)) == \
                shown(parse_feed(document, url=url, content_type=content_type, fast=False))
    return fast_feeds.read(document, None) is not None


@settings(max_examples=300, deadline=None)
@given(rss_documents())
def test_rss_reads_as_feedparser_reads_it(document: bytes) -> None:
    read_both_ways(document)


@settings(max_examples=300, deadline=None)
@given(atom_documents())
def test_atom_reads_as_feedparser_reads_it(document: bytes) -> None:
    read_both_ways(document)


def test_the_plain_documents_are_read_fast_and_the_others_left_to_feedparser() -> None:
    """So that the comparisons above compare something: a plain item is fast_feeds' own, and each thing it
    does not know sends the document to feedparser."""
    rss = ('<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>T</title>{}</channel>'
           "</rss>")
    plain = "<item><title>A</title><link>https://a.example/</link><guid>1</guid></item>"
    assert read_both_ways(rss.format(plain).encode())
    assert read_both_ways(b'<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><entry><id>1</id>'
                           b'<title type="html">A &amp;lt;b&amp;gt;</title></entry></feed>')
    for other in ("<item><title>A</title><dc:date>2025-12-01</dc:date></item>",  # an element it does not know
                  "<item><title>A</title><title>B</title></item>",  # given twice
                  "<item><title>A \x85 B</title></item>",  # a C1 character
                  "<item><description>a <em>b</em></description></item>"):  # markup as elements
        assert not read_both_ways(rss.format(other).encode()), other
    assert fast_feeds.read(rss.format(plain).encode(), "text/xml; charset=iso-8859-1") is None
    assert fast_feeds.read(b'<?xml version="1.0" encoding="windows-1252"?>' + rss.format(plain).encode(), None) is None
    assert fast_feeds.read(b'<!DOCTYPE rss [<!ENTITY a "b">]>' + rss.format(plain).encode(), None) is None
    assert fast_feeds.read(rss.format(plain).replace("<rss ", '<rss xml:base="https://b.example/" ').encode(),
                           None) is None
