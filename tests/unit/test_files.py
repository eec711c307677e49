"""Private files written so that a crash leaves the old content or the new, never a torn or empty one."""

import os
import stat
import subprocess
import sys

import pytest

from bot.files import make_private_folder, write_private_atomically


def test_a_new_file_is_complete_and_readable_by_its_owner_only(tmp_path):
    previous = os.umask(0)  # even a careless umask does not widen it
    try:
        write_private_atomically(tmp_path / "key", b"secret\n")
    finally:
        os.umask(previous)
    assert (tmp_path / "key").read_bytes() == b"secret\n"
    assert stat.S_IMODE((tmp_path / "key").stat().st_mode) == 0o600
    assert os.listdir(tmp_path) == ["key"], "no temporary file is left"


def test_an_existing_file_is_replaced_whole(tmp_path):
    (tmp_path / "key").write_bytes(b"old")
    (tmp_path / "key").chmod(0o644)
    write_private_atomically(tmp_path / "key", b"new")
    assert (tmp_path / "key").read_bytes() == b"new"
    assert stat.S_IMODE((tmp_path / "key").stat().st_mode) == 0o600


def test_a_failed_write_leaves_the_old_file_and_no_temporary_one(tmp_path):
    (tmp_path / "key").write_bytes(b"old")
    with pytest.raises(TypeError):
        write_private_atomically(tmp_path / "key", "not bytes")  # type: ignore[arg-type]
    assert (tmp_path / "key").read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["key"]


def test_a_missing_folder_is_created_for_its_owner_only(tmp_path):
    make_private_folder(tmp_path / "a" / "data")
    assert stat.S_IMODE((tmp_path / "a" / "data").stat().st_mode) == 0o700


def test_a_part_a_killed_process_left_is_removed_by_the_next_write_and_a_running_ones_is_not(tmp_path):
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                           check=True)
    abandoned = tmp_path / f".statement.zip.{int(ended.stdout)}.k3j9x.tmp"  # a process that exists no more
    running = tmp_path / f".statement.zip.{os.getpid()}.a8b7c.tmp"  # this one's, as if written meanwhile
    other = tmp_path / f".other.zip.{int(ended.stdout)}.q1w2e.tmp"  # a part of another file: not this write's
    for part in (abandoned, running, other):
        part.write_bytes(b"words of a testimony")

    write_private_atomically(tmp_path / "statement.zip", b"whole")

    assert sorted(os.listdir(tmp_path)) == sorted([running.name, other.name, "statement.zip"])
