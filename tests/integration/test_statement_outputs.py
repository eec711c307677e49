"""A statement's machine-readable outputs (JSON, CSV, Pol.is's comments.csv, the bundle) from the generated
data set of test_statement_aggregate.py on a real database: consent is honoured in every file, withdrawn
testimonies are counted and nowhere else, suppressed numbers never appear, the JSON validates against the
schema checked into the repository, the same database and time give the same bytes, and `verify` catches
what was changed."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
from jsonschema import Draft202012Validator

from bot.domain import ConsentLevel
from bot.statements import bundle
from bot.statements.aggregate import build_statement
from bot.statements.model import Filters, Options
from bot.statements.render import FORMATS, polis
from bot.statements.render import csv as csv_format
from bot.statements.render import json as json_format
from bot.statements.render.common import FORMULA_STARTS
from tests.integration.test_statement_aggregate import SNAPSHOT, START, Record, Status, expected, generate, load
from tests.integration.test_statement_pdf import read as read_pdf

ENTRIES = ["manifest.json", "polis/comments.csv", "quotes.csv", "statement.html", "statement.json", "statement.md",
           "statement.pdf", "statement.schema.json", "statistics.csv"]
DATA_URI = re.compile(rb"data:[a-z/+-]+;base64,[A-Za-z0-9+/=]+")


@pytest.fixture
async def data(store):
    return await load(store, generate())


async def files_of(store, filters: Filters = Filters(), *, themes: bool = False,  # noqa: B008
                   **options) -> tuple[bytes, dict[str, bytes]]:
    statement = await build_statement(store, filters, Options(generated_at=SNAPSHOT, **options), themes=themes)
    zipped = bundle.bundle(statement)
    with zipfile.ZipFile(io.BytesIO(zipped)) as archive:
        return zipped, {info.filename: archive.read(info) for info in archive.infolist()}


def rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def everything(files: dict[str, bytes]) -> bytes:
    """Every file's bytes, without the HTML's embedded font (base64 that could spell anything by chance),
    the PDF as the text a reader can copy out of it (its streams are compressed)."""
    return b"\n".join(pdf_text(data).encode() if name.endswith(".pdf") else DATA_URI.sub(b"", data)
                      for name, data in files.items())


def pdf_text(data: bytes) -> str:
    return "\n".join(read_pdf(data)[0])


def beside_words(receipt: str, files: dict[str, bytes]) -> bool:
    """Whether `receipt` stands beside a passage anywhere: as a quote's receipt in the JSON or the CSV, or
    on a quoted line of the Markdown (a claim may cite any counted testimony's receipt; a quote only its own)."""
    document = json.loads(files["statement.json"])
    quoted_md = [line for line in files["statement.md"].decode().splitlines() if line.startswith(">")]
    return (any(q["receipt"] == receipt for q in document["quotes"])
            or any(q["receipt"] == receipt for q in rows(files["quotes.csv"]))
            or any(receipt in line for line in quoted_md))


def named(name: str, blob: bytes) -> bool:
    """`Name12` is there, and not only as the start of `Name123`."""
    return re.search(re.escape(name).encode() + rb"(?!\d)", blob) is not None


async def test_the_bundle_holds_every_format_and_the_json_validates_against_the_schema(store, data):
    _zipped, files = await files_of(store)
    assert sorted(files) == ENTRIES
    schema = json.loads(files["statement.schema.json"])
    Draft202012Validator.check_schema(schema)
    assert schema == json_format.schema()
    document = json.loads(files["statement.json"])
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    assert list(validator.iter_errors(document)) == []
    included, withdrawn = expected(data, Filters())
    assert document["summary"] == {"testimonies": len(included), "participants": len({r.author for r in included}),
                                   "withdrawn": withdrawn, "quotes": len(document["quotes"])}
    assert document["generated_at"] == document["consent_snapshot"] == "2026-04-15T12:00:00Z"
    assert document["options"] == {"threshold": 5} and document["filters"]["models"] == []
    assert document["software"]["version"] == "0.1.0"
    assert document["counts"]["community"]["cells"] == [
        {"value": name, "count": sum(r.community == name for r in included)} for name in ("Alpha server", "Beta chat")]
    # What the schema refuses, it refuses: a count table with a cell under the threshold is still valid JSON,
    # but a document with a testimony list or a negative count is not.
    assert list(validator.iter_errors({**document, "testimonies": []}))
    broken = json.loads(files["statement.json"])
    broken["summary"]["withdrawn"] = -1
    assert list(validator.iter_errors(broken))
    # Sorted keys, fixed separators: the bytes are the canonical encoding of the document.
    assert files["statement.json"] == json_format.dumps(document)


async def test_consent_is_honoured_in_every_file_of_the_bundle(store, data):
    _zipped, files = await files_of(store, themes=True)
    assert b"## What the testimonies speak of" in files["statement.md"], "the themes' quotes are searched too"
    blob = everything(files)
    included, _ = expected(data, Filters())
    shown = 0
    for record in data:
        consent = record.consent_at(SNAPSHOT)
        for mark, health in record.sentences:
            allowed = (record in included and consent is not None and consent[0] >= ConsentLevel.ANONYMOUS
                       and (consent[1] or not health))
            assert (mark.encode() in blob) is allowed, (record.n, mark, record.status, consent, health)
            shown += allowed
        if record in included and consent[0] == ConsentLevel.COUNT_ONLY:
            assert not beside_words(record.receipt, files), "a consent-0 testimony is counted and cited, not quoted"
        if record.display_name and not (record in included and consent[0] == ConsentLevel.NAMED):
            assert not named(record.display_name, blob), (record.n, consent)
    assert shown > 100, "the search finds the words that may be shown"
    consent_zero = [r for r in included if r.consent_at(SNAPSHOT)[0] == ConsentLevel.COUNT_ONLY]
    assert len(consent_zero) > 30


async def test_a_level_one_quote_never_carries_a_name(store, data):
    _zipped, files = await files_of(store)
    level = {r.receipt: r.consent_at(SNAPSHOT)[0] for r in data if r.consent_at(SNAPSHOT)}
    by_receipt = {r.receipt: r for r in data}
    document = json.loads(files["statement.json"])
    quotes = rows(files["quotes.csv"])
    assert len(quotes) == len(document["quotes"]) > 100
    for quote in document["quotes"]:
        want = by_receipt[quote["receipt"]].display_name or None if level[quote["receipt"]] == 2 else None
        assert quote["display_name"] == want
    for quote in quotes:
        if level[quote["receipt"]] == ConsentLevel.ANONYMOUS:
            assert quote["display_name"] == ""
    anonymous_with_a_name = [q for q in quotes if level[q["receipt"]] == 1 and by_receipt[q["receipt"]].display_name]
    assert anonymous_with_a_name, "the data set has people who gave a name and chose not to show it"
    assert any(q["display_name"] for q in quotes)
    # Pol.is has no place for a name, and its author numbers never put a named passage beside an anonymous one.
    comments = rows(files["polis/comments.csv"])
    author_levels: dict[str, set[int]] = {}
    body_level = {q["text"]: level[q["receipt"]] for q in document["quotes"]}
    for comment in comments:
        author_levels.setdefault(comment["author-id"], set()).add(body_level[comment["comment-body"]])
    assert all(len(levels) == 1 for levels in author_levels.values())


async def test_withdrawn_testimonies_are_counted_and_in_no_file(store, data):
    _zipped, files = await files_of(store, themes=True)
    blob = everything(files)
    gone = [r for r in data if r.status == Status.WITHDRAWN and r.created_at <= SNAPSHOT]
    assert len(gone) > 20
    for record in gone:
        assert record.receipt.encode() not in blob
        assert not any(mark.encode() in blob for mark, _ in record.sentences)
    summary = {r["value"]: r["count"] for r in rows(files["statistics.csv"]) if r["table"] == "summary"}
    assert summary["withdrawn"] == str(len(gone))
    assert json.loads(files["statement.json"])["summary"]["withdrawn"] == len(gone)
    assert json.loads(files["manifest.json"])["withdrawn"] == len(gone)
    # Nor pending, rejected, hidden testimonies, or one given after the snapshot.
    for record in data:
        if record.status != Status.APPROVED or record.created_at > SNAPSHOT:
            assert record.receipt.encode() not in blob
            assert not any(mark.encode() in blob for mark, _ in record.sentences)


@pytest.mark.parametrize("threshold", [5, 60])
async def test_suppressed_numbers_never_appear(store, data, threshold):
    _zipped, files = await files_of(store, threshold=threshold)
    statistics = rows(files["statistics.csv"])
    document = json.loads(files["statement.json"])
    included, _ = expected(data, Filters())
    truth = {"model": {}, "month": {}}
    for record in included:
        for model in set(record.models):
            truth["model"][model] = truth["model"].get(model, 0) + 1
        month = record.created_at.strftime("%Y-%m")
        truth["month"][month] = truth["month"].get(month, 0) + 1
    hidden = {(table, value) for table, cells in truth.items() for value, n in cells.items() if n < threshold}
    assert ("model", "gpt-4.5-preview") in hidden and ("month", "2025-12") in hidden
    for row in statistics:
        if row["table"] == "summary":
            continue
        assert (row["table"], row["value"]) not in hidden
        if row["value"].startswith("(suppressed"):
            assert row["count"] in (f"<{threshold}", f">={threshold}")
        else:
            assert int(row["count"]) >= threshold
    for name, table in document["counts"].items():
        assert all(cell["count"] >= threshold for cell in table["cells"]), name
        suppressed = [r for r in statistics if r["table"] == name and r["value"].startswith("(suppressed")]
        assert len(suppressed) == table["suppressed"]
        assert sum(r["count"] == f"<{threshold}" for r in suppressed) == table["suppressed_under_threshold"]
    counts = json.dumps(document["counts"])
    assert "gpt-4.5-preview" not in counts and "2025-12" not in counts
    month = [r for r in statistics if r["table"] == "month"]
    if threshold == 5:  # the one small month and, so it cannot be worked out by subtraction, the next smallest
        assert [r["count"] for r in month if r["value"].startswith("(")] == ["<5", ">=5"]
        assert document["counts"]["month"]["suppressed"] == 2


async def test_csv_cells_cannot_run_as_formulas(store):
    starts = ["=HYPERLINK(\"http://example.invalid\",\"x\") it helped Fz0.", "+1 555 0100 was never my number Fz1.",
              "-2+3 is how it taught me sums Fz2.", "@SUM(A1:A2) it said, patiently Fz3."]
    records = [Record(n, "Alpha server", 0, "", f"f-{n}", "discord", ("gpt-4o",), ("learning",), ("keep_access",),
                      "en", "=cmd|'/C calc'!A0" if n == 0 else "@admin", START + timedelta(days=n), Status.APPROVED,
                      [(START, ConsentLevel.NAMED, True)], [(f"Fz{n}", False)], meaning=text)
               for n, text in enumerate(starts)]
    await load(store, records)
    statement = await build_statement(store, Filters(), Options(generated_at=SNAPSHOT, threshold=1))
    assert len(statement.quotes) == 4
    files = {**csv_format.render(statement), **polis.render(statement)}
    cells = [cell for data in files.values() for row in csv.reader(io.StringIO(data.decode(), newline=""))
             for cell in row]
    assert not [cell for cell in cells if cell.startswith(FORMULA_STARTS)]
    texts = [row["text"] for row in rows(files["quotes.csv"])]
    assert texts == ["'" + q.text for q in statement.quotes] and texts[0].startswith("'=HYPERLINK")
    assert {row["display_name"] for row in rows(files["quotes.csv"])} == {"'=cmd|'/C calc'!A0", "'@admin"}
    assert [row["comment-body"] for row in rows(files["polis/comments.csv"])] == texts
    # The JSON keeps the words as they are: it is not a spreadsheet.
    assert [q["text"] for q in json_format.statement_json(statement)["quotes"]] == [q.text for q in statement.quotes]


async def test_the_polis_file_has_polis_layout_and_only_quotable_passages(store, data):
    statement = await build_statement(store, Filters(), Options(generated_at=SNAPSHOT))
    data_bytes = polis.render(statement)["polis/comments.csv"]
    header, _, _ = data_bytes.partition(b"\n")
    assert header == b"timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body"
    assert b"\r\n" not in data_bytes, "Pol.is ends its lines with \\n"
    comments = rows(data_bytes)
    assert [c["comment-body"] for c in comments] == [q.text for q in statement.quotes]
    assert [c["comment-id"] for c in comments] == [str(n) for n in range(len(comments))]
    assert {(c["agrees"], c["disagrees"], c["moderated"]) for c in comments} == {("0", "0", "1")}
    given = {i.receipt: i for i in statement.included}
    by_text = {q.text: q for q in statement.quotes}
    authors: dict[str, set[tuple[int, int]]] = {}
    for comment in comments:
        item = given[by_text[comment["comment-body"]].receipt]
        day = datetime.fromtimestamp(int(comment["timestamp"]), UTC)
        assert day == datetime.combine(item.created_at.astimezone(UTC).date(), datetime.min.time(), UTC)
        assert comment["datetime"] == day.strftime("%a %b %d %Y 00:00:00 GMT+0000 (Coordinated Universal Time)")
        authors.setdefault(comment["author-id"], set()).add((item.participant, int(item.consent)))
    assert all(len(keys) == 1 for keys in authors.values()), "one author-id is one person at one consent level"
    assert sorted(map(int, authors)) == list(range(len(authors)))
    assert len(authors) < len(comments), "a person's passages share their number"


async def test_the_same_database_and_time_give_byte_identical_bundles(store, data):
    first, files = await files_of(store)
    again, _ = await files_of(store)
    assert first == again
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        infos = archive.infolist()
    assert [i.filename for i in infos] == ENTRIES
    assert {i.date_time for i in infos} == {(2026, 4, 15, 12, 0, 0)}
    later = bundle.bundle(await build_statement(store, Filters(), Options(generated_at=SNAPSHOT + timedelta(1))))
    assert later != first
    early = bundle.zip_bytes({"a.txt": b"x"}, datetime(1970, 1, 1, tzinfo=UTC))
    assert zipfile.ZipFile(io.BytesIO(early)).infolist()[0].date_time == (1980, 1, 1, 0, 0, 0)
    manifest = json.loads(files["manifest.json"])
    assert sorted(manifest["files"]) == [name for name in ENTRIES if name != "manifest.json"]
    document = json.loads(files["statement.json"])
    assert manifest["summary"] == document["summary"] and manifest["counts"] == document["counts"]
    assert manifest["filters"] == document["filters"] and manifest["options"] == {"threshold": 5}
    for name, entry in manifest["files"].items():
        assert entry == {"sha256": hashlib.sha256(files[name]).hexdigest(), "bytes": len(files[name])}
    assert manifest["consent_snapshot"] == "2026-04-15T12:00:00Z" and manifest["software"]["version"] == "0.1.0"


def rezip(path, files: dict[str, bytes]) -> None:
    path.write_bytes(bundle.zip_bytes(files, SNAPSHOT))


async def test_verify_catches_a_changed_byte_a_missing_file_and_an_extra_one(store, data, tmp_path):
    zipped, files = await files_of(store)
    path = tmp_path / "statement-bundle.zip"
    path.write_bytes(zipped)
    assert bundle.verify(path) == []
    changed = bytearray(files["quotes.csv"])
    changed[len(changed) // 2] ^= 0x01
    rezip(path, {**files, "quotes.csv": bytes(changed)})
    assert bundle.verify(path) == ["quotes.csv: differs from the manifest"]
    # One byte changed in the zip itself, inside statement.json's compressed data.
    with zipfile.ZipFile(io.BytesIO(zipped)) as archive:
        info = archive.getinfo("statement.json")
    raw = bytearray(zipped)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    raw[start + info.compress_size // 2] ^= 0xFF
    path.write_bytes(bytes(raw))
    [problem] = bundle.verify(path)
    assert problem.startswith("statement.json: differs from the manifest")
    rezip(path, {name: data for name, data in files.items() if name != "statistics.csv"})
    assert bundle.verify(path) == ["statistics.csv: missing (the manifest lists it)"]
    rezip(path, {**files, "polis/votes.csv": b"timestamp\n"})
    assert bundle.verify(path) == ["polis/votes.csv: not in the manifest"]
    for broken in (b"not a zip", bundle.zip_bytes({"quotes.csv": b"x"}, SNAPSHOT),
                   bundle.zip_bytes({"manifest.json": b"{"}, SNAPSHOT)):
        path.write_bytes(broken)
        with pytest.raises(bundle.BundleUnreadable):
            bundle.verify(path)


def test_every_registered_format_goes_into_the_bundle_and_the_formats_are_extensible():
    assert list(FORMATS) == ["json", "csv", "polis", "md", "html", "pdf"]
    assert list(bundle.exports()) == [*FORMATS, "bundle"]
    assert bundle.steps() == len(FORMATS) + 1
