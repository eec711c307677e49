"""The PDF: the same statement as the page, in every language, with every character drawn by the font that
comes with the dependencies (Noto Sans CJK), readable back as text by PDFium, numbered, byte-identical for
the same statement, inert, and drawn off the event loop."""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
from datetime import timedelta

import pypdfium2
import pytest

from bot.domain import ConsentLevel
from bot.domain import TestimonyStatus as Status
from bot.statements.aggregate import build_statement
from bot.statements.model import Filters, Options
from bot.statements.render.markdown import render_markdown
from bot.statements.render.pdf import render_pdf, render_pdf_sync
from tests.integration.test_statement_aggregate import SNAPSHOT, START, Record, generate, load
from tests.integration.test_statement_templates import assert_loop_stays_free

MISSING = "is missing the following glyphs"
FONT = {"en": "NotoSansCJKSC", "es": "NotoSansCJKSC", "ja": "NotoSansCJKJP", "zh_Hans": "NotoSansCJKSC"}


@pytest.fixture
async def statement(store):
    await load(store, generate(count=160))
    return await build_statement(store, Filters(), Options(generated_at=SNAPSHOT))


def read(data: bytes) -> tuple[list[str], set[str]]:
    """Each page's text as PDFium (Chrome's PDF engine) reads it, and the fonts embedded (without their
    subset prefix; fpdf2 writes the font dictionaries uncompressed)."""
    document = pypdfium2.PdfDocument(data)
    try:
        pages = [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()
    return pages, {name.decode() for name in re.findall(rb"/BaseFont /[A-Z]+\+(\w+)", data)}


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("locale", ["en", "es", "ja", "zh_Hans"])
async def test_every_language_is_drawn_with_fonts_that_have_its_characters(statement, locale, caplog):
    with caplog.at_level(logging.WARNING, logger="fpdf"):
        data = render_pdf_sync(statement, "letter", locale)
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert not [r for r in caplog.records if MISSING in r.getMessage()]
    pages, fonts = read(data)
    assert fonts == {FONT[locale]}  # one font, embedded: Japanese in its Japanese face
    text = flat("".join(pages))
    markdown = render_markdown(statement, "letter", locale)
    title = markdown.splitlines()[0].removeprefix("# ")
    assert flat(title) in text
    quote = next(line for line in markdown.splitlines() if line.startswith("> "))
    receipt = re.search(r"T-[0-9A-Z]+", quote).group(0)
    assert receipt in text
    assert [page.strip().splitlines()[-1] for page in pages] == [f"{n} / {len(pages)}"
                                                                  for n in range(1, len(pages) + 1)]


async def test_a_character_no_font_has_is_reported(store, caplog):
    """The check above can fail: a testimony holding a character neither font draws is reported by fpdf2."""
    await load(store, [Record(0, "Alpha server", 0, "", "a-0", "discord", ("gpt-4o",), ("creative",),
                              ("keep_access",), "en", "", START, Status.APPROVED,
                              [(START, ConsentLevel.ANONYMOUS, False)], [], meaning="It wrote with me \U0001fae0.")])
    made = await build_statement(store, Filters(), Options(generated_at=SNAPSHOT, threshold=1))
    with caplog.at_level(logging.WARNING, logger="fpdf"):
        render_pdf_sync(made, "letter", "en")
    assert any(MISSING in r.getMessage() for r in caplog.records)


async def test_the_same_statement_gives_byte_identical_pdf_and_another_moment_does_not(store):
    await load(store, generate(count=120))
    first = await build_statement(store, Filters(), Options(generated_at=SNAPSHOT))
    again = render_pdf_sync(first, "consultation", "ja")
    assert again == render_pdf_sync(first, "consultation", "ja")
    later = await build_statement(store, Filters(), Options(generated_at=SNAPSHOT + timedelta(seconds=1)))
    assert render_pdf_sync(later, "consultation", "ja") != again


async def test_hostile_text_is_only_text_in_the_pdf(store):
    meaning = "<script>alert(1)</script> <b>loud</b> [x](javascript:alert(2)) &amp; Hpdf."
    await load(store, [Record(0, "Alpha server", 0, "", "a-0", "discord", ("gpt-4o",), ("creative",),
                              ("keep_access",), "en", "", START, Status.APPROVED,
                              [(START, ConsentLevel.ANONYMOUS, False)], [], meaning=meaning)])
    made = await build_statement(store, Filters(), Options(generated_at=SNAPSHOT, threshold=1))
    data = render_pdf_sync(made, "letter", "en")
    text = "".join(read(data)[0])
    assert "<script>alert(1)</script>" in text and "<b>loud</b>" in text and "&amp;" in text
    assert not ACTIVE.findall(structure(data))


# What could make a PDF act rather than show: scripts, actions on events, launches, forms, embedded files,
# an action (a dictionary) to run on opening (fpdf2's own `/OpenAction [page /FitH null]` only shows a
# page), and a link to a script.
ACTIVE = re.compile(rb"/(?:JavaScript|JS|AA|Launch|SubmitForm|ImportData|EmbeddedFile|RichMedia)\b"
                    rb"|/OpenAction\s*<<|javascript:", re.IGNORECASE)


def structure(data: bytes) -> bytes:
    """The PDF's objects without the bodies of its streams: compressed bytes can hold any three letters,
    such as `/JS`, by chance, but only a dictionary key can make a viewer act."""
    return re.sub(rb"stream\r?\n.*?endstream", b"stream endstream", data, flags=re.DOTALL)


def test_the_check_for_active_content_finds_it():
    assert ACTIVE.findall(structure(b"1 0 obj << /OpenAction << /S /JavaScript /JS (alert(1)) >> >> endobj"))
    assert ACTIVE.findall(b"<< /A << /S /URI /URI (JavaScript:alert(2)) >> >>")
    assert not ACTIVE.findall(b"<< /OpenAction [3 0 R /FitH null] >>")
    assert not ACTIVE.findall(structure(b"1 0 obj << /Length 3 >> stream\n/JS\nendstream endobj"))


async def test_rendering_a_pdf_leaves_the_event_loop_free(statement):
    await assert_loop_stays_free(render_pdf(statement, "letter", "zh_Hans"))


def poppler(document, prefix) -> subprocess.CompletedProcess:
    return subprocess.run(["pdftoppm", "-r", "20", "-png", str(document), str(prefix)],
                          capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils is not installed")
@pytest.mark.parametrize("locale", ["en", "zh_Hans"])
async def test_poppler_draws_every_page_without_a_complaint(statement, locale, tmp_path):
    """poppler is stricter than PDFium: a line shown without a font (what fpdf2's font fallback produced)
    makes it say `No font in show` and draw nothing there."""
    document = tmp_path / "s.pdf"
    document.write_bytes(render_pdf_sync(statement, "consultation", locale))
    drawn = poppler(document, tmp_path / "page")
    assert (drawn.returncode, drawn.stderr) == (0, "")
    assert len(list(tmp_path.glob("page-*.png"))) == len(read(document.read_bytes())[0])
