"""Builders for the INTERACTION_CREATE payloads Discord sends, so a test reads as one line.

The shapes follow what Discord really sends (and what discord.py 2.7 needs: `attachment_size_limit`
is read unconditionally, and a malformed event ends `bot.start()`). Ids are real-looking snowflakes
(timestamp + counter), because discord.py derives `created_at`/`expires_at` from them.
"""

from __future__ import annotations

import itertools
import secrets
import time
from datetime import UTC, datetime
from typing import Any

DISCORD_EPOCH_MS = 1_420_070_400_000

# Defaults shared with FakeDiscord so a test needs no ids at all.
APPLICATION_ID = 1000
BOT_USER_ID = 1001
GUILD_ID = 2000
CHANNEL_ID = 3000
USER_ID = 4000

# What a freshly invited bot typically holds: view, send, embed, attach, read history, use app commands.
APP_PERMISSIONS = (1 << 10) | (1 << 11) | (1 << 14) | (1 << 15) | (1 << 16) | (1 << 31)

# Interaction types and the option types most commands use.
PING, APPLICATION_COMMAND, MESSAGE_COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 1, 2, 3, 4, 5
SUB_COMMAND, SUB_COMMAND_GROUP, STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE = 1, 2, 3, 4, 5, 6, 7, 8

_counter = itertools.count(1)


def snowflake() -> int:
    """A unique id whose timestamp part is now, like Discord's."""
    now_ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
    return (now_ms << 22) | (next(_counter) & 0x3FFFFF)


def iso_now() -> str:
    return datetime.now(UTC).isoformat()


def user_object(user_id: int, username: str = "member", *, bot: bool = False) -> dict[str, Any]:
    user: dict[str, Any] = {
        "id": str(user_id),
        "username": username,
        "discriminator": "0",
        "global_name": None if bot else username,
        "avatar": None,
        "public_flags": 0,
        # Discord's OpenAPI document requires both on every user object it answers.
        "flags": 0,
        "primary_guild": None,
    }
    if bot:
        user["bot"] = True
    return user


def option(name: str, value: Any, type_: int = STRING) -> dict[str, Any]:
    """One resolved command option as Discord sends it (3 string, 4 integer, 5 boolean, 10 number …)."""
    return {"name": name, "type": type_, "value": value}


def _envelope(
    kind: int,
    data: dict[str, Any],
    *,
    guild_id: int | None = GUILD_ID,
    channel_id: int = CHANNEL_ID,
    user_id: int = USER_ID,
    username: str = "member",
    locale: str = "en-US",
    guild_locale: str = "en-US",
    permissions: int = 0,
    roles: list[int] | None = None,
    application_id: int = APPLICATION_ID,
    interaction_id: int | None = None,
) -> dict[str, Any]:
    """The part every interaction shares: who, where, in which language, with which token."""
    user = user_object(user_id, username)
    payload: dict[str, Any] = {
        "id": str(interaction_id if interaction_id is not None else snowflake()),
        "application_id": str(application_id),
        "type": kind,
        "data": data,
        "token": "fake-" + secrets.token_urlsafe(32),
        "version": 1,
        "locale": locale,
        "app_permissions": str(APP_PERMISSIONS),
        "entitlements": [],
        "attachment_size_limit": 10 * 1024 * 1024,
        "channel_id": str(channel_id),
    }
    if guild_id is not None:
        payload |= {
            "guild_id": str(guild_id),
            "guild_locale": guild_locale,
            "guild": {"id": str(guild_id), "locale": guild_locale, "features": []},
            "context": 0,
            "authorizing_integration_owners": {"0": str(guild_id)},
            "channel": {
                "id": str(channel_id),
                "type": 0,
                "guild_id": str(guild_id),
                "name": f"channel-{channel_id}",
                "position": 0,
                "permission_overwrites": [],
                "nsfw": False,
                "parent_id": None,
                "topic": None,
                "last_message_id": None,
                "rate_limit_per_user": 0,
                "flags": 0,
                "permissions": str(permissions),
            },
            "member": {
                "user": user,
                "roles": [str(role) for role in roles or []],
                "flags": 0,
                "permissions": str(permissions),
                "joined_at": iso_now(),
                "deaf": False,
                "mute": False,
                "pending": False,
                "nick": None,
                "avatar": None,
                "communication_disabled_until": None,
                "banner": None,
                "premium_since": None,
            },
        }
    else:
        # A DM with the bot: `user` instead of `member`, channel type 1 (DM).
        payload |= {
            "context": 1,
            "authorizing_integration_owners": {"0": "0"},
            "channel": {"id": str(channel_id), "type": 1, "recipients": [user], "last_message_id": None, "flags": 0},
            "user": user,
        }
    return payload


def command_interaction(
    name: str,
    *,
    options: list[dict[str, Any]] | None = None,
    subcommand: str | None = None,
    guild_id: int | None = GUILD_ID,
    channel_id: int = CHANNEL_ID,
    user_id: int = USER_ID,
    username: str = "member",
    locale: str = "en-US",
    guild_locale: str = "en-US",
    permissions: int = 0,
    roles: list[int] | None = None,
    application_id: int = APPLICATION_ID,
    interaction_id: int | None = None,
    resolved: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A slash command. `subcommand="add"` or `subcommand="group add"` nests `options` like Discord does."""
    nested = options or []
    if subcommand:
        *groups, leaf = subcommand.split()
        nested = [{"name": leaf, "type": SUB_COMMAND, "options": nested}]
        for group in reversed(groups):
            nested = [{"name": group, "type": SUB_COMMAND_GROUP, "options": nested}]
    data: dict[str, Any] = {"id": str(snowflake()), "name": name, "type": 1, "options": nested}
    if guild_id is not None:
        data["guild_id"] = str(guild_id)
    if resolved is not None:
        data["resolved"] = resolved
    return _envelope(
        APPLICATION_COMMAND,
        data,
        guild_id=guild_id,
        channel_id=channel_id,
        user_id=user_id,
        username=username,
        locale=locale,
        guild_locale=guild_locale,
        permissions=permissions,
        roles=roles,
        application_id=application_id,
        interaction_id=interaction_id,
    )


def modal_submit(custom_id: str, values: dict[str, str], **context: Any) -> dict[str, Any]:
    """The submit of a modal: `values` maps each text input's custom_id to what the user typed.

    `context` takes the same keyword arguments as `command_interaction` (guild_id, user_id, …); the user
    must be the one the modal was sent to, because discord.py files modals under (user id, custom_id).
    """
    rows = [{"type": 1, "components": [{"type": 4, "custom_id": key, "value": value}]} for key, value in values.items()]
    return _envelope(MODAL_SUBMIT, {"custom_id": custom_id, "components": rows}, **context)


def modal_submit_for(modal: dict[str, Any], values: dict[str, Any] | None = None, **context: Any) -> dict[str, Any]:
    """The MODAL_SUBMIT a person sends by filling in `modal` (the callback data the bot sent, e.g.
    `fake.modals[-1]`) with `values`, keyed by a component's custom_id or by its label's text.

    What is left out keeps its default, as in the client: a text input its `value`, a select, radio group
    or checkbox group its default options, a checkbox its `default`. The submit has the real API's shapes
    (what discord.py 2.7 parses in `Modal._refresh` and each item's `_handle_submit`): a label comes back as
    `{type: 18, id, component: {type, id, custom_id, …}}` with `value` (text input: text; radio group: the
    chosen value or null; checkbox: a bool) or `values` (select, checkbox group: a list); a legacy action
    row as `{type: 1, id, components: [{type: 4, id, custom_id, value}]}`. Components without an `id` get
    the ones Discord numbers them with, 1, 2, … in order.

    Entering what the client itself would not let through (an unknown choice, too long a text, nothing in
    a required input) raises ValueError: no real submit carries it. `context` is `command_interaction`'s.
    """
    given = dict(values or {})
    numbers = itertools.count(1)

    def number(component: dict[str, Any]) -> int:
        return component["id"] if isinstance(component.get("id"), int) else next(numbers)

    def entered(component: dict[str, Any], label: str | None) -> dict[str, Any]:
        custom_id, kind = component["custom_id"], component["type"]
        key = custom_id if custom_id in given else label if label is not None and label in given else None
        raw = given.pop(key) if key is not None else _default_of(component)
        answer: dict[str, Any] = {"type": kind, "id": number(component), "custom_id": custom_id}
        if kind == 4:
            text = "" if raw is None else str(raw)
            limit = component.get("max_length") or 4000
            if len(text) > limit or (text and len(text) < (component.get("min_length") or 0)):
                raise ValueError(f"{custom_id!r}: the client takes {component.get('min_length') or 0}–{limit} "
                                 f"characters, not {len(text)}")
            if not text and component.get("required", True):
                raise ValueError(f"{custom_id!r} is required: the client does not send the modal without it")
            answer["value"] = text
        elif kind == 23:
            if not isinstance(raw, bool):
                raise ValueError(f"{custom_id!r} is a checkbox: enter True or False")
            answer["value"] = raw
        else:
            chosen = [raw] if isinstance(raw, str) else list(raw or [])
            known = [option["value"] for option in component.get("options", [])]
            if any(value not in known for value in chosen):
                raise ValueError(f"{custom_id!r} offers only {known}, not {chosen}")
            if kind == 21:
                if len(chosen) > 1:
                    raise ValueError(f"{custom_id!r} is a radio group: one value at most")
                if not chosen and component.get("required", True):
                    raise ValueError(f"{custom_id!r} is required: the client does not send the modal without it")
                answer["value"] = chosen[0] if chosen else None
            else:
                low = component.get("min_values", 1)
                if kind == 3 and low == 1 and component.get("required") is False:
                    low = 0
                high = component.get("max_values", 1)
                if not low <= len(chosen) <= high:
                    raise ValueError(f"{custom_id!r} takes {low}–{high} values, not {len(chosen)}")
                answer["values"] = chosen
        return answer

    components: list[dict[str, Any]] = []
    for top in modal["components"]:
        if top["type"] == 18:
            label_id = number(top)
            components.append({"type": 18, "id": label_id, "component": entered(top["component"], top["label"])})
        elif top["type"] == 1:
            row_id = number(top)
            inner = top["components"][0]
            components.append({"type": 1, "id": row_id, "components": [entered(inner, inner.get("label"))]})
        else:  # a text display: shown, nothing to enter
            components.append({"type": top["type"], "id": number(top)})
    if given:
        raise ValueError(f"the modal has no input {sorted(given)}")
    return _envelope(MODAL_SUBMIT, {"custom_id": modal["custom_id"], "components": components}, **context)


def _default_of(component: dict[str, Any]) -> Any:
    if component["type"] == 4:
        return component.get("value") or ""
    if component["type"] == 23:
        return bool(component.get("default"))
    return [option["value"] for option in component.get("options", []) if option.get("default")]


def component_interaction(
    custom_id: str,
    *,
    component_type: int = 2,
    values: list[str] | None = None,
    message: dict[str, Any] | None = None,
    bot_user_id: int = BOT_USER_ID,
    **context: Any,
) -> dict[str, Any]:
    """A button press (component_type 2) or select (3, 5–8) on `message`.

    Pass the message the view was sent with (e.g. `fake.messages[channel][-1]`) so discord.py finds the
    view by message id; without one, a stub bot message is used, which only persistent views match.
    """
    data: dict[str, Any] = {"custom_id": custom_id, "component_type": component_type}
    if values is not None:
        data["values"] = values
    payload = _envelope(MESSAGE_COMPONENT, data, **context)
    if message is None:
        message = {
            "id": str(snowflake()),
            "channel_id": payload["channel_id"],
            "author": user_object(bot_user_id, "Continuity", bot=True),
            "content": "",
            "timestamp": iso_now(),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": [],
            "components": [],
            "pinned": False,
            "type": 0,
            "flags": 0,
        }
    payload["message"] = message
    return payload


def autocomplete_interaction(name: str, focused: str, typed: str, *, options: list[dict[str, Any]] | None = None,
                             subcommand: str | None = None, **context: Any) -> dict[str, Any]:
    """What a client sends while a person types into the string option `focused` of command `name`: the options
    so far, the one being typed marked `focused` (interaction type 4). The bot answers with choices (type 8).
    `context` is `command_interaction`'s."""
    typing = {"name": focused, "type": STRING, "value": typed, "focused": True}
    payload = command_interaction(name, options=[*(options or []), typing], subcommand=subcommand, **context)
    payload["type"] = AUTOCOMPLETE
    return payload
