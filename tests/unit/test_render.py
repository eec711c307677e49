"""The renderers keep every platform's limits and escape text: nothing from a feed becomes markup."""

import pytest

from bot.domain import Severity
from bot.platforms.console import render_text
from bot.platforms.discord import allowed_mentions, render_embed
from bot.platforms.telegram.render import LIMIT, MAX_PIECES, render_html
from bot.presentation import Message, MessageField
from tests.fakes.telegram_api import parse_telegram_html

HOSTILE = 'Model <b>gone</b> & "quoted" <a href="javascript:x">click</a> @everyone <@&123> **bold** [x](http://e.vil)'


def test_telegram_html_escapes_hostile_text():
    pieces = render_html(Message(title=HOSTILE, body=HOSTILE, fields=(MessageField(HOSTILE, HOSTILE),),
                                 link="https://example.com/?a=1&b=<2>", footer=HOSTILE))
    assert len(pieces) == 1
    visible, entities = parse_telegram_html(pieces[0])
    assert visible.count(HOSTILE) == 5, "title, body, field name and value, footer read exactly as written"
    kinds = sorted(e["type"] for e in entities)
    assert kinds == ["bold", "bold", "italic", "text_link"], "only our own markup is markup"
    assert [e["url"] for e in entities if e["type"] == "text_link"] == ["https://example.com/?a=1&b=<2>"]


@pytest.mark.parametrize("body", [
    "word " * 3000,                       # breaks at spaces
    "x" * 9000,                           # no boundary at all
    "喜" * 5000,                           # wide characters
    "😀" * 3000,                           # two UTF-16 units each
    "<&>" * 2000,                          # escaping triples the raw size
])
def test_telegram_html_splits_into_valid_pieces_within_the_limit(body):
    message = Message(title="Title", body=body, fields=tuple(MessageField(f"f{i}", "v" * 300) for i in range(20)))
    pieces = render_html(message, max_pieces=10)  # as long as a reply may be, so that it all fits
    assert len(pieces) > 1
    seen = ""
    for piece in pieces:
        visible, _ = parse_telegram_html(piece)
        assert len(visible.encode("utf-16-le")) // 2 <= LIMIT
        seen += visible
    assert seen.replace("\n", "").replace(" ", "").count(body.replace(" ", "")[:50]) >= 1
    assert "f19" in seen and "Title" in seen, "nothing is lost"


@pytest.mark.parametrize("title", ["x" * 2_000_000, "😀" * 1_000_000, "word " * 400_000, "<&>" * 500_000])
def test_a_huge_notice_is_a_handful_of_telegram_messages(title):
    pieces = render_html(Message(title=title, body=title, fields=(MessageField(title, title),), footer="F"))

    assert 1 < len(pieces) <= MAX_PIECES
    assert all(len(parse_telegram_html(p)[0].encode("utf-16-le")) // 2 <= LIMIT for p in pieces)
    assert parse_telegram_html(pieces[-1])[0].endswith("\n…"), "the reader sees that it goes on"


def test_a_notice_that_fits_is_not_marked_as_cut():
    pieces = render_html(Message(title="T", body="b" * 3000, footer="F"))
    assert len(pieces) == 1 and not parse_telegram_html(pieces[0])[0].endswith("…")


def test_an_over_long_link_is_left_out_on_both_platforms():
    link = "https://example.org/" + "a" * 2100
    message = Message(title="T", body="B", link=link)

    assert not any("example.org" in piece for piece in render_html(message))
    assert render_embed(message).url is None
    fine = "https://example.org/" + "a" * 1000
    assert render_embed(Message(body="B", link=fine)).url == fine
    assert [e["url"] for e in parse_telegram_html(render_html(Message(body="B", link=fine))[0])[1]] == [fine]


def test_a_huge_discord_embed_is_clipped_before_escaping():
    embed = render_embed(Message(title="*" * 2_000_000, body="_" * 2_000_000))
    assert len(embed.title) <= 256 and len(embed.description) <= 4096 and len(embed) <= 6000


def test_discord_embed_keeps_every_limit():
    message = Message(title="t" * 500, body="b" * 5000, footer="f" * 3000,
                      fields=tuple(MessageField("n" * 300, "v" * 2000) for _ in range(40)))
    embed = render_embed(message)
    assert len(embed.title) <= 256 and len(embed.description) <= 4096
    assert len(embed.fields) <= 25
    assert all(len(f.name) <= 256 and len(f.value) <= 1024 for f in embed.fields)
    assert len(embed) <= 6000


def test_discord_embed_escapes_markdown_and_never_mentions():
    embed = render_embed(Message(body=HOSTILE, severity=Severity.CRITICAL))
    assert "\\*\\*bold\\*\\*" in embed.description
    mentions = allowed_mentions(Message(body=HOSTILE)).to_dict()
    assert mentions["parse"] == [] and mentions.get("roles") == [] and "users" not in mentions
    assert allowed_mentions(Message(body="x", mention_roles=("77",))).to_dict()["roles"] == [77]


def test_console_text_shows_every_part():
    text = render_text(Message(title="T", body="B", fields=(MessageField("N", "V"),), link="L", footer="F"))
    assert text.splitlines() == ["T", "B", "  N", "    V", "L", "F"]
