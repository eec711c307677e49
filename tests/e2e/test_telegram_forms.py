"""Forms on Telegram, end to end: the real python-telegram-bot against the fake Bot API, with a restart of
the Application between two questions. A form begun in a group goes on in the private chat."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import pytest

from bot.domain import PlatformName, SurveyReport, SurveyStatus
from bot.platforms.telegram import TelegramFrontDoor
from tests.e2e.telegram_life import running
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.telegram_payloads import callback_query, command_message, text_message

GROUP, PERSON = -1001234, 5000
IN_GROUP: dict[str, Any] = {"chat_id": GROUP, "chat_type": "supergroup", "user_id": PERSON, "chat_title": "Keep 4o"}


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    server = FakeTelegram()
    await server.start()
    server.set_chat_member(GROUP, PERSON, "member")
    yield server
    await server.stop()


async def _send(fake: FakeTelegram, update: dict[str, Any], *, method: str = "sendMessage",
                chat_id: int = PERSON) -> dict[str, Any]:
    """Push an update, wait for the bot's `method` call in `chat_id` and for the update to be acknowledged
    (so a restart right after never sees it again); the message as the chat now shows it."""
    after = len(fake.calls)
    update_id = fake.push_update(update)
    call = await fake.wait_for_call(method, lambda c: int(c.params.get("chat_id", 0)) == chat_id, after=after)
    assert call.status == 200, call.description
    await fake.wait_until_acknowledged(update_id)
    return fake.sent[chat_id][-1]


async def _press(fake: FakeTelegram, message: dict[str, Any], text: str, *, method: str = "sendMessage") -> \
        dict[str, Any]:
    """Press the inline button whose text is `text` under `message`, a message the bot sent."""
    [data] = [b["callback_data"] for row in message["reply_markup"]["inline_keyboard"] for b in row
              if b["text"] == text]
    return await _send(fake, callback_query(data, message=message, user_id=PERSON), method=method)


def _buttons(message: dict[str, Any]) -> list[str]:
    return [b["text"] for row in message.get("reply_markup", {}).get("inline_keyboard", []) for b in row]


async def _reports(door: TelegramFrontDoor) -> list[SurveyReport]:
    community = await door.services.store.communities.get_community(PlatformName.TELEGRAM, str(GROUP))
    assert community is not None
    return await door.services.store.surveys.list_reports(community.id, SurveyStatus.PENDING)


def _all_callback_data(fake: FakeTelegram) -> list[str]:
    """Every callback_data of every keyboard the bot sent or edited in."""
    found = []
    for call in fake.calls:
        markup = call.params.get("reply_markup")
        markup = json.loads(markup) if isinstance(markup, str) else markup
        for row in (markup or {}).get("inline_keyboard", []):
            found += [b["callback_data"] for b in row if "callback_data" in b]
    return found


async def test_a_form_begun_in_a_group_goes_on_in_private_across_a_restart(tmp_path, fake):
    async with running(tmp_path, fake):
        invitation = await _send(fake, command_message("survey", "report", bot_username=fake.bot_username,
                                                       **IN_GROUP), chat_id=GROUP)
        assert invitation["text_plain"].startswith("I will ask the questions in a private chat with you")
        [[button]] = invitation["reply_markup"]["inline_keyboard"]
        link = button["url"]
        assert link.startswith(f"https://t.me/{fake.bot_username}?start=f")
        payload = link.split("?start=", 1)[1]
        assert len(payload) <= 64 and payload.replace("-", "").replace("_", "").isalnum(), \
            "a deep-link payload is at most 64 characters of A-Z, a-z, 0-9, _ and -"

        first = await _send(fake, command_message("start", payload, user_id=PERSON))
        assert first["text_plain"].startswith("Report a survey (1/6)\nSurvey address")
        second = await _send(fake, text_message("https://example.org/survey", user_id=PERSON))
        assert second["text_plain"].startswith("Report a survey (2/6)")
        assert _buttons(second) == ["The vendor", "A regulator or public body", "Researchers", "Someone else", "Back"]

    async with running(tmp_path, fake) as door:  # a new Application: it knows only what the database holds
        third = await _press(fake, second, "Researchers")
        assert third["text_plain"].startswith("Report a survey (3/6)\nWho can take part")
        toggled = await _press(fake, third, "People who use the app", method="editMessageReplyMarkup")
        toggled = await _press(fake, toggled, "Anyone", method="editMessageReplyMarkup")
        assert _buttons(toggled)[:4] == ["✓ People who use the app", "Developers using the API", "✓ Anyone",
                                         "Only people invited"]
        fourth = await _press(fake, toggled, "Done")
        assert fourth["text_plain"].startswith("Report a survey (4/6)\nCloses on")

        again = await _send(fake, command_message("back", user_id=PERSON))
        assert again["text_plain"].startswith("Report a survey (3/6)"), "/back asks the last question again"
        assert _buttons(again)[:4] == ["✓ People who use the app", "Developers using the API", "✓ Anyone",
                                       "Only people invited"], "its answer is offered again, to keep or change"
        for choice in ("✓ People who use the app", "✓ Anyone", "Developers using the API"):
            again = await _press(fake, again, choice, method="editMessageReplyMarkup")
        fourth = await _press(fake, again, "Done")
        fifth = await _send(fake, text_message("2099-12-31", user_id=PERSON))
        assert fifth["text_plain"].startswith("Report a survey (5/6)") and "Skip" in _buttons(fifth)
        sixth = await _press(fake, fifth, "Skip")
        assert sixth["text_plain"].startswith("Report a survey (6/6)\nA personal invitation link can identify you")
        done = await _press(fake, sixth, "Yes")
        assert done["text_plain"] == ("Thank you! Survey report #1 waits for a moderator's review. "
                                     "Deadline: Dec 31, 2099.")

        [report] = await _reports(door)
        assert (report.url, report.organiser, report.audience) == ("https://example.org/survey", "research",
                                                                   ("api",))
        assert (report.deadline, report.note) == (date(2099, 12, 31), "")
        assert [m["text_plain"] for m in fake.sent[GROUP]] == [invitation["text_plain"]], \
            "the answers stayed in the private chat"

    sent = _all_callback_data(fake)
    assert sent and all(len(data.encode()) <= 64 for data in sent), "Telegram takes 1-64 bytes of callback_data"


async def test_a_refused_answer_is_said_then_asked_again_and_nothing_is_kept(tmp_path, fake):
    async with running(tmp_path, fake) as door:
        invitation = await _send(fake, command_message("survey", "report", **IN_GROUP), chat_id=GROUP)
        payload = invitation["reply_markup"]["inline_keyboard"][0][0]["url"].split("?start=", 1)[1]
        await _send(fake, command_message("start", payload, user_id=PERSON))
        after, calls = len(fake.sent[PERSON]), len(fake.calls)
        fake.push_update(text_message("not a link", user_id=PERSON))
        await fake.wait_for_call("sendMessage", lambda c: "Report a survey" in c.params.get("text", ""), after=calls)
        said = [m["text_plain"] for m in fake.sent[PERSON][after:]]
        assert said[0] == "“not a link” is not a web address. Give one that starts with https://."
        assert said[1].startswith("Report a survey (1/6)"), "the same question again"
        assert await _reports(door) == []


async def test_a_deep_link_only_opens_the_persons_own_form(tmp_path, fake):
    async with running(tmp_path, fake):
        invitation = await _send(fake, command_message("survey", "report", **IN_GROUP), chat_id=GROUP)
        payload = invitation["reply_markup"]["inline_keyboard"][0][0]["url"].split("?start=", 1)[1]
        stranger = await _send(fake, command_message("start", payload, chat_id=6000, user_id=6000), chat_id=6000)
        assert stranger["text_plain"] == "That form is no longer open. Give the command again where you started it."
        own = await _send(fake, command_message("start", payload, user_id=PERSON))
        assert own["text_plain"].startswith("Report a survey (1/6)")
