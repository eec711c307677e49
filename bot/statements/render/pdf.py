"""A statement as a PDF that looks finished: the same body as the HTML page (`html.body_html`), laid out on
A4 by fpdf2 with the charts as vector drawings, a running title and page numbers.

The one font comes with the dependencies, so a fresh machine needs nothing more: Noto Sans CJK
(`noto-cjk-sans-otc`, OFL), whose Japanese or Simplified Chinese face (by the statement's language) also
draws Latin, Spanish, Greek and Cyrillic text; fpdf2 embeds only the glyphs used. One font and no fallback:
fpdf2 2.8's automatic fallback can lose the font of the line after a fallback run (poppler then draws no
text there). PyPI carries the regular weight only, so headings stand out by size and colour. The same
statement gives byte-identical files: the document's dates are the statement's `generated_at`.

`render_pdf_sync` is the CPU work; `render_pdf` runs it on a worker thread."""

from __future__ import annotations

import asyncio
import io
import re
from datetime import UTC
from html import unescape
from pathlib import Path

from bot.statements.model import Statement
from bot.statements.render import labels
from bot.statements.render.common import PLAIN, Format, Presentation
from bot.statements.render.context import build_context
from bot.statements.render.html import body_html, cjk_face, title_of

__all__ = ["FORMAT", "render_pdf", "render_pdf_sync"]

FILE = "statement.pdf"

_FONT = "noto-sans-cjk"
_INK, _MUTED, _ACCENT, _QUOTE = "#1f2933", "#52606d", "#2f6f8f", "#243b53"
_COLUMNS = {2: (70, 30), 3: (46, 16, 38)}  # per cent of the text width: label, count, receipts
_MARGIN = 18  # mm


def render_pdf_sync(statement: Statement, kind: str, locale: str, template_path: str | Path | None = None) -> bytes:
    """The statement as PDF bytes (the CPU work; see `render_pdf`)."""
    from bot.statements import charts  # matplotlib and fpdf2: loaded when a PDF is made, not at start

    context = build_context(statement, kind, locale)
    before, after = body_html(statement, kind, locale, template_path, context=context)
    title = unescape(title_of(before + after))
    pdf = _document(title, locale, statement)
    before, after = _for_fpdf(before, locale), _for_fpdf(after, locale)
    styles = _styles()
    pdf.write_html(before, tag_styles=styles, **_HTML_OPTIONS)
    for chart in charts.draw_all(context["tables"], locale, statement.threshold):
        _chart(pdf, chart)
    if after:
        pdf.write_html(after, tag_styles=styles, **_HTML_OPTIONS)
    return bytes(pdf.output())


async def render_pdf(statement: Statement, kind: str, locale: str, template_path: str | Path | None = None) -> bytes:
    """`render_pdf_sync` on a worker thread: layout, fonts and charts are CPU work."""
    return await asyncio.to_thread(render_pdf_sync, statement, kind, locale, template_path)


def _files(statement: Statement, presentation: Presentation = PLAIN) -> dict[str, bytes]:
    return {FILE: render_pdf_sync(statement, presentation.kind, presentation.locale, presentation.template)}


FORMAT = Format("pdf", "the statement as a printable PDF (A4), charts included", (FILE,), _files)


_HTML_OPTIONS = {"ul_bullet_char": "•", "li_prefix_color": _ACCENT, "table_line_separators": True,
                 "warn_on_tags_not_matching": False}


def _styles() -> dict:
    from fpdf.fonts import FontFace, TextStyle

    heading = {"color": _INK, "font_style": "B", "b_margin": 2}
    return {
        "h1": TextStyle(font_size_pt=20, t_margin=0, **heading),
        "h2": TextStyle(font_size_pt=14.5, t_margin=7, **{**heading, "color": _ACCENT}),
        "h3": TextStyle(font_size_pt=12, t_margin=5, **{**heading, "color": _MUTED}),
        "h4": TextStyle(font_size_pt=11, t_margin=4, **heading),
        "p": TextStyle(b_margin=2.5),
        "blockquote": TextStyle(color=_QUOTE, l_margin=8, t_margin=1.5, b_margin=3),
        "li": TextStyle(l_margin=6, t_margin=1),
        "ul": TextStyle(t_margin=1, b_margin=2),
        "ol": TextStyle(t_margin=1, b_margin=2),
        "a": FontFace(color=_ACCENT),
        "code": FontFace(family=_FONT),
        "pre": TextStyle(font_family=_FONT, t_margin=2),
    }


def _document(title: str, locale: str, statement: Statement):
    from fpdf import FPDF
    from noto_cjk_sans_otc import FONT_PATH

    class Document(FPDF):
        def header(self) -> None:
            if self.page_no() == 1:
                return
            self.set_font(_FONT, size=8)
            self.set_text_color(_MUTED)
            self.cell(0, 6, title, new_x="LMARGIN", new_y="NEXT", align="L")
            self.ln(2)
            self.set_text_color(_INK)

        def footer(self) -> None:
            self.set_y(-12)
            self.set_font(_FONT, size=8)
            self.set_text_color(_MUTED)
            self.cell(0, 6, f"{self.page_no()} / {{nb}}", align="C")
            self.set_text_color(_INK)

    pdf = Document(format="A4", unit="mm")
    pdf.set_margins(_MARGIN, _MARGIN, _MARGIN)
    pdf.set_auto_page_break(True, margin=_MARGIN)
    face = cjk_face(locale)  # as the HTML page's
    for style in ("", "B", "I", "BI"):  # one weight on PyPI: bold and italic text is drawn regular
        pdf.add_font(_FONT, style, str(FONT_PATH), collection_font_number=face)
    pdf.set_font(_FONT, size=10.5)
    pdf.set_text_color(_INK)
    pdf.set_lang(labels.HTML_LANG[locale])
    pdf.set_title(title)
    pdf.set_creator("Continuity")
    pdf.set_producer("Continuity")
    pdf.set_creation_date(statement.generated_at.astimezone(UTC))  # one moment, one byte string
    pdf.add_page()
    return pdf


def _chart(pdf, chart) -> None:
    """A chart's caption, the drawing (vector, from the same SVG as the page) and its note, kept on one page."""
    svg = chart.svg.encode("utf-8")
    width = pdf.epw
    height = width * _aspect(chart.svg)
    if pdf.get_y() + height + 16 > pdf.page_break_trigger:
        pdf.add_page()
    pdf.ln(3)
    pdf.set_font(_FONT, "B", 10.5)
    pdf.multi_cell(0, 6, chart.title, new_x="LMARGIN", new_y="NEXT")
    pdf.image(io.BytesIO(svg), x=pdf.l_margin, w=width)
    if chart.note:
        pdf.set_font(_FONT, "", 8.5)
        pdf.set_text_color(_MUTED)
        pdf.multi_cell(0, 5, chart.note, new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(_INK)
    pdf.set_font(_FONT, "", 10.5)


def _aspect(svg: str) -> float:
    match = re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg)
    return float(match.group(2)) / float(match.group(1)) if match else 0.55


def _for_fpdf(body: str, locale: str) -> str:
    """The page's HTML in the dialect fpdf2 lays out: cell alignment as an attribute, column widths on the
    first row (the label and the receipts need the room, a count does not), a quote's text directly in its
    <blockquote> (a <p> inside would lose the indent). In Japanese and Chinese a space is no place to break
    a line (fpdf2 would break at the last one and leave the line short): it becomes a no-break space, and
    fpdf2 fills each line to the margin, as these languages are set."""
    body = body.replace(' style="text-align:right"', ' align="right"')
    body = body.replace("\u202f", "\u00a0")  # Babel's narrow no-break space (12:00\u202fPM): the font lacks it
    body = re.sub(r"<blockquote>\s*<p>(.*?)</p>\s*</blockquote>", r"<blockquote>\1</blockquote>", body, flags=re.S)
    body = re.sub(r"<thead>\s*<tr>(.*?)</tr>", _widths, body, flags=re.S)
    body = body.replace("<p>", '<p line-height="1.4">')  # fpdf2 sets lines solid otherwise
    if locale in ("ja", "zh_Hans"):
        body = re.sub(r"(?<=>)[^<]+", lambda m: m.group(0).replace(" ", "\u00a0"), body)
    return body


def _widths(match: re.Match) -> str:
    cells = re.findall(r"<th([^>]*)>", match.group(1))
    widths = _COLUMNS.get(len(cells))
    if widths is None:
        return match.group(0)
    row = iter(widths)
    return "<thead>\n<tr>" + re.sub(r"<th([^>]*)>", lambda m: f'<th width="{next(row)}%"{m.group(1)}>',
                                        match.group(1)) + "</tr>"
