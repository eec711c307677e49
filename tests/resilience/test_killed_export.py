"""`python -m bot export` killed with SIGKILL at points spread over its run (reading, working the analyses
out and keeping them, rendering, writing): the file it was to write is either absent or a whole bundle that
verifies, never a part; the database passes SQLite's check; and the export run again afterwards gives the
very bytes an export that was never interrupted gives, and leaves no hidden part of a killed one behind."""

from __future__ import annotations

import asyncio
import random
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.statements.bundle import verify
from bot.store import Store
from tests.e2e.process import bot_env, run_bot
from tests.integration.test_statement_aggregate import generate, load

SECRET = "an-export-test-secret-long-enough-for-hmac"
AT = "2026-04-15T12:00:00Z"
EXPORT = ("export", "--format", "bundle", "--out", "statement.zip", "--at", AT)


@pytest.fixture
def folder(tmp_path) -> Path:
    async def fill():
        store = await Store.open(tmp_path / "data" / "continuity.db")
        try:
            await load(store, generate(count=150))
        finally:
            await store.close()

    asyncio.run(fill())
    return tmp_path


def export_killed_after(folder: Path, seconds: float) -> None:
    process = subprocess.Popen([sys.executable, "-m", "bot", *EXPORT], cwd=folder, env=bot_env(PSEUDONYM_SECRET=SECRET),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def test_a_killed_export_leaves_no_part_and_the_next_one_is_whole(folder, tmp_path_factory):
    reference = tmp_path_factory.mktemp("uninterrupted")
    (reference / "data").mkdir()
    (reference / "data" / "continuity.db").write_bytes((folder / "data" / "continuity.db").read_bytes())
    started = time.monotonic()
    assert run_bot(reference, *EXPORT, PSEUDONYM_SECRET=SECRET).returncode == 0
    whole = time.monotonic() - started
    expected = (reference / "statement.zip").read_bytes()

    rng = random.Random(11)  # the same points every run; where in the work they fall depends on the machine
    for moment in sorted(rng.uniform(0.05, 1.0) * whole for _ in range(3)):
        export_killed_after(folder, moment)
        out = folder / "statement.zip"
        assert not out.exists() or verify(out) == [], f"killed after {moment:.2f} s: a part is visible"
        with sqlite3.connect(folder / "data" / "continuity.db") as db:
            assert db.execute("PRAGMA quick_check").fetchall() == [("ok",)]
        out.unlink(missing_ok=True)
    again = run_bot(folder, *EXPORT, PSEUDONYM_SECRET=SECRET)
    assert again.returncode == 0, again.stderr
    assert (folder / "statement.zip").read_bytes() == expected
    assert list(folder.glob(".statement.zip.*")) == [], "a part a killed export left is gone with the next export"
