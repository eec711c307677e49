"""Feed parsing on small hand-written feeds: identity, updates, JSON Feed, links, errors, and survey wording."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.watch.feeds import LINK_LIMIT, MAX_ITEMS, SUMMARY_LIMIT, TITLE_LIMIT, FeedItem, looks_like_survey, parse_feed


def rss(items: str, *, channel: str = "") -> bytes:
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Vendor news</title>'
            f"<link>https://vendor.example/</link>{channel}{items}</channel></rss>").encode()


def only(body: bytes, **options: str) -> FeedItem:
    parsed = parse_feed(body, **options)
    assert parsed.error is None
    [item] = parsed.items
    return item


# --- identity ----------------------------------------------------------------------------------------


def test_a_guid_is_the_identity() -> None:
    item = only(rss("<item><title>Retiring gpt-old</title><guid isPermaLink='false'>post-42</guid>"
                    "<link>https://vendor.example/news/retiring</link></item>"))
    assert (item.id, item.link) == ("post-42", "https://vendor.example/news/retiring")


def test_without_a_guid_the_link_is_the_identity() -> None:
    item = only(rss("<item><title>Retiring gpt-old</title><link>https://vendor.example/news/retiring</link></item>"))
    assert item.id == "https://vendor.example/news/retiring"


def test_without_guid_or_link_title_and_date_make_a_stable_identity() -> None:
    first = rss("<item><title>Retiring gpt-old</title><pubDate>Mon, 03 Aug 2026 10:00:00 GMT</pubDate>"
                "<description>Short.</description></item>")
    grown = rss("<item><title>Retiring gpt-old</title><pubDate>Mon, 03 Aug 2026 10:00:00 GMT</pubDate>"
                "<description>Short. Now with the shutdown date.</description></item>")
    other_day = rss("<item><title>Retiring gpt-old</title><pubDate>Tue, 04 Aug 2026 10:00:00 GMT</pubDate>"
                    "<description>Short.</description></item>")

    item = only(first)
    assert item.id.startswith("sha256:") and item.link is None
    assert only(first).id == item.id  # the same bytes, the same id, poll after poll
    assert only(grown).id == item.id  # the summary is not part of it: an edit is not a new item
    assert only(other_day).id != item.id


def test_items_with_only_a_description_still_get_distinct_ids() -> None:
    parsed = parse_feed(rss("<item><description>One</description></item><item><description>Two</description></item>"))
    assert len({item.id for item in parsed.items}) == 2


def test_a_repeated_id_gives_one_item() -> None:
    parsed = parse_feed(rss("<item><title>A</title><guid>same</guid></item>"
                            "<item><title>B</title><guid>same</guid></item>"))
    assert [item.title for item in parsed.items] == ["A"]


# --- updates -----------------------------------------------------------------------------------------


def test_content_growth_changes_the_hash_but_not_the_id() -> None:
    before = only(rss("<item><title>Model retirement</title><guid>r1</guid>"
                      "<description>gpt-old retires.</description></item>"))
    again = only(rss("<item><title>Model retirement</title><guid>r1</guid>"
                     "<description>gpt-old retires.</description></item>"))
    after = only(rss("<item><title>Model retirement</title><guid>r1</guid>"
                     "<description>gpt-old retires. &lt;b&gt;Update:&lt;/b&gt; moved to 2026-12-01.</description>"
                     "</item>"))
    retitled = only(rss("<item><title>Model retirement (updated)</title><guid>r1</guid>"
                        "<description>gpt-old retires.</description></item>"))

    assert before.id == again.id == after.id == retitled.id == "r1"
    assert before.content_hash == again.content_hash
    assert len({before.content_hash, after.content_hash, retitled.content_hash}) == 3
    assert after.summary == "gpt-old retires. Update: moved to 2026-12-01."


# --- text and dates ----------------------------------------------------------------------------------


def test_summaries_are_plain_text_squashed_and_bounded() -> None:
    html = ("&lt;p&gt;Hello&lt;/p&gt;\n\n  &lt;script&gt;steal()&lt;/script&gt;"
            "&lt;ul&gt;&lt;li&gt;a &amp;amp; b&lt;/li&gt;&lt;/ul&gt;")
    assert only(rss(f"<item><title>T</title><description>{html}</description></item>")).summary == "Hello a & b"

    long = only(rss(f"<item><title>T</title><description>{'word ' * 1000}</description></item>")).summary
    assert len(long) == SUMMARY_LIMIT and long.endswith("…")


def test_dates_are_aware_utc() -> None:
    item = only(rss("<item><title>T</title><pubDate>Mon, 03 Aug 2026 12:00:00 +0200</pubDate></item>"))
    assert item.published == datetime(2026, 8, 3, 10, 0, tzinfo=UTC)
    atom = (b'<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><entry><id>urn:x:1</id><title>T</title>'
            b"<updated>2026-08-03T12:00:00-05:00</updated></entry></feed>")
    assert only(atom).updated == datetime(2026, 8, 3, 17, 0, tzinfo=UTC)


def test_an_atom_html_title_becomes_text() -> None:
    atom = (b'<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><entry><id>urn:x:1</id>'
            b'<title type="html">&lt;b&gt;Claude 2&lt;/b&gt; &amp;amp; friends retire</title></entry></feed>')
    assert only(atom).title == "Claude 2 & friends retire"


# --- relative links ----------------------------------------------------------------------------------


def test_relative_links_resolve_against_the_feed_url() -> None:
    item = only(rss("<item><title>T</title><link>/news/retiring</link></item>"),
                url="https://vendor.example/feeds/news.xml")
    assert item.link == "https://vendor.example/news/retiring"


def test_xml_base_takes_part_in_resolution() -> None:
    atom = (b'<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://docs.vendor.example/changelog/">'
            b'<title>A</title><entry><id>urn:x:1</id><title>T</title><link href="2026/08/retiring"/></entry></feed>')
    assert only(atom, url="https://vendor.example/feed.atom").link == \
        "https://docs.vendor.example/changelog/2026/08/retiring"


def test_without_a_url_the_feeds_self_link_is_the_base() -> None:
    atom = (b'<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>'
            b'<link rel="self" href="https://vendor.example/blog/feed.atom"/>'
            b'<entry><id>urn:x:1</id><title>T</title><link href="/blog/retiring"/></entry></feed>')
    assert only(atom).link == "https://vendor.example/blog/retiring"


def test_links_that_are_not_web_addresses_are_dropped() -> None:
    item = only(rss("<item><title>T</title><guid>g</guid><link>javascript:alert(1)</link></item>"),
                url="https://vendor.example/feed.xml")
    assert (item.id, item.link) == ("g", None)


def test_ids_are_not_resolved_against_the_address() -> None:
    """An id is a name, not a place: the same feed read from another address keeps its ids."""
    atom = (b'<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>'
            b"<entry><id>t3_abc</id><title>T</title></entry></feed>")
    assert only(atom, url="https://a.example/feed").id == only(atom, url="https://b.example/x/feed").id == "t3_abc"


# --- JSON Feed ---------------------------------------------------------------------------------------


JSON_FEED = {
    "version": "https://jsonfeed.org/version/1.1",
    "title": "Vendor &amp; friends",
    "feed_url": "https://vendor.example/feed.json",
    "items": [
        {"id": "2026-08-03-retire", "url": "/news/retire", "title": "Retiring gpt-old",
         "content_html": "<p>gpt-old retires on <b>2026-12-01</b>.</p>",
         "date_published": "2026-08-03T10:00:00Z", "date_modified": "2026-08-04T12:00:00+02:00"},
        {"id": 7, "external_url": "https://elsewhere.example/post", "content_text": "Plain  text\nhere."},
        {"id": "summary-wins", "summary": "The summary.", "content_text": "The whole text."},
    ],
}


@pytest.mark.parametrize("content_type", [None, "application/feed+json", "application/json; charset=utf-8"])
def test_json_feed(content_type: str | None) -> None:
    parsed = parse_feed(json.dumps(JSON_FEED).encode(), content_type=content_type)

    assert (parsed.title, parsed.error) == ("Vendor & friends", None)
    first, second, third = parsed.items
    assert (first.id, first.link, first.title) == ("2026-08-03-retire", "https://vendor.example/news/retire",
                                                   "Retiring gpt-old")
    assert first.summary == "gpt-old retires on 2026-12-01 ."
    assert first.published == datetime(2026, 8, 3, 10, 0, tzinfo=UTC)
    assert first.updated == datetime(2026, 8, 4, 10, 0, tzinfo=UTC)
    assert (second.id, second.link, second.summary) == ("7", "https://elsewhere.example/post", "Plain text here.")
    assert third.summary == "The summary."


def test_json_feed_links_resolve_against_the_fetched_url_first() -> None:
    parsed = parse_feed(json.dumps(JSON_FEED).encode(), url="https://mirror.example/v1/feed.json")
    assert parsed.items[0].link == "https://mirror.example/news/retire"


def test_json_feed_odd_values_do_not_break_it() -> None:
    body = json.dumps({"version": "https://jsonfeed.org/version/1", "items": [
        {"id": "", "url": "https://vendor.example/a", "summary": 42, "date_published": "yesterday"},
        "not an item",
        {"id": None, "title": ["odd"], "content_text": "Text"},
    ]}).encode()
    parsed = parse_feed(body)
    assert parsed.error is None
    first, second = parsed.items
    assert (first.id, first.summary, first.published) == ("https://vendor.example/a", "42", None)
    assert second.id.startswith("sha256:")


def test_deeply_nested_json_is_an_error_not_a_crash() -> None:
    parsed = parse_feed(b'{"a":' + b"[" * 100_000 + b"]" * 100_000 + b"}")
    assert parsed.items == [] and parsed.error is not None
    assert parsed.error.reason == "The JSON Feed is nested too deeply to be read."


@pytest.mark.parametrize(("body", "content_type", "error"), [
    (b'{"version": "https://jsonfeed.org/version/1.1", "items": [', None, "The JSON Feed is not valid JSON (line 1"),
    (b'{"users": []}', None, "The document is JSON, but not a JSON Feed."),
    (b"[1, 2]", "application/json", "The document is JSON, but not a JSON Feed."),
    (b'{"version": "https://jsonfeed.org/version/1", "items": {}}', None, "The JSON Feed has no list of items."),
])
def test_json_that_is_not_a_usable_feed(body: bytes, content_type: str | None, error: str) -> None:
    parsed = parse_feed(body, content_type=content_type)
    assert parsed.items == [] and parsed.error is not None and parsed.error.reason.startswith(error)


# --- documents that are not feeds --------------------------------------------------------------------


@pytest.mark.parametrize(("body", "error"), [
    (b"", "The document is empty."),
    (b"  \n\t ", "The document is empty."),
    (b'<?xml version="1.0"?>\n<!-- nothing yet -->\n', "The document is empty."),
    (b"<!DOCTYPE html><html><head><title>Blog</title></head><body><p>Hi<br></body></html>",
     "The address gives a web page (HTML), not a feed."),
    (b"<?xml version='1.0'?><note><to>you</to></note>", "The document is not an RSS, Atom or JSON feed."),
    (b"<rss version='2.0'><channel><title>T</title><item><title>x</ti", "The feed was cut off before its end"),
    (b"<rss version='2.0'><channel><title>T &</title></channel></rss>",
     "The feed is not well-formed XML (line 1"),
])
def test_documents_that_are_not_feeds_give_a_readable_error(body: bytes, error: str) -> None:
    parsed = parse_feed(body, content_type="text/html; charset=utf-8" if b"html" in body else None)
    assert parsed.items == []
    assert parsed.error is not None and parsed.error.reason.startswith(error)


def test_an_empty_but_valid_feed_is_not_an_error() -> None:
    parsed = parse_feed(rss(""))
    assert (parsed.title, parsed.items, parsed.error) == ("Vendor news", [], None)
    assert parsed.warning is not None and parsed.warning.reason == "The feed has no items."


def test_undeclared_entities_are_a_warning_when_items_come_through() -> None:
    parsed = parse_feed(rss("<item><title>Caf&eacute;&nbsp;news</title><guid>g</guid></item>"))
    assert parsed.error is None
    assert parsed.items[0].title == "Café news"
    assert parsed.warning is not None
    assert parsed.warning.reason == "The feed uses an entity that XML does not define, such as &nbsp; (line 1)."


def test_a_wrong_encoding_is_a_warning_when_items_come_through() -> None:
    body = "<rss version='2.0'><channel><title>T</title><item><title>Año</title><guid>g</guid></item>" \
           "</channel></rss>".encode("latin-1")  # no declaration, so XML says UTF-8, which it is not
    parsed = parse_feed(body)
    assert parsed.error is None and parsed.items[0].title == "Año"
    assert parsed.warning is not None and "read as windows-1252" in parsed.warning.reason


def test_a_declared_charset_in_the_content_type_is_honoured() -> None:
    body = "<rss version='2.0'><channel><title>T</title><item><title>Año</title><guid>g</guid></item>" \
           "</channel></rss>".encode("latin-1")
    parsed = parse_feed(body, content_type="application/rss+xml; charset=ISO-8859-1")
    assert (parsed.items[0].title, parsed.warning) == ("Año", None)


def test_a_feed_served_as_html_is_still_read() -> None:
    parsed = parse_feed(rss("<item><title>T</title><guid>g</guid></item>"), content_type="text/html")
    assert (len(parsed.items), parsed.error, parsed.warning) == (1, None, None)


def test_a_body_that_names_a_file_is_never_opened(tmp_path: Path) -> None:
    """feedparser opens bare bytes that name a file; parse_feed must read the bytes themselves."""
    local = tmp_path / "local.xml"
    local.write_bytes(rss("<item><title>a local secret</title><guid>g</guid></item>"))
    parsed = parse_feed(str(local).encode())
    assert parsed.items == [] and parsed.error is not None


# --- surveys -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    # English
    "Take our 2026 developer survey",
    "Model deprecation SURVEY: tell us which models you rely on",
    "Questionnaire on long-context usage",
    "Public consultation on AI model retirement policies",
    "Request for comments: the new deprecation schedule",
    "Request for comment on data retention",
    "RFC: retiring legacy completions endpoints",
    "We'd love your feedback on the new model picker",
    "Share your feedback before March 1",
    "Give us feedback",
    "Feedback form for Assistants API users",
    "Tell us how you use GPT-4o",
    "Share your experience with long-running agents",
    "Open for public comment until 30 June",
    "Call for evidence: foundation model transparency",
    "Have your say on the AI Act guidelines",
    # Spanish
    "Encuesta para desarrolladores 2026",
    "Participa en nuestras encuestas",
    "Consulta pública sobre inteligencia artificial",
    "Consulta publica sobre IA",  # written without the accent
    "Cuestionario sobre el uso de modelos",
    "Queremos conocer tu opinión",
    "Danos su opinión sobre el cambio",
    # Japanese
    "開発者アンケートのお願い",
    "AI事業者ガイドライン案に関する意見募集",
    "パブリックコメントを実施します",
    # Chinese
    "开发者问卷",
    "用户满意度调查",
    "关于人工智能管理办法的征求意见稿",
    "模型退役政策意见征集",
    "開發者問卷調查",  # traditional script
])
def test_survey_wording_is_recognised(text: str) -> None:
    assert looks_like_survey(text)


@pytest.mark.parametrize("text", [
    # English: the words inside other words, and technical or past-tense uses
    "Hire a licensed surveyor for your land",
    "We surveyed 2,000 developers last year",
    "Consultancy services for enterprises",
    "HTTP caching as defined in RFC 7231",
    "Header parsing now follows RFC-9110",
    "Compliant with RFC9457 problem details",
    "Thanks to your feedback, latency dropped by 30%",
    "Feedback loops in reinforcement learning",
    "gpt-4-0613 will be retired on 2026-10-23",
    "rfc lowercase in a URL path: /docs/rfc/",
    # Spanish
    "Opinión: la IA generativa cambia el trabajo",  # an op-ed, not a request
    "Consulta la documentación de la API",  # "see the documentation"
    "El encuestador llegó tarde",
    # Japanese
    "モデルの提供終了のお知らせ",
    # Chinese
    "监管机构对该公司展开反垄断调查",  # an antitrust investigation
    "公安机关已立案调查",  # a criminal case filed
    "模型将于2026年退役",
])
def test_other_wording_is_not_a_survey(text: str) -> None:
    assert not looks_like_survey(text)


# --- limits: what a hostile feed can put in front of people ------------------------------------------


@pytest.mark.parametrize("title", ["x" * 2_000_000, "😀" * 1_000_000, "<b>bold</b> " * 200_000])
def test_titles_are_capped(title: str) -> None:
    item = only(rss(f"<item><guid>1</guid><title type='html'>{title.replace('<', '&lt;')}</title></item>"))
    assert len(item.title) <= TITLE_LIMIT and item.title.endswith("…")


def test_json_feed_titles_and_summaries_are_capped() -> None:
    body = json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "t" * 1_000_000, "items": [
        {"id": "1", "title": "😀" * 1_000_000, "content_html": "<p>" + "s " * 1_000_000 + "</p>"}]}).encode()
    parsed = parse_feed(body)
    [item] = parsed.items
    assert len(parsed.title) <= TITLE_LIMIT and len(item.title) <= TITLE_LIMIT
    assert len(item.summary) <= SUMMARY_LIMIT


def test_items_are_counted_up_to_the_cap_in_feed_order() -> None:
    parsed = parse_feed(rss("".join(f"<item><guid>{n}</guid><title>n{n}</title></item>"
                                    for n in range(MAX_ITEMS + 50))))
    assert len(parsed.items) == MAX_ITEMS and parsed.items[-1].title == f"n{MAX_ITEMS - 1}"


def test_an_over_long_link_is_dropped_and_a_huge_id_hashed() -> None:
    long_link = "https://vendor.example/" + "a" * LINK_LIMIT
    item = only(rss(f"<item><guid>{'g' * 100_000}</guid><title>T</title><link>{long_link}</link></item>"))
    assert item.link is None
    assert item.id.startswith("sha256:") and len(item.id) < 100
