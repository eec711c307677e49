"""The export bench (`python -m bench.export`) at a small size: its data set goes through the store's real
statement query, every format it names is measured in a process of its own and reports the documented
fields, the sqlite3 dump holds the same rows the statement counts, and the PDF statement has the quotes it
was made for. The speed targets themselves are measured (BENCHMARKS.md), not asserted here."""

from __future__ import annotations

import json
import shutil

from bench.export import AT, generate, main
from bot.statements.aggregate import build_statement
from bot.statements.model import Filters, Options
from bot.store import Store

KEYS = {"format", "testimonies", "seconds", "peak_rss_mb", "read_seconds", "themes_seconds", "render_seconds",
        "bytes", "quotes", "counted", "startup_seconds"}


async def test_the_generated_data_set_is_what_the_statement_reads(tmp_path):
    await generate(tmp_path / "b.db", 600)
    store = await Store.open(tmp_path / "b.db")
    try:
        statement = await build_statement(store, Filters(), Options(generated_at=AT))
    finally:
        await store.close()
    assert 0 < statement.withdrawn < 60 and statement.total + statement.withdrawn == 600
    assert {value for value, _count in statement.counts.by_language.cells} == {"en", "es", "ja", "zh"}
    assert len(statement.quotes) > 300 and statement.participants < statement.total


def test_every_format_is_measured_and_reported(tmp_path, capsys):
    assert main(["--testimonies", "300", "--quotable", "30", "--formats", "polis,md"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    by_format = {line.get("format", "summary" if "summary" in line else None): line for line in lines}
    assert set(by_format) == {"analyse", "polis", "md", "md+csv+json+html", "sqlite3-csv", "pdf", "summary"}
    assert by_format["analyse"]["bytes"] == 0 and by_format["analyse"]["counted"] == by_format["md"]["counted"]
    for name in ("polis", "md", "md+csv+json+html"):
        figures = by_format[name]
        assert KEYS <= set(figures) and figures["testimonies"] == 300 and figures["bytes"] > 0
        assert figures["seconds"] >= figures["read_seconds"] > 0 and figures["peak_rss_mb"] > 10
    assert by_format["polis"]["themes_seconds"] < by_format["md"]["themes_seconds"]  # Pol.is shows no themes
    assert by_format["pdf"]["kind"] == "consultation" and by_format["pdf"]["quotes"] > 30
    if shutil.which("sqlite3"):
        assert by_format["sqlite3-csv"]["rows"] == by_format["md"]["counted"]
    else:
        assert by_format["sqlite3-csv"]["seconds"] is None
    assert by_format["summary"]["summary"]["pdf_quotes"] == by_format["pdf"]["quotes"]
