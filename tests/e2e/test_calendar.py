"""`python -m bot calendar` and `/deprecations calendar` on the console, as separate processes; Discord and
Telegram send the file beside their other commands (test_discord.py, test_telegram.py)."""

from __future__ import annotations

import asyncio

from icalendar import Calendar

from bot.domain import PlatformName
from bot.store import Store
from tests.e2e.process import run_bot
from tests.e2e.upcoming import SOON, state_as_builtin, upcoming_rows


def _prepare(folder, *, console: bool = False) -> None:
    """The database a running bot would have: a followed page's rows (and the console's community)."""
    async def fill() -> None:
        store = await Store.open(folder / "data" / "continuity.db")
        try:
            await state_as_builtin(store, upcoming_rows())
            if console:
                await store.communities.ensure_community(PlatformName.CONSOLE, "console", "console")
        finally:
            await store.close()
    asyncio.run(fill())


def _summaries(data: bytes) -> list[str]:
    return sorted(str(event["SUMMARY"]) for event in Calendar.from_ical(data).walk("VEVENT"))


def test_the_cli_writes_the_calendar_and_says_how_many_events(tmp_path):
    _prepare(tmp_path, console=True)
    result = run_bot(tmp_path, "calendar", "--out", "retirements.ics", "--community", "console",
                     "--as-of", SOON.isoformat())
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Wrote 3 events to retirements.ics.\n"
    assert _summaries((tmp_path / "retirements.ics").read_bytes()) == [
        "Shutdown: chatgpt-4o-latest (ChatGPT)", "Shutdown: claude-3-haiku-20240307 (Anthropic API)",
        "Shutdown: gpt-4o-2024-05-13 (OpenAI API)"]
    later = run_bot(tmp_path, "calendar", "--out", "later.ics", "--as-of", "2099-01-01")
    assert later.stdout == "Wrote 0 events to later.ics.\n", "nothing is upcoming any more"


def test_the_cli_refuses_an_unwritable_path_and_an_unknown_community(tmp_path):
    _prepare(tmp_path)
    unwritable = run_bot(tmp_path, "calendar", "--out", str(tmp_path / "missing" / "x.ics"))
    assert unwritable.returncode == 2
    assert "Cannot write" in unwritable.stderr and "No such file or directory" in unwritable.stderr
    unknown = run_bot(tmp_path, "calendar", "--out", "x.ics", "--community", "discord:123")
    assert unknown.returncode == 2 and "No community discord:123" in unknown.stderr
    wrong = run_bot(tmp_path, "calendar", "--out", "x.ics", "--community", "irc:123")
    assert wrong.returncode == 2 and "discord:<server id>" in wrong.stderr
    assert not (tmp_path / "x.ics").exists()
    assert all("Traceback" not in r.stderr for r in (unwritable, unknown, wrong))


def test_the_console_saves_the_calendar_and_says_where(tmp_path):
    _prepare(tmp_path, console=True)
    result = run_bot(tmp_path, "console", stdin="/deprecations calendar\n")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Continuity: upcoming retirements"
    assert lines[1].startswith("3 events: the upcoming shutdown dates")
    assert lines[-1] == "Saved data/files/continuity-retirements.ics.", "next to the database (DATABASE_PATH)"
    assert len(_summaries((tmp_path / "data" / "files" / "continuity-retirements.ics").read_bytes())) == 3
