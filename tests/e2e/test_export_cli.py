"""`python -m bot export` and `python -m bot verify` as an operator and a recipient run them, on the generated
data set of test_statement_aggregate.py: two exports with the same --at are byte-identical, the bundle
verifies and a changed one does not, a bar is drawn only on a terminal, and options that cannot be used are
refused with what was expected, writing nothing. Some runs are separate processes; the others call `main()`
with an injected clock."""

from __future__ import annotations

import asyncio
import fcntl
import json
import os
import pty
import struct
import subprocess
import sys
import termios
import zipfile
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.statements import bundle
from bot.store import Store
from tests.e2e.process import SETTINGS, bot_env, run_bot
from tests.integration.test_statement_aggregate import SNAPSHOT, Status, generate, load

SECRET = "an-export-test-secret-long-enough-for-hmac"
AT = "2026-04-15T12:00:00Z"


pytestmark = pytest.mark.usefixtures("logging_as_it_was")


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> tuple[Path, list]:
    """One database with the generated testimonies, copied for each test (loading takes a while)."""
    folder = tmp_path_factory.mktemp("export-db")

    async def fill():
        store = await Store.open(folder / "continuity.db")
        try:
            return await load(store, generate())
        finally:
            await store.close()

    return folder / "continuity.db", asyncio.run(fill())


@pytest.fixture
def folder(tmp_path, monkeypatch, database) -> Path:
    source, _records = database
    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "continuity.db").write_bytes(source.read_bytes())
    monkeypatch.setenv("PSEUDONYM_SECRET", SECRET)
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "data" / "continuity.db"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str) -> int:
    try:
        return main(["export", *args], now=lambda: SNAPSHOT)
    except SystemExit as exit_:  # argparse refuses what it cannot parse
        return int(exit_.code)


def entries(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def test_two_exports_with_the_same_time_are_byte_identical_and_verify(folder):
    first = run_bot(folder, "export", "--format", "bundle", "--out", "a.zip", "--at", AT, PSEUDONYM_SECRET=SECRET)
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("Wrote a.zip: 303 testimonies, ")
    assert "consent as of 2026-04-15T12:00:00Z, counts under 5 suppressed." in first.stdout
    assert "cannot be recalled" in first.stdout
    assert first.stderr == "", "no progress bar when the output is not a terminal"
    second = run_bot(folder, "export", "--format", "bundle", "--out", "b.zip", "--at", "2026-04-15T14:00:00+02:00",
                     PSEUDONYM_SECRET=SECRET)
    assert second.returncode == 0, second.stderr
    assert (folder / "a.zip").read_bytes() == (folder / "b.zip").read_bytes(), "the same moment, another offset"
    checked = run_bot(folder, "verify", "a.zip")
    assert (checked.returncode, checked.stdout) == (0, "All 8 files match the manifest.\n")
    # Without --at, the injected clock dates it: the same bytes again.
    assert run("--format", "bundle", "--out", "c.zip") == 0
    assert entries(folder / "c.zip") == entries(folder / "a.zip")
    assert (folder / "c.zip").read_bytes() == (folder / "a.zip").read_bytes()


def test_every_format_is_written_where_out_says(folder, capsys, database):
    _source, records = database
    assert run("--format", "json", "--out", "statement.json", "--at", AT) == 0
    document = json.loads((folder / "statement.json").read_bytes())
    withdrawn = sum(r.status == Status.WITHDRAWN and r.created_at <= SNAPSHOT for r in records)
    assert document["summary"]["withdrawn"] == withdrawn
    assert run("--format", "csv", "--out", "tables", "--at", AT) == 0
    assert sorted(p.name for p in (folder / "tables").iterdir()) == ["quotes.csv", "statistics.csv"]
    (folder / "polis").mkdir()
    assert run("--format", "polis", "--out", "polis", "--at", AT) == 0, "a folder gets the file's own name"
    assert (folder / "polis" / "comments.csv").read_bytes().startswith(b"timestamp,datetime,comment-id,author-id,")
    out = capsys.readouterr().out
    assert "Wrote statistics.csv, quotes.csv to tables/" in out and "Wrote polis/comments.csv: " in out
    # Filters narrow it; the community is found as the import finds it.
    assert run("--format", "json", "--out", "alpha.json", "--at", AT, "--community", "discord:100",
               "--campaign", "save 4o", "--language", "en", "--since", "2026-01-01", "--until", "2026-03-31",
               "--models", "4o,opus", "--threshold", "2") == 0
    alpha = json.loads((folder / "alpha.json").read_bytes())
    assert alpha["filters"] == {"community_id": 1, "campaign": "save 4o", "models": ["4o", "opus"],
                                "since": "2026-01-01", "until": "2026-03-31", "language": "en"}
    assert alpha["options"] == {"threshold": 2}
    assert [c["value"] for c in alpha["counts"]["community"]["cells"]] in (["Alpha server"], [])
    assert 0 < alpha["summary"]["testimonies"] < document["summary"]["testimonies"]


def test_verify_names_what_differs_and_refuses_what_is_no_bundle(folder):
    assert run("--format", "bundle", "--out", "s.zip", "--at", AT) == 0
    with zipfile.ZipFile(folder / "s.zip") as archive:
        files = {info.filename: archive.read(info) for info in archive.infolist()}
    files["statistics.csv"] = files["statistics.csv"].replace(b"summary,testimonies,", b"summary,testimonies,1")
    del files["quotes.csv"]
    files["extra.txt"] = b"added later"
    (folder / "t.zip").write_bytes(bundle.zip_bytes(files, SNAPSHOT))
    changed = run_bot(folder, "verify", "t.zip")
    assert changed.returncode == 1
    assert changed.stdout.splitlines() == ["t.zip does not match its manifest:",
                                           "  quotes.csv: missing (the manifest lists it)",
                                           "  statistics.csv: differs from the manifest",
                                           "  extra.txt: not in the manifest"]
    (folder / "junk.zip").write_bytes(b"PK but not really")
    for name, says in (("junk.zip", "is not a zip file"), ("absent.zip", "Cannot read absent.zip")):
        result = run_bot(folder, "verify", name)
        assert result.returncode == 2 and says in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(("args", "says"), [
    (["--format", "docx"], "argument --format: invalid choice: 'docx'"),
    (["--since", "2026-13-01"], "expected a day as YYYY-MM-DD"),
    (["--until", "yesterday"], "expected a day as YYYY-MM-DD"),
    (["--since", "2026-03-01", "--until", "2026-02-01"], "expected --since on or before --until"),
    (["--threshold", "0"], "expected a whole number of at least 1"),
    (["--threshold", "five"], "expected a whole number of at least 1"),
    (["--language", "fr"], "argument --language: invalid choice: 'fr'"),
    (["--models", " , "], "expected one or more models separated by commas"),
    (["--at", "noon"], "expected an ISO time such as 2026-04-15T12:00:00Z"),
    (["--community", "discord:999"], "No community discord:999 is known to this database"),
    (["--community", "irc:1"], "discord:<server id> or telegram:<chat id>"),
    (["--campaign", "Save 5o"], "no such campaign. Expected one of: “Keep Opus”, “Save 4o”"),
    (["--community", "telegram:-1002", "--campaign", "Save 4o"], "no such campaign in Beta chat. Expected one of: "
                                                                 "“Keep Opus”"),
    (["--out", "missing/x.json"], "the folder missing does not exist"),
    (["--format", "csv", "--out", "existing.txt"], "expected a folder, not a file"),
], ids=lambda value: " ".join(value) if isinstance(value, list) else None)
def test_bad_options_are_refused_with_what_was_expected_and_write_nothing(folder, capsys, args, says):
    (folder / "existing.txt").write_text("mine")
    before = sorted(p.relative_to(folder) for p in folder.rglob("*"))
    options = {"--format": "json", "--out": "out.json", "--at": AT}
    given = dict(zip(args[::2], args[1::2], strict=True))
    argv = [part for key, value in {**options, **given}.items() for part in (key, value)]
    assert run(*argv) == 2
    assert says in capsys.readouterr().err
    assert sorted(p.relative_to(folder) for p in folder.rglob("*")) == before
    assert (folder / "existing.txt").read_text() == "mine"


def test_no_database_is_refused_rather_than_made(folder, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_PATH", str(folder / "elsewhere" / "continuity.db"))
    assert run("--format", "json", "--out", "out.json") == 2
    assert "No database at" in capsys.readouterr().err
    assert not (folder / "out.json").exists() and not (folder / "elsewhere").exists()


def test_a_progress_bar_is_drawn_on_a_terminal(folder):
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # a terminal has a size
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "export", "--format", "bundle", "--out", "tty.zip", "--at", AT],
            cwd=folder, env=bot_env(PSEUDONYM_SECRET=SECRET, DATABASE_PATH=str(folder / "data" / "continuity.db")),
            stdin=subprocess.DEVNULL, stdout=follower, stderr=follower)
        os.close(follower)  # the child holds the terminal now; reading ends when it closes it
        follower = -1
        screen = b""
        while True:  # read as it writes, so a full terminal buffer never holds it up
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the child has closed the terminal
                break
            if not chunk:
                break
            screen += chunk
        process.wait(timeout=60)
    finally:
        if follower != -1:
            os.close(follower)
        os.close(leader)
    assert process.returncode == 0, screen
    text = screen.decode("utf-8", "replace")
    assert "export bundle" in text and "step" in text and "Wrote tty.zip: " in text
    assert (folder / "tty.zip").is_file()
