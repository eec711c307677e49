"""The statement as two CSV files (UTF-8, RFC 4180, a header row):

- `statistics.csv`: `table,value,count`. First the `summary` rows (testimonies, participants, withdrawn,
  quotes, threshold), then every count table's shown cells. A suppressed cell keeps its place as a row whose
  value is `(suppressed)` and whose count is `<5` (the threshold in force), never the number; a cell hidden
  only so that another could not be worked out by subtraction says `(suppressed with another)` and `>=5`.
- `quotes.csv`: `receipt,language,models,display_name,text`, one row per quotable passage; the display name
  is there only at consent level 2.

Every text cell that begins with `=`, `+`, `-`, `@`, a tab or a line break is prefixed with a single quote,
as OWASP recommends against CSV injection, so no spreadsheet runs it as a formula."""

from __future__ import annotations

from bot.statements.model import Statement
from bot.statements.render.common import PLAIN, Format, Presentation, csv_bytes

STATISTICS = "statistics.csv"
QUOTES = "quotes.csv"
SUPPRESSED = "(suppressed)"
SUPPRESSED_WITH_ANOTHER = "(suppressed with another)"


def statistics(statement: Statement) -> bytes:
    threshold = statement.threshold
    rows: list[tuple[object, ...]] = [
        ("summary", "testimonies", statement.total),
        ("summary", "participants", statement.participants),
        ("summary", "withdrawn", statement.withdrawn),
        ("summary", "quotes", len(statement.quotes)),
        ("summary", "threshold", threshold),
    ]
    for table in statement.counts.tables():
        rows.extend((table.name, value, n) for value, n in table.cells)
        rows.extend((table.name, SUPPRESSED, f"<{threshold}") for _ in range(table.suppressed - table.secondary))
        rows.extend((table.name, SUPPRESSED_WITH_ANOTHER, f">={threshold}") for _ in range(table.secondary))
    return csv_bytes(("table", "value", "count"), rows)


def quotes(statement: Statement) -> bytes:
    return csv_bytes(("receipt", "language", "models", "display_name", "text"),
                     ((q.receipt, q.language, "; ".join(q.models), q.display_name or "", q.text)
                      for q in statement.quotes))


def render(statement: Statement, presentation: Presentation = PLAIN) -> dict[str, bytes]:
    return {STATISTICS: statistics(statement), QUOTES: quotes(statement)}


FORMAT = Format("csv", "statistics.csv and quotes.csv", (STATISTICS, QUOTES), render)
