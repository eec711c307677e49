"""The Telegram front door, through the real python-telegram-bot against the fake Bot API."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from icalendar import Calendar

from bot.app import build_services
from bot.domain import PlatformName
from bot.platforms.telegram import TelegramFrontDoor
from bot.presentation import Message, Target
from bot.store import Store
from tests.conftest import make_settings
from tests.e2e.upcoming import state_as_builtin, upcoming_rows
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.telegram_payloads import command_message, edited_message

GROUP = -1001234


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    server = FakeTelegram()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def door(tmp_path, fake) -> AsyncIterator[TelegramFrontDoor]:
    settings = make_settings(tmp_path, telegram_token=fake.token, telegram_api_base=fake.base_url)
    store = await Store.open(settings.database_path)
    front_door = TelegramFrontDoor(build_services(settings, store))
    await front_door.start()
    task = asyncio.create_task(front_door.run())
    yield front_door
    await front_door.stop()
    await task
    await store.close()


async def _reply_to(fake: FakeTelegram, update: dict) -> str:
    chat_id = update["message"]["chat"]["id"]
    fake.push_update(update)
    call = await fake.wait_for_call("sendMessage", lambda c: int(c.params["chat_id"]) == chat_id,
                                    after=len(fake.calls))
    assert call.status == 200, call.description
    return fake.sent[chat_id][-1]["text_plain"]


async def test_help_is_answered_in_a_private_chat(door, fake):
    text = await _reply_to(fake, command_message("help", chat_id=5000, user_id=5000))
    assert text.startswith("Continuity: help\n")
    assert "/privacy\nWhat Continuity stores about you and how to remove it." in text
    assert fake.sent[5000][-1]["parse_mode"] == "HTML"


async def test_start_greets_with_the_help(door, fake):
    assert (await _reply_to(fake, command_message("start"))).startswith("Continuity: help")


async def test_help_in_a_group_checks_the_member_and_answers_the_group(door, fake):
    fake.set_chat_member(GROUP, 77, "administrator")
    update = command_message("help", chat_id=GROUP, chat_type="supergroup", user_id=77, chat_title="Keep 4o",
                             bot_username=fake.bot_username)
    assert (await _reply_to(fake, update)).startswith("Continuity: help")
    assert any(c.method == "getChatMember" and int(c.params["user_id"]) == 77 for c in fake.calls)
    community = await door.services.store.communities.get_community(PlatformName.TELEGRAM, str(GROUP))
    assert community is not None and community.name == "Keep 4o"


async def test_an_edited_command_is_not_run_again(door, fake):
    """An edited `/notice post` was once posted three times: an edit is not a new request."""
    fake.set_chat_member(GROUP, 77, "administrator")
    post = command_message("notice", "post Keep 4o | Sign the letter | https://example.org/l | 4o", chat_id=GROUP,
                           chat_type="supergroup", user_id=77, chat_title="Keep 4o", bot_username=fake.bot_username)
    await _reply_to(fake, post)
    fake.push_update(edited_message(post))
    fake.push_update(edited_message(post, post["message"]["text"].replace("Sign", "Please sign")))
    # Updates are handled one after another: once /help is answered, both edits have been seen.
    fake.push_update(command_message("help", chat_id=GROUP, chat_type="supergroup", user_id=77,
                                     bot_username=fake.bot_username))
    await fake.wait_for_call("sendMessage", lambda c: "Continuity: help" in str(c.params.get("text")))
    posted, helped = fake.texts(GROUP)  # nothing was answered to the edits
    assert posted.startswith("Posted.") and helped.startswith("Continuity: help")
    assert await door.services.store.db.fetch_value("SELECT COUNT(*) FROM notices") == 1


async def test_a_private_chat_is_not_stored_as_a_community(door, fake):
    await _reply_to(fake, command_message("about", chat_id=5000, user_id=5000))
    assert await door.services.store.communities.list_communities() == []


async def test_replies_follow_the_person_language_and_their_choice(door, fake):
    assert (await _reply_to(fake, command_message("privacy", language_code="es"))).startswith("Privacidad")
    assert (await _reply_to(fake, command_message("language", "ja"))).startswith("設定しました")
    assert (await _reply_to(fake, command_message("privacy", language_code="es"))).startswith("プライバシー")
    assert "not-a-language" in await _reply_to(fake, command_message("language", "not-a-language"))


async def test_the_command_menu_is_registered_in_every_language(door, fake):
    assert set(fake.commands) == {("default", ""), ("default", "es"), ("default", "ja"), ("default", "zh")}
    english = {c["command"]: c["description"] for c in fake.commands[("default", "")]}
    assert english["help"] == "Show what Continuity can do and how to use it."
    japanese = {c["command"]: c["description"] for c in fake.commands[("default", "ja")]}
    assert japanese["help"] == "Continuity でできることと使い方を表示します。"


async def test_sending_to_a_target_splits_long_text_and_keeps_html_valid(door, fake):
    body = "<script>&amp; " * 700
    await door.send(Target(PlatformName.TELEGRAM, str(GROUP)), Message(title="T", body=body))
    sent = fake.sent[GROUP]
    assert len(sent) == 3 and all(m["parse_mode"] == "HTML" for m in sent), "9,801 characters: three pieces"
    assert "".join(m["text_plain"] for m in sent).count("<script>&amp;") == 700


async def test_deprecations_4o_lists_matching_retirements(door, fake):
    await state_as_builtin(door.services.store, upcoming_rows())
    text = await _reply_to(fake, command_message("deprecations", "4o"))
    assert text.startswith("Upcoming retirements")
    assert "chatgpt-4o-latest · ChatGPT" in text and "gpt-4o-2024-05-13 · OpenAI API" in text
    assert "claude" not in text


async def test_deprecations_calendar_arrives_as_a_document(door, fake):
    await state_as_builtin(door.services.store, upcoming_rows())
    fake.push_update(command_message("deprecations", "calendar", chat_id=5000, user_id=5000))
    call = await fake.wait_for_call("sendDocument", after=len(fake.calls))
    assert call.status == 200, call.description
    sent = fake.sent[5000]
    assert sent[-2]["text_plain"].startswith("Continuity: upcoming retirements\n3 events:")
    document = sent[-1]["document"]
    assert document["file_name"] == "continuity-retirements.ics"
    events = Calendar.from_ical(fake.uploaded[document["file_id"]]).walk("VEVENT")
    assert sorted(str(e["SUMMARY"]) for e in events) == [
        "Shutdown: chatgpt-4o-latest (ChatGPT)", "Shutdown: claude-3-haiku-20240307 (Anthropic API)",
        "Shutdown: gpt-4o-2024-05-13 (OpenAI API)"]
