"""A fake Discord — REST API and gateway WebSocket — on 127.0.0.1, for the real discord.py to log in to.

Tests run the real library against this peer instead of mocking it, so what they prove holds for the
wire: headers, status codes, retries, payload shapes. The fake is strict where Discord is strict
(lengths, embeds, empty messages, tokens, rate limits, interaction acknowledgement) and answers in
Discord's own error format, so the code under test meets the same failures it will meet in production.

Usage::

    fake = FakeDiscord()
    fake.add_guild(2000, channels=[3000])
    await fake.start()
    fake.patch(monkeypatch)
    task = asyncio.create_task(bot.start(fake.token))
    await fake.wait_ready()
    body = await fake.interact(command_interaction("ping"))
"""

from __future__ import annotations

import asyncio
import fnmatch
import itertools
import json
import math
import re
import secrets
import time
import unicodedata
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest
import yarl
from aiohttp import BodyPartReader, WSCloseCode, WSMsgType, web

from tests.fakes.discord_payloads import iso_now, snowflake, user_object
from tests.fakes.specs import discord_spec, raise_violations

API_PREFIX = "/api/v10"
GATEWAY_PATH = "/gw"
HEARTBEAT_INTERVAL_MS = 41_250

# Gateway opcodes.
OP_DISPATCH, OP_HEARTBEAT, OP_IDENTIFY, OP_PRESENCE, OP_RESUME = 0, 1, 2, 3, 6
OP_RECONNECT, OP_REQUEST_MEMBERS, OP_INVALID_SESSION, OP_HELLO, OP_HEARTBEAT_ACK = 7, 8, 9, 10, 11

# Intents Discord refuses (close 4014) unless switched on in the developer portal.
PRIVILEGED_INTENTS = (1 << 1) | (1 << 8) | (1 << 15)  # members, presences, message content

ADMINISTRATOR, MENTION_EVERYONE = 1 << 3, 1 << 17
# A bot invited with the usual scopes: view, send, embed links, attach files, read history, app commands.
DEFAULT_BOT_PERMISSIONS = (1 << 10) | (1 << 11) | (1 << 14) | (1 << 15) | (1 << 16) | (1 << 31)

# Discord's documented limits.
CONTENT_LIMIT = 2000
EMBEDS_LIMIT = 10
FILES_LIMIT = 10
EMBED_TOTAL_LIMIT = 6000
FIELDS_LIMIT = 25
NONCE_LIMIT = 25
NONCE_WINDOW_S = 300.0
MODAL_TITLE_LIMIT = 45
CHOICES_LIMIT = 25
EPHEMERAL, LOADING = 1 << 6, 1 << 7

VALID_LOCALES = frozenset(
    "id da de en-GB en-US es-ES es-419 fr hr it lt hu nl no pl pt-BR ro fi sv-SE vi tr cs el bg ru uk hi th "
    "zh-CN ja zh-TW ko".split()
)

# The gateway is not in Discord's OpenAPI document, but the objects its events carry are the REST API's: those
# the fake sends are checked against their schemas. event -> ((key in the event, "[]" for each of a list), schema)
GATEWAY_OBJECTS: dict[str, tuple[tuple[str, str], ...]] = {
    "READY": (("user", "UserResponse"),),
    "GUILD_CREATE": (("roles[]", "GuildRoleResponse"), ("channels[]", "GuildChannelResponse"),
                     ("members[]", "GuildMemberResponse")),
    "INTERACTION_CREATE": (("message", "MessageResponse"), ("member", "GuildMemberResponse"),
                           ("user", "UserResponse")),
}

_MESSAGES_PATH = re.compile(r"^/channels/(\d+)/messages$")
_CALLBACK_PATH = re.compile(r"^/interactions/(\d+)/[^/]+/callback$")
_WEBHOOK_TOKEN_PATH = re.compile(r"^/webhooks/\d+/[^/]+(/.*)?$")
_USER_MENTION = re.compile(r"<@!?(\d+)>")
_ROLE_MENTION = re.compile(r"<@&(\d+)>")

Errors = dict[str, Any]


class ApiError(Exception):
    """An error answered in Discord's shape: `{"message", "code"}` plus `errors` for form errors."""

    def __init__(self, status: int, code: int, message: str, errors: Errors | None = None) -> None:
        super().__init__(f"{status} {code} {message}")
        self.status, self.code, self.message, self.errors = status, code, message, errors

    def response(self) -> web.Response:
        body: dict[str, Any] = {"message": self.message, "code": self.code}
        if self.errors:
            body["errors"] = self.errors
        return json_response(body, status=self.status)


def json_response(body: Any, *, status: int = 200, headers: Mapping[str, str] | None = None) -> web.Response:
    """discord.py only decodes JSON when Content-Type is exactly `application/json`.

    aiohttp's `web.json_response` appends `; charset=utf-8`, after which the library sees a string and
    login dies with a confusing TypeError, so every answer goes through here.
    """
    response = web.Response(
        status=status,
        body=json.dumps(body).encode(),
        headers={**(headers or {}), "Content-Type": "application/json"},
    )
    response[ANSWER] = body
    return response


def form_error(path: tuple[str | int, ...], code: str, message: str) -> ApiError:
    """A single 50035 "Invalid Form Body" error at `path`, nested like Discord nests them."""
    errors: Errors = {"_errors": [{"code": code, "message": message}]}
    for key in reversed(path):
        errors = {str(key): errors}
    return ApiError(400, 50035, "Invalid Form Body", errors)


class _FormErrors:
    """Collects every form error of one request, since Discord reports them all at once."""

    def __init__(self) -> None:
        self.errors: Errors = {}

    def add(self, path: tuple[str | int, ...], code: str, message: str) -> None:
        node = self.errors
        for key in path:
            node = node.setdefault(str(key), {})
        node.setdefault("_errors", []).append({"code": code, "message": message})

    def max_length(self, path: tuple[str | int, ...], value: Any, limit: int) -> None:
        if value is not None and len(value) > limit:
            self.add(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")

    def raise_if_any(self) -> None:
        if self.errors:
            raise ApiError(400, 50035, "Invalid Form Body", self.errors)


def validate_files(files: list[RecordedFile], interaction: Mapping[str, Any]) -> None:
    """At most ten files to a message, each within the interaction's `attachment_size_limit` (Discord answers
    a larger upload with 413 Request Entity Too Large, code 40005)."""
    if len(files) > FILES_LIMIT:
        raise form_error(("attachments",), "BASE_TYPE_MAX_LENGTH", f"Must be {FILES_LIMIT} or fewer in length.")
    limit = int(interaction.get("attachment_size_limit") or 0)
    if limit and any(len(file.data) > limit for file in files):
        raise ApiError(413, 40005, "Request entity too large")


def validate_message(payload: Mapping[str, Any], *, files: int = 0, allow_empty: bool = False) -> None:
    """Discord's limits for a message body (channel message, interaction reply, follow-up, edit)."""
    check = _FormErrors()
    check.max_length(("content",), payload.get("content"), CONTENT_LIMIT)
    embeds = payload.get("embeds") or []
    if len(embeds) > EMBEDS_LIMIT:
        check.max_length(("embeds",), embeds, EMBEDS_LIMIT)
    total = 0
    for index, embed in enumerate(embeds):
        at = ("embeds", index)
        check.max_length((*at, "title"), embed.get("title"), 256)
        check.max_length((*at, "description"), embed.get("description"), 4096)
        footer = (embed.get("footer") or {}).get("text")
        author = (embed.get("author") or {}).get("name")
        check.max_length((*at, "footer", "text"), footer, 2048)
        check.max_length((*at, "url"), embed.get("url"), 2048)
        check.max_length((*at, "author", "name"), author, 256)
        fields = embed.get("fields") or []
        check.max_length((*at, "fields"), fields, FIELDS_LIMIT)
        for number, item in enumerate(fields):
            for key, limit in (("name", 256), ("value", 1024)):
                value = item.get(key)
                if not value:
                    check.add((*at, "fields", number, key), "BASE_TYPE_REQUIRED", "This field is required")
                check.max_length((*at, "fields", number, key), value, limit)
            total += len(item.get("name") or "") + len(item.get("value") or "")
        total += sum(len(text or "") for text in (embed.get("title"), embed.get("description"), footer, author))
    if total > EMBED_TOTAL_LIMIT:
        check.add(("embeds",), "MAX_EMBED_SIZE_EXCEEDED", f"Embed size exceeds maximum size of {EMBED_TOTAL_LIMIT}")
    nonce = payload.get("nonce")
    if nonce is not None and len(str(nonce)) > NONCE_LIMIT:
        check.max_length(("nonce",), str(nonce), NONCE_LIMIT)
    check.raise_if_any()
    has_body = (
        (payload.get("content") or "").strip()
        or embeds
        or files
        or payload.get("attachments")
        or payload.get("components")
        or payload.get("sticker_ids")
        or payload.get("poll")
    )
    if not allow_empty and not has_body:
        # Not a form error: Discord has its own code for this.
        raise ApiError(400, 50006, "Cannot send an empty message")


def _valid_command_name(name: Any, *, chat_input: bool) -> bool:
    """Discord's `^[-_'\\p{L}\\p{N}\\p{sc=Deva}\\p{sc=Thai}]{1,32}$`, lower case, for slash commands."""
    if not isinstance(name, str) or not 1 <= len(name) <= 32:
        return False
    if not chat_input:  # context-menu names may hold spaces and capitals
        return True
    allowed = all(ch in "-_'" or ch.isalnum() or unicodedata.category(ch).startswith("M") for ch in name)
    return allowed and name == name.lower()


def validate_commands(commands: Any) -> None:
    """The checks Discord runs on a bulk overwrite, including every localisation."""
    check = _FormErrors()
    if not isinstance(commands, list):
        raise form_error((), "LIST_TYPE_CONVERT", "Only iterables may be used in a ListType.")
    if sum(1 for command in commands if command.get("type", 1) == 1) > 100:
        check.add((), "APPLICATION_COMMANDS_TOO_MANY", "Maximum number of application commands reached (100).")
    seen: set[tuple[int, str]] = set()
    for index, command in enumerate(commands):
        kind = command.get("type", 1)
        key = (kind, command.get("name"))
        if key in seen:
            check.add(
                (index, "name"), "APPLICATION_COMMANDS_DUPLICATE_NAME", "Application command names must be unique"
            )
        seen.add(key)
        _check_named((index,), command, check, chat_input=kind == 1, description_required=kind == 1)
        _check_options((index, "options"), command.get("options") or [], check)
    check.raise_if_any()


def _check_named(
    at: tuple[str | int, ...],
    item: Mapping[str, Any],
    check: _FormErrors,
    *,
    chat_input: bool,
    description_required: bool,
) -> None:
    names = {"": item.get("name"), **(item.get("name_localizations") or {})}
    for locale, name in names.items():
        path = (*at, "name") if not locale else (*at, "name_localizations", locale)
        if locale and locale not in VALID_LOCALES:
            check.add(path, "LOCALE_INVALID", f"Invalid locale {locale!r}")
        elif not _valid_command_name(name, chat_input=chat_input):
            check.add(path, "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")
    descriptions = {"": item.get("description"), **(item.get("description_localizations") or {})}
    for locale, description in descriptions.items():
        path = (*at, "description") if not locale else (*at, "description_localizations", locale)
        if locale and locale not in VALID_LOCALES:
            check.add(path, "LOCALE_INVALID", f"Invalid locale {locale!r}")
        elif description_required and not description:
            check.add(path, "BASE_TYPE_REQUIRED", "This field is required")
        else:
            check.max_length(path, description, 100)


def _check_options(at: tuple[str | int, ...], options: list[dict[str, Any]], check: _FormErrors) -> None:
    check.max_length(at, options, 25)
    optional_seen = False
    for index, item in enumerate(options):
        _check_named((*at, index), item, check, chat_input=True, description_required=True)
        if item.get("type") in (1, 2):
            _check_options((*at, index, "options"), item.get("options") or [], check)
            continue
        if item.get("required"):
            if optional_seen:
                check.add(
                    (*at, index, "required"),
                    "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                    "Required options must be placed before non-required options",
                )
        else:
            optional_seen = True
        choices = item.get("choices") or []
        check.max_length((*at, index, "choices"), choices, CHOICES_LIMIT)
        for number, choice in enumerate(choices):
            check.max_length((*at, index, "choices", number, "name"), choice.get("name"), 100)


def _token_authenticated(path: str) -> bool:
    """Routes authorised by the token in their path: interaction callbacks and webhook/follow-up calls."""
    return bool(_CALLBACK_PATH.match(path) or _WEBHOOK_TOKEN_PATH.match(path))


@dataclass
class RecordedFile:
    field: str
    filename: str | None
    content_type: str | None
    data: bytes


@dataclass
class RecordedRequest:
    """One REST call as the fake saw it, and what it answered."""

    method: str
    path: str  # without the /api/v10 prefix
    query: dict[str, str]
    json: Any  # the JSON body, or the payload_json part of a multipart body; None without a body
    headers: dict[str, str]
    files: list[RecordedFile] = field(default_factory=list)
    status: int = 0
    response: Any = None  # the JSON the fake answered (None for 204)

    def header(self, name: str) -> str | None:
        """Case-insensitive header lookup."""
        return next((value for key, value in self.headers.items() if key.lower() == name.lower()), None)


# Per-request and per-response storage: the record of a request, and the JSON a response carries.
RECORD = web.RequestKey("record", RecordedRequest)
ANSWER = web.ResponseKey("answer", object)


@dataclass
class FollowUp:
    """A call on an interaction's webhook: a follow-up created, or a response message edited/deleted."""

    kind: str  # "create" | "edit" | "delete"
    interaction_id: str
    message_id: str
    body: Any
    message: dict[str, Any] | None


@dataclass
class _Guild:
    id: int
    name: str
    locale: str
    owner_id: int
    roles: list[dict[str, Any]]
    channels: dict[int, dict[str, Any]]
    members: dict[int, dict[str, Any]]
    joined_at: str = field(default_factory=iso_now)


@dataclass
class _Interaction:
    id: str
    token: str
    type: int
    payload: dict[str, Any]
    response_type: int | None = None
    original: dict[str, Any] | None = None
    followups: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass
class _Session:
    ws: web.WebSocketResponse
    session_id: str
    seq: int = 0


@dataclass
class _ForcedLimit:
    remaining: int
    retry_after: float
    route: str | None
    is_global: bool

    def matches(self, record: RecordedRequest) -> bool:
        candidates = (f"{record.method} {record.path}", record.path)
        return self.route is None or any(fnmatch.fnmatchcase(text, self.route) for text in candidates)


@dataclass
class _ForcedFailure(_ForcedLimit):
    """The next matching requests fail with a server error, as Discord's edge does in an outage."""

    status: int = 502


@dataclass
class _Window:
    """One channel's message bucket as Discord keeps it: `used` of the limit until `ends`, then a new window.

    Every answer inside a window advertises the same reset instant, so a client that waits until then, as it
    was told, finds a whole new window: it is never refused, however spread out its requests arrive. (A
    sliding window told each answer its own reset, and a client that waited as told could still get a 429
    when the requests of one burst reached the fake a few milliseconds apart.)"""

    ends: float = 0.0
    used: int = 0


def _seconds_until(instant: float, now: float) -> float:
    # Rounded up to the millisecond shown, plus one, so waiting the advertised time always reaches `instant`.
    return math.ceil(max(instant - now, 0.0) * 1000 + 1) / 1000


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class FakeDiscord:
    """Discord's REST API (under /api/v10) and gateway (at /gw) on one loopback port."""

    def __init__(
        self,
        *,
        token: str = "fake-discord-token",
        application_id: int = 1000,
        bot_user_id: int = 1001,
        bot_name: str = "Continuity",
    ) -> None:
        self.token = token
        self.application_id = application_id
        self.bot_user_id = bot_user_id
        self.bot_name = bot_name
        self.port = 0

        self.requests: list[RecordedRequest] = []
        self.unhandled: list[RecordedRequest] = []  # requests for routes the fake does not know
        self.interaction_callbacks: dict[str, list[dict[str, Any]]] = {}
        self.followups: list[FollowUp] = []
        self.modals: list[dict[str, Any]] = []  # every modal the bot opened (the callback's data), in order
        self.messages: dict[int, list[dict[str, Any]]] = {}
        self.allowed_mentions: dict[str, Any] = {}  # message id -> allowed_mentions as sent (None if absent)
        self.commands: list[dict[str, Any]] = []
        self.guild_commands: dict[int, list[dict[str, Any]]] = {}
        self.identify: dict[str, Any] | None = None
        self.gateway_received: list[dict[str, Any]] = []  # every frame the bot sent, heartbeats included
        self.resumes = 0
        self.crashes: list[Exception] = []  # exceptions inside the fake's handlers (answered 400)
        # Every exchange is checked against Discord's OpenAPI document (when ../shared/specs is there): what
        # the bot sent that Discord does not take, and what the fake answered that Discord never would.
        # `stop()` raises if any was found, so no test that uses the fake can pass with one.
        self.spec_violations: list[str] = []
        self.spec = discord_spec()  # None: no check (the specs are absent, or a benchmark turned it off)

        # Failure controls.
        self.enforce_limits = False
        self.advertise_limits = False  # with enforce_limits: send X-RateLimit-* on successes too
        self.channel_message_limit: tuple[int, float] = (5, 5.0)  # messages per seconds, per channel
        self.global_request_limit: tuple[int, float] = (50, 1.0)  # requests per seconds, overall
        # The limiter's clock, and what happens when it tells a client to wait: a test can make time stand still
        # while the bot sends and pass exactly as long as the bot was told to wait, so no limit depends on how
        # fast the machine happens to be.
        self.limit_clock: Callable[[], float] = time.monotonic
        self.told_to_wait: Callable[[float], None] = lambda seconds: None
        self.privileged_intents = 0  # the privileged intents "switched on in the portal"
        # How long a nonce is remembered ("the past few minutes"); 0: as if those minutes had passed.
        self.nonce_window = NONCE_WINDOW_S
        # Awaited when a request arrives, before it is answered: a test can act while the bot waits.
        self.on_request: Callable[[RecordedRequest], Awaitable[None]] | None = None
        self._forbidden: dict[int, bool] = {}  # channel id -> can still view it
        self._deleted: set[int] = set()
        self._closed_dms: set[int] = set()
        self._forced: list[_ForcedLimit] = []
        self._failures: list[_ForcedFailure] = []
        self._global_hits: deque[float] = deque()
        self._channel_windows: dict[int, _Window] = {}

        self.users: dict[int, dict[str, Any]] = {bot_user_id: user_object(bot_user_id, bot_name, bot=True)}
        self._guilds: dict[int, _Guild] = {}
        self._dm_by_user: dict[int, int] = {}
        self._dms: dict[int, dict[str, Any]] = {}
        self._message_index: dict[str, dict[str, Any]] = {}
        self._nonces: dict[tuple[int, str], tuple[float, dict[str, Any]]] = {}
        self._interactions: dict[str, _Interaction] = {}
        self._open_modals: dict[tuple[int, str], dict[str, Any]] = {}  # (user id, custom_id) -> modal shown
        self._command_ids: dict[tuple[int | None, int, str], str] = {}

        self._runner: web.AppRunner | None = None
        self._sockets: set[web.WebSocketResponse] = set()
        self._session: _Session | None = None
        self._send_lock = asyncio.Lock()
        self._ready = asyncio.Event()
        self._resumed = asyncio.Event()
        self._request_waiters: list[tuple[Callable[[RecordedRequest], bool], asyncio.Future[RecordedRequest]]] = []
        self._callback_waiters: dict[str, asyncio.Future[dict[str, Any]]] = {}

    # ------------------------------------------------------------------ lifecycle

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}{API_PREFIX}"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}{GATEWAY_PATH}"

    async def start(self) -> None:
        app = web.Application(middlewares=[self._middleware])
        app.router.add_get(GATEWAY_PATH, self._gateway)
        self._add_routes(app.router)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        for ws in list(self._sockets):
            await ws.close(code=WSCloseCode.GOING_AWAY, message=b"fake Discord stopped")
        for _, future in self._request_waiters:
            future.cancel()
        for future in self._callback_waiters.values():
            future.cancel()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        raise_violations("Discord", self.spec_violations)

    def patch(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Point discord.py at this fake for one test (REST, interaction callbacks, webhooks and gateway)."""
        import discord.gateway
        import discord.http

        monkeypatch.setattr(discord.http.Route, "BASE", self.api_base)
        monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(self.gateway_url))

    # ------------------------------------------------------------------ world setup

    @property
    def bot_user(self) -> dict[str, Any]:
        return self.users[self.bot_user_id]

    def add_user(self, user_id: int, username: str = "member") -> dict[str, Any]:
        """A user Discord knows (users seen in interactions are added by themselves)."""
        return self.users.setdefault(user_id, user_object(user_id, username))

    def add_guild(
        self,
        guild_id: int,
        name: str = "Guild",
        *,
        channels: list[int] | None = None,
        roles: list[dict[str, Any]] | None = None,
        locale: str = "en-US",
        bot_permissions: int = DEFAULT_BOT_PERMISSIONS,
        owner_id: int = 999,
    ) -> None:
        """A guild the bot is in: listed unavailable in READY, then sent in full as GUILD_CREATE.

        `roles` may override @everyone by giving a role whose id is the guild id. The bot's own member
        and managed role are added, as Discord does, so `guild.me` and permission checks work.
        """
        if self.connected:
            raise RuntimeError("the bot is connected: use `await fake.join_guild(...)` to send GUILD_CREATE")
        self._guilds[guild_id] = self._build_guild(guild_id, name, channels, roles, locale, bot_permissions, owner_id)

    async def join_guild(
        self,
        guild_id: int,
        name: str = "Guild",
        *,
        channels: list[int] | None = None,
        roles: list[dict[str, Any]] | None = None,
        locale: str = "en-US",
        bot_permissions: int = DEFAULT_BOT_PERMISSIONS,
        owner_id: int = 999,
    ) -> None:
        """The bot is added to a guild while connected: GUILD_CREATE at once (discord.py: on_guild_join)."""
        guild = self._build_guild(guild_id, name, channels, roles, locale, bot_permissions, owner_id)
        self._guilds[guild_id] = guild
        if self.connected:
            # Without `unavailable` a GUILD_CREATE means "joined"; `unavailable: false` means "back online".
            created = self._guild_create(guild)
            del created["unavailable"]
            await self.dispatch("GUILD_CREATE", created)

    async def leave_guild(self, guild_id: int) -> None:
        """The bot is removed from a guild: GUILD_DELETE without `unavailable` (discord.py: on_guild_remove)."""
        self._guilds.pop(guild_id, None)
        if self.connected:
            await self.dispatch("GUILD_DELETE", {"id": str(guild_id)})

    def add_member(
        self, guild_id: int, user_id: int, username: str = "member", *, roles: list[int] | None = None
    ) -> None:
        user = self.add_user(user_id, username)
        self._guilds[guild_id].members[user_id] = self._member(user, [str(role) for role in roles or []])

    def forbid_channel(self, channel_id: int, *, can_view: bool = False) -> None:
        """The bot lost access: 403 Missing Access (50001), or Missing Permissions (50013) if it can view."""
        self._forbidden[channel_id] = can_view

    def delete_channel(self, channel_id: int) -> None:
        """The channel is gone: 404 Unknown Channel (10003)."""
        self._deleted.add(channel_id)

    def close_dms(self, user_id: int) -> None:
        """The user does not accept DMs from the bot: sends to their DM answer 403 (50007)."""
        self._closed_dms.add(user_id)

    def rate_limit_next(
        self, count: int = 1, *, retry_after: float = 0.05, route: str | None = None, is_global: bool = False
    ) -> None:
        """Answer the next `count` matching requests with 429.

        `route` is a glob on "METHOD /path" or "/path" (without /api/v10), e.g. "POST /channels/*/messages";
        None matches every request.
        """
        self._forced.append(_ForcedLimit(count, retry_after, route, is_global))

    def fail_next(self, count: int = 1, *, status: int = 502, route: str | None = None) -> None:
        """Answer the next `count` matching requests (`route` as for `rate_limit_next`) with `status`, an HTML
        error page as Discord's edge sends in an outage."""
        self._failures.append(_ForcedFailure(count, 0.0, route, False, status))

    # ------------------------------------------------------------------ gateway and waiting

    @property
    def connected(self) -> bool:
        """Whether a bot session is open (IDENTIFIED, or RESUMED, on a socket that is still up)."""
        return self._session is not None and not self._session.ws.closed

    async def wait_ready(self, timeout: float = 5) -> None:
        """Until the bot has IDENTIFIED and the fake has sent READY and every GUILD_CREATE.

        The bot processes those frames a moment later: use `bot.wait_until_ready()` for its side.
        """
        await asyncio.wait_for(self._ready.wait(), timeout)

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Send a gateway event (op 0) with the next sequence number."""
        session = self._session
        if session is None or not self.connected:
            raise RuntimeError("the bot is not connected to the fake gateway")
        if event == "INTERACTION_CREATE":
            if data.get("type") == 5:
                self._check_modal_submit(data)
            self._remember_interaction(data)
        self.spec_violations += self._check_gateway_objects(event, data)
        async with self._send_lock:
            session.seq += 1
            await session.ws.send_str(json.dumps({"op": OP_DISPATCH, "t": event, "s": session.seq, "d": data}))

    def _check_gateway_objects(self, event: str, data: Mapping[str, Any]) -> list[str]:
        if self.spec is None:
            return []
        found: list[str] = []
        for key, schema in GATEWAY_OBJECTS.get(event, ()):
            name, each = key.removesuffix("[]"), key.endswith("[]")
            value = data.get(name)
            if value is None:
                continue
            for where, item in ([(f"{name}[{i}]", v) for i, v in enumerate(value)] if each else [(name, value)]):
                found += [f"gateway {event} {where}: {text}" for text in self.spec.check_object(schema, item)]
        return found

    async def interact(self, payload: dict[str, Any], timeout: float = 5) -> dict[str, Any]:
        """Dispatch INTERACTION_CREATE and return the body of the bot's callback POST for it.

        The first callback is returned whatever the fake answered it; see `requests` for the status.
        """
        interaction_id = str(payload["id"])
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._callback_waiters[interaction_id] = future
        try:
            await self.dispatch("INTERACTION_CREATE", payload)
            return await asyncio.wait_for(future, timeout)
        except TimeoutError:
            name = (payload.get("data") or {}).get("name") or (payload.get("data") or {}).get("custom_id")
            recent = [f"{r.method} {r.path} -> {r.status}" for r in self.requests[-5:]]
            raise TimeoutError(
                f"no callback for interaction {name!r} within {timeout}s; last requests: {recent}"
            ) from None
        finally:
            self._callback_waiters.pop(interaction_id, None)

    def response_message(self, interaction_id: str | int) -> dict[str, Any] | None:
        """The message an interaction was answered with (type 4 or 5), e.g. to press a button on it."""
        interaction = self._interactions.get(str(interaction_id))
        return interaction.original if interaction else None

    async def wait_for_request(
        self, predicate: Callable[[RecordedRequest], bool], timeout: float = 5
    ) -> RecordedRequest:
        """The first request (already seen or still to come) that satisfies `predicate`, once answered."""
        for record in self.requests:
            if predicate(record):
                return record
        future: asyncio.Future[RecordedRequest] = asyncio.get_running_loop().create_future()
        waiter = (predicate, future)
        self._request_waiters.append(waiter)
        try:
            return await asyncio.wait_for(future, timeout)
        finally:
            if waiter in self._request_waiters:
                self._request_waiters.remove(waiter)

    async def reconnect(self, timeout: float = 5) -> None:
        """Send op 7 RECONNECT and wait until the bot has RESUMED on a new socket."""
        session = self._session
        if session is None:
            raise RuntimeError("the bot is not connected to the fake gateway")
        self._resumed.clear()
        await self._send(session.ws, {"op": OP_RECONNECT, "d": None})
        await asyncio.wait_for(self._resumed.wait(), timeout)

    async def drop_connection(self, code: int = 4000, timeout: float = 10) -> None:
        """Close the gateway socket as a network failure or Discord's "unknown error" (4000) would, and wait
        until the bot has connected again and RESUMED its session."""
        session = self._session
        if session is None:
            raise RuntimeError("the bot is not connected to the fake gateway")
        self._resumed.clear()
        await session.ws.close(code=code, message=b"Unknown error.")
        await asyncio.wait_for(self._resumed.wait(), timeout)

    async def invalidate_session(self, timeout: float = 10) -> None:
        """Send op 9 INVALID_SESSION (not resumable) and wait until the bot has IDENTIFIED anew: a fresh
        session, READY and every GUILD_CREATE again."""
        session = self._session
        if session is None:
            raise RuntimeError("the bot is not connected to the fake gateway")
        self._session = None  # a RESUME of the old one is refused from now on
        self._ready.clear()
        await self._send(session.ws, {"op": OP_INVALID_SESSION, "d": False})
        await asyncio.wait_for(self._ready.wait(), timeout)

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(timeout=1.0)
        await ws.prepare(request)
        self._sockets.add(ws)
        try:
            await self._send(ws, {"op": OP_HELLO, "d": {"heartbeat_interval": HEARTBEAT_INTERVAL_MS}})
            async for message in ws:
                if message.type is not WSMsgType.TEXT:
                    continue
                frame = json.loads(message.data)
                self.gateway_received.append(frame)
                await self._on_frame(ws, frame)
        finally:
            self._sockets.discard(ws)
        return ws

    async def _on_frame(self, ws: web.WebSocketResponse, frame: dict[str, Any]) -> None:
        op, data = frame.get("op"), frame.get("d")
        if op == OP_HEARTBEAT:
            await self._send(ws, {"op": OP_HEARTBEAT_ACK, "d": None})
        elif op == OP_IDENTIFY:
            await self._on_identify(ws, data)
        elif op == OP_RESUME:
            await self._on_resume(ws, data)
        elif op == OP_REQUEST_MEMBERS:
            guild = self._guilds.get(int(data["guild_id"]))
            members = list(guild.members.values()) if guild else []
            chunk = {"guild_id": data["guild_id"], "members": members, "chunk_index": 0, "chunk_count": 1}
            if data.get("nonce") is not None:
                chunk["nonce"] = data["nonce"]
            await self.dispatch("GUILD_MEMBERS_CHUNK", chunk)
        # Presence updates (op 3) and others are only recorded.

    async def _on_identify(self, ws: web.WebSocketResponse, data: dict[str, Any]) -> None:
        self.identify = data
        self._ready.clear()
        if data.get("token") != self.token:
            await ws.close(code=4004, message=b"Authentication failed.")
            return
        if int(data.get("intents", 0)) & PRIVILEGED_INTENTS & ~self.privileged_intents:
            await ws.close(code=4014, message=b"Disallowed intent(s).")
            return
        self._session = _Session(ws=ws, session_id=secrets.token_hex(16))
        ready: dict[str, Any] = {
            "v": 10,
            "user": {**self.bot_user, "verified": True, "mfa_enabled": False, "flags": 0},
            "guilds": [{"id": str(guild_id), "unavailable": True} for guild_id in self._guilds],
            "session_id": self._session.session_id,
            "resume_gateway_url": self.gateway_url,
            "application": {"id": str(self.application_id), "flags": 0},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": [],
            "user_settings": {},
        }
        if "shard" in data:
            ready["shard"] = data["shard"]
        await self.dispatch("READY", ready)
        for guild in list(self._guilds.values()):
            await self.dispatch("GUILD_CREATE", self._guild_create(guild))
        self._ready.set()

    async def _on_resume(self, ws: web.WebSocketResponse, data: dict[str, Any]) -> None:
        session = self._session
        if session is None or data.get("session_id") != session.session_id or data.get("token") != self.token:
            # The bot then IDENTIFIES afresh (discord.py closes and reconnects without resuming).
            await self._send(ws, {"op": OP_INVALID_SESSION, "d": False})
            return
        session.ws = ws
        self.resumes += 1
        await self.dispatch("RESUMED", {})
        self._resumed.set()

    async def _send(self, ws: web.WebSocketResponse, frame: dict[str, Any]) -> None:
        async with self._send_lock:
            await ws.send_str(json.dumps({"s": None, "t": None, **frame}))

    # ------------------------------------------------------------------ REST plumbing

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if not request.path.startswith(API_PREFIX + "/"):
            return await handler(request)
        record = RecordedRequest(
            method=request.method,
            path=request.path.removeprefix(API_PREFIX),
            query=dict(request.query),
            json=None,
            headers=dict(request.headers),
        )
        request[RECORD] = record
        try:
            await self._read_body(request, record)
            response = await self._answer(request, handler, record)
        except ApiError as error:
            response = error.response()
        except Exception as error:
            # A bug in the fake. Answer 400 rather than 500: discord.py retries 5xx for ~25 s.
            self.crashes.append(error)
            response = ApiError(400, 0, f"fake Discord crashed: {error!r}").response()
        record.status = response.status
        record.response = response.get(ANSWER)
        if self.spec is not None:
            self.spec_violations += self.spec.check(
                record.method, record.path, record.query, record.json,
                content_type=request.headers.get("Content-Type", ""), part_names=[f.field for f in record.files],
                status=record.status, answer=record.response,
            )
        self._finish(record)
        return response

    async def _read_body(self, request: web.Request, record: RecordedRequest) -> None:
        """JSON, or multipart with a `payload_json` part and `files[n]` parts, as discord.py sends them."""
        if request.content_type.startswith("multipart/"):
            reader = await request.multipart()
            while (part := await reader.next()) is not None:
                if not isinstance(part, BodyPartReader):
                    continue  # nested multipart: Discord's clients never send it
                if part.name == "payload_json":
                    try:
                        record.json = json.loads(await part.text())
                    except ValueError:
                        raise ApiError(400, 50109, "The request body contains invalid JSON.") from None
                else:
                    data = bytes(await part.read())
                    record.files.append(
                        RecordedFile(part.name or "", part.filename, part.headers.get("Content-Type"), data)
                    )
        else:
            raw = await request.read()
            if raw:
                try:
                    record.json = json.loads(raw)
                except ValueError:
                    raise ApiError(400, 50109, "The request body contains invalid JSON.") from None

    async def _answer(self, request: web.Request, handler: Handler, record: RecordedRequest) -> web.StreamResponse:
        auth = request.headers.get("Authorization")
        open_route = _token_authenticated(record.path) or record.path == "/gateway"
        if not (auth == f"Bot {self.token}" or (auth is None and open_route)):
            raise ApiError(401, 0, "401: Unauthorized")
        if self.on_request is not None:
            await self.on_request(record)
        if (limited := self._forced_limit(record)) is not None:
            return limited
        if (failed := self._forced_failure(record)) is not None:
            return failed
        if self.enforce_limits and (limited := self._enforce_limits(record)) is not None:
            return limited
        try:
            response = await handler(request)
        except web.HTTPNotFound:
            self.unhandled.append(record)
            raise ApiError(404, 0, "404: Not Found") from None
        except web.HTTPMethodNotAllowed:
            self.unhandled.append(record)
            raise ApiError(405, 0, "405: Method Not Allowed") from None
        channel_id = self._message_post_channel(record)
        if self.enforce_limits and self.advertise_limits and channel_id is not None and response.status < 300:
            response.headers.update(self._channel_bucket_headers(channel_id))
        return response

    def _finish(self, record: RecordedRequest) -> None:
        self.requests.append(record)
        callback = _CALLBACK_PATH.match(record.path)
        if callback and record.status not in (401, 429):
            self.interaction_callbacks.setdefault(callback.group(1), []).append(record.json)
            future = self._callback_waiters.get(callback.group(1))
            if future is not None and not future.done():
                future.set_result(record.json)
        for predicate, future in list(self._request_waiters):
            if future.done():
                continue
            try:
                if predicate(record):
                    future.set_result(record)
            except Exception as error:  # a broken predicate fails its own wait, not the request
                future.set_exception(error)

    # ------------------------------------------------------------------ rate limits

    def _forced_failure(self, record: RecordedRequest) -> web.Response | None:
        for rule in self._failures:
            if rule.remaining > 0 and rule.matches(record):
                rule.remaining -= 1
                return web.Response(status=rule.status, text="<html><body>Bad gateway</body></html>",
                                    content_type="text/html")
        return None

    def _forced_limit(self, record: RecordedRequest) -> web.Response | None:
        for rule in self._forced:
            if rule.remaining > 0 and rule.matches(record):
                rule.remaining -= 1
                return self._too_many(rule.retry_after, is_global=rule.is_global, bucket="forced")
        return None

    def _enforce_limits(self, record: RecordedRequest) -> web.Response | None:
        """50 requests/s overall in a sliding window (interaction webhooks exempt); per channel, Discord's
        5 messages per 5 s bucket: a fixed window that starts with its first message (see `_Window`)."""
        now = self.limit_clock()
        count_global = not _token_authenticated(record.path)
        if count_global:
            limit, period = self.global_request_limit
            _expire(self._global_hits, now - period)
            if len(self._global_hits) >= limit:
                return self._too_many(self._global_hits[0] + period - now, is_global=True, bucket="global")
        channel_id = self._message_post_channel(record)
        if channel_id is not None:
            limit, period = self.channel_message_limit
            window = self._channel_windows.setdefault(channel_id, _Window())
            if now >= window.ends:
                window.ends, window.used = now + period, 0
            if window.used >= limit:
                return self._too_many(window.ends - now, bucket=f"messages-{channel_id}", limit=limit)
            window.used += 1
        if count_global:
            self._global_hits.append(now)
        return None

    def _too_many(self, retry_after: float, *, bucket: str, is_global: bool = False, limit: int = 1) -> web.Response:
        retry_after = _seconds_until(retry_after, 0.0)
        self.told_to_wait(retry_after)
        headers = {
            # discord.py treats a 429 without Via as a Cloudflare ban and raises instead of retrying.
            "Via": "1.1 google",
            "Retry-After": str(max(1, math.ceil(retry_after))),
            "X-RateLimit-Limit": str(limit),
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": f"{time.time() + retry_after:.3f}",
            "X-RateLimit-Reset-After": f"{retry_after:.3f}",
            "X-RateLimit-Bucket": bucket,
            "X-RateLimit-Scope": "global" if is_global else "user",
        }
        if is_global:
            headers["X-RateLimit-Global"] = "true"
        body = {"message": "You are being rate limited.", "retry_after": retry_after, "global": is_global}
        return json_response(body, status=429, headers=headers)

    def _channel_bucket_headers(self, channel_id: int) -> dict[str, str]:
        """What Discord advertises on a success: what is left of the window, and when it ends."""
        limit, _period = self.channel_message_limit
        window = self._channel_windows.get(channel_id, _Window())
        now = self.limit_clock()
        if now >= window.ends:  # over already (a slow handler): the next message opens a new window
            remaining, reset_after = limit, 0.0
        else:
            remaining, reset_after = max(0, limit - window.used), _seconds_until(window.ends, now)
        return {
            "X-RateLimit-Limit": str(limit),
            "X-RateLimit-Remaining": str(remaining),
            "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
            "X-RateLimit-Reset-After": f"{reset_after:.3f}",
            "X-RateLimit-Bucket": f"messages-{channel_id}",
        }

    @staticmethod
    def _message_post_channel(record: RecordedRequest) -> int | None:
        match = _MESSAGES_PATH.match(record.path)
        return int(match.group(1)) if match and record.method == "POST" else None

    # ------------------------------------------------------------------ routes

    def _add_routes(self, router: web.UrlDispatcher) -> None:
        api = API_PREFIX
        webhook = api + r"/webhooks/{application_id:\d+}/{token}"
        router.add_get(api + "/users/@me", self._get_me)
        router.add_get(api + r"/users/{user_id:\d+}", self._get_user)
        router.add_post(api + "/users/@me/channels", self._create_dm)
        router.add_get(api + "/oauth2/applications/@me", self._get_application)
        router.add_get(api + "/gateway", self._get_gateway)
        router.add_get(api + "/gateway/bot", self._get_gateway_bot)
        for path in (
            r"/applications/{application_id:\d+}/commands",
            r"/applications/{application_id:\d+}/guilds/{guild_id:\d+}/commands",
        ):
            router.add_get(api + path, self._get_commands)
            router.add_put(api + path, self._put_commands)
        router.add_post(api + r"/interactions/{interaction_id:\d+}/{token}/callback", self._interaction_callback)
        router.add_post(webhook, self._create_followup)
        router.add_get(webhook + "/messages/{message_id}", self._get_webhook_message)
        router.add_patch(webhook + "/messages/{message_id}", self._edit_webhook_message)
        router.add_delete(webhook + "/messages/{message_id}", self._delete_webhook_message)
        router.add_get(api + r"/channels/{channel_id:\d+}", self._get_channel)
        router.add_get(api + r"/channels/{channel_id:\d+}/messages", self._get_channel_messages)
        router.add_post(api + r"/channels/{channel_id:\d+}/messages", self._create_message)
        router.add_get(api + r"/channels/{channel_id:\d+}/messages/{message_id:\d+}", self._get_message)
        router.add_patch(api + r"/channels/{channel_id:\d+}/messages/{message_id:\d+}", self._edit_message)
        router.add_delete(api + r"/channels/{channel_id:\d+}/messages/{message_id:\d+}", self._delete_message)
        router.add_post(api + r"/channels/{channel_id:\d+}/typing", self._typing)
        router.add_get(api + r"/guilds/{guild_id:\d+}", self._get_guild)
        router.add_get(api + r"/guilds/{guild_id:\d+}/members/{user_id:\d+}", self._get_member)

    async def _get_me(self, request: web.Request) -> web.Response:
        # The current user is the private shape of a user (UserPIIResponse): with its locale and MFA state.
        return json_response({**self.bot_user, "verified": True, "mfa_enabled": False, "locale": "en-US"})

    async def _get_user(self, request: web.Request) -> web.Response:
        user = self.users.get(int(request.match_info["user_id"]))
        if user is None:
            raise ApiError(404, 10013, "Unknown User")
        return json_response(user)

    async def _get_application(self, request: web.Request) -> web.Response:
        return json_response(
            {
                "id": str(self.application_id),
                "name": self.bot_name,
                "description": "",
                "icon": None,
                "bot_public": True,
                "bot_require_code_grant": False,
                "owner": user_object(999, "owner"),
                "team": None,
                "verify_key": "0" * 64,
                "flags": 0,
                "flags_new": "0",
                "type": None,
                "summary": "",
                "bot": self.bot_user,
                "redirect_uris": [],
                "interactions_endpoint_url": None,
                "role_connections_verification_url": None,
                "approximate_guild_count": len(self._guilds),
                "approximate_user_install_count": 0,
                "approximate_user_authorization_count": 0,
                "explicit_content_filter": 0,
                "eligible_oauth2_scopes": ["applications.commands", "bot"],
            }
        )

    async def _get_gateway(self, request: web.Request) -> web.Response:
        return json_response({"url": self.gateway_url})

    async def _get_gateway_bot(self, request: web.Request) -> web.Response:
        limit = {"total": 1000, "remaining": 999, "reset_after": 14_400_000, "max_concurrency": 1}
        return json_response({"url": self.gateway_url, "shards": 1, "session_start_limit": limit})

    def _check_application(self, request: web.Request) -> None:
        if int(request.match_info["application_id"]) != self.application_id:
            raise ApiError(403, 50001, "Missing Access")

    async def _get_commands(self, request: web.Request) -> web.Response:
        self._check_application(request)
        guild_id = request.match_info.get("guild_id")
        if guild_id is None:
            return json_response(self.commands)
        return json_response(self.guild_commands.get(int(guild_id), []))

    async def _put_commands(self, request: web.Request) -> web.Response:
        self._check_application(request)
        raw_guild = request.match_info.get("guild_id")
        guild_id = int(raw_guild) if raw_guild is not None else None
        if guild_id is not None and guild_id not in self._guilds:
            raise ApiError(403, 50001, "Missing Access")
        body = request[RECORD].json
        validate_commands(body)
        stored = []
        for command in body:
            kind = command.get("type", 1)
            # Discord keeps a command's id across overwrites as long as its name and type stay.
            command_id = self._command_ids.setdefault((guild_id, kind, command["name"]), str(snowflake()))
            item = {
                **command,
                "id": command_id,
                "application_id": str(self.application_id),
                "type": kind,
                "version": str(snowflake()),
                "description": command.get("description", ""),
                "default_member_permissions": command.get("default_member_permissions"),
                "nsfw": command.get("nsfw", False),
                # Left out (or null), Discord fills in the installation contexts the app is configured for.
                "integration_types": [0] if command.get("integration_types") is None else command["integration_types"],
            }
            if guild_id is not None:
                item["guild_id"] = str(guild_id)
            stored.append(item)
        if guild_id is None:
            self.commands = stored
        else:
            self.guild_commands[guild_id] = stored
        return json_response(stored)

    # interactions ----------------------------------------------------------------

    def _remember_interaction(self, payload: dict[str, Any]) -> None:
        interaction = _Interaction(str(payload["id"]), payload["token"], int(payload["type"]), payload)
        self._interactions[interaction.id] = interaction
        member = payload.get("member")
        user = (member or {}).get("user") or payload.get("user")
        if user is not None:
            self.users.setdefault(int(user["id"]), user)
        guild = self._guilds.get(int(payload.get("guild_id") or 0))
        if guild is not None and member is not None:
            guild.members.setdefault(int(user["id"]), {k: v for k, v in member.items() if k != "permissions"})

    def _check_modal_submit(self, payload: Mapping[str, Any]) -> None:
        """Discord sends a MODAL_SUBMIT only for a modal it showed that person, once: a test that submits
        anything else is testing a submit that cannot happen."""
        custom_id = (payload.get("data") or {}).get("custom_id")
        if self._open_modals.pop((_user_id(payload), custom_id), None) is None:
            raise ValueError(f"no modal {custom_id!r} is open for user {_user_id(payload)}: open it first")

    def _interaction_by_token(self, request: web.Request) -> _Interaction:
        token = request.match_info["token"]
        interaction = next((i for i in self._interactions.values() if i.token == token), None)
        if int(request.match_info["application_id"]) != self.application_id or interaction is None:
            raise ApiError(404, 10015, "Unknown Webhook")
        return interaction

    async def _interaction_callback(self, request: web.Request) -> web.Response:
        record: RecordedRequest = request[RECORD]
        interaction = self._interactions.get(request.match_info["interaction_id"])
        if interaction is None or interaction.token != request.match_info["token"]:
            raise ApiError(404, 10062, "Unknown interaction")
        if interaction.response_type is not None:
            raise ApiError(400, 40060, "Interaction has already been acknowledged.")
        body = record.json or {}
        kind, data = body.get("type"), body.get("data") or {}
        channel_id = int(interaction.payload.get("channel_id") or interaction.payload["channel"]["id"])
        guild_id = _int_or_none(interaction.payload.get("guild_id"))
        source_message = interaction.payload.get("message")
        if kind == 1 and interaction.type == 1:
            pass
        elif kind == 4:
            validate_message(data, files=len(record.files))
            validate_files(record.files, interaction.payload)
            message_type = 20 if interaction.type == 2 else 0
            interaction.original = self._build_message(channel_id, guild_id, data, record.files, message_type)
        elif kind == 5:
            # The "is thinking…" placeholder the later PATCH @original fills in.
            flags = LOADING | (data.get("flags", 0) & EPHEMERAL)
            interaction.original = self._build_message(channel_id, guild_id, {"flags": flags}, [], 20)
        elif kind in (6, 7) and source_message is not None:
            if kind == 7:
                validate_message(data, files=len(record.files), allow_empty=True)
                _apply_edit(source_message, data)
            interaction.original = source_message
        elif kind == 8 and interaction.type == 4:
            check = _FormErrors()
            check.max_length(("data", "choices"), data.get("choices") or [], CHOICES_LIMIT)
            check.raise_if_any()
        elif kind == 9 and interaction.type in (2, 3):
            # Only a command or a component may open a modal, and only as its first response (above).
            _validate_modal(data)
            self.modals.append(data)
            self._open_modals[(_user_id(interaction.payload), data["custom_id"])] = data
        else:
            raise form_error(("type",), "INTERACTION_RESPONSE_TYPE_INVALID", f"Invalid response type {kind}")
        interaction.response_type = kind
        original = interaction.original if kind in (4, 5, 7) else None
        answer: dict[str, Any] = {
            "interaction": {
                "id": interaction.id,
                "type": interaction.type,
                "response_message_loading": kind == 5,
                "response_message_ephemeral": bool(original and original["flags"] & EPHEMERAL),
            }
        }
        if original is not None:
            answer["interaction"]["response_message_id"] = original["id"]
        if original is not None and kind in (4, 7):
            # Only a message sent or updated is a resource; a deferred reply ("thinking…") has none yet.
            answer["resource"] = {"type": kind, "message": original}
        return json_response(answer)

    async def _create_followup(self, request: web.Request) -> web.StreamResponse:
        record: RecordedRequest = request[RECORD]
        interaction = self._interaction_by_token(request)
        if interaction.response_type is None:
            # Discord: a follow-up before the interaction is acknowledged has no webhook to go to.
            raise ApiError(404, 10015, "Unknown Webhook")
        payload = record.json or {}
        validate_message(payload, files=len(record.files))
        validate_files(record.files, interaction.payload)
        channel_id = int(interaction.payload.get("channel_id") or interaction.payload["channel"]["id"])
        guild_id = _int_or_none(interaction.payload.get("guild_id"))
        message = self._build_message(channel_id, guild_id, payload, record.files, 0, webhook=True)
        interaction.followups[message["id"]] = message
        self.followups.append(FollowUp("create", interaction.id, message["id"], payload, message))
        if record.query.get("wait", "").lower() in ("1", "true"):
            return json_response(message)
        return web.Response(status=204)

    def _webhook_message(self, request: web.Request) -> tuple[_Interaction, dict[str, Any]]:
        interaction = self._interaction_by_token(request)
        ref = request.match_info["message_id"]
        if ref == "@original":
            message = interaction.original
        else:
            message = interaction.followups.get(ref)
            if message is None and interaction.original and interaction.original["id"] == ref:
                message = interaction.original
        if message is None:
            raise ApiError(404, 10008, "Unknown Message")
        return interaction, message

    async def _get_webhook_message(self, request: web.Request) -> web.Response:
        return json_response(self._webhook_message(request)[1])

    async def _edit_webhook_message(self, request: web.Request) -> web.Response:
        record: RecordedRequest = request[RECORD]
        interaction, message = self._webhook_message(request)
        payload = record.json or {}
        edited = self._edited(message, payload, record.files)
        message.clear()
        message.update(edited)
        self.followups.append(FollowUp("edit", interaction.id, message["id"], payload, message))
        return json_response(message)

    async def _delete_webhook_message(self, request: web.Request) -> web.Response:
        interaction, message = self._webhook_message(request)
        if interaction.original is message:
            interaction.original = None
        interaction.followups.pop(message["id"], None)
        self.followups.append(FollowUp("delete", interaction.id, message["id"], None, None))
        return web.Response(status=204)

    # channels and messages -----------------------------------------------------------

    def _find_channel(self, channel_id: int) -> tuple[dict[str, Any], _Guild | None]:
        if channel_id in self._deleted:
            raise ApiError(404, 10003, "Unknown Channel")
        if channel_id in self._forbidden and not self._forbidden[channel_id]:
            raise ApiError(403, 50001, "Missing Access")
        if channel_id in self._dms:
            return self._dms[channel_id], None
        for guild in self._guilds.values():
            if channel_id in guild.channels:
                return guild.channels[channel_id], guild
        raise ApiError(404, 10003, "Unknown Channel")

    def _writable_channel(self, channel_id: int) -> tuple[dict[str, Any], _Guild | None]:
        channel, guild = self._find_channel(channel_id)
        if channel_id in self._forbidden:
            raise ApiError(403, 50013, "Missing Permissions")
        if channel["type"] == 1 and int(channel["recipients"][0]["id"]) in self._closed_dms:
            raise ApiError(403, 50007, "Cannot send messages to this user")
        return channel, guild

    async def _get_channel(self, request: web.Request) -> web.Response:
        return json_response(self._find_channel(int(request.match_info["channel_id"]))[0])

    async def _create_dm(self, request: web.Request) -> web.Response:
        body = request[RECORD].json or {}
        user_id = int(body.get("recipient_id") or 0)
        if user_id not in self.users or user_id == self.bot_user_id:
            raise ApiError(400, 50033, "Invalid Recipient(s)")
        channel_id = self._dm_by_user.setdefault(user_id, snowflake())  # one DM channel per user, as on Discord
        channel = self._dms.setdefault(
            channel_id,
            {
                "id": str(channel_id),
                "type": 1,
                "last_message_id": None,
                "flags": 0,
                "recipients": [self.users[user_id]],
            },
        )
        return json_response(channel)

    async def _create_message(self, request: web.Request) -> web.Response:
        record: RecordedRequest = request[RECORD]
        channel_id = int(request.match_info["channel_id"])
        channel, guild = self._writable_channel(channel_id)
        payload = record.json or {}
        validate_message(payload, files=len(record.files))
        nonce = payload.get("nonce")
        now = time.monotonic()
        if nonce is not None and payload.get("enforce_nonce"):
            earlier = self._nonces.get((channel_id, str(nonce)))
            if earlier is not None and now - earlier[0] < self.nonce_window:
                # Discord returns the message it already created for this nonce instead of a duplicate.
                return json_response(earlier[1])
        message = self._build_message(channel_id, guild.id if guild else None, payload, record.files, 0)
        if nonce is not None:
            message["nonce"] = nonce
            self._nonces[(channel_id, str(nonce))] = (now, message)
        self.messages.setdefault(channel_id, []).append(message)
        self._message_index[message["id"]] = message
        channel["last_message_id"] = message["id"]
        return json_response(message)

    def _channel_message(self, request: web.Request) -> tuple[int, dict[str, Any]]:
        channel_id = int(request.match_info["channel_id"])
        self._find_channel(channel_id)
        message = self._message_index.get(request.match_info["message_id"])
        if message is None or int(message["channel_id"]) != channel_id:
            raise ApiError(404, 10008, "Unknown Message")
        return channel_id, message

    async def _get_channel_messages(self, request: web.Request) -> web.Response:
        channel_id = int(request.match_info["channel_id"])
        self._find_channel(channel_id)
        limit = min(int(request.query.get("limit", 50)), 100)
        messages = self.messages.get(channel_id, [])
        if "after" in request.query:  # the `limit` oldest after that id, newest first, as Discord pages them
            after = int(request.query["after"])
            messages = [m for m in messages if int(m["id"]) > after][:limit]
        else:
            messages = messages[-limit:]
        # Discord gives a nonce back in the answer to the POST (and the gateway's MESSAGE_CREATE), not in the
        # channel's history: nothing may count on finding it there.
        return json_response([{k: v for k, v in m.items() if k != "nonce"} for m in reversed(messages)])

    async def _get_message(self, request: web.Request) -> web.Response:
        return json_response(self._channel_message(request)[1])

    async def _edit_message(self, request: web.Request) -> web.Response:
        record: RecordedRequest = request[RECORD]
        channel_id, message = self._channel_message(request)
        self._writable_channel(channel_id)
        edited = self._edited(message, record.json or {}, record.files)
        message.clear()
        message.update(edited)
        return json_response(message)

    async def _delete_message(self, request: web.Request) -> web.Response:
        channel_id, message = self._channel_message(request)
        self.messages[channel_id].remove(message)
        del self._message_index[message["id"]]
        return web.Response(status=204)

    async def _typing(self, request: web.Request) -> web.Response:
        self._writable_channel(int(request.match_info["channel_id"]))
        return web.Response(status=204)

    async def _get_guild(self, request: web.Request) -> web.Response:
        guild = self._guild(int(request.match_info["guild_id"]))
        created = self._guild_create(guild)
        return json_response({k: v for k, v in created.items() if k not in ("channels", "members", "threads")})

    async def _get_member(self, request: web.Request) -> web.Response:
        guild = self._guild(int(request.match_info["guild_id"]))
        member = guild.members.get(int(request.match_info["user_id"]))
        if member is None:
            raise ApiError(404, 10007, "Unknown Member")
        return json_response(member)

    def _guild(self, guild_id: int) -> _Guild:
        guild = self._guilds.get(guild_id)
        if guild is None:
            raise ApiError(404, 10004, "Unknown Guild")
        return guild

    # ------------------------------------------------------------------ object builders

    def _member(self, user: dict[str, Any], roles: list[str]) -> dict[str, Any]:
        return {
            "user": user,
            "roles": roles,
            "joined_at": iso_now(),
            "deaf": False,
            "mute": False,
            "flags": 0,
            "pending": False,
            "nick": None,
            "avatar": None,
            "communication_disabled_until": None,
            "banner": None,
            "premium_since": None,
        }

    def _build_guild(
        self,
        guild_id: int,
        name: str,
        channels: list[int] | None,
        roles: list[dict[str, Any]] | None,
        locale: str,
        bot_permissions: int,
        owner_id: int,
    ) -> _Guild:
        def role(data: Mapping[str, Any]) -> dict[str, Any]:
            base = {
                "name": "role",
                "permissions": "0",
                "position": 0,
                "color": 0,
                "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
                "hoist": False,
                "icon": None,
                "unicode_emoji": None,
                "managed": False,
                "mentionable": False,
                "flags": 0,
            }
            return {**base, **data, "id": str(data["id"]), "permissions": str(data.get("permissions", "0"))}

        everyone = role({"id": guild_id, "name": "@everyone"})
        bot_role = role(
            {
                "id": snowflake(),
                "name": self.bot_name,
                "permissions": bot_permissions,
                "position": 1,
                "managed": True,
                "tags": {"bot_id": str(self.bot_user_id)},
            }
        )
        given = [role(item) for item in roles or []]
        if not any(item["id"] == str(guild_id) for item in given):
            given.insert(0, everyone)
        channel_objects = {
            channel_id: {
                "id": str(channel_id),
                "type": 0,
                "guild_id": str(guild_id),
                "name": f"channel-{channel_id}",
                "position": position,
                "permission_overwrites": [],
                "nsfw": False,
                "parent_id": None,
                "topic": None,
                "last_message_id": None,
                "rate_limit_per_user": 0,
                "flags": 0,
            }
            for position, channel_id in enumerate(channels or [])
        }
        members = {self.bot_user_id: self._member(self.bot_user, [bot_role["id"]])}
        return _Guild(guild_id, name, locale, owner_id, [*given, bot_role], channel_objects, members)

    def _guild_create(self, guild: _Guild) -> dict[str, Any]:
        return {
            "id": str(guild.id),
            "name": guild.name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "banner": None,
            "description": None,
            "owner_id": str(guild.owner_id),
            "roles": guild.roles,
            "channels": list(guild.channels.values()),
            "threads": [],
            "members": list(guild.members.values()),
            "member_count": len(guild.members),
            "large": False,
            "unavailable": False,
            "joined_at": guild.joined_at,
            "preferred_locale": guild.locale,
            "features": [],
            "emojis": [],
            "stickers": [],
            "voice_states": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "nsfw_level": 0,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "afk_timeout": 300,
            "afk_channel_id": None,
            "system_channel_id": None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "public_updates_channel_id": None,
            "safety_alerts_channel_id": None,
            "application_id": None,
            "vanity_url_code": None,
            "max_members": 500_000,
            "premium_progress_bar_enabled": False,
        }

    def _bot_guild_permissions(self, guild: _Guild | None) -> int:
        if guild is None:
            return 0
        held = set(guild.members[self.bot_user_id]["roles"]) | {str(guild.id)}
        permissions = 0
        for role in guild.roles:
            if role["id"] in held:
                permissions |= int(role["permissions"])
        return permissions

    def _mentions(self, content: str, allowed: Mapping[str, Any] | None, guild: _Guild | None) -> dict[str, Any]:
        """Who a message actually pings: content mentions filtered by allowed_mentions, as Discord does."""
        parse = ["users", "roles", "everyone"] if allowed is None else list(allowed.get("parse") or [])
        allowed_users = {str(user) for user in (allowed or {}).get("users") or []}
        allowed_roles = {str(role) for role in (allowed or {}).get("roles") or []}
        user_ids = dict.fromkeys(_USER_MENTION.findall(content))
        users = [
            self.users[int(uid)]
            for uid in user_ids
            if int(uid) in self.users and ("users" in parse or uid in allowed_users)
        ]
        guild_roles = {role["id"] for role in guild.roles} if guild else set()
        roles = [
            rid
            for rid in dict.fromkeys(_ROLE_MENTION.findall(content))
            if rid in guild_roles and ("roles" in parse or rid in allowed_roles)
        ]
        permissions = self._bot_guild_permissions(guild)
        may_ping_everyone = bool(permissions & (MENTION_EVERYONE | ADMINISTRATOR))
        everyone = "everyone" in parse and may_ping_everyone and ("@everyone" in content or "@here" in content)
        return {"mentions": users, "mention_roles": roles, "mention_everyone": everyone}

    def _build_message(
        self,
        channel_id: int,
        guild_id: int | None,
        payload: Mapping[str, Any],
        files: list[RecordedFile],
        message_type: int,
        *,
        webhook: bool = False,
    ) -> dict[str, Any]:
        guild = self._guilds.get(guild_id) if guild_id is not None else None
        content = payload.get("content") or ""
        message: dict[str, Any] = {
            "id": str(snowflake()),
            "channel_id": str(channel_id),
            "author": self.bot_user,
            "content": content,
            "timestamp": iso_now(),
            "edited_timestamp": None,
            "tts": bool(payload.get("tts")),
            **self._mentions(content, payload.get("allowed_mentions"), guild),
            "attachments": [_attachment(file) for file in files],
            "embeds": [{"type": "rich", **embed} for embed in payload.get("embeds") or []],
            "components": _numbered(payload.get("components") or []),
            "pinned": False,
            "type": message_type,
            "flags": payload.get("flags") or 0,
        }
        if guild_id is not None:
            message["guild_id"] = str(guild_id)
        if webhook or message_type == 20:
            message["webhook_id"] = str(self.application_id)
            message["application_id"] = str(self.application_id)
        if "message_reference" in payload:
            message["message_reference"] = payload["message_reference"]
        self.allowed_mentions[message["id"]] = payload.get("allowed_mentions")
        return message

    def _edited(self, message: dict[str, Any], payload: Mapping[str, Any], files: list[RecordedFile]) -> dict[str, Any]:
        """The message after an edit, checked against the same limits (an edit may not empty it)."""
        edited = {**message}
        _apply_edit(edited, payload)
        if "attachments" in payload:
            keep = {str(item.get("id")) for item in payload.get("attachments") or []}
            edited["attachments"] = [item for item in message["attachments"] if item["id"] in keep]
        edited["attachments"] = [*edited["attachments"], *(_attachment(file) for file in files)]
        edited["flags"] = edited["flags"] & ~LOADING  # an edit of a deferred reply ends "thinking…"
        validate_message(edited)
        guild = self._guilds.get(int(message.get("guild_id") or 0))
        if "content" in payload or "allowed_mentions" in payload:
            edited |= self._mentions(edited["content"], payload.get("allowed_mentions"), guild)
            self.allowed_mentions[message["id"]] = payload.get("allowed_mentions")
        edited["edited_timestamp"] = iso_now()
        return edited


def _apply_edit(message: dict[str, Any], payload: Mapping[str, Any]) -> None:
    """PATCH semantics: a key present replaces the field, null clears it, an absent key leaves it."""
    if "content" in payload:
        message["content"] = payload["content"] or ""
    if "embeds" in payload:
        message["embeds"] = [{"type": "rich", **embed} for embed in payload["embeds"] or []]
    if "components" in payload:
        message["components"] = _numbered(payload["components"] or [])
    if payload.get("flags") is not None:
        message["flags"] = payload["flags"] | (message.get("flags", 0) & EPHEMERAL)


# Modals: what may sit at the top (action rows of one text input are the legacy shape, labels the current
# one) and what a label may hold. Discord's documentation allows 1–5 top-level components in a modal (the
# OpenAPI schema's 40 is the generic cap on components); the other limits are the OpenAPI document's.
MODAL_COMPONENTS_LIMIT = 5
ACTION_ROW, STRING_SELECT, TEXT_INPUT, TEXT_DISPLAY, LABEL = 1, 3, 4, 10, 18
RADIO_GROUP, CHECKBOX_GROUP, CHECKBOX, FILE_UPLOAD = 21, 22, 23, 19
ENTITY_SELECTS = (5, 6, 7, 8)  # user, role, mentionable, channel
LABEL_CHILDREN = (STRING_SELECT, TEXT_INPUT, RADIO_GROUP, CHECKBOX_GROUP, CHECKBOX, FILE_UPLOAD, *ENTITY_SELECTS)
# type -> (options min, options max, max_values cap) for the components with options.
OPTION_LIMITS = {STRING_SELECT: (1, 25, 25), RADIO_GROUP: (2, 10, 1), CHECKBOX_GROUP: (1, 10, 10)}


def _validate_modal(data: Mapping[str, Any]) -> None:
    """The MODAL callback's data as Discord checks it: every error at once, in the 50035 shape."""
    check = _FormErrors()
    _required_text(check, ("data", "custom_id"), data.get("custom_id"), 100)
    _required_text(check, ("data", "title"), data.get("title"), MODAL_TITLE_LIMIT)
    components = data.get("components")
    if not isinstance(components, list) or not 1 <= len(components) <= MODAL_COMPONENTS_LIMIT:
        check.add(("data", "components"), "BASE_TYPE_BAD_LENGTH",
                  f"Must be between 1 and {MODAL_COMPONENTS_LIMIT} in length.")
        components = components if isinstance(components, list) else []
    custom_ids: set[str] = set()
    for index, top in enumerate(components):
        at: tuple[str | int, ...] = ("data", "components", index)
        kind = top.get("type") if isinstance(top, dict) else None
        if kind == LABEL:
            _required_text(check, (*at, "label"), top.get("label"), 45)
            if top.get("description") is not None:
                _required_text(check, (*at, "description"), top.get("description"), 100)
            child = top.get("component")
            if not isinstance(child, dict):
                check.add((*at, "component"), "BASE_TYPE_REQUIRED", "This field is required")
            elif child.get("type") not in LABEL_CHILDREN:
                check.add((*at, "component", "type"), "UNION_TYPE_CHOICES",
                          f"Value of field \"type\" must be one of {LABEL_CHILDREN}.")
            else:
                _validate_modal_input(check, (*at, "component"), child, custom_ids)
        elif kind == ACTION_ROW:
            row = top.get("components")
            if not isinstance(row, list) or len(row) != 1:
                check.add((*at, "components"), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 1 in length.")
            else:
                child = row[0]
                if not isinstance(child, dict) or child.get("type") != TEXT_INPUT:
                    check.add((*at, "components", 0, "type"), "UNION_TYPE_CHOICES",
                              f"Value of field \"type\" must be one of ({TEXT_INPUT},).")
                else:
                    _required_text(check, (*at, "components", 0, "label"), child.get("label"), 45)
                    _validate_modal_input(check, (*at, "components", 0), child, custom_ids)
        elif kind == TEXT_DISPLAY:
            _required_text(check, (*at, "content"), top.get("content"), 4000)
        else:
            check.add((*at, "type"), "UNION_TYPE_CHOICES",
                      f"Value of field \"type\" must be one of ({ACTION_ROW}, {TEXT_DISPLAY}, {LABEL}).")
    check.raise_if_any()


def _validate_modal_input(check: _FormErrors, at: tuple[str | int, ...], item: Mapping[str, Any],
                          custom_ids: set[str]) -> None:
    custom_id = item.get("custom_id")
    _required_text(check, (*at, "custom_id"), custom_id, 100)
    if isinstance(custom_id, str):
        if custom_id in custom_ids:
            check.add((*at, "custom_id"), "COMPONENT_CUSTOM_ID_DUPLICATED", "Component custom id cannot be duplicated")
        custom_ids.add(custom_id)
    kind = item["type"]
    if kind == TEXT_INPUT:
        if item.get("style") not in (1, 2):
            check.add((*at, "style"), "BASE_TYPE_CHOICES", "Value must be one of (1, 2).")
        if item.get("label") is not None:
            check.max_length((*at, "label"), item["label"], 45)
        check.max_length((*at, "placeholder"), item.get("placeholder"), 100)
        low, high = item.get("min_length"), item.get("max_length")
        _number(check, (*at, "min_length"), low, 0, 4000)
        _number(check, (*at, "max_length"), high, 1, 4000)
        value = item.get("value")
        check.max_length((*at, "value"), value, high if isinstance(high, int) else 4000)
        if isinstance(low, int) and isinstance(high, int) and low > high:
            check.add((*at, "min_length"), "TEXT_INPUT_MIN_LENGTH_MAX_LENGTH",
                      "min_length must be less than or equal to max_length.")
    elif kind == CHECKBOX:
        if item.get("default") is not None and not isinstance(item["default"], bool):
            check.add((*at, "default"), "BASE_TYPE_BOOLEAN", "Must be either true or false.")
    elif kind in OPTION_LIMITS:
        _validate_options(check, at, item, *OPTION_LIMITS[kind])


def _validate_options(check: _FormErrors, at: tuple[str | int, ...], item: Mapping[str, Any], least: int,
                      most: int, cap: int) -> None:
    options = item.get("options")
    if not isinstance(options, list) or not least <= len(options) <= most:
        check.add((*at, "options"), "BASE_TYPE_BAD_LENGTH", f"Must be between {least} and {most} in length.")
        options = options if isinstance(options, list) else []
    values: set[str] = set()
    for index, option in enumerate(options):
        _required_text(check, (*at, "options", index, "label"), option.get("label"), 100)
        _required_text(check, (*at, "options", index, "value"), option.get("value"), 100)
        check.max_length((*at, "options", index, "description"), option.get("description"), 100)
        if option.get("value") in values:
            check.add((*at, "options", index, "value"), "SELECT_COMPONENT_OPTION_VALUE_DUPLICATED",
                      "Option values must be unique")
        values.add(option.get("value"))
    if item["type"] == RADIO_GROUP:
        if sum(1 for option in options if option.get("default")) > 1:
            check.add((*at, "options"), "RADIO_GROUP_TOO_MANY_DEFAULTS", "Only one option can be default.")
        return
    low, high = item.get("min_values"), item.get("max_values")
    _number(check, (*at, "min_values"), low, 0, cap)
    _number(check, (*at, "max_values"), high, 1, cap)
    low = low if isinstance(low, int) else 1
    high = high if isinstance(high, int) else 1
    if low > high or high > max(len(options), 1):
        check.add((*at, "max_values"), "SELECT_COMPONENT_TOO_MANY_VALUES",
                  "max_values must be at least min_values and at most the number of options.")
    if low == 0 and item.get("required", True) and item["type"] == CHECKBOX_GROUP:
        check.add((*at, "min_values"), "CHECKBOX_GROUP_REQUIRED_MIN_VALUES",
                  "min_values must be at least 1 when the group is required.")
    if sum(1 for option in options if option.get("default")) > high:
        check.add((*at, "options"), "SELECT_COMPONENT_TOO_MANY_DEFAULTS", "Too many options are default.")


def _required_text(check: _FormErrors, at: tuple[str | int, ...], value: Any, limit: int) -> None:
    if not isinstance(value, str) or not value:
        check.add(at, "BASE_TYPE_REQUIRED", "This field is required")
    else:
        check.max_length(at, value, limit)


def _number(check: _FormErrors, at: tuple[str | int, ...], value: Any, least: int, most: int) -> None:
    if value is None:
        return
    if not isinstance(value, int) or isinstance(value, bool):
        check.add(at, "NUMBER_TYPE_COERCE", f"Value \"{value}\" is not int.")
    elif value < least:
        check.add(at, "NUMBER_TYPE_MIN", f"int value should be greater than or equal to {least}.")
    elif value > most:
        check.add(at, "NUMBER_TYPE_MAX", f"int value should be less than or equal to {most}.")


def _numbered(components: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The components as Discord stores them: every one with an `id`, those not given one numbered 1, 2, …
    in order, skipping the ids already taken (a message's answer always carries them)."""
    copied = json.loads(json.dumps(components))
    everything: list[dict[str, Any]] = []

    def walk(items: list[Any]) -> None:
        for item in items:
            if isinstance(item, dict):
                everything.append(item)
                walk(item.get("components") or [])
                walk([child for key in ("component", "accessory") if isinstance(child := item.get(key), dict)])

    walk(copied)
    taken = {item["id"] for item in everything if isinstance(item.get("id"), int)}
    free = (number for number in itertools.count(1) if number not in taken)
    for item in everything:
        if not isinstance(item.get("id"), int):
            item["id"] = next(free)
    return copied


def _attachment(file: RecordedFile) -> dict[str, Any]:
    attachment_id = str(snowflake())
    filename = file.filename or "file"
    url = f"https://cdn.discordapp.com/attachments/0/{attachment_id}/{filename}"
    return {
        "id": attachment_id,
        "filename": filename,
        "size": len(file.data),
        "url": url,
        "proxy_url": url,
        "content_type": file.content_type,
    }


def _expire(hits: deque[float], before: float) -> None:
    while hits and hits[0] <= before:
        hits.popleft()


def _user_id(payload: Mapping[str, Any]) -> int:
    user = (payload.get("member") or {}).get("user") or payload.get("user") or {}
    return int(user.get("id", 0))


def _int_or_none(value: Any) -> int | None:
    return int(value) if value is not None else None
