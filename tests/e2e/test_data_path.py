"""A DATABASE_PATH or pseudonym key that cannot be used stops the bot at start with exit status 2 and one
line saying what to fix, through the real `python -m bot` entry; and what it creates only its owner can read."""

from __future__ import annotations

import os
import stat

import pytest

from tests.e2e.process import run_bot


def _one_clear_line(result, *words: str, alone: bool = True) -> None:
    """Exit status 2 and the last line of the log says what is wrong; `alone`: nothing else was logged."""
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 or not alone, result.stderr
    for word in words:
        assert word in lines[-1]


@pytest.mark.parametrize("command", ["migrate", "run"])
def test_a_folder_as_database_path(tmp_path, command):
    (tmp_path / "db").mkdir()
    result = run_bot(tmp_path, command, DATABASE_PATH="db")
    _one_clear_line(result, "DATABASE_PATH db cannot be used", "it is a folder", "Point DATABASE_PATH at")


@pytest.mark.parametrize("command", ["migrate", "run"])
def test_a_folder_that_cannot_be_created(tmp_path, command):
    (tmp_path / "plain-file").write_text("not a folder")
    result = run_bot(tmp_path, command, DATABASE_PATH="plain-file/data/continuity.db")
    _one_clear_line(result, "its folder plain-file/data cannot be created", "Not a directory")


def test_a_file_that_is_not_a_database(tmp_path):
    (tmp_path / "notes.txt").write_text("shopping list\n" * 200)
    result = run_bot(tmp_path, "migrate", DATABASE_PATH="notes.txt")
    _one_clear_line(result, "DATABASE_PATH notes.txt cannot be used", "file is not a database")
    assert (tmp_path / "notes.txt").read_text() == "shopping list\n" * 200, "nothing was changed"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads and writes whatever the permissions say")
@pytest.mark.parametrize(("folder_mode", "file_mode"), [(0o500, None), (0o700, 0o400), (0o500, 0o600)])
def test_no_permission_to_read_and_write(tmp_path, folder_mode, file_mode):
    folder = tmp_path / "locked"
    folder.mkdir()
    if file_mode is not None:
        assert run_bot(tmp_path, "migrate", DATABASE_PATH="locked/c.db").returncode == 0
        (folder / "c.db").chmod(file_mode)
    folder.chmod(folder_mode)
    try:
        result = run_bot(tmp_path, "migrate", DATABASE_PATH="locked/c.db")
    finally:
        folder.chmod(0o700)
    _one_clear_line(result, "DATABASE_PATH locked/c.db cannot be used")


def test_the_data_folder_and_the_key_are_private(tmp_path):
    result = run_bot(tmp_path, "run", stdin="/help\n")
    assert result.returncode == 0, result.stderr
    data = tmp_path / "data"
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    assert stat.S_IMODE((data / "continuity.db").stat().st_mode) == 0o600
    assert stat.S_IMODE((data / "pseudonym.key").stat().st_mode) == 0o600
    assert [p.name for p in data.iterdir() if p.name.endswith(".tmp")] == [], "no temporary key left behind"


@pytest.mark.parametrize("content", ["", "\n", "short-key\n"])
def test_a_short_or_empty_key_file_is_refused_at_start(tmp_path, content):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "pseudonym.key").write_text(content)
    result = run_bot(tmp_path, "run", stdin="/help\n")
    # The database was opened (and created) first; the key is refused before anything is answered.
    _one_clear_line(result, "pseudonym key data/pseudonym.key", "at least 32", "Delete the file", alone=False)
    assert result.stdout == "", "nothing was answered with a guessable key"
    assert (tmp_path / "data" / "pseudonym.key").read_text() == content, "the key is not replaced behind the back"


def test_a_short_pseudonym_secret_is_refused_at_start(tmp_path):
    result = run_bot(tmp_path, "run", stdin="/help\n", PSEUDONYM_SECRET="x" * 31)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "PSEUDONYM_SECRET: must be at least 32 characters" in result.stderr
    assert "x" * 31 not in result.stderr
