"""Builders for Telegram updates, so a test that needs one stays one line.

Each builder returns an update *without* `update_id`: `FakeTelegram.push_update` assigns it. The shapes
are the smallest the real python-telegram-bot accepts (checked against 22.8): a message needs
`message_id, date, chat{id, type}`; a command needs a `bot_command` entity at offset 0, or
`CommandHandler` ignores it; a group chat needs a title; group ids are negative.
"""

from __future__ import annotations

import itertools
import time
from typing import Any

DEFAULT_BOT = {"id": 123456, "is_bot": True, "first_name": "Continuity", "username": "continuity_bot"}

# Message ids of incoming messages start far from the fake's own, so the two never collide in a test.
_message_ids = itertools.count(900_000)
_callback_ids = itertools.count(1)


def utf16_len(text: str) -> int:
    """Telegram counts offsets and lengths in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def chat_object(chat_id: int, chat_type: str, *, first_name: str = "Member", username: str | None = None,
                title: str | None = None) -> dict[str, Any]:
    if chat_type == "private":
        chat: dict[str, Any] = {"id": chat_id, "type": "private", "first_name": first_name}
        if username is not None:
            chat["username"] = username
        return chat
    return {"id": chat_id, "type": chat_type, "title": title or f"Group {chat_id}"}


def user_object(user_id: int, *, first_name: str = "Member", username: str | None = "member",
                language_code: str | None = "en") -> dict[str, Any]:
    user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
    if username is not None:
        user["username"] = username
    if language_code is not None:
        user["language_code"] = language_code
    return user


def text_message(text: str, *, chat_id: int = 5000, chat_type: str = "private", user_id: int = 5000,
                 first_name: str = "Member", username: str | None = "member",
                 language_code: str | None = "en", chat_title: str | None = None,
                 entities: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """An update carrying a plain text message from a person."""
    message: dict[str, Any] = {
        "message_id": next(_message_ids),
        "date": int(time.time()),
        "chat": chat_object(chat_id, chat_type, first_name=first_name, username=username, title=chat_title),
        "from": user_object(user_id, first_name=first_name, username=username, language_code=language_code),
        "text": text,
    }
    if entities:
        message["entities"] = entities
    return {"message": message}


def command_message(command: str, args: str = "", *, chat_id: int = 5000, chat_type: str = "private",
                    user_id: int = 5000, first_name: str = "Member", username: str | None = "member",
                    language_code: str | None = "en", bot_username: str | None = None,
                    chat_title: str | None = None) -> dict[str, Any]:
    """An update whose text is `/command[@bot_username] args`, with the `bot_command` entity at 0."""
    head = "/" + command.removeprefix("/")
    if bot_username:
        head += "@" + bot_username.removeprefix("@")
    text = f"{head} {args}" if args else head
    return text_message(
        text, chat_id=chat_id, chat_type=chat_type, user_id=user_id, first_name=first_name,
        username=username, language_code=language_code, chat_title=chat_title,
        entities=[{"type": "bot_command", "offset": 0, "length": utf16_len(head)}],
    )


def edited_message(update: dict[str, Any], text: str | None = None) -> dict[str, Any]:
    """The update Telegram sends when the person edits the message of `update` (to `text`, if given)."""
    message = dict(update["message"], edit_date=update["message"]["date"] + 60)
    if text is not None:
        message["text"] = text
    return {"edited_message": message}


def bot_message(text: str = "Choose:", *, chat_id: int = 5000, chat_type: str = "private",
                message_id: int | None = None, reply_markup: dict[str, Any] | None = None,
                bot: dict[str, Any] | None = None, chat_title: str | None = None) -> dict[str, Any]:
    """A message as the bot sent it, e.g. the one an inline button hangs under."""
    message: dict[str, Any] = {
        "message_id": message_id if message_id is not None else next(_message_ids),
        "date": int(time.time()),
        "chat": chat_object(chat_id, chat_type, title=chat_title),
        "from": dict(bot or DEFAULT_BOT),
        "text": text,
    }
    if reply_markup is not None:
        message["reply_markup"] = reply_markup
    return message


def callback_query(data: str, *, message: dict[str, Any] | None = None, chat_id: int = 5000,
                   chat_type: str = "private", user_id: int = 5000, first_name: str = "Member",
                   username: str | None = "member", language_code: str | None = "en",
                   chat_title: str | None = None) -> dict[str, Any]:
    """An inline-button press. Without `message`, the button hangs under a bot message in the chat.

    Pass `message=fake.sent[chat_id][-1]` to press a button under a message the bot really sent.
    """
    if message is None:
        message = bot_message(chat_id=chat_id, chat_type=chat_type, chat_title=chat_title)
    else:
        message = public_message(message)
    return {
        "callback_query": {
            "id": str(next(_callback_ids)),
            "from": user_object(user_id, first_name=first_name, username=username,
                                language_code=language_code),
            "chat_instance": f"instance-{message['chat']['id']}",
            "message": message,
            "data": data,
        }
    }


def public_message(message: dict[str, Any]) -> dict[str, Any]:
    """The message as Telegram shows it in an update: drops the fake's bookkeeping keys."""
    shown = {key: value for key, value in message.items() if key not in ("text_plain", "caption_plain",
                                                                          "parse_mode")}
    if "text_plain" in message:
        shown["text"] = message["text_plain"]
    if "caption_plain" in message:
        shown["caption"] = message["caption_plain"]
    return shown
