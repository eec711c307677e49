"""Private files written so that a crash leaves the old content or the new, never a torn or empty one."""

import os
import stat

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
