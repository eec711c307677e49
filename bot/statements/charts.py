"""A statement's charts as SVG, drawn with matplotlib's Agg-free SVG backend: testimonies by month, by
model, by use and by what is asked. Only the cells a statement shows are drawn: a suppressed cell has no
bar and no number anywhere in the chart. Text is drawn as paths in the OFL Noto Sans CJK font that ships
on PyPI (`noto-cjk-sans-otc`), so Japanese and Chinese labels look right on any machine and the SVG needs
no font; the same statement gives byte-identical SVG (a fixed hash salt, no date)."""

from __future__ import annotations

import io
import re
import threading
from dataclasses import dataclass
from functools import cache

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager
from matplotlib.figure import Figure

from bot.statements.render import labels
from bot.statements.render.context import Table, month_label

CHARTS = ("month", "model", "use", "ask")
_FAMILY = {"ja": "Noto Sans CJK JP"}
_DEFAULT_FAMILY = "Noto Sans CJK SC"
_INK, _BAR, _GRID = "#1f2933", "#2f6f8f", "#d9e2ec"
_LOCK = threading.Lock()  # matplotlib's rcParams are global: one chart at a time
_CLEAN = (re.compile(r"<\?xml[^>]*\?>\s*"), re.compile(r"<!DOCTYPE[^>]*>\s*"), re.compile(r"<!--.*?-->\s*", re.S),
          re.compile(r"<metadata>.*?</metadata>\s*", re.S))


@dataclass(frozen=True, slots=True)
class Chart:
    name: str
    title: str
    svg: str       # an <svg> element, ready to be placed inline in HTML
    note: str      # what was left out (suppressed cells), in the statement's language; '' if nothing


@cache
def _font_ready() -> bool:
    try:
        from noto_cjk_sans_otc import FONT_PATH
    except ImportError:  # pragma: no cover - a dependency; without it CJK labels fall back to DejaVu
        return False
    font_manager.fontManager.addfont(str(FONT_PATH))
    return True


def family(locale: str) -> list[str]:
    _font_ready()
    return [_FAMILY.get(locale, _DEFAULT_FAMILY), "DejaVu Sans"]


def draw(table: Table, locale: str) -> Chart:
    """One table as a chart: months in order as columns, everything else as bars, largest first."""
    text = labels.CHART_TITLES[locale]
    title = text[table.name]
    note = "" if not table.suppressed else text["hidden_one" if table.suppressed == 1 else "hidden"].format(
        n=table.suppressed, t="{t}")
    rows = table.rows if table.name == "month" else table.ranked()
    with _LOCK, matplotlib.rc_context({
        "svg.fonttype": "path", "svg.hashsalt": f"continuity-{table.name}", "font.family": family(locale),
        "font.size": 11, "axes.edgecolor": _GRID, "axes.labelcolor": _INK, "xtick.color": _INK,
        "ytick.color": _INK, "text.color": _INK, "path.simplify": True,
    }):
        svg = _render(table.name, rows, locale)
    return Chart(table.name, title, svg, note)


def _render(name: str, rows, locale: str) -> str:
    count = max(len(rows), 1)
    if name == "month":
        figure = Figure(figsize=(5.6, 3.0))
        axes = figure.add_subplot()
        names = [month_label(r.value, locale, short=True) for r in rows]
        values = [r.count for r in rows]
        bars = axes.bar(range(len(rows)), values, color=_BAR, width=0.6)
        axes.set_xticks(range(len(rows)), names)
        axes.yaxis.grid(True, color=_GRID, linewidth=0.8)
        axes.bar_label(bars, padding=2, fontsize=10)
        axes.set_ylim(0, max(values, default=1) * 1.18)
    else:
        figure = Figure(figsize=(5.6, 0.42 * count + 0.7))
        axes = figure.add_subplot()
        names = [r.label for r in rows][::-1]
        values = [r.count for r in rows][::-1]
        bars = axes.barh(range(len(rows)), values, color=_BAR, height=0.6)
        axes.set_yticks(range(len(rows)), names)
        axes.xaxis.grid(True, color=_GRID, linewidth=0.8)
        axes.bar_label(bars, padding=3, fontsize=10)
        axes.set_xlim(0, max(values, default=1) * 1.15)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.tick_params(length=0)
    if not rows:
        axes.set_xticks([])
        axes.set_yticks([])
    figure.tight_layout()
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None}, transparent=True)
    svg = buffer.getvalue()
    for pattern in _CLEAN:
        svg = pattern.sub("", svg)
    return svg.strip()


def draw_all(tables: dict[str, Table], locale: str, threshold: int) -> list[Chart]:
    charts = []
    for name in CHARTS:
        chart = draw(tables[name], locale)
        charts.append(Chart(chart.name, chart.title, chart.svg, chart.note.replace("{t}", str(threshold))))
    return charts
