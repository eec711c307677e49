"""Testimonies on Telegram, end to end: the real python-telegram-bot against the fake Bot API, on one database
file. A testimony begun in a group is given in the private chat, one question at a time, across a restart of
the bot; then the person's rights (their data, its deletion, withdrawal, an edit that keeps answers) and a
moderator's review whose outcome reaches the author in private."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.config import pseudonym_secret
from bot.domain import PlatformName
from bot.platforms.telegram import TelegramFrontDoor
from bot.pseudonyms import Pseudonyms
from bot.testimonies.form import CONSENT_TEXT_VERSION
from tests.e2e.telegram_life import running
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.telegram_payloads import callback_query, command_message, text_message
from tests.testimony_form import RECEIPT

GROUP, PERSON, OTHER, MODERATOR = -1002468, 5100, 5300, 5900
TITLE = "Keep 4o"
PHONE = "+44 20 7946 0958"
MEANING = f"It helped me through a long winter of loneliness; call me on {PHONE} if you doubt it."
STORED_MEANING = "It helped me through a long winter of loneliness; call me on [phone] if you doubt it."
OTHER_MEANING = "I write my novels with it every morning, and nothing else reads my drafts the same way."
PRIVATE_ONLY = "This is about you alone, so I answer it only in a private chat with me. Send it to me there."


def _in_group(user_id: int) -> dict[str, Any]:
    return {"chat_id": GROUP, "chat_type": "supergroup", "user_id": user_id, "chat_title": TITLE}


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    server = FakeTelegram()
    await server.start()
    for person in (PERSON, OTHER):
        server.set_chat_member(GROUP, person, "member")
    server.set_chat_member(GROUP, MODERATOR, "administrator")
    yield server
    await server.stop()


async def _send(fake: FakeTelegram, update: dict[str, Any], *, chat_id: int, method: str = "sendMessage",
                expect: str | None = None) -> dict[str, Any]:
    """Push an update, wait for the bot's `method` call in `chat_id` (whose text holds `expect`, if given) and
    for the update to be acknowledged (so a restart right after never sees it again); the message as the chat
    now shows it."""
    after = len(fake.calls)
    update_id = fake.push_update(update)

    def wanted(call: Any) -> bool:
        return int(call.params.get("chat_id", 0)) == chat_id and (expect is None or expect in call.params.get(
            "text", ""))
    call = await fake.wait_for_call(method, wanted, after=after)
    assert call.status == 200, call.description
    await fake.wait_until_acknowledged(update_id)
    if method == "editMessageReplyMarkup":
        [shown] = [m for m in fake.sent[chat_id] if m["message_id"] == call.params["message_id"]]
        return shown
    return fake.sent[chat_id][-1]


async def _say(fake: FakeTelegram, text: str, user_id: int = PERSON, **options: Any) -> dict[str, Any]:
    return await _send(fake, text_message(text, chat_id=user_id, user_id=user_id), chat_id=user_id, **options)


async def _command(fake: FakeTelegram, command: str, args: str = "", user_id: int = PERSON, *, in_group: bool = False,
                   **options: Any) -> dict[str, Any]:
    if in_group:
        update = command_message(command, args, bot_username=fake.bot_username, **_in_group(user_id))
        return await _send(fake, update, chat_id=GROUP, **options)
    return await _send(fake, command_message(command, args, chat_id=user_id, user_id=user_id), chat_id=user_id,
                       **options)


async def _press(fake: FakeTelegram, message: dict[str, Any], text: str, user_id: int = PERSON, **options: Any) -> \
        dict[str, Any]:
    """Press the inline button whose text is `text` under `message`, a message the bot sent."""
    [data] = [b["callback_data"] for row in message["reply_markup"]["inline_keyboard"] for b in row
              if b["text"] == text]
    return await _send(fake, callback_query(data, message=message, chat_id=user_id, user_id=user_id),
                       chat_id=user_id, **options)


async def _toggle(fake: FakeTelegram, message: dict[str, Any], *labels: str, user_id: int = PERSON) -> \
        dict[str, Any]:
    for label in labels:
        message = await _press(fake, message, label, user_id, method="editMessageReplyMarkup")
    return message


def _buttons(message: dict[str, Any]) -> list[str]:
    return [b["text"] for row in message.get("reply_markup", {}).get("inline_keyboard", []) for b in row]


async def _open_in_private(fake: FakeTelegram, user_id: int = PERSON) -> dict[str, Any]:
    """/testify in the group, then the deep link it answers with, followed in the private chat: question 1."""
    invitation = await _command(fake, "testify", user_id=user_id, in_group=True)
    assert invitation["text_plain"] == ("I will ask the questions in a private chat with you, so your answers stay "
                                        "between us.")
    [[button]] = invitation["reply_markup"]["inline_keyboard"]
    assert button["text"] == "Open the form" and button["url"].startswith(f"https://t.me/{fake.bot_username}?start=f")
    return await _command(fake, "start", button["url"].split("?start=", 1)[1], user_id)


async def _testify(fake: FakeTelegram, user_id: int = PERSON, meaning: str = MEANING, name: str = "") -> str:
    """A whole testimony given as a person gives it on Telegram; its receipt."""
    question = await _open_in_private(fake, user_id)
    question = await _say(fake, "GPT-4o", user_id)
    question = await _toggle(fake, question, "Companionship and emotional support", user_id=user_id)
    question = await _press(fake, question, "Done", user_id)
    question = await _say(fake, meaning, user_id)
    question = await _toggle(fake, question, "Keep access to the model", user_id=user_id)
    question = await _press(fake, question, "Done", user_id)
    question = await (_say(fake, name, user_id) if name else _press(fake, question, "Skip", user_id))
    question = await _press(fake, question, "English", user_id)
    question = await _press(fake, question, "Quote me without a name", user_id)
    question = await _press(fake, question, "No", user_id)
    done = await _press(fake, question, "Yes", user_id)
    assert done["text_plain"].startswith("Thank you. Your testimony is stored."), done["text_plain"]
    match = RECEIPT.search(done["text_plain"])
    assert match
    return match.group(0)


def _pseudonym(door: TelegramFrontDoor, user_id: int) -> str:
    """The author as the store knows them: the keyed pseudonym of this Telegram account, never its id."""
    return Pseudonyms(pseudonym_secret(door.services.settings)).of(PlatformName.TELEGRAM, str(user_id))


def _on_disk(tmp_path: Path) -> bytes:
    """The database file and its write-ahead log, as bytes: what is on disk while the bot runs."""
    folder = tmp_path / "data"
    return b"".join(p.read_bytes() for p in sorted(folder.iterdir()) if p.name.startswith("continuity.db"))


async def _rows(door: TelegramFrontDoor, sql: str, *args: object) -> list[dict[str, Any]]:
    return [dict(row) for row in await door.services.store.db.fetch_all(sql, args)]


async def test_a_testimony_begun_in_a_group_is_given_in_private_across_a_restart(tmp_path, fake):
    async with running(tmp_path, fake):
        first = await _open_in_private(fake)
        assert first["text_plain"].startswith("Your testimony (1/9)\nWhich model or models?")
        uses = await _say(fake, "GPT-4o")
        assert uses["text_plain"].startswith("Your testimony (2/9)\nHow do you use it?")
        assert _buttons(uses) == ["Companionship and emotional support", "Creative writing", "Work and coding",
                                  "Accessibility and disability", "Learning", "Research", "Something else", "Done",
                                  "Back"]
        uses = await _toggle(fake, uses, "Companionship and emotional support", "Learning",
                             "Accessibility and disability", "✓ Learning")
        assert [b for b in _buttons(uses) if b.startswith("✓")] == ["✓ Companionship and emotional support",
                                                                     "✓ Accessibility and disability"]
        meaning = await _press(fake, uses, "Done")
        assert meaning["text_plain"].startswith("Your testimony (3/9)\nWhat it means, and what losing it costs")
        asks = await _say(fake, MEANING)
        asks = await _toggle(fake, asks, "Keep access to the model", "Longer notice before a retirement")
        name = await _press(fake, asks, "Done")
        assert name["text_plain"].startswith("Your testimony (5/9)\nShown only if you choose to be quoted")
        assert _buttons(name) == ["Skip", "Back"]

    async with running(tmp_path, fake) as door:  # a new Application: it knows only what the database holds
        language = await _say(fake, "Winter")
        assert language["text_plain"].startswith("Your testimony (6/9)\nThe language you wrote in")
        assert "Current answer: English" in language["text_plain"], "the reader's language is offered to keep"
        consent = await _press(fake, language, "English")
        text = consent["text_plain"]
        assert text.startswith("Your testimony (7/9)\nCount only: this community's moderators read your words")
        assert text.index("You can withdraw at any time with /withdraw") < text.index("May statements quote you?"), \
            "every level is explained before one is chosen"
        assert _buttons(consent) == ["Count only, never quote", "Quote me without a name",
                                     "Quote me with my display name", "Back"]
        health = await _press(fake, consent, "Quote me without a name")
        assert "Quote passages on health or disability?" in health["text_plain"]
        assert _buttons(health) == ["Yes", "No", "Back"]
        confirm = await _press(fake, health, "No")
        review = confirm["text_plain"]
        assert review.startswith("Your testimony (9/9)\nThis is exactly what will be stored:\n")
        for line in ("Models: gpt-4o", "Uses: Companionship and emotional support, Accessibility and disability",
                     "Asks: Keep access to the model, Longer notice before a retirement", "Display name: Winter",
                     "Language: English", "Consent: Quote me without a name; passages on health or disability: "
                     "never quoted", "Removed before storing: 1 phone number."):
            assert f"\n{line}\n" in review, line
        assert STORED_MEANING in review and PHONE not in review
        assert review.index(STORED_MEANING) < review.index("Store my testimony"), "the review comes first"
        done = await _press(fake, confirm, "Yes")
        assert done["text_plain"].startswith("Thank you. Your testimony is stored.\nYour receipt is T-")
        receipt = RECEIPT.search(done["text_plain"]).group(0)  # type: ignore[union-attr]

        [stored] = await _rows(door, "SELECT * FROM testimonies")
        community = await door.services.store.communities.get_community(PlatformName.TELEGRAM, str(GROUP))
        assert community is not None and community.name == TITLE
        assert (stored["receipt"], stored["community_id"], stored["status"]) == (receipt, community.id, "pending")
        assert stored["author"] == _pseudonym(door, PERSON) and stored["platform"] == "telegram"
        assert (stored["meaning"], stored["display_name"], stored["language"]) == (STORED_MEANING, "Winter", "en")
        assert json.loads(stored["uses"]) == ["companionship", "accessibility"]
        assert json.loads(stored["redactions"]) == {"phone": 1}
        [consented] = await _rows(door, "SELECT * FROM consent_records")
        assert (consented["testimony_id"], consented["level"], consented["health"], consented["text_version"]) == \
            (stored["id"], 1, 0, CONSENT_TEXT_VERSION)
        assert consented["author"] == stored["author"]
        raw_id = str(PERSON)
        for row in (stored, consented):
            assert not any(raw_id in str(value) for value in row.values()), "no Telegram id beside the words"
        assert await _rows(door, "SELECT pseudonym, platform, address FROM testimony_contacts") == [
            {"pseudonym": stored["author"], "platform": "telegram", "address": raw_id}], \
            "the id is kept only to tell the author the outcome"
        assert await _rows(door, "SELECT * FROM forms_in_progress") == [], "the finished form is gone"
        disk = _on_disk(tmp_path)
        assert STORED_MEANING.encode() in disk
        assert PHONE.encode() not in disk, "what the review said was removed is not on disk, not even in the " \
                                           "answers typed along the way"

    assert fake.texts(GROUP) == [fake.texts(GROUP)[0]], "the group saw the invitation and nothing of the answers"
    assert not any(PHONE in text for text in fake.texts(PERSON)[1:]), "the number was never repeated back"


async def test_mydata_is_refused_in_the_group_sent_as_a_file_in_private_then_deleted(tmp_path, fake):
    async with running(tmp_path, fake) as door:
        receipt = await _testify(fake)
        await _testify(fake, OTHER, OTHER_MEANING)

        calls = len(fake.calls)
        refused = await _command(fake, "mydata", in_group=True)
        assert refused["text_plain"] == PRIVATE_ONLY
        await _command(fake, "help", in_group=True)  # updates are handled in order: /mydata is done with
        sent = [c for c in fake.calls[calls:] if c.method.startswith("send")]
        assert [(c.method, c.params["chat_id"]) for c in sent] == [("sendMessage", GROUP)] * 2, \
            "the refusal, then /help: no file, and nothing in the private chat"

        document = await _command(fake, "mydata", method="sendDocument")
        assert fake.texts(PERSON)[-2].startswith("Everything stored about you\nThe file holds everything")
        assert document["document"]["file_name"] == "continuity-my-data.json"
        raw = fake.uploaded[document["document"]["file_id"]]
        exported = json.loads(raw)
        assert exported["platform"] == "telegram" and exported["pseudonym"] == _pseudonym(door, PERSON)
        ours = exported["data"]["testimonies"]
        [mine] = ours["testimonies"]
        assert (mine["receipt"], mine["meaning"], mine["status"]) == (receipt, STORED_MEANING, "pending")
        assert [(c["level"], c["health"], c["text_version"]) for c in mine["consent_records"]] == \
            [(1, False, CONSENT_TEXT_VERSION)]
        assert [(c["platform"], c["address"]) for c in ours["contacts"]] == [("telegram", str(PERSON))]
        assert OTHER_MEANING.encode() not in raw and _pseudonym(door, OTHER).encode() not in raw
        assert str(OTHER).encode() not in raw, "nobody else's data"

        question = await _command(fake, "mydata", "delete")
        assert question["text_plain"].startswith("Delete my data (1/1)\nThis deletes everything this instance "
                                                 "stores about you")
        assert _buttons(question) == ["Yes", "No"]
        done = await _press(fake, question, "Yes")
        assert done["text_plain"].startswith("Deleted\nEverything stored about you on this platform is deleted")

        author = _pseudonym(door, PERSON)
        assert await _rows(door, "SELECT id FROM testimonies WHERE author = ?", author) == []
        assert await _rows(door, "SELECT id FROM consent_records WHERE author = ?", author) == []
        assert await _rows(door, "SELECT address FROM testimony_contacts") == [{"address": str(OTHER)}]
        assert await door.services.store.export_person(author) == {}
        disk = _on_disk(tmp_path)
        assert STORED_MEANING.encode() not in disk and author.encode() not in disk
        assert OTHER_MEANING.encode() in disk, "the other person's testimony stays (and the search can find text)"


async def test_withdraw_leaves_a_tombstone_and_no_words_on_disk(tmp_path, fake):
    async with running(tmp_path, fake) as door:
        receipt = await _testify(fake)
        assert STORED_MEANING.encode() in _on_disk(tmp_path), "the words were on disk before"

        refused = await _command(fake, "withdraw", receipt, in_group=True)
        assert refused["text_plain"] == PRIVATE_ONLY
        assert (await _rows(door, "SELECT status FROM testimonies"))[0]["status"] == "pending"

        done = await _command(fake, "withdraw", receipt)
        assert done["text_plain"].startswith(f"Withdrawn\n{receipt} is withdrawn: its words are deleted")
        [tombstone] = await _rows(door, "SELECT * FROM testimonies")
        assert (tombstone["receipt"], tombstone["status"]) == (receipt, "withdrawn")
        assert tombstone["withdrawn_at"] is not None
        assert all(tombstone[column] is None for column in ("models", "models_text", "uses", "meaning", "asks",
                                                            "display_name"))
        assert await _rows(door, "SELECT address FROM testimony_contacts") == [], "nothing waits for an outcome"
        assert STORED_MEANING.encode() not in _on_disk(tmp_path)

        again = await _command(fake, "withdraw", receipt)
        assert again["text_plain"] == f"{receipt} was already withdrawn."


async def test_edit_on_telegram_keeps_earlier_answers_and_changes_one(tmp_path, fake):
    async with running(tmp_path, fake) as door:
        receipt = await _testify(fake, name="Winter")
        changed = "It was the one voice that stayed patient with me at three in the morning, every night."

        models = await _command(fake, "edit", receipt)
        assert models["text_plain"].startswith("Your testimony (1/9)\nWhich model or models?\n\n"
                                               "Current answer: GPT-4o")
        assert _buttons(models) == ["Keep"]
        uses = await _press(fake, models, "Keep")
        assert [b for b in _buttons(uses) if b.startswith("✓")] == ["✓ Companionship and emotional support"], \
            "the earlier choices start ticked"
        meaning = await _press(fake, uses, "Done")
        assert f"Current answer: {STORED_MEANING}" in meaning["text_plain"]
        assert _buttons(meaning) == ["Keep", "Back"]
        asks = await _say(fake, changed)
        name = await _press(fake, asks, "Done")
        assert "Current answer: Winter" in name["text_plain"] and _buttons(name) == ["Keep", "Skip", "Back"]
        language = await _press(fake, name, "Keep")
        assert "Current answer: English" in language["text_plain"]
        consent = await _press(fake, language, "Keep")
        assert "Current answer: Quote me without a name" in consent["text_plain"]
        assert _buttons(consent)[-2:] == ["Keep", "Back"]
        health = await _press(fake, consent, "Keep")
        assert "Current answer: no" in health["text_plain"] and _buttons(health) == ["Yes", "No", "Keep", "Back"]
        confirm = await _press(fake, health, "Keep")
        assert "Models: gpt-4o\n" in confirm["text_plain"] and changed in confirm["text_plain"]
        assert "Nothing was removed." in confirm["text_plain"]
        done = await _press(fake, confirm, "Yes")
        assert done["text_plain"] == f"{receipt} is updated."

        [stored] = await _rows(door, "SELECT * FROM testimonies")
        assert (stored["receipt"], stored["meaning"], stored["models_text"]) == (receipt, changed, "GPT-4o")
        assert json.loads(stored["uses"]) == ["companionship"] and json.loads(stored["asks"]) == ["keep_access"]
        assert (stored["language"], stored["display_name"]) == ("en", "Winter")
        assert [(r["level"], r["health"]) for r in await _rows(door, "SELECT * FROM consent_records")] == [(1, 0)], \
            "a kept consent is the same record, not a new one"


async def test_a_moderators_approval_reaches_the_author_in_private(tmp_path, fake):
    async with running(tmp_path, fake) as door:
        receipt = await _testify(fake)

        refused = await _command(fake, "review", f"{receipt} approve", PERSON, in_group=True)
        assert refused["text_plain"] == "Only the community's moderators can do that."
        card = await _command(fake, "review", user_id=MODERATOR, in_group=True)
        assert card["text_plain"].startswith(f"{receipt}, waiting for review (1 in all)\n{STORED_MEANING}")
        assert str(PERSON) not in card["text_plain"] and _pseudonym(door, PERSON) not in card["text_plain"]

        private_before = len(fake.sent[PERSON])
        approved = await _command(fake, "review", f"{receipt} approve", MODERATOR, in_group=True)
        assert approved["text_plain"] == f"{receipt} approved. The author was told. None are waiting now."
        [told] = fake.sent[PERSON][private_before:]
        assert told["text_plain"] == (f"Your testimony\nYour testimony {receipt} was approved. Thank you for giving "
                                      "it. /mytestimonies shows yours; /withdraw removes one.")
        assert told["parse_mode"] == "HTML"
        assert (await _rows(door, "SELECT status FROM testimonies"))[0]["status"] == "approved"
        assert await _rows(door, "SELECT address FROM testimony_contacts") == [], \
            "the author's id is forgotten once nothing of theirs waits"
