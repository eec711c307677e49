"""A statement as one self-contained HTML page: the same content as the Markdown (rendered by markdown-it
with raw HTML off, so nothing in the data becomes markup), the charts as inline SVG, the CJK glyphs the
page uses embedded as a font subset, CSS for phones and for print, and a Content-Security-Policy that
allows no script and no request at all. The same statement gives byte-identical HTML.

`render_html_sync` is the CPU work; `render_html` runs it on a worker thread so that the event loop (and
with it every front door) is never held up by a large statement."""

from __future__ import annotations

import asyncio
import base64
import html
import io
import re
import secrets
from functools import lru_cache
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml

from bot.statements.model import Statement
from bot.statements.render import labels
from bot.statements.render.common import PLAIN, Format, Presentation
from bot.statements.render.context import build_context
from bot.statements.render.markdown import StatementTemplateError, render_markdown
from bot.statements.render.text import Md

__all__ = ["FORMAT", "StatementTemplateError", "body_html", "cjk_face", "render_html", "render_html_sync", "title_of"]

FILE = "statement.html"

_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")
_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; base-uri 'none'; "
        "form-action 'none'")
_FONT_INDEX = {"ja": 0}  # in Noto Sans CJK's collection: 0 JP, 2 SC
_DEFAULT_FONT_INDEX = 2


def cjk_face(locale: str) -> int:
    """The face of Noto Sans CJK's collection a statement in `locale` is set in: Japanese, else Chinese."""
    return _FONT_INDEX.get(locale, _DEFAULT_FONT_INDEX)

CSS = """
:root { color-scheme: light; --ink: #1f2933; --muted: #52606d; --line: #d9e2ec; --accent: #2f6f8f; --soft: #f0f4f8; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { margin: 0; color: var(--ink); background: #fff; line-height: 1.6; overflow-wrap: anywhere;
  font-family: "Continuity CJK", system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial,
  "Hiragino Sans", "PingFang SC", "Microsoft YaHei", "Yu Gothic", sans-serif; font-size: 17px; }
main { max-width: 46rem; margin: 0 auto; padding: 2.5rem 1.25rem 4rem; }
h1 { font-size: 1.9rem; line-height: 1.25; margin: 0 0 1.5rem; letter-spacing: -0.01em; }
h2 { font-size: 1.35rem; line-height: 1.3; margin: 2.6rem 0 0.8rem; padding-top: 0.6rem;
  border-top: 2px solid var(--accent); }
h3 { font-size: 1.05rem; margin: 1.8rem 0 0.5rem; color: var(--muted); }
p, ul { margin: 0 0 1rem; }
li { margin: 0.25rem 0; }
blockquote { margin: 1rem 0; padding: 0.7rem 1rem; border-left: 4px solid var(--accent); background: var(--soft);
  border-radius: 0 6px 6px 0; font-size: 1.02rem; }
blockquote p { margin: 0; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1rem; font-size: 0.92rem; }
th, td { text-align: left; padding: 0.4rem 0.6rem; border-bottom: 1px solid var(--line); vertical-align: baseline; }
th { background: var(--soft); font-weight: 600; }
td:nth-child(2), th:nth-child(2) { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td:nth-child(3) { color: var(--muted); font-size: 0.85rem; }
.figures { margin: 2rem 0; }
figure { margin: 1.5rem 0; page-break-inside: avoid; break-inside: avoid; }
figcaption { font-weight: 600; margin-bottom: 0.4rem; }
figure svg { width: 100%; height: auto; display: block; }
.note { color: var(--muted); font-size: 0.85rem; margin: 0.2rem 0 0; }
@media (max-width: 600px) {
  body { font-size: 16px; }
  main { padding: 1.5rem 1rem 3rem; }
  h1 { font-size: 1.5rem; }
  h2 { font-size: 1.2rem; }
  th, td { padding: 0.35rem 0.4rem; }
  table { display: block; overflow-x: auto; }
}
@media print {
  @page { size: A4; margin: 18mm 16mm; }
  body { font-size: 11pt; line-height: 1.45; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; page-break-after: avoid; }
  h3 { break-after: avoid; page-break-after: avoid; }
  blockquote, tr, figure { break-inside: avoid; page-break-inside: avoid; }
  table { display: table; overflow: visible; }
  blockquote { background: none; }
  a { color: inherit; text-decoration: none; }
}
""".strip()


def _markdown() -> MarkdownIt:
    # CommonMark with tables; `html` off: a `<script>` in a testimony is text. No linkify: only our own
    # `<https://…>` autolinks are links, and markdown-it refuses javascript:, vbscript:, file: and data: ones.
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")


def render_html_sync(statement: Statement, kind: str, locale: str, template_path: str | Path | None = None) -> str:
    """The statement as a self-contained HTML page (the CPU work; see `render_html`)."""
    context = build_context(statement, kind, locale)
    before, after = body_html(statement, kind, locale, template_path, context=context)
    body = before + _figures(context, locale, statement.threshold) + after
    title = title_of(body)
    font = _font_face(body + title, locale)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{labels.HTML_LANG[locale]}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f'<meta name="generator" content="Continuity {html.escape(context["version"])}">\n'
        f"<title>{title}</title>\n<style>\n{font}{CSS}\n</style>\n</head>\n<body>\n<main>\n{body}</main>\n"
        "</body>\n</html>\n")


def body_html(statement: Statement, kind: str, locale: str, template_path: str | Path | None = None, *,
              context: dict | None = None) -> tuple[str, str]:
    """The statement's Markdown as HTML, split where the charts go (where the template prints `figures`,
    else at the end). The page and the PDF both lay out this one body."""
    context = context or build_context(statement, kind, locale)
    # Where the charts go is marked by a token nobody can guess, so no testimony can hold it; it never
    # reaches the page, which stays byte-identical. Appendix A's list of receipts (97,057 of them at 100,000
    # testimonies: half a second of markdown-it's time) goes in the same way, as the text it would become.
    token, receipts = "FIGURES" + secrets.token_hex(16), "RECEIPTS" + secrets.token_hex(16)
    text = render_markdown(statement, kind, locale, template_path, figures=f"\n\n{token}\n\n",
                           context={**context, "receipt_list": Md(receipts)})
    body = _markdown().render(text).replace(receipts, escapeHtml(context["receipt_list"]))
    if locale in ("ja", "zh_Hans"):  # a line break inside a paragraph is no space in Japanese or Chinese
        body = re.sub(r"(?<=[。！？」）])\n(?=[^<\n])", "", body)
    before, found, after = body.partition(f"<p>{token}</p>\n")
    # a moderator's template printing `figures` inside a paragraph: the token goes, the charts go last
    return before.replace(token, ""), after.replace(token, "") if found else ""


async def render_html(statement: Statement, kind: str, locale: str,
                      template_path: str | Path | None = None) -> str:
    """`render_html_sync` on a worker thread: templates, charts and the font subset are CPU work."""
    return await asyncio.to_thread(render_html_sync, statement, kind, locale, template_path)


def _files(statement: Statement, presentation: Presentation = PLAIN) -> dict[str, bytes]:
    page = render_html_sync(statement, presentation.kind, presentation.locale, presentation.template)
    return {FILE: page.encode("utf-8")}


FORMAT = Format("html", "the statement as one self-contained HTML page, charts included", (FILE,), _files)


def _figures(context: dict, locale: str, threshold: int) -> str:
    from bot.statements import charts as charts_module  # matplotlib: loaded when a page is drawn, not at start

    parts = ['<section class="figures">\n']
    for chart in charts_module.draw_all(context["tables"], locale, threshold):
        note = f'<p class="note">{html.escape(chart.note)}</p>' if chart.note else ""
        title = html.escape(chart.title)
        svg = chart.svg.replace("<svg ", f'<svg role="img" aria-label="{title}" ', 1)
        parts.append(f"<figure>\n<figcaption>{title}</figcaption>\n{svg}\n{note}</figure>\n")
    parts.append("</section>\n")
    return "".join(parts)


def title_of(body: str) -> str:
    """The first heading's text, already escaped by markdown-it, without tags."""
    match = re.search(r"<h1>(.*?)</h1>", body, re.S)
    return re.sub(r"<[^>]+>", "", match.group(1)).strip() if match else "Continuity"


def _font_face(text: str, locale: str) -> str:
    """An @font-face with just the CJK glyphs the page uses, from Noto Sans CJK, so the page reads right on
    a machine without CJK fonts; '' when the page has none. SVG charts carry their text as paths already."""
    visible = re.sub(r"<svg.*?</svg>", "", text, flags=re.S)
    chars = "".join(sorted(set(_CJK.findall(visible))))
    if not chars:
        return ""
    data = _subset(cjk_face(locale), chars)
    if not data:
        return ""
    encoded = base64.b64encode(data).decode("ascii")
    # First in the font stack, limited by unicode-range to the CJK ranges: Latin text keeps the system's
    # font, and every CJK character is drawn with this one (Chromium otherwise fell back per run, to boxes).
    return ('@font-face { font-family: "Continuity CJK"; font-display: block; '
            "unicode-range: U+2E80-9FFF, U+F900-FAFF, U+FF00-FFEF, U+3000-303F; "
            f'src: url(data:font/otf;base64,{encoded}) format("opentype"); }}\n')


@lru_cache(maxsize=16)
def _subset(index: int, chars: str) -> bytes:
    try:
        from fontTools import subset
        from fontTools.ttLib import TTFont
        from noto_cjk_sans_otc import FONT_PATH
    except ImportError:  # pragma: no cover - both come with the dependencies
        return b""
    # recalcTimestamp off: fontTools would otherwise stamp the subset with the clock, and the page with it
    font = TTFont(str(FONT_PATH), fontNumber=index, recalcTimestamp=False)
    options = subset.Options()
    options.notdef_outline = True
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6]  # keep the font's names and its OFL licence notice (13, 14)
    options.name_IDs += [13, 14]
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=chars)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()
