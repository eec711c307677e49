"""Statements as documents: every template (letter, consultation, UN portal, press) in every language,
rendered to Markdown and to HTML from the generated data set of `test_statement_aggregate`, checked for
what a reader is told (the method, from the data), what backs it (receipts on every claim), whose words are
shown (consent), and what the data cannot do (become markup or script, or reach Python through a template)."""

from __future__ import annotations

import asyncio
import re
from dataclasses import replace
from datetime import timedelta

import pytest

from bot.domain import ConsentLevel
from bot.domain import TestimonyStatus as Status
from bot.statements.aggregate import build_statement
from bot.statements.charts import draw_all
from bot.statements.model import Filters, Options
from bot.statements.render.context import build_context, homepage
from bot.statements.render.html import render_html, render_html_sync
from bot.statements.render.markdown import StatementTemplateError, render_markdown
from bot.statements.render.text import escape_md
from tests.integration.test_statement_aggregate import SNAPSHOT, START, Record, expected, generate, load

KINDS = ("letter", "consultation", "un_portal", "press")
LOCALES = ("en", "es", "ja", "zh_Hans")
THRESHOLD = 7
METHOD = {"en": "## How this statement was made", "es": "## Cómo se elaboró esta declaración",
          "ja": "## この声明のつくり方", "zh_Hans": "## 本声明的形成方式"}
APPENDIX = {"en": "## Appendix A", "es": "## Anexo A", "ja": "## 付録A", "zh_Hans": "## 附录A"}
CITATION = re.compile(r"\[(?:T-[0-9A-Z]+(?:, T-[0-9A-Z]+)*|Appendix A|Anexo A|付録A|附录A)\]")
RECEIPT = re.compile(r"T-[0-9A-Z]{4,}")
# A sentence ends at .!? before a space or the end of the line (gpt-4.1 stays whole), or at 。！？ anywhere.
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|(?<=[。！？])")


@pytest.fixture
async def made(store):
    records = await load(store, generate())
    statement = await build_statement(store, Filters(), Options(generated_at=SNAPSHOT, threshold=THRESHOLD))
    return records, statement


def section(text: str, heading: str) -> str:
    start = text.index(heading)
    end = text.find("\n## ", start + len(heading))
    return text[start:] if end < 0 else text[start:end]


def body_sentences(text: str, locale: str) -> list[str]:
    """The sentences of a statement before its appendix, outside headings, tables and quotes."""
    found = []
    for line in text[:text.index(APPENDIX[locale])].splitlines():
        if not line.strip() or line.startswith(("#", "|", ">")):
            continue
        found.extend(s for s in SENTENCE_END.split(line.lstrip("- ")) if s.strip())
    return found


def uncited(text: str, locale: str) -> list[str]:
    """Sentences holding a number (a count, a date, a threshold) that cite no receipt and no appendix."""
    return [s for s in body_sentences(text, locale)
            if re.search(r"\d", CITATION.sub("", s)) and not CITATION.search(s)]


async def test_every_kind_and_locale_renders_with_its_method_and_receipts(made):
    records, statement = made
    included, withdrawn = expected(records, Filters())
    assert statement.withdrawn == withdrawn > 0
    receipts = {r.receipt for r in included}
    passages: dict[str, list[str]] = {}
    for quote in statement.quotes:
        passages.setdefault(quote.receipt, []).append(quote.text)
    for kind in KINDS:
        for locale in LOCALES:
            text = render_markdown(statement, kind, locale)
            assert text.startswith("# ") and text.endswith("\n"), (kind, locale)
            method = section(text, METHOD[locale])
            numbers = set(re.findall(r"(?<!\d)\d+(?!\d)", CITATION.sub("", method)))
            assert {str(THRESHOLD), str(withdrawn), str(statement.total), str(statement.participants)} <= numbers
            assert "2026-04-15 12:00 UTC" in method, (kind, locale)
            assert uncited(text, locale) == [], (kind, locale)
            # Every table row with a count cites; every receipt cited is one the statement counts.
            for line in text.splitlines():
                if line.startswith("| ") and re.search(r"\| \d+ \|", line):
                    assert CITATION.search(line), (kind, locale, line)
            assert set(RECEIPT.findall(text)) <= receipts
            # A quote cites its own testimony, and shows that testimony's words.
            for line in text.splitlines():
                if line.startswith("> "):
                    [receipt] = RECEIPT.findall(line)
                    assert any(text in line.replace("\\", "") for text in passages[receipt]), line
            page = render_html_sync(statement, kind, locale)
            lang = {"zh_Hans": "zh-Hans"}.get(locale, locale)
            assert page.startswith(f'<!DOCTYPE html>\n<html lang="{lang}">')
            assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
            assert "@media print" in page and "@media (max-width" in page
            assert page.count("<svg") == 4 and "<text" not in page  # charts inline, their text as paths
            assert not re.search(r"""src\s*=|<link|@import|url\((?!data:|#)""", page), "no request for anything"
    # A consultation carries every quotable passage in an annex (a regulator may want them all); the others don't.
    for locale in LOCALES:
        annex = section(render_markdown(statement, "consultation", locale),
                        {"en": "## Appendix B", "es": "## Anexo B", "ja": "## 付録B", "zh_Hans": "## 附录B"}[locale])
        assert sum(line.startswith("> ") for line in annex.splitlines()) == len(statement.quotes) > 100
    assert "## Appendix B" not in render_markdown(statement, "letter", "en")
    un = render_markdown(statement, "un_portal", "en")
    assert homepage() in un and "advocacy campaign" in un
    assert "human rights" in un and "international governance of artificial intelligence" in un
    assert "advocacy" in render_markdown(statement, "un_portal", "ja") or "アドボカシー" in render_markdown(
        statement, "un_portal", "ja")


THEMES = {"en": "## What the testimonies speak of", "es": "## De qué hablan los testimonios",
          "ja": "## 証言が語っていること", "zh_Hans": "## 证言谈到了什么"}


async def test_themes_are_shown_with_their_size_receipts_and_quotes_in_every_language(store):
    await load(store, generate())
    statement = await build_statement(store, Filters(), Options(generated_at=SNAPSHOT, threshold=THRESHOLD),
                                      themes=True)
    assert {theme.language for theme in statement.themes} == {"en", "es", "ja", "zh"}
    quoted = {(q.receipt, q.index) for q in statement.quotes}
    for locale in LOCALES:
        text = render_markdown(statement, "letter", locale)
        themes = section(text, THEMES[locale])
        assert uncited(text, locale) == [], locale
        for theme in statement.themes:
            assert theme.size >= THRESHOLD
            assert {(q.receipt, q.index) for q in theme.quotes} <= quoted, "a theme quotes only what may be quoted"
            [line] = [line for line in themes.splitlines() if line.startswith(f"**{escape_md(theme.label)}**")]
            assert str(theme.size) in line and CITATION.search(line), (locale, line)
        assert "TF-IDF" in section(text, METHOD[locale])
        # The statement's own language comes first.
        first = {"en": "English", "es": "español", "ja": "日本語", "zh_Hans": "中文"}[locale]
        assert re.search(r"^### .*" + first, themes, re.M).start() == themes.index("### ")
    assert "TF-IDF" not in render_markdown(replace(statement, themes=()), "letter", "en"), "said only when done"


async def test_consent_is_honoured_in_markdown_and_html(made):
    records, statement = made
    outputs = [render_markdown(statement, kind, locale) for kind in KINDS for locale in LOCALES]
    outputs += [render_html_sync(statement, kind, locale) for kind in KINDS for locale in ("en", "ja")]
    everything = "\n".join(outputs)
    quoted = 0
    for record in records:
        consent = record.consent_at(SNAPSHOT)
        counted = record.status == Status.APPROVED and record.created_at <= SNAPSHOT and consent is not None
        for mark, health in record.sentences:
            shown = re.search(rf"{mark}(?!\d)", everything) is not None
            quoted += shown
            if shown:
                assert counted and consent[0] >= ConsentLevel.ANONYMOUS, (record.n, record.status, consent)
                assert consent[1] or not health, ("a health passage without the yes", record.n)
        if record.display_name and not (counted and consent[0] == ConsentLevel.NAMED):
            assert not re.search(rf"{record.display_name}(?!\d)", everything), ("a name without consent 2", record.n)
    assert quoted > 10
    assert any(re.search(rf"— {r.display_name}(?!\d)", everything) for r in records if r.display_name)


HOSTILE = [
    "<script>alert('x')</script> It was my friend Hscript.",
    "<img src=x onerror=alert(1)> Look Himg.",
    "[click me](javascript:alert(1)) Please keep it Hlink.",
    "**bold** and _soft_ and `code` Hmarkup.",
    "# Not a heading Hhash",
    "<a href=\"javascript:alert(2)\" onclick=\"x()\">link</a> Hanchor.",
    "&lt;script&gt; and &#106;avascript: Hentity.",
    "<svg onload=alert(3)></svg> <iframe src=//evil.example> Hsvg.",
]


async def hostile_statement(store):
    records = []
    for n, meaning in enumerate(HOSTILE):
        records.append(Record(
            n, "Alpha server", 0, "", f"h-{n}", "discord", ("gpt-4o",), ("companionship",), ("keep_access",),
            "en", "<b onmouseover=alert(9)>Eve</b>" if n == 0 else f"*Mallory{n}*", START + timedelta(days=n),
            Status.APPROVED, [(START, ConsentLevel.NAMED, True)], [], meaning=meaning))
    await load(store, records)
    return await build_statement(store, Filters(), Options(generated_at=SNAPSHOT, threshold=1))


def assert_inert(page: str) -> None:
    assert not re.search(r"<script", page, re.I)
    assert not re.search(r"<(?:img|iframe|svg[^>]*onload|a\s[^>]*javascript)", page, re.I)
    for tag in re.findall(r"<[a-zA-Z][^>]*>", page):
        assert not re.search(r"\son\w+\s*=", tag), tag
        assert "javascript:" not in tag.lower(), tag
    assert not re.search(r"<(?:strong|em|code)>(?:bold|soft|code|Mallory)", page), "markup in the data became markup"
    assert page.count("<h1>") == 1


async def test_testimony_text_is_inert_in_markdown_and_html(store):
    statement = await hostile_statement(store)
    for kind in KINDS:
        text = render_markdown(statement, kind, "en")
        page = await render_html(statement, kind, "en")
        assert_inert(page)
        if kind in ("press", "un_portal"):
            continue  # two and three quotes only
        assert r"\[click me\](javascript:alert(1))" in text and r"\<script\>" in text and r"\*\*bold\*\*" in text
        assert "&lt;script&gt;alert('x')&lt;/script&gt;" in page or "&lt;script&gt;alert(&#x27;x&#x27;)" in page
        assert "[click me](javascript:alert(1))" in page and "**bold**" in page
        assert "&amp;lt;script&amp;gt;" in page  # an entity in the data shows as typed, not as `<`
        assert "&lt;b onmouseover=alert(9)&gt;Eve&lt;/b&gt;" in page and "*Mallory" in page
    # A moderator's template that prints a passage at the start of a line cannot make a heading or a list.
    assert escape_md("# Not a heading") == r"\# Not a heading" and escape_md("1. item") == r"1\. item"
    assert escape_md("- item\n> quote") == r"\- item \> quote"


async def test_a_moderators_template_prints_only_escaped_data(store, tmp_path):
    statement = await hostile_statement(store)
    template = tmp_path / "mine.md.j2"
    template.write_text("# Ours\n\n{% for q in quotes %}\n{{ q.text }} {{ q.cite }}\n\n{% endfor %}\n{{ method }}\n")
    page = render_html_sync(statement, "letter", "en", template)
    assert_inert(page)
    text = render_markdown(statement, "letter", "en", template)
    assert "\n\\# Not a heading Hhash [T-" in text
    assert "## How this statement was made" in text


async def test_the_same_statement_gives_byte_identical_output(made):
    _records, statement = made
    for kind, locale in (("letter", "en"), ("un_portal", "ja"), ("press", "zh_Hans")):
        first = render_html_sync(statement, kind, locale)
        assert await render_html(statement, kind, locale) == first == render_html_sync(statement, kind, locale)
        assert render_markdown(statement, kind, locale) == render_markdown(statement, kind, locale)


async def test_charts_never_draw_a_suppressed_cell(made):
    _records, statement = made
    tables = build_context(statement, "letter", "en")["tables"]
    assert statement.counts.by_model.suppressed == 1 and statement.counts.by_month.suppressed == 2
    charts = {c.name: c for c in draw_all(tables, "en", THRESHOLD)}
    # Each bar is one patch; the rest of a chart (figure, axes, spines) is the same in every chart.
    extras = {name: len(re.findall(r'id="patch_\d+"', c.svg)) - len(tables[name].rows) for name, c in charts.items()}
    assert len(set(extras.values())) == 1, extras
    assert "1 category under 7" in charts["model"].note and "2 categories under 7" in charts["month"].note
    assert charts["use"].note == ""
    ja = draw_all(tables, "ja", THRESHOLD)
    assert all("<text" not in c.svg and "<svg" in c.svg for c in ja)


async def assert_loop_stays_free(work) -> None:
    """While `work` runs, a 5 ms ticker on the loop keeps ticking (a quarter of the ticks it would make
    idle, at least five): the CPU work is on a worker thread, not on the loop."""
    ticks = 0

    async def tick():
        nonlocal ticks
        while True:
            await asyncio.sleep(0.005)
            ticks += 1

    ticker = asyncio.create_task(tick())
    loop = asyncio.get_running_loop()
    started = loop.time()
    await work
    elapsed = loop.time() - started
    ticker.cancel()
    assert ticks >= min(5, elapsed / 0.005 / 4), (ticks, elapsed)


async def test_rendering_html_leaves_the_event_loop_free(made):
    _records, statement = made
    await assert_loop_stays_free(render_html(statement, "consultation", "ja"))


async def test_a_broken_moderator_template_names_its_line(made, tmp_path):
    _records, statement = made
    template = tmp_path / "broken.md.j2"
    template.write_text("# Title\n\n{{ total }} testimonies\n{{ totl }} oops\n")
    with pytest.raises(StatementTemplateError, match=r"broken\.md\.j2, line 4: 'totl' is undefined"):
        render_markdown(statement, "letter", "en", template)
    template.write_text("# Title\n{% for q in quotes %}\n{{ q.text }}\n")
    with pytest.raises(StatementTemplateError, match=r"broken\.md\.j2, line \d: .*(endfor|end of template)"):
        render_markdown(statement, "letter", "en", template)
    with pytest.raises(StatementTemplateError, match="no such template"):
        render_markdown(statement, "letter", "en", tmp_path / "missing.md.j2")


@pytest.mark.parametrize("source", [
    "{{ ''.__class__.__mro__ }}",
    "{{ quotes.__class__.__base__.__subclasses__() }}",
    "{{ cite_all.__init__.__globals__ }}",
    "{% for q in quotes %}{{ q.text.__class__ }}{% endfor %}{{ ''.__class__ }}",
])
async def test_a_template_cannot_reach_python_internals(made, tmp_path, source):
    _records, statement = made
    template = tmp_path / "evil.md.j2"
    template.write_text("# Evil\n\n" + source + "\n")
    with pytest.raises(StatementTemplateError, match=r"evil\.md\.j2, line 3: refused by the sandbox"):
        render_markdown(statement, "letter", "en", template)


async def test_the_method_follows_the_options_and_filters(store):
    records = await load(store, generate(seed=3, count=160))
    statement = await build_statement(store, Filters(campaign="Save 4o"), Options(
        generated_at=SNAPSHOT - timedelta(days=30), threshold=3))
    _included, withdrawn = expected(records, Filters(campaign="Save 4o"), at=SNAPSHOT - timedelta(days=30))
    for locale in LOCALES:
        method = section(render_markdown(statement, "letter", locale), METHOD[locale])
        assert "2026-03-16 12:00 UTC" in method and "Save 4o" in method
        numbers = set(re.findall(r"(?<!\d)\d+(?!\d)", CITATION.sub("", method)))
        assert {"3", str(withdrawn)} <= numbers


async def test_an_empty_or_fully_suppressed_statement_still_renders(store):
    empty = await build_statement(store, Filters(), Options(generated_at=SNAPSHOT))
    assert empty.total == 0
    await load(store, generate(seed=4, count=60))
    hidden = await build_statement(store, Filters(), Options(generated_at=SNAPSHOT, threshold=10_000))
    assert all(not table.cells for table in hidden.counts.tables())
    for statement in (empty, hidden):
        for kind in KINDS:
            for locale in LOCALES:
                text = render_markdown(statement, kind, locale)
                assert METHOD[locale] in text and uncited(text, locale) == []
                assert "| 1" not in text  # no table row at all
        assert render_html_sync(statement, "letter", "ja").count("<svg") == 4
