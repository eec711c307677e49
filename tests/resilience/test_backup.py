"""`python -m bot backup` and the check at start: a backup of a live database is one moment of it, checked
before it replaces anything; a damaged database is refused before anything reads or writes it, with what to
do; a backup put back in place is a database the bot starts on."""

from __future__ import annotations

import asyncio
import sqlite3
import stat
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.__main__ import EXIT_DAMAGED, EXIT_SETTINGS, main
from bot.store import Store
from bot.store.backup import backup
from tests.e2e.process import SETTINGS

NOW = datetime(2026, 12, 3, 12, 0, 0, tzinfo=UTC)
BATCH = 10  # rows a writer commits together

pytestmark = pytest.mark.usefixtures("logging_as_it_was")


@pytest.fixture
def database(tmp_path, monkeypatch) -> Path:
    """A Continuity database with a table of rows beside the schema, named by DATABASE_PATH."""
    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)
    path = tmp_path / "data" / "continuity.db"

    async def create():
        await (await Store.open(path)).close()

    asyncio.run(create())
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE filler (id INTEGER PRIMARY KEY, body TEXT)")
        db.execute("CREATE INDEX filler_body ON filler (body)")
        db.executemany("INSERT INTO filler (body) VALUES (?)", [(f"row {n} " * 8,) for n in range(1, 3001)])
    monkeypatch.setenv("DATABASE_PATH", str(path))
    monkeypatch.chdir(tmp_path)
    return path


def damage(path: Path) -> bytes:
    """Overwrite the start of a page of the filler's index, as a failing disk would; the file's bytes."""
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page = db.execute("SELECT rootpage FROM sqlite_master WHERE name = 'filler_body'").fetchone()[0]
        size = db.execute("PRAGMA page_size").fetchone()[0]
    data = bytearray(path.read_bytes())
    data[(page - 1) * size:(page - 1) * size + 100] = b"\xff" * 100
    path.write_bytes(bytes(data))
    return bytes(data)


def test_a_backup_of_a_live_database_is_one_moment_of_it(database, tmp_path):
    with sqlite3.connect(database) as db:
        before = db.execute("SELECT count(*) FROM filler").fetchone()[0]
    stop = threading.Event()

    def write():  # the bot, committing BATCH rows at a time while the copy is made
        db = sqlite3.connect(database, isolation_level=None)
        db.execute("PRAGMA busy_timeout = 5000")
        while not stop.is_set():
            db.execute("BEGIN IMMEDIATE")
            db.executemany("INSERT INTO filler (body) VALUES (?)", [("written meanwhile",)] * BATCH)
            db.execute("COMMIT")
        db.close()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        made = backup(database, tmp_path / "copy.db", NOW)
    finally:
        stop.set()
        writer.join()
    with sqlite3.connect(made.path) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        rows = copy.execute("SELECT count(*), max(id) FROM filler").fetchone()
    # every row committed before, none torn from a transaction, no gap
    assert rows[0] >= before and (rows[0] - before) % BATCH == 0 and rows[1] == rows[0]
    assert stat.S_IMODE(made.path.stat().st_mode) == 0o600
    assert not list(tmp_path.glob(".copy.db.*"))


def test_the_command_writes_a_dated_copy_into_a_folder_and_names_the_key(database, tmp_path, capsys):
    (tmp_path / "backups").mkdir()
    assert main(["backup", "backups"], now=lambda: NOW) == 0
    out = capsys.readouterr().out
    copy = tmp_path / "backups" / "continuity-20261203T120000Z.db"
    assert f"to backups/{copy.name}" in out and "passed SQLite's check" in out
    assert "pseudonym.key as well" in out  # the key is generated beside the database, not in the copy
    with sqlite3.connect(copy) as db:
        assert db.execute("SELECT count(*) FROM filler").fetchone()[0] == 3000


def test_a_folder_named_with_a_slash_is_made_and_gets_a_dated_copy(database, tmp_path, capsys):
    assert main(["backup", "new/backups/"], now=lambda: NOW) == 0
    folder = tmp_path / "new" / "backups"
    assert [p.name for p in folder.iterdir()] == ["continuity-20261203T120000Z.db"]
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


@pytest.mark.parametrize(("where", "said"), [
    ("data/continuity.db", "is the database itself"),
    ("nowhere/copy.db", "the folder nowhere does not exist"),
])
def test_a_backup_that_cannot_be_made_is_refused_and_writes_nothing(database, tmp_path, capsys, where, said):
    files = sorted(tmp_path.rglob("*"))
    before = database.read_bytes()
    assert main(["backup", where], now=lambda: NOW) == EXIT_SETTINGS
    assert said in capsys.readouterr().err
    assert sorted(tmp_path.rglob("*")) == files and database.read_bytes() == before


def test_no_database_no_backup(tmp_path, monkeypatch, capsys):
    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "missing.db"))
    assert main(["backup", str(tmp_path / "copy.db")], now=lambda: NOW) == EXIT_SETTINGS
    assert "nothing to back up" in capsys.readouterr().err
    assert not (tmp_path / "copy.db").exists()


def test_a_damaged_database_is_refused_at_start_and_left_as_it_was(database, capsys):
    damaged = damage(database)
    assert main(["migrate"]) == EXIT_DAMAGED
    said = capsys.readouterr().err
    assert "is damaged" in said and "Backups and restoring" in said and ".recover" in said
    assert database.read_bytes() == damaged


def test_a_damaged_database_never_replaces_the_last_good_backup(database, tmp_path, capsys):
    assert main(["backup", "good.db"], now=lambda: NOW) == 0
    good = (tmp_path / "good.db").read_bytes()
    damage(database)
    assert main(["backup", "good.db"], now=lambda: NOW) == EXIT_DAMAGED
    assert "is damaged" in capsys.readouterr().err
    assert (tmp_path / "good.db").read_bytes() == good and not list(tmp_path.glob(".good.db.*"))


def test_a_backup_put_in_place_is_what_the_bot_starts_on(database, tmp_path, capsys):
    """The README's restore, step by step: the damaged file (and its -wal, -shm) moved aside, the copy in."""
    assert main(["backup", "copy.db"], now=lambda: NOW) == 0
    damage(database)
    for name in ("continuity.db", "continuity.db-wal", "continuity.db-shm"):
        if (database.parent / name).exists():
            (database.parent / name).rename(tmp_path / f"damaged-{name}")
    (tmp_path / "copy.db").replace(database)
    capsys.readouterr()
    assert main(["migrate"]) == 0
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT count(*) FROM filler").fetchone()[0] == 3000
