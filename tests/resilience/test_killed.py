"""`python -m bot run` killed with SIGKILL while a person gives a testimony on Telegram, then started again on
the same database: the form goes on from the question it was at, and a kill while the last answer is being
stored leaves either the whole testimony (with its consent record) or the form waiting at its last question,
never a part; the answer pressed again (by the person, or by Telegram redelivering it) is not stored twice."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from pathlib import Path

from tests.e2e.process import start_bot
from tests.e2e.test_run import telegram_settings
from tests.e2e.test_telegram_testimonies import MEANING, PERSON, _open_in_private, _press, _say, _toggle
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.telegram_payloads import callback_query

SECRET = "a-resilience-test-secret-long-enough-for-hmac"


def rows(folder: Path, sql: str) -> list[tuple]:
    with contextlib.closing(sqlite3.connect(folder / "data" / "continuity.db")) as db:  # closed now, not by the GC
        return db.execute(sql).fetchall()


async def start(folder: Path, telegram: FakeTelegram) -> asyncio.subprocess.Process:
    process = await start_bot(folder, "run", PSEUDONYM_SECRET=SECRET, **telegram_settings(telegram))
    await telegram.wait_until_polled(timeout=30)
    return process


async def kill(process: asyncio.subprocess.Process) -> None:
    process.kill()
    await process.wait()


async def test_a_killed_bot_goes_on_with_the_form_and_stores_the_testimony_once(tmp_path, fake):
    process = await start(tmp_path, fake)
    question = await _open_in_private(fake)
    question = await _say(fake, "GPT-4o")
    question = await _toggle(fake, question, "Companionship and emotional support")
    question = await _press(fake, question, "Done")
    assert question["text_plain"].startswith("Your testimony (3/9)")
    await kill(process)  # a form in progress, three answers in

    process = await start(tmp_path, fake)
    question = await _say(fake, MEANING)
    assert question["text_plain"].startswith("Your testimony (4/9)"), "the form goes on where it was"
    question = await _toggle(fake, question, "Keep access to the model")
    question = await _press(fake, question, "Done")
    question = await _press(fake, question, "Skip")
    question = await _press(fake, question, "English")
    question = await _press(fake, question, "Quote me without a name")
    confirm = await _press(fake, question, "No")
    assert confirm["text_plain"].startswith("Your testimony (9/9)")

    # The last answer: the bot is killed the moment it has taken the update, storing it or about to.
    [data] = [b["callback_data"] for row in confirm["reply_markup"]["inline_keyboard"] for b in row
              if b["text"] == "Yes"]
    update_id = fake.push_update(callback_query(data, message=confirm, chat_id=PERSON, user_id=PERSON))
    await fake.wait_for_call("getUpdates", lambda call: update_id in [u["update_id"] for u in call.result or []])
    await kill(process)

    # Started again, the person presses Yes once more, as someone shown no thanks would. Whichever side of the
    # commit the kill landed on (and whether Telegram had the update acknowledged already, in which case it is
    # gone but the form still waits at its last question), there is now exactly one testimony, whole.
    process = await start(tmp_path, fake)
    again = await _press(fake, confirm, "Yes")
    assert "Traceback" not in again["text_plain"]
    stored = rows(tmp_path, "SELECT id, status, meaning FROM testimonies")
    assert len(stored) == 1 and stored[0][1] == "pending" and stored[0][2].startswith("It helped me")
    assert rows(tmp_path, f"SELECT count(*) FROM consent_records WHERE testimony_id = {stored[0][0]}") == [(1,)]
    assert rows(tmp_path, "SELECT count(*) FROM forms_in_progress") == [(0,)], "nothing left half-given"
    # The same press delivered once more (as Telegram does with an update it was not told was taken): answered,
    # and still one testimony.
    after = len(fake.calls)
    fake.push_update(callback_query(data, message=confirm, chat_id=PERSON, user_id=PERSON))
    late = await fake.wait_for_call("answerCallbackQuery", after=after)
    assert late.params.get("text") and rows(tmp_path, "SELECT count(*) FROM testimonies") == [(1,)]
    process.terminate()
    assert await process.wait() == 0
