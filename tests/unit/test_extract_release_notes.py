"""The release-notes extractor on hand-made pages in the style of ChatGPT's, OpenAI's "Model Release Notes",
Claude's and the Gemini app's release notes: dated sections, most of them launches, a few retiring models, and
sentences that only mention a model. Each case isolates one rule; the real copies in the research corpus are
scored in tests/integration/test_corpus_release_notes.py, and the sentences quoted there are what these rules
were written for."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain import DeprecationRow, ModelStatus, ShutdownQualifier
from bot.watch.document import parse_document
from bot.watch.pages import extract_page, family_for
from bot.watch.pages.release_notes import extract
from bot.watch.snapshot import snapshot_rows

RETIRED, DEPRECATED = ModelStatus.RETIRED, ModelStatus.DEPRECATED
FIRM, TBD = ShutdownQualifier.FIRM, ShutdownQualifier.TBD

CHATGPT_URL = "https://help.openai.com/en/articles/6825453-chatgpt-release-notes"
CHATGPT_MD = """\
# ChatGPT — Release Notes

## February 13, 2026

### Retiring GPT-4o and GPT-4.1 in ChatGPT

GPT‑4o, GPT-4.1 and o4-mini are no longer available in ChatGPT. Existing conversations continue with GPT-5.2.

## January 29, 2026

- We will retire GPT-4o, GPT-4.1, GPT-4.1 mini and o4-mini in ChatGPT on February 13, 2026. They will be
  replaced by GPT-5.2.
- GPT-4o remains available to Business and Enterprise customers in Custom GPTs until April 3, 2026.

## January 20, 2026: Introducing GPT-5.2 Thinking

GPT-5.2 Thinking is now available to all Plus and Pro users, and it is faster than GPT-5.1 Thinking.
We're also removing the usage limits on o3 for Pro users.

## December 4, 2025

Improved memory: ChatGPT now references past chats with GPT-5.1 and o3.
"""


def row(model: str, status: ModelStatus, announced: date | None, shutdown: date | None,
        replacements: tuple[str, ...] = (), anchor: str = "", *, vendor: str = "openai",
        platform: str = "chatgpt", url: str = CHATGPT_URL) -> DeprecationRow:
    return DeprecationRow(vendor=vendor, platform=platform, model=model, status=status, announced=announced,
                          shutdown=shutdown, shutdown_qualifier=FIRM if shutdown else TBD,
                          replacements=replacements, url=f"{url}#{anchor}")


def test_chatgpt_markdown_retirements_with_their_announcement_and_replacement():
    retired = "retiring-gpt-4o-and-gpt-4-1-in-chatgpt"
    assert extract_page(CHATGPT_MD, url=CHATGPT_URL) == [
        # The newest section says they are gone; the older one announced it and named the replacement.
        row("gpt-4o", RETIRED, date(2026, 1, 29), date(2026, 2, 13), ("gpt-5.2",), retired),
        row("gpt-4.1", RETIRED, date(2026, 1, 29), date(2026, 2, 13), ("gpt-5.2",), retired),
        row("o4-mini", RETIRED, date(2026, 1, 29), date(2026, 2, 13), ("gpt-5.2",), retired),
        # Only announced: the page never says it is gone.
        row("gpt-4.1-mini", DEPRECATED, date(2026, 1, 29), date(2026, 2, 13), ("gpt-5.2",), "january-29-2026"),
    ]


def test_launches_mentions_and_removed_limits_give_nothing():
    launches = CHATGPT_MD.split("## January 20, 2026")[1]
    assert extract_page("## January 20, 2026" + launches, url=CHATGPT_URL) == []


MODEL_NOTES_URL = "https://help.openai.com/en/articles/9624314-model-release-notes"
MODEL_NOTES_HTML = """\
<!DOCTYPE html>
<html><body><header>Help center</header><article>
<h1>Model Release Notes</h1>
<h2 id="gpt-45">Retiring GPT-4.5 in ChatGPT (July 14, 2025)</h2>
<ul><li>GPT-4.5 has been retired from ChatGPT and is no longer available in the model picker.</li></ul>
<h2 id="o3-launch">Introducing OpenAI o3 and o4-mini (April 16, 2025)</h2>
<p>OpenAI o3 and o4-mini are now available to Plus users. They replace o1 and o3-mini in the model picker.</p>
<p><strong>April 10, 2025</strong></p>
<p>Effective April 30, 2025, GPT&#8209;4 will be retired from ChatGPT and fully replaced by GPT-4o.
GPT-4 stays available in the API.</p>
<p><strong>March 3, 2025</strong></p>
<p>We are deprecating o1-preview in ChatGPT in favor of o1.</p>
</article></body></html>
"""


def test_model_release_notes_html_with_dated_headings_and_leading_dates():
    assert extract_page(MODEL_NOTES_HTML, url=MODEL_NOTES_URL) == [
        row("gpt-4.5", RETIRED, date(2025, 7, 14), date(2025, 7, 14), (), "gpt-45", url=MODEL_NOTES_URL),
        # A leading-date paragraph starts a section: the date in the sentence is the shutdown, in the future.
        row("gpt-4", DEPRECATED, date(2025, 4, 10), date(2025, 4, 30), ("gpt-4o",), "o3-launch", url=MODEL_NOTES_URL),
        # "Deprecating" with no date of its own: the end is announced, its day is not.
        row("o1-preview", DEPRECATED, date(2025, 3, 3), None, ("o1",), "o3-launch", url=MODEL_NOTES_URL),
    ]


CLAUDE_URL = "https://support.anthropic.com/en/articles/12138966-release-notes"
CLAUDE_MD = """\
# Release notes

### October 28, 2025

Claude Sonnet 3.7 and Claude Haiku 3.5 are being deprecated on claude.ai in favor of Claude Sonnet 4.5 and
Claude Haiku 4.5. Claude Opus 4.1 remains available for Max users.

### October 15, 2025

Claude Haiku 4.5 is now available on claude.ai for all users.

### July 21, 2025

Claude 2.1 and Claude 3 Opus have been removed from claude.ai.
"""


def test_claude_release_notes_names_in_anthropic_id_style():
    rows = extract_page(CLAUDE_MD, url=CLAUDE_URL)
    claude = {"vendor": "anthropic", "platform": "claude.ai", "url": CLAUDE_URL}
    replacements = ("claude-sonnet-4-5", "claude-haiku-4-5")
    assert rows == [
        row("claude-sonnet-3-7", DEPRECATED, date(2025, 10, 28), None, replacements, "october-28-2025", **claude),
        row("claude-haiku-3-5", DEPRECATED, date(2025, 10, 28), None, replacements, "october-28-2025", **claude),
        row("claude-2-1", RETIRED, date(2025, 7, 21), date(2025, 7, 21), (), "july-21-2025", **claude),
        row("claude-3-opus", RETIRED, date(2025, 7, 21), date(2025, 7, 21), (), "july-21-2025", **claude),
    ]


GEMINI_URL = "https://gemini.google/release-notes/"
GEMINI_MD = """\
# Gemini Apps' release updates & improvements

## 2025-06-30

### Gemini 2.5 Flash for everyone

We're retiring Gemini 2.0 Flash Thinking Experimental in the Gemini app and moving to Gemini 2.5 Flash.

## 2025-06-17

Gemini 2.5 Pro is generally available in the Gemini app. Gemini 2.0 Flash is still the default for free users.
"""


def test_gemini_app_iso_dated_sections_and_a_replacement_by_moving_to():
    # "We're retiring" without a date of its own: it happens on the section's day, but is not said to be done.
    gemini = {"vendor": "google", "platform": "gemini-app", "url": GEMINI_URL}
    assert extract_page(GEMINI_MD, url=GEMINI_URL) == [
        row("gemini-2.0-flash-thinking-experimental", DEPRECATED, date(2025, 6, 30), date(2025, 6, 30),
            ("gemini-2.5-flash",), "gemini-2-5-flash-for-everyone", **gemini),
    ]


SPANISH_MD = """\
# ChatGPT — Notas de la versión

## 29 de enero de 2026

El 13 de febrero de 2026 retiraremos GPT-4o, GPT-4.1 y o4-mini de ChatGPT; serán reemplazados por GPT-5.2.

## 20 de enero de 2026

GPT-5.2 Thinking ya está disponible para todos los usuarios de Plus.
"""

JAPANESE_MD = """\
# ChatGPT リリースノート

## 2026年1月29日

2026年2月13日をもって、ChatGPTでのGPT-4oの提供を終了し、GPT-5.2に置き換えます。

## 2026年1月20日

GPT-5.2 Thinking がすべての Plus ユーザーに提供されるようになりました。
"""

CHINESE_MD = """\
## 2026年2月13日

GPT-4o 已在 ChatGPT 中停用，由 GPT-5.2 取代。
"""


@pytest.mark.parametrize(("page", "expected"), [
    (SPANISH_MD, [("gpt-4o", DEPRECATED, date(2026, 2, 13)), ("gpt-4.1", DEPRECATED, date(2026, 2, 13)),
                  ("o4-mini", DEPRECATED, date(2026, 2, 13))]),
    (JAPANESE_MD, [("gpt-4o", DEPRECATED, date(2026, 2, 13))]),
    (CHINESE_MD, [("gpt-4o", RETIRED, date(2026, 2, 13))]),
], ids=["spanish", "japanese", "chinese"])
def test_sections_in_spanish_japanese_and_chinese(page, expected):
    rows = extract_page(page, url="https://help.openai.com/es-es/articles/6825453-chatgpt-release-notes")
    assert [(r.model, r.status, r.shutdown) for r in rows] == expected
    assert all(r.replacements == ("gpt-5.2",) and r.platform == "chatgpt" for r in rows)
    announced = {r.announced for r in rows}
    assert announced == ({date(2026, 2, 13)} if page is CHINESE_MD else {date(2026, 1, 29)})


def test_future_wording_without_a_date_has_no_shutdown_date_and_a_past_date_means_retired():
    page = """\
## March 3, 2026

- In the coming weeks we will retire o3-pro in ChatGPT.
- GPT-4.5 was retired from ChatGPT on July 14, 2025.
"""
    assert extract_page(page, url=CHATGPT_URL) == [
        row("o3-pro", DEPRECATED, date(2026, 3, 3), None, (), "march-3-2026"),
        row("gpt-4.5", RETIRED, date(2026, 3, 3), date(2025, 7, 14), (), "march-3-2026"),
    ]


def test_platform_from_the_page_when_there_is_no_address():
    rows = extract(parse_document(CLAUDE_MD), None)
    assert {(r.vendor, r.platform, r.url) for r in rows} == {("anthropic", "claude.ai", None)}


def test_release_note_addresses_belong_to_this_family():
    assert family_for(CHATGPT_URL) == "release-notes"
    assert family_for(CLAUDE_URL) == "release-notes"
    assert family_for(GEMINI_URL) == "release-notes"


def rows_of(page: str, as_of: date | None = None, url: str = CHATGPT_URL) -> list[tuple[str, str, str, date | None]]:
    return [(r.model, r.platform, r.status.value, r.shutdown) for r in extract_page(page, url=url, as_of=as_of)]


@pytest.mark.parametrize(("as_of", "status"), [(None, DEPRECATED), (date(2026, 2, 12), DEPRECATED),
                                               (date(2026, 2, 13), RETIRED), (date(2026, 5, 1), RETIRED)])
def test_a_date_alone_means_retired_only_once_as_of_has_reached_it(as_of, status):
    # GPT-4.1 mini's retirement is announced for February 13, 2026; the page never says it happened.
    found = {r.model: r for r in extract_page(CHATGPT_MD, url=CHATGPT_URL, as_of=as_of)}
    assert found["gpt-4.1-mini"].status is status
    assert found["gpt-4o"].status is RETIRED  # "no longer available": said by the page, whatever the day


def test_other_families_are_called_as_before_when_given_as_of():
    page = "| Shutdown date | Model | Replacement |\n|---|---|---|\n| 2026-10-23 | gpt-4o-2024-05-13 | gpt-5 |\n"
    url = "https://platform.openai.com/docs/deprecations"
    assert extract_page(page, url=url, as_of=date(2027, 1, 1)) == extract_page(page, url=url)


def test_a_list_of_variants_gives_one_row_per_variant():
    page = """\
## March 11, 2026

We will retire GPT-5.1 Instant, GPT-5.1 Thinking, and GPT-5.1 Pro in ChatGPT on April 1, 2026.
We are retiring GPT-5 (Instant and Thinking) in ChatGPT.

## March 3, 2026

Claude Opus 4 and 4.1 have been removed from the Claude app. Gemini 1.5 Flash and 1.5 Pro will be retired.
"""
    assert [model for model, *_ in rows_of(page)] == [
        "gpt-5.1-instant", "gpt-5.1-thinking", "gpt-5.1-pro", "gpt-5-instant", "gpt-5-thinking",
        "claude-opus-4", "claude-opus-4-1", "gemini-1.5-flash", "gemini-1.5-pro"]


def test_a_family_named_then_its_variants_gives_the_variants_only():
    page = """\
## March 11, 2026

### Retiring GPT-5.1 models

As of March 11, 2026, GPT-5.1 models are no longer available in ChatGPT.

This applies to GPT-5.1 Instant and GPT-5.1 Thinking.

## November 12, 2025

GPT-5.1 Auto is the default, and GPT-5 models remain available for three months under Legacy models.

## October 1, 2025

We will retire GPT-4o and GPT-4o mini in ChatGPT.
"""
    assert rows_of(page) == [
        ("gpt-5.1-instant", "chatgpt", "retired", date(2026, 3, 11)),
        ("gpt-5.1-thinking", "chatgpt", "retired", date(2026, 3, 11)),
        # A family with no variant on the page stays; "for three months" is no date. GPT-5.1 Auto is only the
        # subject of the other clause.
        ("gpt-5", "chatgpt", "deprecated", None),
        # Two models, not a family and its variant: both stay.
        ("gpt-4o", "chatgpt", "deprecated", None),
        ("gpt-4o-mini", "chatgpt", "deprecated", None),
    ]


@pytest.mark.parametrize("sentence", [
    "o3-pro is available in the model picker for Pro users starting today, replacing o1-pro.",
    "Introducing GPT-4.1 mini, replacing GPT-4o mini, which is no longer available in ChatGPT.",
    "GPT-5.1 Instant is now live, and GPT-5.1 Thinking is no longer available as an Early Access option.",
    "We're launching GPT-5.2 today; GPT-5.1 will be retired.",
    "We've reverted the most recent update to GPT-4o.",
    "GPT-4 will still be available in the API.",
])
def test_launches_rollbacks_and_mentions_are_no_retirement(sentence):
    assert rows_of(f"## June 10, 2025\n\n{sentence}\n") == []


def test_a_later_section_saying_it_is_gone_supersedes_the_announcement():
    page = """\
## March 1, 2026

We have retired GPT-4o in ChatGPT.

## January 29, 2026

We will retire GPT-4o in ChatGPT on February 13, 2026.
"""
    [row] = extract_page(page, url=CHATGPT_URL)
    assert (row.status, row.announced, row.shutdown) == (RETIRED, date(2026, 1, 29), date(2026, 3, 1))


@pytest.mark.parametrize("sentence", [
    "GPT-4o will be retired from ChatGPT in 30 days.",
    "GPT-4o retires from ChatGPT in two weeks.",
    "In the coming weeks we are retiring GPT-4o in ChatGPT.",
    "GPT-4o will remain available for the next few weeks.",
])
def test_a_relative_time_is_no_firm_date(sentence):
    assert rows_of(f"## January 29, 2026\n\n{sentence}\n", as_of=date(2027, 1, 1)) == [
        ("gpt-4o", "chatgpt", "deprecated", None)]


def test_a_model_brought_back_is_not_retired():
    page = """\
## August 8, 2025

We've brought back GPT-4o in the model picker for Plus users.

## August 7, 2025

GPT-4o and o3 are no longer available in ChatGPT.
"""
    assert rows_of(page) == [("o3", "chatgpt", "retired", date(2025, 8, 7))]


def test_the_app_and_the_api_are_two_events_both_shown():
    page = """\
## January 29, 2026

GPT-4o will be retired from ChatGPT on February 13, 2026. GPT-4o will be retired from the API on October 23, 2026.
"""
    assert rows_of(page, as_of=date(2026, 3, 1)) == [("gpt-4o", "chatgpt", "retired", date(2026, 2, 13)),
                                                      ("gpt-4o", "api", "deprecated", date(2026, 10, 23))]


def test_an_entry_title_at_its_date_level_and_a_dotted_date_keep_the_section_date():
    clipping = "## June 7, 2025\n\n## Sunsetting GPT-4\n\nGPT-4 is no longer available in ChatGPT.\n"
    gemini = "## 2025.06.30\n\n### Changes\n\nGemini 2.0 Flash has been retired from the Gemini app.\n"
    assert rows_of(clipping) == [("gpt-4", "chatgpt", "retired", date(2025, 6, 7))]
    assert rows_of(gemini, url=GEMINI_URL) == [("gemini-2.0-flash", "gemini-app", "retired", date(2025, 6, 30))]


async def test_a_saved_copy_read_on_a_day(tmp_path):
    # What `python -m bot extract COPY --as-of DAY` prints: the copy's header names its address.
    copy = tmp_path / "notes.md"
    copy.write_text(f"<!-- source: {CHATGPT_URL} -->\n{CHATGPT_MD}", encoding="utf-8")
    statuses = {as_of: {r.model: r.status for r in await snapshot_rows(str(copy), as_of=as_of)}
                for as_of in (None, date(2026, 2, 13))}
    assert statuses[None]["gpt-4.1-mini"] is DEPRECATED and statuses[date(2026, 2, 13)]["gpt-4.1-mini"] is RETIRED
