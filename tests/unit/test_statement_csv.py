"""CSV cells a spreadsheet would run as a formula are made inert, whatever the text (OWASP, CSV injection)."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.statements.render.common import FORMULA_STARTS, csv_bytes, inert


def cells(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


@pytest.mark.parametrize("text", ["=1+2", "+44 20", "-3", "@SUM(A1)", "\t=1", "\r=1", "\n=1",
                                  "=HYPERLINK(\"http://example.invalid\",\"click\")"])
def test_a_cell_that_could_run_as_a_formula_gets_a_single_quote(text):
    assert inert(text) == "'" + text
    [_header, [cell]] = cells(csv_bytes(["text"], [[text]]))
    assert cell == "'" + text


@pytest.mark.parametrize("text", ["It helped me", "'already quoted", " =leading space", "a=b", "", "日本語"])
def test_other_cells_are_left_as_they_are(text):
    assert inert(text) == text


def test_numbers_are_numbers():
    assert inert(-1) == "-1" and inert(5) == "5" and inert(None) == ""


@given(st.lists(st.text(), min_size=1, max_size=4))
def test_no_cell_ever_begins_like_a_formula(row):
    [_header, parsed] = cells(csv_bytes([str(n) for n in range(len(row))], [row]))
    assert not any(cell.startswith(FORMULA_STARTS) for cell in parsed)
    assert [cell.removeprefix("'") if cell[:1] == "'" and original[:1] != "'" else cell
            for cell, original in zip(parsed, row, strict=True)] == row
