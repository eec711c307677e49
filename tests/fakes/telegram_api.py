"""A fake Telegram Bot API on 127.0.0.1 that the real python-telegram-bot talks to.

Point an application at it with `ApplicationBuilder().token(fake.token).base_url(fake.base_url)
.base_file_url(fake.base_file_url)`. The fake is strict where Telegram is strict (text length after
entity parsing, well-formed HTML, callback data size, flood limits, blocked and deleted chats), so a
test that passes here fails for the same reasons a real deployment would.

Errors follow the Bot API: the HTTP status decides the exception python-telegram-bot raises
(400 BadRequest, 401 InvalidToken, 403 Forbidden, 409 Conflict, 429 RetryAfter), and the JSON body
carries `description` and, for 429, `parameters.retry_after`.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import math
import re
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any, TypeVar

from aiohttp import web

from tests.fakes.specs import raise_violations, telegram_spec
from tests.fakes.telegram_payloads import public_message, utf16_len

T = TypeVar("T")

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_CALLBACK_ANSWER_LENGTH = 200
MAX_UPLOAD_BYTES = 50 * 1024 * 1024

# Nested values arrive form-encoded as JSON strings; these names are parsed back into objects.
JSON_PARAMS = frozenset({
    "reply_markup", "commands", "entities", "caption_entities", "link_preview_options", "scope",
    "reply_parameters", "allowed_updates",
})
INT_PARAMS = frozenset({
    "chat_id", "user_id", "message_id", "offset", "limit", "timeout", "reply_to_message_id",
    "message_thread_id", "cache_time",
})
BOOL_PARAMS = frozenset({
    "disable_notification", "protect_content", "show_alert", "drop_pending_updates",
    "allow_sending_without_reply", "disable_content_type_detection", "disable_web_page_preview",
    "allow_paid_broadcast",
})
CHAT_ACTIONS = frozenset({
    "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
    "upload_document", "choose_sticker", "find_location", "record_video_note", "upload_video_note",
})
MEMBER_STATUSES = ("creator", "administrator", "member", "restricted", "left", "kicked")

# A person who blocked the bot can still be looked up; they just cannot be written to.
_LOOKUP_METHODS = frozenset({"getChat", "getChatMember"})


class TelegramApiError(Exception):
    """An answer with `ok: false`; raised inside a method handler, turned into the HTTP reply."""

    def __init__(self, status: int, description: str, parameters: dict[str, Any] | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"ok": False, "error_code": self.status, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(reason: str) -> TelegramApiError:
    return TelegramApiError(400, f"Bad Request: {reason}")


def too_many_requests(retry_after: int) -> TelegramApiError:
    return TelegramApiError(429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after})


# --------------------------------------------------------------------------------------------------
# Telegram HTML


class HtmlParseError(ValueError):
    """The text is not Telegram HTML; the message is what Telegram puts after "can't parse entities:"."""


_ATTR_PATTERN = r"""[A-Za-z][A-Za-z0-9-]*(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'<>=`]+))?"""
_TAG_RE = re.compile(rf"<(/?)([A-Za-z][A-Za-z0-9-]*)((?:\s+{_ATTR_PATTERN})*)\s*>")
_ATTR_RE = re.compile(r"""([A-Za-z][A-Za-z0-9-]*)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'<>=`]+))?""")
_ENTITY_RE = re.compile(r"&(?:(lt|gt|amp|quot)|#([0-9]{1,7})|#[xX]([0-9A-Fa-f]{1,6}));")
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}

_SIMPLE_TAGS = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline", "ins": "underline",
    "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough", "tg-spoiler": "spoiler",
    "code": "code", "pre": "pre",
}
SUPPORTED_TAGS = frozenset({*_SIMPLE_TAGS, "span", "a", "blockquote", "tg-emoji"})


@dataclass
class _OpenTag:
    name: str
    entity: dict[str, Any]
    start: int  # UTF-16 offset in the visible text


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


def _decode_entity(text: str, index: int) -> tuple[str, int]:
    """The character an `&...;` at `index` stands for, and where it ends."""
    match = _ENTITY_RE.match(text, index)
    if match is None:
        raise HtmlParseError(f'Character "&" must be escaped as "&amp;" at byte offset {_byte_offset(text, index)}')
    named, decimal, hexadecimal = match.groups()
    if named:
        return _NAMED_ENTITIES[named], match.end()
    code = int(decimal) if decimal else int(hexadecimal, 16)
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        raise HtmlParseError(f"Invalid numeric entity at byte offset {_byte_offset(text, index)}")
    return chr(code), match.end()


def _unescape_attribute(value: str) -> str:
    if value[:1] in "\"'" and value[-1:] == value[:1] and len(value) >= 2:
        value = value[1:-1]
    out: list[str] = []
    index = 0
    while index < len(value):
        if value[index] == "&":
            char, index = _decode_entity(value, index)
            out.append(char)
        else:
            out.append(value[index])
            index += 1
    return "".join(out)


def _entity_for_tag(name: str, attributes: dict[str, str], text: str, index: int) -> dict[str, Any]:
    where = f"at byte offset {_byte_offset(text, index)}"
    if name in _SIMPLE_TAGS:
        entity: dict[str, Any] = {"type": _SIMPLE_TAGS[name]}
        language = attributes.get("class", "")
        if name == "code" and language.startswith("language-"):
            entity["language"] = language.removeprefix("language-")
        return entity
    if name == "span":
        if attributes.get("class") != "tg-spoiler":
            raise HtmlParseError(f'Tag "span" must have class "tg-spoiler" {where}')
        return {"type": "spoiler"}
    if name == "a":
        href = attributes.get("href")
        if not href:
            raise HtmlParseError(f'Tag "a" must have attribute "href" {where}')
        return {"type": "text_link", "url": href}
    if name == "blockquote":
        return {"type": "expandable_blockquote" if "expandable" in attributes else "blockquote"}
    if name == "tg-emoji":
        emoji_id = attributes.get("emoji-id")
        if not emoji_id:
            raise HtmlParseError(f'Tag "tg-emoji" must have attribute "emoji-id" {where}')
        return {"type": "custom_emoji", "custom_emoji_id": emoji_id}
    raise HtmlParseError(f'Unsupported start tag "{name}" {where}')


def parse_telegram_html(text: str) -> tuple[str, list[dict[str, Any]]]:
    """The visible text and the entities Telegram would make of `text` sent with parse_mode=HTML.

    Raises HtmlParseError where Telegram answers "can't parse entities".
    """
    visible: list[str] = []
    position = 0  # UTF-16 length of the visible text so far
    stack: list[_OpenTag] = []
    entities: list[dict[str, Any]] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == "&":
            decoded, index = _decode_entity(text, index)
            visible.append(decoded)
            position += utf16_len(decoded)
            continue
        if char != "<":
            visible.append(char)
            position += utf16_len(char)
            index += 1
            continue
        match = _TAG_RE.match(text, index)
        if match is None:
            raise HtmlParseError(f"Unexpected end of name token at byte offset {_byte_offset(text, index)}")
        closing, name, raw_attributes = match.group(1) == "/", match.group(2).lower(), match.group(3)
        if closing:
            if not stack:
                raise HtmlParseError(f'Unexpected end tag "{name}" at byte offset {_byte_offset(text, index)}')
            if stack[-1].name != name:
                raise HtmlParseError(
                    f"Unmatched end tag at byte offset {_byte_offset(text, index)}, "
                    f'expected "</{stack[-1].name}>", found "</{name}>"'
                )
            opened = stack.pop()
            _close_entity(opened, position, stack, entities)
        else:
            if name not in SUPPORTED_TAGS:
                raise HtmlParseError(f'Unsupported start tag "{name}" at byte offset {_byte_offset(text, index)}')
            attributes = {
                attribute.group(1).lower(): _unescape_attribute(attribute.group(2) or "")
                for attribute in _ATTR_RE.finditer(raw_attributes)
            }
            stack.append(_OpenTag(name, _entity_for_tag(name, attributes, text, index), position))
        index = match.end()
    if stack:
        raise HtmlParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"')
    entities.sort(key=lambda entity: (entity["offset"], -entity["length"]))
    return "".join(visible), entities


def _close_entity(opened: _OpenTag, position: int, stack: list[_OpenTag],
                  entities: list[dict[str, Any]]) -> None:
    length = position - opened.start
    if length == 0:  # Telegram drops empty entities
        return
    entity = {**opened.entity, "offset": opened.start, "length": length}
    language = entity.pop("language", None)
    if opened.name == "code" and stack and stack[-1].name == "pre":
        if language:  # <pre><code class="language-x"> is one pre entity with a language
            stack[-1].entity["language"] = language
        return
    if language and entity["type"] == "pre":
        entity["language"] = language
    entities.append(entity)


def visible_text(text: str, parse_mode: str | None) -> tuple[str, list[dict[str, Any]]]:
    """What a person sees, and its entities; 400 "can't parse entities" on malformed HTML."""
    if parse_mode is None or parse_mode == "":
        return text, []
    if parse_mode.lower() == "html":
        try:
            return parse_telegram_html(text)
        except HtmlParseError as exc:
            raise bad_request(f"can't parse entities: {exc}") from None
    if parse_mode.lower() in ("markdown", "markdownv2"):
        return text, []  # not modelled: the project sends HTML
    raise bad_request(f"unsupported parse_mode {parse_mode!r}")


# --------------------------------------------------------------------------------------------------
# The server


@dataclass
class RecordedCall:
    method: str
    params: dict[str, Any]
    files: dict[str, bytes] = field(default_factory=dict)
    filenames: dict[str, str] = field(default_factory=dict)
    status: int = 200
    description: str | None = None
    result: Any = None
    token: str = ""


@dataclass
class _Upload:
    data: bytes
    filename: str | None
    content_type: str | None


@dataclass
class _InjectedFlood:
    remaining: int
    retry_after: int
    method: str | None
    status: int = 429  # or a server error, e.g. 502 Bad Gateway


class FakeTelegram:
    """A Bot API server for one bot. Start it, point python-telegram-bot at it, push updates."""

    def __init__(self, *, token: str = "123456:fake-telegram-token", bot_id: int = 123456,
                 bot_username: str = "continuity_bot") -> None:
        self.token = token
        self.bot_id = bot_id
        self.bot_username = bot_username
        self.bot_user: dict[str, Any] = {
            "id": bot_id, "is_bot": True, "first_name": "Continuity", "username": bot_username,
        }
        self.port = 0
        self.calls: list[RecordedCall] = []
        # Awaited once a call is handled, before its answer goes back: a test can act while the bot waits.
        self.on_answer: Callable[[RecordedCall], Awaitable[None]] | None = None
        self.sent: dict[int, list[dict[str, Any]]] = {}
        self.commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.uploaded: dict[str, bytes] = {}  # file_id -> content, for getFile and re-sends
        # Every call is checked against the Bot API spec (when ../shared/specs is there): parameters the bot
        # sent that the method does not take, and answers (updates included) in shapes Telegram never gives.
        # `stop()` raises if any was found, so no test that uses the fake can pass with one.
        self.spec_violations: list[str] = []
        self.spec = telegram_spec()  # None: no check (the specs are absent, or a benchmark turned it off)

        # Flood control, as Telegram documents it; attributes so a benchmark can change them.
        self.enforce_limits = False
        self.limited_methods = frozenset({"sendMessage", "sendDocument"})
        self.global_limit, self.global_window = 30, 1.0
        self.group_limit, self.group_window = 20, 60.0
        self.private_limit, self.private_window = 1, 1.0
        self._global_sends: deque[float] = deque()
        self._chat_sends: dict[int, deque[float]] = {}
        self._injected_floods: list[_InjectedFlood] = []

        self._updates: list[dict[str, Any]] = []
        self._next_update_id = 1
        self._highest_acknowledged = 0
        self._poll_serial = 0
        self._polls_waiting = 0
        self._open_callback_queries: set[str] = set()

        self._messages: dict[tuple[int, int], dict[str, Any]] = {}
        self._message_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._members: dict[tuple[int, int], str] = {}
        self._users: dict[int, dict[str, Any]] = {bot_id: self.bot_user}
        self._chats: dict[int, dict[str, Any]] = {}
        self._blocked: set[int] = set()
        self._kicked: set[int] = set()
        self._deleted: set[int] = set()

        self._changed = asyncio.Event()
        self._closing = False
        self._runner: web.AppRunner | None = None
        self._methods: dict[str, Callable[[dict[str, Any], dict[str, _Upload]], Awaitable[Any]]] = {
            "getMe": self._get_me,
            "deleteWebhook": self._true,
            "close": self._true,
            "logOut": self._true,
            "getUpdates": self._get_updates,
            "sendMessage": self._send_message,
            "sendDocument": self._send_document,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "answerCallbackQuery": self._answer_callback_query,
            "getChatMember": self._get_chat_member,
            "getChat": self._get_chat,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "sendChatAction": self._send_chat_action,
            "getFile": self._get_file,
        }
        self._by_lower_name = {name.lower(): name for name in self._methods}

    # -- lifecycle -----------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    async def start(self) -> None:
        app = web.Application(client_max_size=MAX_UPLOAD_BYTES + 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._closing = False
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        """Ends waiting long polls at once (they answer []), then closes the server."""
        self._closing = True
        self._wake()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        raise_violations("Telegram", self.spec_violations)

    async def __aenter__(self) -> FakeTelegram:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    # -- what tests tell the fake --------------------------------------------------------------

    def push_update(self, update: dict[str, Any]) -> int:
        """Queue an update for the bot; a waiting getUpdates answers at once. Returns the update_id."""
        update = dict(update)
        if "update_id" not in update:
            update["update_id"] = self._next_update_id
        self._next_update_id = max(self._next_update_id, update["update_id"] + 1)
        self._remember_parties(update)
        self._updates.append(update)
        self._wake()
        return update["update_id"]

    @property
    def pending_updates(self) -> list[dict[str, Any]]:
        """Updates not yet acknowledged by a getUpdates offset."""
        return list(self._updates)

    def set_chat_member(self, chat_id: int, user_id: int, status: str) -> None:
        if status not in MEMBER_STATUSES:
            raise ValueError(f"unknown chat member status {status!r}; use one of {MEMBER_STATUSES}")
        self._members[(chat_id, user_id)] = status

    def block_chat(self, chat_id: int) -> None:
        self._blocked.add(chat_id)

    def kick_from_chat(self, chat_id: int) -> None:
        self._kicked.add(chat_id)

    def delete_chat(self, chat_id: int) -> None:
        self._deleted.add(chat_id)

    def restore_chat(self, chat_id: int) -> None:
        """Undo block_chat, kick_from_chat and delete_chat."""
        self._blocked.discard(chat_id)
        self._kicked.discard(chat_id)
        self._deleted.discard(chat_id)

    def rate_limit_next(self, count: int = 1, *, retry_after: int = 1, method: str | None = None) -> None:
        """Answer the next `count` calls (of `method`, or of any method but getUpdates) with 429.

        getUpdates must be named explicitly: the polling loop calls it all the time and would
        otherwise swallow the injected floods.
        """
        self._injected_floods.append(_InjectedFlood(count, retry_after, method))

    def fail_next(self, count: int = 1, *, status: int = 502, method: str | None = None) -> None:
        """Answer the next `count` calls (chosen as for `rate_limit_next`) with a server error, as the Bot API
        does when Telegram's back end is down: `{"ok": false, "error_code": 502, "description": "Bad Gateway"}`."""
        self._injected_floods.append(_InjectedFlood(count, 0, method, status))

    def texts(self, chat_id: int) -> list[str]:
        """The visible text of each message the bot sent to a chat, in order."""
        return [m.get("text_plain", m.get("caption_plain", "")) for m in self.sent.get(chat_id, [])]

    async def wait_for_call(self, method: str, predicate: Callable[[RecordedCall], bool] | None = None,
                            timeout: float = 5, *, after: int = 0) -> RecordedCall:
        """The earliest answered call to `method` (from index `after` in `calls`) matching `predicate`."""

        def find() -> RecordedCall | None:
            for call in self.calls[after:]:
                if call.method == method and (predicate is None or predicate(call)):
                    return call
            return None

        try:
            return await self._wait_until(find, timeout)
        except TimeoutError:
            seen = ", ".join(call.method for call in self.calls[after:]) or "none"
            raise TimeoutError(f"no matching {method} call within {timeout} s; calls: {seen}") from None

    async def wait_until_acknowledged(self, update_id: int, timeout: float = 5) -> None:
        """Until a getUpdates arrives whose offset confirms `update_id`."""
        await self._wait_until(lambda: True if self._highest_acknowledged >= update_id else None, timeout)

    async def wait_until_polled(self, timeout: float = 5) -> None:
        """Until a getUpdates long poll is waiting here, e.g. to test what happens to it."""
        await self._wait_until(lambda: True if self._polls_waiting else None, timeout)

    # -- plumbing ------------------------------------------------------------------------------

    def _wake(self) -> None:
        changed, self._changed = self._changed, asyncio.Event()
        changed.set()

    async def _wait_until(self, condition: Callable[[], T | None], timeout: float) -> T:
        async with asyncio.timeout(timeout):
            while True:
                changed = self._changed
                found = condition()
                if found is not None:
                    return found
                await changed.wait()

    def _remember_parties(self, update: dict[str, Any]) -> None:
        query = update.get("callback_query")
        if query:
            self._open_callback_queries.add(query["id"])
            self._users.setdefault(query["from"]["id"], query["from"])
        message = (update.get("message") or update.get("edited_message")
                   or (query or {}).get("message"))
        if not message:
            return
        chat = message["chat"]
        self._chats.setdefault(chat["id"], chat)
        sender = message.get("from")
        if sender:
            self._users.setdefault(sender["id"], sender)
            if sender["id"] == self.bot_id and (chat["id"], message["message_id"]) not in self._messages:
                # A button under a message the test made up: let the bot edit it as if it had sent it.
                record = {**message, "text_plain": message.get("text", "")}
                self._messages[(chat["id"], message["message_id"])] = record

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        if request.path.startswith("/file/bot"):
            return self._serve_file(request)
        match = re.fullmatch(r"/bot([^/]+)/([A-Za-z]+)", request.path)
        if match is None:
            return _json_response(404, {"ok": False, "error_code": 404, "description": "Not Found"})
        token, requested = match.groups()
        method = self._by_lower_name.get(requested.lower(), requested)
        call = RecordedCall(method=method, params={}, token=token)
        raw: dict[str, Any] = {}
        uploads: dict[str, _Upload] = {}
        try:
            raw, uploads = await _read_params(request)
            call.params = params = {name: _decode_param(name, value) for name, value in raw.items()}
            call.files = {name: upload.data for name, upload in uploads.items()}
            call.filenames = {name: upload.filename or "" for name, upload in uploads.items()}
            if token != self.token:
                raise TelegramApiError(401, "Unauthorized")
            handler = self._methods.get(method)
            if handler is None:
                raise TelegramApiError(404, "Not Found: method not found")
            self._take_injected_flood(method)
            self._check_chat_reachable(method, params)
            call.result = await handler(params, uploads)
            body: dict[str, Any] = {"ok": True, "result": call.result}
        except TelegramApiError as error:
            call.status, call.description, body = error.status, error.description, error.body()
        if self.spec is not None:
            self.spec_violations += self.spec.check(method, raw, uploads, call.status, body)
        self.calls.append(call)
        self._wake()
        if self.on_answer is not None:
            await self.on_answer(call)
        return _json_response(call.status, body)

    def _take_injected_flood(self, method: str) -> None:
        for flood in self._injected_floods:
            if flood.method == method or (flood.method is None and method != "getUpdates"):
                flood.remaining -= 1
                if flood.remaining <= 0:
                    self._injected_floods.remove(flood)
                if flood.status != 429:
                    raise TelegramApiError(flood.status, HTTPStatus(flood.status).phrase)
                raise too_many_requests(flood.retry_after)

    def _check_chat_reachable(self, method: str, params: dict[str, Any]) -> None:
        chat_id = params.get("chat_id")
        if chat_id is None:
            return
        if chat_id in self._deleted:
            raise bad_request("chat not found")
        if chat_id in self._kicked:
            raise TelegramApiError(403, "Forbidden: bot was kicked from the group chat")
        if chat_id in self._blocked and method not in _LOOKUP_METHODS:
            raise TelegramApiError(403, "Forbidden: bot was blocked by the user")

    def _check_flood(self, chat_id: int) -> None:
        """Sliding windows: overall, per group (negative id) and per private chat (positive id)."""
        if not self.enforce_limits:
            return
        now = time.monotonic()
        if chat_id < 0:
            limit, window = self.group_limit, self.group_window
        else:
            limit, window = self.private_limit, self.private_window
        chat_sends = self._chat_sends.setdefault(chat_id, deque())
        waits = [
            _window_wait(sends, limit, window, now)
            for sends, limit, window in (
                (self._global_sends, self.global_limit, self.global_window),
                (chat_sends, limit, window),
            )
        ]
        wait = max(waits)
        if wait > 0:
            raise too_many_requests(max(1, math.ceil(wait)))
        self._global_sends.append(now)
        chat_sends.append(now)

    def _chat(self, chat_id: int) -> dict[str, Any]:
        if chat_id in self._chats:
            return dict(self._chats[chat_id])
        if chat_id > 0:
            return {"id": chat_id, "type": "private", "first_name": "Member"}
        # Supergroup and channel ids are written -100…; basic groups are small negative numbers.
        chat_type = "supergroup" if str(chat_id).startswith("-100") else "group"
        return {"id": chat_id, "type": chat_type, "title": f"Group {chat_id}"}

    def _user(self, user_id: int) -> dict[str, Any]:
        return dict(self._users.get(user_id) or {"id": user_id, "is_bot": False, "first_name": f"User {user_id}"})

    def _store_message(self, chat_id: int, record: dict[str, Any]) -> dict[str, Any]:
        self.sent.setdefault(chat_id, []).append(record)
        self._messages[(chat_id, record["message_id"])] = record
        return public_message(record)

    def _new_message(self, chat_id: int, params: dict[str, Any]) -> dict[str, Any]:
        record: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": self._chat(chat_id),
            "from": dict(self.bot_user),
        }
        reply_markup = params.get("reply_markup")
        if reply_markup is not None:
            _check_reply_markup(reply_markup)
            record["reply_markup"] = reply_markup
        return record

    def _serve_file(self, request: web.Request) -> web.Response:
        prefix = f"/file/bot{self.token}/documents/"
        content = self.uploaded.get(request.path.removeprefix(prefix)) if request.path.startswith(prefix) else None
        if content is None:
            return _json_response(404, {"ok": False, "error_code": 404, "description": "Not Found"})
        return web.Response(body=content, content_type="application/octet-stream")

    # -- methods -------------------------------------------------------------------------------

    async def _true(self, params: dict[str, Any], uploads: dict[str, _Upload]) -> bool:
        return True

    async def _get_me(self, params: dict[str, Any], uploads: dict[str, _Upload]) -> dict[str, Any]:
        return {
            **self.bot_user, "can_join_groups": True, "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def _get_updates(self, params: dict[str, Any], uploads: dict[str, _Upload]) -> list[dict[str, Any]]:
        offset = int(params.get("offset", 0))
        limit = min(max(int(params.get("limit", 100)), 1), 100)
        timeout = max(float(params.get("timeout", 0)), 0.0)
        if offset > 0:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
            self._highest_acknowledged = max(self._highest_acknowledged, offset - 1)
        elif offset < 0:
            self._updates = self._updates[offset:]
        # Telegram answers an older, still waiting long poll with 409 when a newer one arrives.
        self._poll_serial += 1
        serial = self._poll_serial

        def ready() -> list[dict[str, Any]] | None:
            if self._poll_serial != serial:
                raise TelegramApiError(
                    409, "Conflict: terminated by other getUpdates request; make sure that only one "
                         "bot instance is running")
            if self._closing:
                return []
            if self._updates:
                return self._updates[:limit]
            return None

        self._polls_waiting += 1
        self._wake()
        try:
            return await self._wait_until(ready, timeout)
        except TimeoutError:
            return []
        finally:
            self._polls_waiting -= 1

    async def _send_message(self, params: dict[str, Any], uploads: dict[str, _Upload]) -> dict[str, Any]:
        chat_id = _require_chat_id(params)
        text = params.get("text")
        if not isinstance(text, str) or not text.strip():
            raise bad_request("message text is empty")
        parse_mode = params.get("parse_mode") or None
        plain, entities = _message_text(text, parse_mode, params.get("entities"))
        record = self._new_message(chat_id, params)
        self._check_flood(chat_id)
        record.update(text=text, text_plain=plain, parse_mode=parse_mode)
        if entities:
            record["entities"] = entities
        if "link_preview_options" in params:
            record["link_preview_options"] = params["link_preview_options"]
        return self._store_message(chat_id, record)

    async def _send_document(self, params: dict[str, Any], uploads: dict[str, _Upload]) -> dict[str, Any]:
        chat_id = _require_chat_id(params)
        document = self._document(params, uploads)
        record = self._new_message(chat_id, params)
        caption = params.get("caption")
        if caption:
            parse_mode = params.get("parse_mode") or None
            plain, entities = visible_text(caption, parse_mode)
            if params.get("caption_entities"):
                entities = params["caption_entities"]
            if utf16_len(plain) > MAX_CAPTION_LENGTH:
                raise bad_request("message caption is too long")
            record.update(caption=caption, caption_plain=plain, parse_mode=parse_mode)
            if entities:
                record["caption_entities"] = entities
        self._check_flood(chat_id)
        record["document"] = document
        return self._store_message(chat_id, record)

    def _document(self, params: dict[str, Any], uploads: dict[str, _Upload]) -> dict[str, Any]:
        reference = params.get("document")
        if isinstance(reference, str) and reference.startswith("attach://"):
            upload = uploads.get(reference.removeprefix("attach://"))
        elif isinstance(reference, str) and reference:
            if reference not in self.uploaded:
                raise bad_request("wrong file identifier/HTTP URL specified")
            return {"file_id": reference, "file_unique_id": f"u{reference}",
                    "file_size": len(self.uploaded[reference])}
        else:
            upload = uploads.get("document")
        if upload is None:
            raise bad_request("there is no document in the request")
        if not upload.data:
            raise bad_request("file must be non-empty")
        file_id = f"document-{next(self._file_ids)}"
        self.uploaded[file_id] = upload.data
        document: dict[str, Any] = {"file_id": file_id, "file_unique_id": f"u{file_id}",
                                    "file_size": len(upload.data)}
        if upload.filename:
            document["file_name"] = upload.filename
        if upload.content_type:
            document["mime_type"] = upload.content_type
        return document

    def _message_to_edit(self, params: dict[str, Any]) -> dict[str, Any] | None:
        """The stored message named by chat_id + message_id, or None for an inline message."""
        if params.get("inline_message_id"):
            return None
        chat_id = _require_chat_id(params)
        message_id = params.get("message_id")
        if message_id is None:
            raise bad_request("message identifier is not specified")
        record = self._messages.get((chat_id, message_id))
        if record is None:
            raise bad_request("message to edit not found")
        if record.get("from", {}).get("id") != self.bot_id:
            raise bad_request("message can't be edited")
        return record

    async def _edit_message_text(self, params: dict[str, Any], uploads: dict[str, _Upload]) -> Any:
        text = params.get("text")
        if not isinstance(text, str) or not text.strip():
            raise bad_request("message text is empty")
        parse_mode = params.get("parse_mode") or None
        plain, entities = _message_text(text, parse_mode, params.get("entities"))
        reply_markup = params.get("reply_markup")
        if reply_markup is not None:
            _check_reply_markup(reply_markup)
        record = self._message_to_edit(params)
        if record is None:
            return True
        if (record.get("text_plain") == plain and record.get("entities", []) == entities
                and record.get("reply_markup") == reply_markup):
            raise _not_modified()
        record.update(text=text, text_plain=plain, parse_mode=parse_mode, edit_date=int(time.time()))
        _set_or_drop(record, "entities", entities or None)
        _set_or_drop(record, "reply_markup", reply_markup)
        return public_message(record)

    async def _edit_message_reply_markup(self, params: dict[str, Any], uploads: dict[str, _Upload]) -> Any:
        reply_markup = params.get("reply_markup")
        if reply_markup is not None:
            _check_reply_markup(reply_markup)
        record = self._message_to_edit(params)
        if record is None:
            return True
        if record.get("reply_markup") == reply_markup:
            raise _not_modified()
        _set_or_drop(record, "reply_markup", reply_markup)
        record["edit_date"] = int(time.time())
        return public_message(record)

    async def _answer_callback_query(self, params: dict[str, Any], uploads: dict[str, _Upload]) -> bool:
        query_id = str(params.get("callback_query_id", ""))
        if query_id not in self._open_callback_queries:
            raise bad_request("query is too old and response timeout expired or query ID is invalid")
        text = params.get("text") or ""
        if len(text) > MAX_CALLBACK_ANSWER_LENGTH:
            raise bad_request("MESSAGE_TOO_LONG")
        self._open_callback_queries.discard(query_id)
        return True

    async def _get_chat_member(self, params: dict[str, Any], uploads: dict[str, _Upload]) -> dict[str, Any]:
        chat_id = _require_chat_id(params)
        user_id = params.get("user_id")
        if not isinstance(user_id, int):
            raise bad_request("user_id is empty" if user_id is None else "invalid user_id specified")
        status = self._members.get((chat_id, user_id), "member")
        return chat_member(self._user(user_id), status)

    async def _get_chat(self, params: dict[str, Any], uploads: dict[str, _Upload]) -> dict[str, Any]:
        chat = self._chat(_require_chat_id(params))
        gifts = dict.fromkeys(("unlimited_gifts", "limited_gifts", "unique_gifts", "premium_subscription",
                               "gifts_from_channels"), False)
        return {**chat, "accent_color_id": 0, "max_reaction_count": 11, "accepted_gift_types": gifts}

    async def _set_my_commands(self, params: dict[str, Any], uploads: dict[str, _Upload]) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise bad_request("commands must be a list")
        if len(commands) > 100:
            raise bad_request("too many commands specified")
        for command in commands:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", str(command.get("command", ""))):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", "")).strip()) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        self.commands[_commands_key(params)] = [
            {"command": c["command"], "description": c["description"]} for c in commands
        ]
        return True

    async def _get_my_commands(self, params: dict[str, Any], uploads: dict[str, _Upload]) -> list[dict[str, Any]]:
        return list(self.commands.get(_commands_key(params), []))

    async def _delete_my_commands(self, params: dict[str, Any], uploads: dict[str, _Upload]) -> bool:
        self.commands.pop(_commands_key(params), None)
        return True

    async def _send_chat_action(self, params: dict[str, Any], uploads: dict[str, _Upload]) -> bool:
        _require_chat_id(params)
        if params.get("action") not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        return True

    async def _get_file(self, params: dict[str, Any], uploads: dict[str, _Upload]) -> dict[str, Any]:
        file_id = params.get("file_id")
        if file_id not in self.uploaded:
            raise bad_request("invalid file_id")
        return {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_size": len(self.uploaded[file_id]),
                "file_path": f"documents/{file_id}"}


# --------------------------------------------------------------------------------------------------
# Helpers


def chat_member(user: dict[str, Any], status: str) -> dict[str, Any]:
    """A ChatMember object of `status` with every field python-telegram-bot 22.8 requires."""
    member: dict[str, Any] = {"status": status, "user": user}
    if status == "creator":
        member["is_anonymous"] = False
    elif status == "administrator":
        member.update(
            can_be_edited=False, is_anonymous=False, can_manage_chat=True, can_delete_messages=True,
            can_manage_video_chats=True, can_restrict_members=True, can_promote_members=False,
            can_change_info=True, can_invite_users=True, can_post_stories=False, can_edit_stories=False,
            can_delete_stories=False, can_pin_messages=True,
        )
    elif status == "restricted":
        member.update(dict.fromkeys((
            "can_change_info", "can_invite_users", "can_pin_messages", "can_send_messages", "can_send_polls",
            "can_send_other_messages", "can_add_web_page_previews", "can_manage_topics", "can_send_audios",
            "can_send_documents", "can_send_photos", "can_send_videos", "can_send_video_notes",
            "can_send_voice_notes", "can_edit_tag", "can_react_to_messages",
        ), False), is_member=True, until_date=0)
    elif status == "kicked":
        member["until_date"] = 0
    return member


def _json_response(status: int, body: Any) -> web.Response:
    # Exactly application/json, like the real service (web.json_response would add a charset).
    return web.Response(status=status, body=json.dumps(body).encode(),
                        headers={"Content-Type": "application/json"})


async def _read_params(request: web.Request) -> tuple[dict[str, Any], dict[str, _Upload]]:
    """The parameters as they arrived (form values as text) and the uploaded files."""
    raw: dict[str, Any] = dict(request.query)
    uploads: dict[str, _Upload] = {}
    if request.method == "POST" and request.can_read_body:
        if request.content_type == "application/json":
            try:
                body = await request.json()
            except ValueError:
                raise bad_request("can't parse JSON body") from None
            if not isinstance(body, dict):
                raise bad_request("JSON body must be an object")
            raw.update(body)
        else:
            for name, value in (await request.post()).items():
                if isinstance(value, web.FileField):
                    uploads[name] = _Upload(value.file.read(), value.filename, value.content_type)
                else:
                    raw[name] = value if isinstance(value, str) else bytes(value).decode()
    return raw, uploads


def _decode_param(name: str, value: Any) -> Any:
    if not isinstance(value, str):
        return value
    if name in JSON_PARAMS:
        try:
            return json.loads(value)
        except ValueError:
            raise bad_request(f"can't parse {name} JSON object") from None
    if name in INT_PARAMS and re.fullmatch(r"-?\d+", value):
        return int(value)
    if name in BOOL_PARAMS:
        return value.lower() == "true"
    return value


def _require_chat_id(params: dict[str, Any]) -> int:
    chat_id = params.get("chat_id")
    if chat_id is None or chat_id == "":
        raise bad_request("chat_id is empty")
    if not isinstance(chat_id, int):
        raise bad_request("chat not found")  # @usernames are not modelled
    return chat_id


def _message_text(text: str, parse_mode: str | None,
                  explicit_entities: list[dict[str, Any]] | None) -> tuple[str, list[dict[str, Any]]]:
    # Explicit entities win over parse_mode, as in the Bot API.
    plain, entities = (text, explicit_entities) if explicit_entities else visible_text(text, parse_mode)
    if not plain.strip():
        raise bad_request("message text is empty")
    if utf16_len(plain) > MAX_TEXT_LENGTH:
        raise bad_request("message is too long")
    return plain, entities


def _check_reply_markup(markup: Any) -> None:
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    rows = markup.get("inline_keyboard")
    if rows is None:
        return  # reply keyboards, keyboard removal and force_reply are not checked further
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request("can't parse inline keyboard button: InlineKeyboardMarkup must be an Array of Arrays")
    for row in rows:
        for button in row:
            if not str(button.get("text", "")).strip():
                raise bad_request("can't parse inline keyboard button: Text must be non-empty")
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES:
                raise bad_request("BUTTON_DATA_INVALID")
            actions = set(button) - {"text", "style", "icon_custom_emoji_id"}
            if not actions:
                raise bad_request("can't parse inline keyboard button: Text buttons are unallowed in the "
                                  "inline keyboard")


def _not_modified() -> TelegramApiError:
    return bad_request("message is not modified: specified new message content and reply markup are "
                       "exactly the same as a current content and reply markup of the message")


def _set_or_drop(record: dict[str, Any], key: str, value: Any) -> None:
    if value is None:
        record.pop(key, None)
    else:
        record[key] = value


def _commands_key(params: dict[str, Any]) -> tuple[str, str]:
    """(scope type, language code); a scope naming a chat or user adds the ids: "chat_member:-100:7"."""
    scope = params.get("scope") or {"type": "default"}
    scope_key = str(scope.get("type", "default"))
    for part in ("chat_id", "user_id"):
        if part in scope:
            scope_key += f":{scope[part]}"
    return scope_key, str(params.get("language_code") or "")


def _window_wait(sends: deque[float], limit: int, window: float, now: float) -> float:
    """Seconds until `sends` has room for one more within `window`; 0 if it has room now."""
    while sends and sends[0] <= now - window:
        sends.popleft()
    if len(sends) < limit:
        return 0.0
    return sends[len(sends) - limit] + window - now
