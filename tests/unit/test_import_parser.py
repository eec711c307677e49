"""Reading an import file and checking its rows against the Form, without a database: which line each row
starts on (quoted line breaks, blank lines, JSON objects over several lines), the delimiters and encodings
spreadsheets write, and each value as the Form takes it or a reason naming what was expected."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from bot.testimonies import form
from bot.testimonies.importer import Checked, ImportRefused, Row, check_row, read_rows

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
GOOD = {"models": "GPT-4o", "uses": "companionship", "meaning": "It kept me company every night.",
        "asks": "keep_access", "language": "en", "consent": "1", "health": "no"}


def refused(data: bytes, name: str = "file.csv") -> list[str]:
    with pytest.raises(ImportRefused) as caught:
        read_rows(data, name)
    return [str(p) for p in caught.value.problems]


def check(**values: object) -> Checked | list[str]:
    result = check_row(Row(7, {**GOOD, **values}), form.testimony_form({}), NOW)
    return [str(p) for p in result] if isinstance(result, list) else result


def test_csv_rows_carry_the_line_they_start_on():
    data = (b"models,uses,meaning,asks,language,consent,health\n"
            b"GPT-4o,work,\"Two lines,\nwith a comma\",keep_access,en,1,no\n"
            b"\n"
            b"o1,work,Third row,keep_access,en,1,no\n")
    rows = read_rows(data, "x.csv")
    assert [r.line for r in rows] == [2, 5]
    assert rows[0].values["meaning"] == "Two lines,\nwith a comma"


def test_a_spreadsheets_semicolons_a_byte_order_mark_and_header_case_are_understood():
    data = "\ufeffModels;Uses;Meaning;Asks;Language;Consent;Health\nGPT-4o;\"work;learning\";Text;keep_access;es;1;no\n"
    [row] = read_rows(data.encode(), "export.csv")
    assert row.values["uses"] == "work;learning" and row.values["language"] == "es"


def test_the_format_is_told_by_the_extension_else_by_the_content():
    as_json = json.dumps([GOOD]).encode()
    assert read_rows(as_json, "export.txt")[0].values["models"] == "GPT-4o"
    assert "unknown column" in refused(b'[{"models": "GPT-4o"}]', "forced.csv")[0], "a .csv is read as CSV"
    assert refused(b"models,uses\n", "x.json")[0].startswith("line 1: not valid JSON")


def test_json_items_carry_the_line_they_start_on():
    text = '[\n  {"models": "GPT-4o",\n   "meaning": "x"},\n\n  {"models": "o1"}\n]'
    assert [r.line for r in read_rows(text.encode(), "x.json")] == [2, 5]


@pytest.mark.parametrize(("data", "expected"), [
    (b"\xff\xfem\x00o\x00", "the file is UTF-16; save it as UTF-8"),
    (b"models,meaning\nGPT-4o,caf\xe9\n", "line 2: not UTF-8 text"),
    (b"models,uses,meaning,asks,language,consent,health,models\n", "line 1: the column “models” appears twice"),
    (b"models,uses,meaning,asks,language,consent,health,name\n", "line 1: unknown column “name”"),
    (b"", "the file holds no testimonies"),
    (b"[]", "the file holds no testimonies"),
])
def test_what_is_wrong_with_a_file_is_said(data, expected):
    assert any(expected in problem for problem in refused(data, "x.json" if data == b"[]" else "x.csv"))


def test_a_hostile_column_name_is_repeated_without_its_escape_sequences_and_cut_short():
    header = "models,uses,meaning,asks,language,consent,health,\x1b[2J\u202ename" + "x" * 5000 + "\n"
    [problem] = refused(header.encode())
    shown = problem.split("“", 1)[1].split("”", 1)[0]
    assert shown == "[2jname" + "x" * 32 + "…"  # names are compared, and so shown, in lower case


def test_every_missing_column_is_named_at_once():
    problems = refused(b"models,meaning,author\n")
    assert problems == [f"line 1: the column “{c}” is missing (required: models, uses, meaning, asks, language, "
                        "consent, health)" for c in ("uses", "asks", "language", "consent", "health")]


def test_a_good_row_becomes_the_forms_answers():
    checked = check(uses="work; learning;", asks="longer_notice;keep_access", health="YES", author=" s-1\u200b ")
    assert isinstance(checked, Checked)
    assert checked.answers["uses"] == ["work", "learning"]
    assert checked.answers["asks"] == ["keep_access", "longer_notice"], "in the Form's order"
    assert checked.answers["health"] is True and checked.answers["consent"] == "1"
    assert checked.author == "s-1", "hidden characters and spaces do not make another author"


@pytest.mark.parametrize(("value", "expected"), [
    (True, True), (False, False), (1, True), (0, False), ("true", True), ("No", False), ("0", False), (" y ", True),
])
def test_health_takes_yes_and_no_in_the_usual_spellings(value, expected):
    checked = check(health=value)
    assert isinstance(checked, Checked) and checked.answers["health"] is expected


@pytest.mark.parametrize(("values", "expected"), [
    ({"consent": None}, "line 7: consent is required and must be explicit"),
    ({"consent": "yes"}, "line 7: consent: expected 0 (count only, never quote)"),
    ({"consent": True}, "line 7: consent: expected 0"),
    ({"consent": 3}, "line 7: consent: expected 0"),
    ({"health": None}, "line 7: health is required and must be explicit"),
    ({"health": 2}, "line 7: health: expected yes or no"),
    ({"uses": ["work", 3]}, "line 7: uses: expected one or more of companionship"),
    ({"uses": None}, "line 7: uses is required: one or more of companionship"),
    ({"meaning": 42}, "line 7: meaning: expected text"),
    ({"meaning": "\u200b" * 20}, "line 7: meaning: “What it means, and what losing it costs” is required."),
    ({"display_name": "N" * 81}, "line 7: display_name: “Display name (optional)” can be at most 80 characters"),
    ({"models": "m" * 201}, "line 7: models: “Which model or models?” can be at most 200 characters"),
    ({"author": ["a"]}, "line 7: author: expected text"),
    ({"author": "a" * 321}, "line 7: author: at most 320 characters (it has 321)"),
    ({"submitted_at": "25 June"}, "line 7: submitted_at: expected a date or date and time"),
    ({"submitted_at": "2026-03-02"}, "line 7: submitted_at: 2026-03-02 is after now (2026-03-01T12:00:00+00:00)"),
])
def test_a_wrong_value_is_refused_saying_what_was_expected(values, expected):
    problems = check(**values)
    assert isinstance(problems, list)
    assert any(p.startswith(expected) for p in problems), problems


def test_every_problem_of_a_row_is_reported_at_once():
    problems = check(consent=None, health=None, language="fr")
    assert isinstance(problems, list) and len(problems) == 3


@pytest.mark.parametrize(("value", "expected"), [
    ("2025-06-25", datetime(2025, 6, 25, tzinfo=UTC)),
    ("2025-06-25T10:00:00", datetime(2025, 6, 25, 10, tzinfo=UTC)),
    ("2025-06-25T10:00:00+02:00", datetime(2025, 6, 25, 8, tzinfo=UTC)),
    ("2025-06-25T10:00:00Z", datetime(2025, 6, 25, 10, tzinfo=UTC)),
])
def test_submitted_at_is_read_as_utc(value, expected):
    checked = check(submitted_at=value)
    assert isinstance(checked, Checked) and checked.submitted_at == expected
