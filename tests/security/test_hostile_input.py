"""Hostile text through every entry, as properties (hypothesis): mentions (`@everyone`, `<@…>`, `<@&…>`),
Discord markdown and masked links, Telegram HTML tags and entities, `<script>` and `javascript:`, spreadsheet
formula starts, bidirectional and zero-width characters, and texts up to ten times the platforms' limits.

Whatever comes in, what goes out is within the platform's limits and inert: a Discord embed keeps every
documented limit, its text holds no live markdown and its message may ping only the subscription's role; each
Telegram piece is well-formed HTML (parsed as strictly as Telegram does) with only our own entities; the console
and alerts built from a feed carry no control character; a statement's Markdown shows people's words literally in
the very renderer the HTML page uses; an imported file's words are cleaned as the Form's are; a source address
in a private network is refused in every spelling, and its secrets are never repeated; and a command given any
words, or a form (a Discord modal, a Telegram conversation, console prompts) given any answers, gets a clear
answer, never "something went wrong". A few fixed hostile texts also go through the real discord.py and
python-telegram-bot to the fakes, which refuse what the platforms refuse.

Two holes these found are closed in `bot/`: discord.py's `escape_markdown` escapes only the first `[` of a line
and leaves everything up to the line's last `)` as it was (bold, a second masked link whose words hide where it
goes), so the Discord renderer escapes every markup character itself; and a feed's link kept control characters
(an escape sequence printed raw on the console, an embed link Discord refuses), so they are percent-encoded.
Feeds and pages also kept bidirectional overrides and zero-width spaces (a title shown backwards, a model name
matching no model): `bot/watch/visible.py` removes them.

Already covered elsewhere, and not repeated here: the intake's own properties (tests/unit/test_intake_properties.py),
CSV cells over arbitrary text (tests/unit/test_statement_csv.py), fixed hostile examples for each renderer
(tests/unit/test_render.py), a hostile feed through both real front doors (tests/e2e/test_alerts.py), hostile
statements (tests/integration/test_statement_templates.py, test_statement_outputs.py) and the fetcher's fixed
private addresses (tests/integration/test_fetch.py).

Deterministic (`derandomize`, no example database), modest example counts, no deadline: the same run every time.
"""

from __future__ import annotations

import asyncio
import csv
import html
import io
import ipaddress
import json
import re
import unicodedata
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime

import pytest
from discord.utils import escape_markdown
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bot.alerts.render import alert_message
from bot.app import build_services
from bot.checks import check_url
from bot.commands import BY_PATH, COMMANDS, Where, answer, run_text, something_went_wrong
from bot.domain import Category, PlatformName, Severity, Source, SourceKind
from bot.errors import InvalidInput
from bot.i18n import use_locale
from bot.platforms.console import render_text
from bot.platforms.discord import DiscordFrontDoor, allowed_mentions, render_embed
from bot.platforms.telegram import TelegramFrontDoor
from bot.platforms.telegram.render import LIMIT, MAX_PIECES, REPLY_PIECES, render_html
from bot.presentation import Actor, Answer, Ask, FieldKind, FormField, Message, MessageField, Target
from bot.services import Services
from bot.statements.render.html import _markdown as statement_markdown
from bot.statements.render.text import escape_md
from bot.store import Store
from bot.testimonies import form as testimony_form
from bot.testimonies import importer
from bot.watch.feeds import LINK_LIMIT, SUMMARY_LIMIT, TITLE_LIMIT, parse_feed
from bot.watch.fetch import Fetcher, FetchError, default_user_agent
from bot.watch.pages import extract_page
from bot.watch.service import WatchService
from tests.conftest import make_settings
from tests.fakes.discord_api import FakeDiscord
from tests.fakes.discord_payloads import command_interaction, option
from tests.fakes.telegram_api import FakeTelegram, HtmlParseError, parse_telegram_html
from tests.fakes.telegram_payloads import command_message
from tests.integration.test_fetch import FakeDNS

CHECKED = settings(max_examples=60, derandomize=True, database=None, deadline=None,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                          HealthCheck.function_scoped_fixture])

# --- hostile text ----------------------------------------------------------------------------------------

MENTIONS = ["@everyone", "@here", "<@123456789012345678>", "<@!123456789012345678>", "<@&456789012345678901>",
            "<#345678901234567890>", "</help:1>", "<t:0:R>", "@admin"]
DISCORD_MARKDOWN = ["**", "__", "*", "_", "~~", "||", "`", "```", "> ", ">>> ", "# ", "## ", "-# ", "- ", "1. ",
                    "2026. ", "\\",
                    "[x](https://evil.example)", "[a](https://a.example) [b](https://b.example)",
                    "<https://evil.example>", "](", "[", "]", "(", ")"]
TELEGRAM_HTML = ["<b>", "</b>", "<i>", "</i>", "</a>", '<a href="javascript:alert(1)">', "<tg-spoiler>", "<pre>",
                 "<code>", "<blockquote expandable>", "&amp;", "&lt;", "&gt;", "&#106;", "&quot;", "&", "<", ">",
                 '"', "'", "<script>alert(1)</script>", '<img src=x onerror="alert(1)">']
LINKS = ["javascript:alert(1)", "https://example.org/?a=1&b=<2>", "data:text/html,<script>x</script>",
         "https://example.org/" + "a" * 2100]
FORMULAS = ["=", "+", "-", "@", "\t", "\r", '=HYPERLINK("http://e.vil","x")', "=cmd|'/C calc'!A0", "@SUM(A1)"]
INVISIBLE = [*map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2066, 0x206A)), "\u200b", "\u200c", "\u200d",
             "\ufeff"]
OTHER = ["\n", "\n\n", "\r\n", " ", "  ", "😀", "👩‍👩‍👧", "喜", "é", "e\u0301", "\x00", "\x1b[31m", "\x07", "\x85"]
PIECES = MENTIONS + DISCORD_MARKDOWN + TELEGRAM_HTML + LINKS + FORMULAS + INVISIBLE + OTHER

piece = st.one_of(st.sampled_from(PIECES), st.text(max_size=12))
hostile = st.lists(piece, max_size=30).map("".join)


def _repeated(text: str, size: int) -> str:
    return (text * (size // len(text) + 1))[:size]


def huge(limit: int) -> st.SearchStrategy[str]:
    """A hostile text repeated up to ten times `limit` characters."""
    return st.builds(_repeated, hostile.filter(bool), st.integers(min_value=1, max_value=10 * limit))


texts = st.one_of(hostile, hostile, huge(4096))  # mostly short: each part fits, so what it shows can be checked
names = st.one_of(hostile, huge(256)).filter(lambda t: t.strip())
snowflakes = st.integers(min_value=10**16, max_value=10**19 - 1).map(str)
fields = st.builds(MessageField, name=names, value=texts, inline=st.booleans())
messages = st.builds(
    Message, body=texts, title=st.none() | names, fields=st.lists(fields, max_size=30).map(tuple),
    link=st.none() | st.sampled_from(LINKS), footer=st.none() | texts,
    mention_roles=st.lists(snowflakes, max_size=2).map(tuple))


# --- what inert means on each platform ---------------------------------------------------------------------

# The links discord.py's escape_markdown leaves as they are (its `_URL_REGEX`): Discord shows them as links anyway.
_URL = re.compile(r"<[^: >]+:/[^ >]+>|(?:https?|steam)://[^\s<]+[^<.,:;\"'\]\s]")
# A quote, heading, list (with dashes or numbers) or subtext opening a line.
_LINE_MARKUP = re.compile(r">(?:>>)?[ \t]|#{1,3}[ \t]|[ \t]*-#?[ \t]|[ \t]*\d{1,9}\.[ \t]")
_INLINE_MARKUP = frozenset("*_~|`[")


def live_markdown(text: str) -> list[str]:
    """What Discord would read as markup in `text`: a `* _ ~ | `, a line opening, or (where a masked link
    `[words](address)` could be made, the text holding "](") a `[`, that no backslash escapes."""
    inline = _INLINE_MARKUP if "](" in text else _INLINE_MARKUP - {"["}
    found, index, line_start = [], 0, True
    while index < len(text):
        link = _URL.match(text, index)
        if link:
            index, line_start = link.end(), False
            continue
        if text[index] == "\\" and index + 1 < len(text):
            index, line_start = index + 2, text[index + 1] == "\n"
            continue
        if line_start and (opening := _LINE_MARKUP.match(text, index)):
            found.append(opening.group(0))
        if text[index] in inline:
            found.append(text[index])
        line_start = text[index] == "\n"
        index += 1
    return found


def test_the_markdown_check_finds_live_markup():
    """The check below must be able to fail: it finds what Discord would draw, and only that."""
    assert live_markdown("**bold** and [x](https://e.vil)") == ["*", "*", "*", "*", "["]
    assert live_markdown("> quote\n# heading\n- item\n-# small\n1. first") == ["> ", "# ", "- ", "-# ", "1. "]
    assert live_markdown("-\n1.5 million\nin 2026. Then") == [], "a dash alone is no list, a decimal no number"
    assert live_markdown(r"\*\*fine\*\* \[x](https://e.vil) https://e.vil/a_b*c") == []
    assert live_markdown("/language [en\\|es]") == [], "a bracket that opens no link is text"
    # What discord.py's escape_markdown alone leaves (the hole the renderer closes): after a line's first masked
    # link, everything up to its last `)`, here bold words and a second link whose words hide where it goes.
    assert live_markdown(escape_markdown("[a](https://a.example) **b** [c](https://c.example)")) == \
        ["*", "*", "*", "*", "["]
    assert live_markdown(render_embed(Message(body="[a](https://a.example) **b** [c](https://c.example)"))
                         .description) == []


def check_embed(message: Message) -> None:
    """Discord's documented embed limits, and no live markup in any text Discord reads as markdown."""
    embed = render_embed(message)
    assert embed.title is None or 1 <= len(embed.title) <= 256
    assert embed.description is None or len(embed.description) <= 4096
    assert len(embed.fields) <= 25
    for field in embed.fields:
        assert 1 <= len(field.name) <= 256 and 1 <= len(field.value) <= 1024
    assert embed.footer.text is None or len(embed.footer.text) <= 2048
    assert len(embed) <= 6000
    assert embed.url is None or (embed.url == message.link and len(embed.url) <= 2048)
    for text in (embed.title or "", embed.description or "", *(f.name for f in embed.fields),
                 *(f.value for f in embed.fields)):
        assert live_markdown(text) == [], text


def check_telegram(message: Message, max_pieces: int) -> list[tuple[str, list[dict]]]:
    """Each piece well-formed HTML for parse_mode=HTML, at most 4,096 characters as Telegram counts them, with
    only the entities we write (bold titles and names, italic footers, the message's own link)."""
    pieces = render_html(message, max_pieces=max_pieces)
    assert len(pieces) <= max_pieces
    parsed = []
    for piece_ in pieces:
        try:
            visible, entities = parse_telegram_html(piece_)
        except HtmlParseError as error:  # what Telegram answers "can't parse entities" to
            raise AssertionError(f"not Telegram HTML: {error}: {piece_[:200]!r}") from None
        assert len(visible.encode("utf-16-le")) // 2 <= LIMIT
        assert {e["type"] for e in entities} <= {"bold", "italic", "text_link"}
        assert [e["url"] for e in entities if e["type"] == "text_link"] in ([], [message.link])
        parsed.append((visible, entities))
    return parsed


# --- Discord --------------------------------------------------------------------------------------------------

@CHECKED
@given(messages)
def test_a_discord_embed_keeps_every_limit_and_no_markup_whatever_the_text(message):
    check_embed(message)


@CHECKED
@given(hostile.filter(lambda t: "://" not in t and t.strip()))
def test_discord_escaping_loses_nothing(text):
    """Escaped text reads back exactly as written (links aside: Discord shows them as they are)."""
    embed = render_embed(Message(body=text))
    assert re.sub(r"\\(.)", r"\1", embed.description or "", flags=re.DOTALL) == text


@CHECKED
@given(messages)
def test_a_discord_message_may_ping_only_the_role_its_subscription_names(message):
    """Embeds never ping; the message's content holds the subscription's role, and allowed_mentions lets
    through that role alone: no @everyone, @here, user or other role from anything the text says."""
    allowed = allowed_mentions(message).to_dict()
    assert allowed["parse"] == [] and "users" not in allowed and allowed.get("replied_user", False) is False
    assert [str(role) for role in allowed["roles"]] == list(message.mention_roles)


# --- Telegram -------------------------------------------------------------------------------------------------

@CHECKED
@given(messages, st.sampled_from([MAX_PIECES, REPLY_PIECES]))
def test_telegram_pieces_are_well_formed_html_within_the_limit(message, max_pieces):
    check_telegram(message, max_pieces)


@CHECKED
@given(st.builds(Message, body=hostile, title=hostile.filter(str.strip), footer=st.none() | hostile,
                 fields=st.lists(st.builds(MessageField, name=hostile.filter(str.strip), value=hostile),
                                 max_size=3).map(tuple)))
def test_telegram_shows_hostile_text_literally(message):
    """Tags, entities and links in the text are text: the reader sees exactly what was written."""
    pieces = check_telegram(message, MAX_PIECES)
    assume(len(pieces) == 1)  # two long links can fill more than one message; cutting is checked above
    [(visible, entities)] = pieces
    parts = [message.title or "", *message.body.split("\n\n"), message.footer or ""]
    parts += [text for f in message.fields for text in (f.name, f.value)]
    for part in filter(None, parts):
        assert part in visible
    assert {e["type"] for e in entities} <= {"bold", "italic"}


# --- the console ----------------------------------------------------------------------------------------------

@CHECKED
@given(messages)
def test_the_console_shows_every_part_as_it_is(message):
    text = render_text(message)
    for part in filter(None, (message.title, message.body, message.link, message.footer)):
        assert part in text
    assert all(f.name in text for f in message.fields)


# --- alerts made from a feed --------------------------------------------------------------------------------

FEED_SOURCE = Source(id=1, kind=SourceKind.FEED, category=Category.NEWS, url="https://feeds.example.test/feed",
                     title="feed", baseline_done=True)


def _rss(title: str, summary: str, link: str) -> bytes:
    def escaped(text: str) -> str:  # what a feed's generator would write; the characters XML cannot hold stay in
        return html.escape(text, quote=False)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>F</title>'
            f"<link>https://feeds.example.test/</link><item><title>{escaped(title)}</title>"
            f"<link>{escaped(link)}</link><description>{escaped(summary)}</description><guid>item-1</guid>"
            f"</item></channel></rss>").encode("utf-8", "surrogatepass")


def _json_feed(title: str, summary: str, link: str) -> bytes:
    item = {"id": "item-1", "title": title, "content_html": summary, "url": link}
    return json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "F", "items": [item]}).encode()


feed_texts = st.one_of(hostile, huge(TITLE_LIMIT), huge(SUMMARY_LIMIT))


def _no_control_characters(text: str) -> bool:
    return all(c == "\n" or unicodedata.category(c) != "Cc" for c in text)


def _nothing_reordered_or_hidden(text: str) -> bool:
    """No bidirectional embedding, override or isolate, zero-width space, word joiner or BOM (joiners stay)."""
    return not any(c in INVISIBLE and c not in "\u200c\u200d" for c in text)


@CHECKED
@given(feed_texts, feed_texts, st.one_of(st.sampled_from(LINKS), hostile), st.sampled_from([_rss, _json_feed]),
       st.sampled_from(["en", "es", "ja", "zh_Hans"]))
def test_a_hostile_feed_item_becomes_an_alert_that_is_bounded_and_inert_everywhere(title, summary, link, feed,
                                                                                    locale):
    parsed = parse_feed(feed(title, summary, link), url=FEED_SOURCE.url)
    for item in parsed.items:
        assert len(item.title) <= TITLE_LIMIT and len(item.summary) <= SUMMARY_LIMIT
        assert item.link is None or (item.link.startswith(("http://", "https://")) and len(item.link) <= LINK_LIMIT)
        assert _no_control_characters(item.title) and _no_control_characters(item.summary)
        assert _nothing_reordered_or_hidden(item.title) and _nothing_reordered_or_hidden(item.summary)
        notice = WatchService._item_notice(FEED_SOURCE, item, [], update=False)
        message = alert_message([notice], locale=locale, today=date(2026, 8, 20), mention_role="2500")
        check_embed(message)
        assert allowed_mentions(message).to_dict()["roles"] == [2500], "the subscription's role, and no other"
        check_telegram(message, MAX_PIECES)
        assert _no_control_characters(render_text(message)), "nothing from a feed can drive the operator's terminal"


def test_a_page_hiding_characters_in_a_model_name_or_date_gives_what_people_see():
    """A zero-width space or a right-to-left override inside a table cell: the model is the one people read
    there (so it matches their subscriptions), and the date is still read."""
    page = ("# Deprecations\n\n## Deprecation history\n\n### 2026-04-22: Legacy GPT model snapshots\n\n"
            "| Shutdown date | Model snapshot | Recommended replacement |\n| --- | --- | --- |\n"
            "| October\u200b 23, 2026 | `gpt\u200b-4-\u202e0613\u202c` | `gpt-5\ufeff` |\n")

    rows = extract_page(page, vendor="openai")

    assert [(r.model, r.shutdown, r.replacements) for r in rows] == [("gpt-4-0613", date(2026, 10, 23), ("gpt-5",))]


def test_a_feed_link_holding_spaces_or_control_characters_is_percent_encoded():
    """What the property above found: a feed's link kept an escape sequence, shown raw on the console (and an
    embed link Discord refuses). It is encoded as a browser would send it; the item keeps the id it had."""
    link = "https://feeds.example.test/a\x1b]0;owned\x07 b\x00"
    [item] = parse_feed(_rss("t", "s", link), url=FEED_SOURCE.url).items
    assert item.link == "https://feeds.example.test/a%1B]0;owned%07%20b%00"
    [same] = parse_feed(_json_feed("t", "s", link).replace(b'"id": "item-1", ', b""), url=FEED_SOURCE.url).items
    assert same.link == item.link and same.id == link, "an id made from the link is the link as written"


# --- statements ----------------------------------------------------------------------------------------------

_OURS = {"p", "blockquote", "ul", "li", "table", "thead", "tbody", "tr", "th", "td"}
# Where templates print people's words: a quote, a list item, a table cell, after a label.
CONTEXTS = ("> “{}” [T-7KQ2M9]", "- {}", "| Model | Count |\n|---|---|\n| {} | 5 |", "Name: {}")


@CHECKED
@given(hostile)
def test_a_statements_markdown_shows_peoples_words_literally_in_the_html_renderer(text):
    """The HTML page's own markdown-it reads escaped words as those words: no tag, link, image, emphasis, code,
    heading or list comes out of them, and nothing is lost."""
    escaped = escape_md(text)
    for context in CONTEXTS:
        page = statement_markdown().render(context.format(escaped))
        tags = re.findall(r"<(/?)([a-zA-Z][\w-]*)([^>]*)>", page)
        assert {name for _closing, name, _attributes in tags} <= _OURS, page
        assert all(not attributes.strip() for _closing, _name, attributes in tags), page
        shown = html.unescape(re.sub(r"<[^>]+>", " ", page))
        written = re.sub(r"[\r\n\u2028\u2029\v\f]+", " ", text).replace("\x00", "\ufffd")
        assert " ".join(written.split()) in " ".join(shown.split()), (text, page)


# --- import files ------------------------------------------------------------------------------------------

IMPORT_NOW = datetime(2026, 8, 20, 12, 0, tzinfo=UTC)
GOOD_ROW = {"models": "GPT-4o", "uses": "companionship", "meaning": "It helped me every day of a long winter.",
            "asks": "keep_access", "language": "en", "consent": "1", "health": "no"}
_HIDDEN = {"Cc", "Cf", "Cs", "Co", "Cn"}


def _csv_file(rows: list[dict[str, str]], delimiter: str) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), delimiter=delimiter)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


@CHECKED
@given(st.lists(st.fixed_dictionaries({"meaning": st.one_of(hostile, huge(4000)), "display_name": hostile,
                                       "models": hostile, "author": hostile}), min_size=1, max_size=4),
       st.sampled_from([",", ";", "\t", "json"]))
def test_an_import_file_is_cleaned_as_the_form_is_or_refused_by_its_lines(changes, kind):
    rows = [{**GOOD_ROW, **change} for change in changes]
    data = json.dumps(rows).encode() if kind == "json" else _csv_file(rows, kind)
    try:
        read = importer.read_rows(data, "testimonies." + ("json" if kind == "json" else "csv"))
    except importer.ImportRefused as refused:  # a file the reader cannot take whole says why, by its line
        assert refused.problems and all(p.line is None or p.line >= 1 for p in refused.problems)
        return
    form = testimony_form.testimony_form({})
    for row in read:
        checked = importer.check_row(row, form, IMPORT_NOW)
        if isinstance(checked, list):
            assert checked and all(p.line == row.line for p in checked)
            continue
        words = testimony_form.words(checked.answers)
        for stored in (words.meaning, words.display_name or "", words.models_text):
            assert not [c for c in stored if c != "\n" and unicodedata.category(c) in _HIDDEN], repr(stored)
            assert not re.search(r"\d{17,20}", stored), "no platform id is kept"
            assert not re.search(r"(?<![＠\w])@(?:everyone|here)\b", stored, re.I), "a mass mention is inert"


# --- source addresses -----------------------------------------------------------------------------------------

REFUSED_NETWORKS = [ipaddress.ip_network(n) for n in (
    "127.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "0.0.0.0/8", "100.64.0.0/10",
    "198.18.0.0/15", "224.0.0.0/4", "240.0.0.0/4")]


@st.composite
def inside_addresses(draw: st.DrawFn) -> str:
    """An address inside a network Continuity never fetches, written in one of the ways a URL can spell it."""
    network = draw(st.sampled_from(REFUSED_NETWORKS))
    address = network[draw(st.integers(0, network.num_addresses - 1))]
    number, octets = int(address), address.packed
    spelling = draw(st.sampled_from(["dotted", "decimal", "hex", "octal", "short", "mapped", "6to4", "nat64"]))
    if spelling == "dotted":
        return str(address)
    if spelling == "decimal":
        return str(number)
    if spelling == "hex":
        return hex(number)
    if spelling == "octal":
        return ".".join(f"0{octet:o}" for octet in octets)
    if spelling == "short":  # a.b.c with c the last two bytes, as inet_aton reads it
        return f"{octets[0]}.{octets[1]}.{int.from_bytes(octets[2:], 'big')}"
    if spelling == "mapped":
        return f"[::ffff:{address}]"
    if spelling == "6to4":
        return f"[2002:{octets[0]:02x}{octets[1]:02x}:{octets[2]:02x}{octets[3]:02x}::1]"
    return f"[64:ff9b::{address}]"


SECRET = "s3cr3t-token"


@CHECKED
@given(inside_addresses(), st.sampled_from(["http", "https", "HTTP"]), st.sampled_from(["", ":8080", ":1"]),
       st.sampled_from(["", f"user:{SECRET}@"]), st.sampled_from(["/", "/feed.xml", "/a/../b"]),
       st.sampled_from(["", f"?key={SECRET}", f"#{SECRET}"]))
async def test_an_address_inside_the_network_is_refused_in_every_spelling(host, scheme, port, userinfo, path,
                                                                         query):
    url = f"{scheme}://{userinfo}{host}{port}{path}{query}"
    # A fake DNS that knows no name: a literal address never reaches a resolver, and nothing leaves the machine.
    async with Fetcher(user_agent=default_user_agent(), resolver=FakeDNS({})) as fetcher:
        with pytest.raises(FetchError) as refused:
            await fetcher.check_address(url)
    assert refused.value.permanent, url
    assert SECRET not in refused.value.text() and SECRET not in refused.value.reason


@CHECKED
@given(st.one_of(hostile, st.builds("https://{}".format, hostile), st.sampled_from(LINKS)))
def test_a_typed_address_is_a_web_address_or_a_clear_refusal(typed):
    try:
        url = check_url(typed)
    except InvalidInput as refused:
        assert len(refused.params["url"]) <= 80, "what is repeated back stays short"
        return
    assert re.match(r"https?://", url, re.I) and len(url) <= 2000 and not any(c.isspace() for c in url)


# --- any words to any command ---------------------------------------------------------------------------------

@pytest.fixture
async def fuzzed(tmp_path) -> AsyncIterator[Services]:
    store = await Store.open(tmp_path / "data" / "continuity.db")
    settings = make_settings(tmp_path)
    services = build_services(settings, store, Fetcher(user_agent=default_user_agent(), resolver=FakeDNS({}),
                                                       host_interval=0))
    yield services
    await services.fetcher.close()
    await store.close()


async def _actor(services: Services, *, moderator: bool, private: bool) -> Actor:
    if private:
        return Actor(PlatformName.TELEGRAM, "5001", "Ada", "en", None, False, Target(PlatformName.TELEGRAM, "5001"),
                     private=True)
    community = await services.people.community(PlatformName.TELEGRAM, "-1001", "Keep 4o")
    return Actor(PlatformName.TELEGRAM, "5002" if moderator else "5003", "Bo", "en", community, moderator,
                 Target(PlatformName.TELEGRAM, "-1001"))


@settings(CHECKED, max_examples=150)
@given(st.sampled_from(COMMANDS), st.one_of(hostile, huge(4096)), st.booleans(), st.booleans())
async def test_any_words_to_any_command_get_a_clear_answer_within_every_limit(fuzzed, command, words, moderator,
                                                                              private):
    """The words a Telegram message or the console can carry, after any command of the table, by a member, a
    moderator or someone in a private chat: a clear answer (never "something went wrong"), rendered within every
    platform's limits and inert."""
    actor = await _actor(fuzzed, moderator=moderator, private=private)
    with use_locale("en"):
        reply = await answer(lambda: run_text(fuzzed, actor, f"{command.path} {words}"), what="fuzz")
        broken = something_went_wrong()
    if not isinstance(reply, Message):
        return  # a form to fill in: its questions are the Form's, not these words
    assert reply.severity != Severity.CRITICAL and reply.body != broken.body, (command.path, words[:200])
    check_embed(reply)
    check_telegram(reply, REPLY_PIECES)


# --- any answers to any form (Discord modals, Telegram conversations, console prompts) ----------------------

FALLBACK = {"url": "https://survey.example.test/s", "link": "https://example.org/more", "title": "Keep 4o",
            "models": "GPT-4o", "meaning": "It helped me through a long winter; losing it would hurt."}


def _valid(field: FormField) -> Answer:
    """An answer the question takes, to go on after a refusal."""
    if field.kind == FieldKind.YESNO:
        return True
    if field.kind == FieldKind.CHOICE:
        return field.choices[0].value
    if field.kind == FieldKind.MULTI:
        return [field.choices[0].value]
    return FALLBACK.get(field.key, "")


def _check_reply(reply: Message, what: str) -> None:
    assert reply.severity != Severity.CRITICAL, what
    check_embed(reply)
    check_telegram(reply, REPLY_PIECES)


@settings(CHECKED, max_examples=60)
@given(st.data())
async def test_any_answers_to_any_form_get_a_clear_answer_within_every_limit(fuzzed, data):
    """Every form of every front door, each question answered with hostile words (a choice with a real value or
    hostile words): a refusal says what to change and keeps the form where it was; the submit's reply, whatever
    was stored, renders within every limit and inert."""
    forms = fuzzed.forms
    specs = [fuzzed.watch_commands.survey_form(), fuzzed.alert_commands.notice_form(),
             *fuzzed.testimonies.form_specs()]
    spec = data.draw(st.sampled_from(specs), label="form")
    opening = BY_PATH[spec.command.removeprefix("/")]  # the command that opens it, as a person would
    person = str(data.draw(st.integers(10_000, 10**9), label="person"))  # a fresh person: no daily limit reached
    if opening.where == Where.PRIVATE:
        actor = Actor(PlatformName.TELEGRAM, person, "Bo", "en", None, False, Target(PlatformName.TELEGRAM, person),
                      private=True)
    else:
        community = await fuzzed.people.community(PlatformName.TELEGRAM, "-1001", "Keep 4o")
        actor = Actor(PlatformName.TELEGRAM, person, "Bo", "en", community, True,
                      Target(PlatformName.TELEGRAM, "-1001"))
    ask = await run_text(fuzzed, actor, opening.path)
    assert isinstance(ask, Ask) and ask.form == spec.key
    progress = await forms.start(actor, ask)
    with use_locale("en"):
        while True:
            field = forms.form(progress).fields[progress.step]
            raw: object = data.draw(st.one_of(hostile, huge(field.max_length)) if field.is_text
                                    else st.one_of(st.just(_valid(field)), hostile), label=field.key)
            result = await answer(lambda: forms.give(progress, actor, {field.key: raw}), what="form")  # noqa: B023
            if isinstance(result, Message) and result.severity == Severity.WARNING and \
                    not forms.is_complete(await forms.current(actor) or progress):
                _check_reply(result, field.key)  # the answer was refused: say why, then answer as asked
                assert (await forms.current(actor)).step == progress.step, "a refused answer keeps nothing"
                result = await answer(lambda: forms.give(progress, actor, {field.key: _valid(field)}),  # noqa: B023
                                      what="form")
            if isinstance(result, Message):
                _check_reply(result, "submit")
                break
            progress = result
    await fuzzed.form_commands.cancel(actor)


# --- through the real libraries, to fakes as strict as the platforms -----------------------------------------

# A few fixed hostile texts (a whole run of the library per hypothesis example would be slow): each family of
# pieces at once, and one far over every limit.
E2E_HOSTILE = ["".join(MENTIONS), "".join(DISCORD_MARKDOWN), "".join(TELEGRAM_HTML), "x" + "".join(INVISIBLE) + "y",
               "".join(FORMULAS), _repeated("<b>&amp;**[a](https://e.vil) ", 50_000)]


async def test_hostile_words_through_python_telegram_bot_come_back_literally(tmp_path):
    """`/deprecations <words>` repeats the words it found nothing for: the fake Bot API parses the reply's HTML as
    strictly as Telegram and refuses a text over 4,096 characters; the person reads the words as typed."""
    async with FakeTelegram() as fake:
        store = await Store.open(tmp_path / "data" / "continuity.db")
        door = TelegramFrontDoor(build_services(make_settings(tmp_path, telegram_token=fake.token,
                                                              telegram_api_base=fake.base_url), store))
        await door.start()
        try:
            for text in E2E_HOSTILE:
                after = len(fake.calls)
                fake.push_update(command_message("deprecations", text, chat_id=5000, user_id=5000))
                call = await fake.wait_for_call("sendMessage", after=after)
                assert call.status == 200, call.description
                typed = " ".join(text.split())  # Telegram's words, as the command handler reads them
                assert typed[:60].strip() in fake.sent[5000][-1]["text_plain"]
        finally:
            await door.stop()
            await store.close()


async def test_hostile_words_through_discord_py_come_back_escaped(tmp_path, monkeypatch):
    """The same through discord.py: the fake Discord refuses an embed over any limit; the description holds no
    live markdown, reads back as typed, and the answer may ping nobody."""
    fake = FakeDiscord()
    fake.add_guild(2000, "Keep 4o", channels=[3000])
    await fake.start()
    fake.patch(monkeypatch)
    store = await Store.open(tmp_path / "data" / "continuity.db")
    door = DiscordFrontDoor(build_services(make_settings(tmp_path, discord_token=fake.token,
                                                         discord_api_base=fake.api_base,
                                                         discord_gateway_url=fake.gateway_url), store),
                            guild_ready_timeout=0.05)
    await door.start()
    task = asyncio.create_task(door.run())
    try:
        await fake.wait_ready()
        await asyncio.wait_for(door.bot.wait_until_ready(), 5)
        for text in E2E_HOSTILE:
            callback = await fake.interact(command_interaction(
                "deprecations", subcommand="list", options=[option("query", text[:6000])]))
            assert callback["type"] == 4 and callback["data"]["allowed_mentions"]["parse"] == []
            [embed] = callback["data"]["embeds"]
            assert live_markdown(embed["description"]) == []
            shown = re.sub(r"\\(.)", r"\1", embed["description"], flags=re.DOTALL)
            assert text.strip()[:60].strip() in shown
        refused = [f"{r.method} {r.path} -> {r.status}" for r in fake.requests if r.status >= 400]
        assert refused == [], "Discord would have refused these"
    finally:
        await door.stop()
        await task
        await store.close()
        await fake.stop()
    assert fake.crashes == []
