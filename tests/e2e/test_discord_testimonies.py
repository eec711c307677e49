"""Testimonies on Discord, end to end: the real discord.py against the fake Discord. A person gives one in three
modals (the last reviews exactly what will be stored), the moderators of that community and of no other decide on
it, and the person takes, edits, withdraws and deletes what they gave. The database is read as well, down to the
bytes of its files. A modal is what Discord accepted from the bot; a submit is what a person's client sends."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from bot.app import build_services
from bot.platforms.discord import DiscordFrontDoor
from bot.store import Store
from bot.testimonies.form import CONSENT_TEXT_VERSION
from tests.conftest import make_settings
from tests.e2e.upcoming import state_as_builtin, upcoming_rows
from tests.fakes.discord_api import FakeDiscord, RecordedRequest
from tests.fakes.discord_payloads import (
    autocomplete_interaction,
    command_interaction,
    component_interaction,
    modal_submit_for,
    option,
)
from tests.testimony_form import RECEIPT

GUILD, CHANNEL, OTHER_GUILD, OTHER_CHANNEL, DM_CHANNEL = 2000, 3000, 2001, 3001, 3999
# Snowflake-sized ids, so that finding one among stored bytes cannot be a coincidence of digits.
AUTHOR, SECOND, MEMBER = 612345678901234567, 623456789012345678, 634567890123456789
MODERATOR, OTHER_MODERATOR = 645678901234567890, 656789012345678901
MANAGE_GUILD = 1 << 5

MEANING = ("Haiku kept me company through the night shifts at the lighthouse; write to me at keeper@example.org "
           "if you doubt it.")
STORED = "Haiku kept me company through the night shifts at the lighthouse; write to me at [e-mail] if you doubt it."
MARKER = b"night shifts at the lighthouse"  # found in the files while the words are stored, and only then
PAGE_ONE: dict[str, Any] = {"uses": ["companionship", "accessibility"], "meaning": MEANING,
                            "asks": ["keep_access", "longer_notice"], "display_name": "Keeper"}
PAGE_TWO: dict[str, Any] = {"consent": "1", "health": True}


def who(user_id: int, guild: int | None = GUILD, *, moderator: bool = False) -> dict[str, Any]:
    """Where and as whom an interaction comes: a member of `guild` (None: a direct message with the bot)."""
    context: dict[str, Any] = {"user_id": user_id, "username": f"person-{str(user_id)[:3]}", "guild_id": guild}
    if guild is None:
        return {**context, "channel_id": DM_CHANNEL}
    return {**context, "channel_id": CHANNEL if guild == GUILD else OTHER_CHANNEL,
            "permissions": MANAGE_GUILD if moderator else 0}


@pytest.fixture
async def fake(monkeypatch) -> AsyncIterator[FakeDiscord]:
    server = FakeDiscord()
    server.add_guild(GUILD, "Keep 4o", channels=[CHANNEL])
    server.add_guild(OTHER_GUILD, "Claude fans", channels=[OTHER_CHANNEL])
    await server.start()
    server.patch(monkeypatch)
    yield server
    await server.stop()
    assert server.crashes == []
    refused = [f"{r.method} {r.path} -> {r.status} {r.response}" for r in server.requests if r.status >= 400]
    assert refused == [], "Discord would have refused these"


@pytest.fixture
async def door(tmp_path, fake) -> AsyncIterator[DiscordFrontDoor]:
    settings = make_settings(tmp_path, discord_token=fake.token, discord_api_base=fake.api_base,
                             discord_gateway_url=fake.gateway_url)
    store = await Store.open(settings.database_path)
    services = build_services(settings, store)
    started = DiscordFrontDoor(services, guild_ready_timeout=0.05)
    services.alerts.attach(started)  # as the composition root does: how the core reaches an author
    await started.start()
    task = asyncio.create_task(started.run())
    try:
        await fake.wait_ready()
        await asyncio.wait_for(started.bot.wait_until_ready(), 5)
        yield started
        assert not task.done(), "the gateway loop ended early"
    finally:
        await started.stop()
        await task
        await store.close()


# --- what Discord shows ---------------------------------------------------------------------------------------

def _modal(callback: dict[str, Any]) -> dict[str, Any]:
    assert callback["type"] == 9, f"a modal was expected, not {callback}"
    return callback["data"]


def _reply(callback: dict[str, Any]) -> dict[str, Any]:
    assert callback["type"] == 4, f"a message was expected, not {callback}"
    assert callback["data"]["flags"] == 64, "what is about one person is shown to that person alone"
    return callback["data"]


def _said(data: dict[str, Any]) -> str:
    [embed] = data["embeds"]
    return embed["description"]


def _button(data: dict[str, Any]) -> dict[str, Any]:
    [row] = data["components"]
    [button] = row["components"]
    return button


def _layout(modal: dict[str, Any]) -> list[tuple[int, str, int | None]]:
    """Each top-level component: (type, its label or text, the type of the input it holds)."""
    return [(top["type"], top.get("label") or top.get("content", ""),
             top["component"]["type"] if "component" in top else None) for top in modal["components"]]


def _input(modal: dict[str, Any], custom_id: str) -> dict[str, Any]:
    return next(top["component"] for top in modal["components"]
                if top.get("component", {}).get("custom_id") == custom_id)


def _chosen(component: dict[str, Any]) -> list[str]:
    return [o["value"] for o in component["options"] if o.get("default")]


_MARKUP = set("*_~|`\\")


def _shown(content: str) -> str:
    """A text display as the client shows it, for text meant literally: a backslash shows the character after it
    as itself; a markdown character left unescaped would format the text instead, so it fails the test."""
    shown, escaped = [], False
    for line in content.split("\n"):
        assert escaped or not re.match(r"\s*(#{1,3}\s|>|-)", line), f"{line!r} would be formatted"
        for char in line:
            if escaped:
                shown.append(char)
                escaped = False
            elif char == "\\":
                escaped = True
            else:
                assert char not in _MARKUP, f"{char!r} in {line!r} would be formatted, not shown"
                shown.append(char)
        shown.append("\n")
    return "".join(shown)[:-1]


def _displays(modal: dict[str, Any]) -> str:
    return "".join(_shown(top["content"]) for top in modal["components"] if top["type"] == 10)


# --- what a person does --------------------------------------------------------------------------------------

async def _submit(fake: FakeDiscord, modal: dict[str, Any], values: dict[str, Any],
                  person: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """`modal` filled in with `values` (the rest as shown) and sent; the submit and the bot's answer to it."""
    submit = modal_submit_for(modal, values, **person)
    return submit, await fake.interact(submit)


async def _press(fake: FakeDiscord, answered: dict[str, Any], button: dict[str, Any],
                 person: dict[str, Any]) -> dict[str, Any]:
    """Press `button` on the ephemeral message that answered the interaction `answered`."""
    message = fake.response_message(answered["id"])
    assert message is not None
    return await fake.interact(component_interaction(button["custom_id"], message=message, **person))


async def _next(fake: FakeDiscord, modal: dict[str, Any], values: dict[str, Any],
                person: dict[str, Any]) -> dict[str, Any]:
    """Send a page, then press Continue under the bot's answer: the next page."""
    submit, answered = await _submit(fake, modal, values, person)
    assert _said(_reply(answered)) == "Thank you. There is more to answer:"
    return _modal(await _press(fake, submit, _button(answered["data"]), person))


async def _testify(fake: FakeDiscord, person: dict[str, Any], *, model: str = "Haiku",
                   one: dict[str, Any] | None = None, two: dict[str, Any] | None = None,
                   confirm: bool = True) -> tuple[list[dict[str, Any]], dict[str, Any], dict[str, Any]]:
    """/testify model:… and its three pages, filled in as a person would: the modals shown, the last submit and
    the bot's answer to it."""
    modals = [_modal(await fake.interact(command_interaction("testify", options=[option("model", model)],
                                                             **person)))]
    for values in (PAGE_ONE if one is None else one, PAGE_TWO if two is None else two):
        modals.append(await _next(fake, modals[-1], values, person))
    submit, done = await _submit(fake, modals[-1], {"confirm": confirm}, person)
    return modals, submit, done


async def _receipt(fake: FakeDiscord, person: dict[str, Any], **changes: Any) -> str:
    _modals, _submitted, done = await _testify(fake, person, **changes)
    match = RECEIPT.search(_said(_reply(done)))
    assert match, done
    return match.group(0)


def _slash(name: str, person: dict[str, Any], *, subcommand: str | None = None, **options: str) -> dict[str, Any]:
    return command_interaction(name, subcommand=subcommand, options=[option(k, v) for k, v in options.items()],
                               **person)


async def _command(fake: FakeDiscord, name: str, person: dict[str, Any], *, subcommand: str | None = None,
                   **options: str) -> dict[str, Any]:
    """The bot's first response to a slash command (a modal, a message, or "thinking…")."""
    return await fake.interact(_slash(name, person, subcommand=subcommand, **options))


def _webhook_post(interaction: dict[str, Any]) -> Callable[[RecordedRequest], bool]:
    path = f"/webhooks/{interaction['application_id']}/{interaction['token']}"
    return lambda request: request.method == "POST" and request.path == path


async def _answer(fake: FakeDiscord, name: str, person: dict[str, Any], *, subcommand: str | None = None,
                  **options: str) -> dict[str, Any]:
    """What the person is answered: the reply itself or, after "thinking…" (deferred, for work that may outlast
    the three seconds Discord waits), the follow-up that takes its place; seen by that person alone either way."""
    interaction = _slash(name, person, subcommand=subcommand, **options)
    callback = await fake.interact(interaction)
    if callback["type"] != 5:
        return _reply(callback)
    assert callback["data"]["flags"] == 64
    followup = await fake.wait_for_request(_webhook_post(interaction))
    assert followup.json["flags"] == 64
    return followup.json


# --- what is stored ------------------------------------------------------------------------------------------

async def _rows(door: DiscordFrontDoor, sql: str, *params: Any) -> list[dict[str, Any]]:
    return [dict(row) for row in await door.bot.services.store.db.fetch_all(sql, params)]


async def _testimony(door: DiscordFrontDoor, receipt: str) -> dict[str, Any]:
    [row] = await _rows(door, "SELECT * FROM testimonies WHERE receipt = ?", receipt)
    return row


def _on_disk(door: DiscordFrontDoor) -> bytes:
    """The database file and its write-ahead log, as anyone who copies them would read them."""
    path = door.bot.services.settings.database_path
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def _callback_request(fake: FakeDiscord, interaction: dict[str, Any]) -> RecordedRequest:
    return next(r for r in fake.requests if r.path.startswith(f"/interactions/{interaction['id']}/"))


# --- the tests -----------------------------------------------------------------------------------------------

async def test_a_testimony_is_given_in_three_modals_and_stored_as_reviewed_under_a_pseudonym(door, fake):
    await state_as_builtin(door.bot.services.store, upcoming_rows())  # the watch knows claude-3-haiku-20240307
    person = who(AUTHOR)
    first = _modal(await _command(fake, "testify", person, model="Haiku"))
    assert first["title"] == "Your testimony (1/3)"
    assert _layout(first) == [(18, "Which model or models?", 4), (18, "How do you use it?", 22),
                              (18, "What it means, and what losing it costs", 4), (18, "What do you ask for?", 22),
                              (18, "Display name (optional)", 4)]
    assert _input(first, "models")["value"] == "Haiku", "the model given to /testify is the first answer"
    assert [o["value"] for o in _input(first, "uses")["options"]] == [
        "companionship", "creative", "work", "accessibility", "learning", "research", "other"]
    assert (_input(first, "meaning")["min_length"], _input(first, "meaning")["max_length"]) == (10, 4000)

    submit, answered = await _submit(fake, first, PAGE_ONE, person)
    more = _reply(answered)
    assert _said(more) == "Thank you. There is more to answer:"
    assert _button(more)["label"] == "Continue (2/3)"
    second = _modal(await _press(fake, submit, _button(more), person))
    assert second["title"] == "Your testimony (2/3)"
    layout = _layout(second)
    assert [(kind, label, inner) for kind, label, inner in layout if kind == 18] == [
        (18, "The language you wrote in", 21), (18, "May statements quote you?", 21),
        (18, "Quote passages on health or disability?", 23)]
    assert [kind for kind, _label, _inner in layout] == [18, 10, 18, 18], "the explanation sits above its question"
    consent = _displays(second)
    assert consent.startswith("Count only: this community's moderators read your words")
    assert "Quote me with my display name: the same" in consent and "withdraw at any time with /withdraw" in consent
    assert _chosen(_input(second, "language")) == ["en"], "the person's client language is offered first"
    assert [o["value"] for o in _input(second, "consent")["options"]] == ["0", "1", "2"]
    assert _chosen(_input(second, "consent")) == [], "no consent is chosen for the person"

    submit, answered = await _submit(fake, second, PAGE_TWO, person)
    assert _button(_reply(answered))["label"] == "Continue (3/3)"
    third = _modal(await _press(fake, submit, _button(answered["data"]), person))
    assert third["title"] == "Your testimony (3/3)"
    assert [kind for kind, _label, _inner in _layout(third)] == [10, 18]
    assert _layout(third)[-1] == (18, "Store my testimony", 23)
    assert _input(third, "confirm").get("default") is False, "storing is never ticked for the person"
    assert _displays(third) == "\n".join([
        "This is exactly what will be stored:",
        "Models: claude-3-haiku",
        "Uses: Companionship and emotional support, Accessibility and disability",
        "Asks: Keep access to the model, Longer notice before a retirement",
        "Display name: Keeper",
        "Language: English",
        "Consent: Quote me without a name; passages on health or disability: may be quoted",
        "Removed before storing: 1 e-mail address.",
        "",
        STORED])

    _submit_of_third, done = await _submit(fake, third, {"confirm": True}, person)
    stored = _reply(done)
    assert stored["embeds"][0]["title"] == "Thank you. Your testimony is stored."
    receipt = RECEIPT.search(_said(stored))
    assert receipt, stored
    row = await _testimony(door, receipt.group(0))
    assert (row["status"], row["meaning"], row["models_text"], row["display_name"], row["language"]) == (
        "pending", STORED, "Haiku", "Keeper", "en")
    assert json.loads(row["models"]) == ["claude-3-haiku"], "the name typed is matched to the family the watch knows"
    assert (json.loads(row["uses"]), json.loads(row["asks"])) == (PAGE_ONE["uses"], PAGE_ONE["asks"])
    assert json.loads(row["redactions"]) == {"email": 1}
    [community] = await _rows(door, "SELECT id FROM communities WHERE platform = 'discord' AND external_id = ?",
                              str(GUILD))
    assert row["community_id"] == community["id"]
    [record] = await _rows(door, "SELECT * FROM consent_records WHERE testimony_id = ?", row["id"])
    assert (record["level"], record["health"], record["text_version"]) == (1, 1, CONSENT_TEXT_VERSION)
    assert record["author"] == row["author"] and row["author"].startswith("p_")
    for table in ("testimonies", "consent_records", "campaigns"):
        for stored_row in await _rows(door, f"SELECT * FROM {table}"):
            assert str(AUTHOR) not in json.dumps(stored_row, default=str), f"a raw Discord id in {table}"
    contacts = await _rows(door, "SELECT * FROM testimony_contacts")
    assert [(c["pseudonym"], c["address"]) for c in contacts] == [(row["author"], str(AUTHOR))], \
        "the raw id is kept only to tell the outcome of the review"
    assert await _rows(door, "SELECT * FROM forms_in_progress") == [], "the finished form is gone"


async def test_leaving_store_my_testimony_unticked_stores_nothing_and_try_again_still_works(door, fake):
    person = who(AUTHOR)
    _modals, submit, refused = await _testify(fake, person, confirm=False)
    said = _reply(refused)
    assert _said(said).startswith("Nothing was stored. To store your testimony, tick “Store my testimony”")
    assert _button(said)["label"] == "Try again"
    assert await _rows(door, "SELECT * FROM testimonies") == []
    assert await _rows(door, "SELECT * FROM consent_records") == []

    again = _modal(await _press(fake, submit, _button(said), person))
    assert again["title"] == "Your testimony (1/3)", "the pages open again, each answer as it was given"
    assert _input(again, "meaning")["value"] == MEANING and _input(again, "display_name")["value"] == "Keeper"
    assert _chosen(_input(again, "uses")) == PAGE_ONE["uses"]
    second = await _next(fake, again, {}, person)
    assert _chosen(_input(second, "consent")) == ["1"] and _input(second, "health")["default"] is True
    third = await _next(fake, second, {}, person)
    assert STORED in _displays(third)
    _submit_of_third, done = await _submit(fake, third, {"confirm": True}, person)
    receipt = RECEIPT.search(_said(_reply(done)))
    assert receipt
    [row] = await _rows(door, "SELECT receipt, meaning FROM testimonies")
    assert (row["receipt"], row["meaning"]) == (receipt.group(0), STORED)


async def test_only_this_communitys_moderators_decide_and_the_author_hears_the_outcome_by_dm(door, fake):
    receipt = await _receipt(fake, who(AUTHOR))
    assert [c["address"] for c in await _rows(door, "SELECT address FROM testimony_contacts")] == [str(AUTHOR)]

    refused = await _answer(fake, "review", who(MEMBER), receipt=receipt, decision="approve")
    assert _said(refused) == "Only the community's moderators can do that."
    elsewhere = who(OTHER_MODERATOR, OTHER_GUILD, moderator=True)
    assert _said(await _answer(fake, "review", elsewhere)) == "No testimonies are waiting for review."
    unknown = await _answer(fake, "review", elsewhere, receipt=receipt, decision="approve")
    assert _said(unknown) == f"There is no testimony {receipt} in this community."
    assert (await _testimony(door, receipt))["status"] == "pending", "nothing was changed"
    assert not any(r.path == "/users/@me/channels" for r in fake.requests), "nobody was told anything"

    moderator = who(MODERATOR, moderator=True)
    card = (await _answer(fake, "review", moderator))["embeds"][0]
    assert card["title"] == f"{receipt}, waiting for review (1 in all)"
    assert card["description"] == STORED
    before = len(fake.requests)
    decided = await _answer(fake, "review", moderator, receipt=receipt, decision="approve")
    assert _said(decided) == f"{receipt} approved. The author was told. None are waiting now."
    calls = [f"{r.method} {r.path}" for r in fake.requests[before:]]
    assert calls[0].endswith("/callback"), f"Discord is answered first (thinking…), whatever comes next: {calls}"
    assert calls[1] == "POST /users/@me/channels" and calls[2].startswith("POST /channels/"), calls

    opened = fake.requests[before + 1]
    assert str(opened.json["recipient_id"]) == str(AUTHOR)
    [message] = fake.messages[int(opened.response["id"])]
    assert message["embeds"][0]["title"] == "Your testimony"
    assert message["embeds"][0]["description"] == (f"Your testimony {receipt} was approved. Thank you for giving it. "
                                                   "/mytestimonies shows yours; /withdraw removes one.")
    row = await _testimony(door, receipt)
    assert row["status"] == "approved" and row["reviewed_by"].startswith("p_")
    assert str(MODERATOR) not in json.dumps(row)
    assert await _rows(door, "SELECT * FROM testimony_contacts") == [], "the raw id went once it was used"
    listed = (await _answer(fake, "mytestimonies", who(AUTHOR, None)))["embeds"][0]
    assert [field["name"] for field in listed["fields"]] == [f"{receipt} · approved"]


async def test_my_data_is_a_file_of_mine_alone_and_deleting_it_leaves_nothing_in_the_files(door, fake):
    mine = await _receipt(fake, who(AUTHOR))
    other_words = "Claude heard my stories about the orchard every evening for a year."
    theirs = await _receipt(fake, who(SECOND), one={**PAGE_ONE, "meaning": other_words, "display_name": ""})

    export = command_interaction("mydata", subcommand="export", **who(AUTHOR))
    said = _reply(await fake.interact(export))
    assert said["embeds"][0]["title"] == "Everything stored about you"
    [file] = _callback_request(fake, export).files
    assert file.filename == "continuity-my-data.json"
    document = json.loads(file.data)
    [testimony] = document["data"]["testimonies"]["testimonies"]
    assert (testimony["receipt"], testimony["meaning"], testimony["display_name"]) == (mine, STORED, "Keeper")
    assert [c["level"] for c in testimony["consent_records"]] == [1]
    author = (await _testimony(door, mine))["author"]
    assert document["pseudonym"] == author
    assert theirs.encode() not in file.data and other_words.encode() not in file.data, "nobody else's data"

    asked = _modal(await _command(fake, "mydata", who(AUTHOR), subcommand="delete"))
    assert asked["title"] == "Delete my data"
    assert _layout(asked)[-1] == (18, "Delete everything about me?", 23), "one question: a checkbox"
    assert _displays(asked).startswith("This deletes everything this instance stores about you on this platform")
    assert MARKER in _on_disk(door)
    _submit_of_it, done = await _submit(fake, asked, {"sure": True}, who(AUTHOR))
    assert _reply(done)["embeds"][0]["title"] == "Deleted"

    assert [r["receipt"] for r in await _rows(door, "SELECT receipt FROM testimonies")] == [theirs]
    for table, column in (("testimonies", "author"), ("consent_records", "author"),
                          ("testimony_contacts", "pseudonym"), ("forms_in_progress", "pseudonym")):
        assert await _rows(door, f"SELECT * FROM {table} WHERE {column} = ?", author) == [], table
    assert await door.bot.services.store.export_person(author) == {}, "nothing about them is left anywhere"
    on_disk = _on_disk(door)
    assert MARKER not in on_disk and b"Keeper" not in on_disk, "the words are gone from the files themselves"
    assert other_words.encode() in on_disk, "the other person's testimony is untouched"


async def test_withdrawing_leaves_a_tombstone_and_the_words_leave_the_files(door, fake):
    receipt = await _receipt(fake, who(AUTHOR))
    assert MARKER in _on_disk(door)
    said = await _answer(fake, "withdraw", who(AUTHOR, None), receipt=receipt)
    assert said["embeds"][0]["title"] == "Withdrawn"
    assert _said(said).startswith(f"{receipt} is withdrawn: its words are deleted")
    row = await _testimony(door, receipt)
    assert row["status"] == "withdrawn" and row["withdrawn_at"] is not None
    words = ("models", "models_text", "uses", "meaning", "asks", "display_name", "redactions", "language")
    assert {column: row[column] for column in words} == dict.fromkeys(words)
    assert MARKER not in _on_disk(door)
    again = await _answer(fake, "withdraw", who(AUTHOR, None), receipt=receipt)
    assert _said(again) == f"{receipt} was already withdrawn."


async def test_an_edit_opens_the_stored_answers_and_sends_an_approved_testimony_back_to_review(door, fake):
    receipt = await _receipt(fake, who(AUTHOR))
    moderator = who(MODERATOR, moderator=True)
    await _answer(fake, "review", moderator, receipt=receipt, decision="approve")
    assert (await _testimony(door, receipt))["status"] == "approved"

    person = who(AUTHOR, None)  # an edit is about the person alone: a direct message will do
    first = _modal(await _command(fake, "edit", person, receipt=receipt))
    assert first["title"] == "Your testimony (1/3)"
    assert _input(first, "models")["value"] == "Haiku" and _input(first, "meaning")["value"] == STORED
    assert _input(first, "display_name")["value"] == "Keeper"
    assert (_chosen(_input(first, "uses")), _chosen(_input(first, "asks"))) == (PAGE_ONE["uses"], PAGE_ONE["asks"])
    changed = STORED.replace("night shifts", "winter night shifts")
    second = await _next(fake, first, {"meaning": changed}, person)
    assert (_chosen(_input(second, "language")), _chosen(_input(second, "consent"))) == (["en"], ["1"])
    assert _input(second, "health")["default"] is True
    third = await _next(fake, second, {}, person)
    assert _displays(third).endswith("\n\n" + changed)
    _submit_of_third, done = await _submit(fake, third, {"confirm": True}, person)
    assert _said(_reply(done)) == (f"{receipt} is updated. The moderators had already decided on it, so they will "
                                   "review the changes.")

    row = await _testimony(door, receipt)
    assert (row["status"], row["meaning"], row["previous_meaning"]) == ("pending", changed, STORED)
    assert json.loads(row["changed_fields"]) == ["meaning"]
    assert len(await _rows(door, "SELECT * FROM consent_records WHERE testimony_id = ?", row["id"])) == 1, \
        "the consent did not change, so it has no new record"
    card = (await _answer(fake, "review", moderator))["embeds"][0]
    assert card["title"] == f"{receipt}, waiting for review (1 in all)" and card["description"] == changed
    fields = {field["name"]: field["value"] for field in card["fields"]}
    assert fields["The text as reviewed then"] == STORED
    assert "Changed since the last review" in fields


async def test_the_model_option_suggests_the_model_families_the_watch_knows(door, fake):
    await state_as_builtin(door.bot.services.store, upcoming_rows())

    async def suggested(typed: str) -> list[tuple[str, str]]:
        callback = await fake.interact(autocomplete_interaction("testify", "model", typed, **who(AUTHOR)))
        assert callback["type"] == 8
        return [(choice["name"], choice["value"]) for choice in callback["data"]["choices"]]

    assert await suggested("4o") == [("chatgpt-4o", "chatgpt-4o"), ("gpt-4o", "gpt-4o")]
    assert await suggested("Haiku") == [("claude-3-haiku", "claude-3-haiku")]
    assert [name for name, _value in await suggested("")] == ["chatgpt-4o", "claude-3-haiku", "gpt-4o"]
    assert await suggested("gemini") == []


async def test_the_review_shows_markdown_characters_as_typed(door, fake):
    typed = "I *really* miss it: __every__ night ~~gone~~, a | b, `code`, back\\slash.\n> not a quote\n# nor a title"
    name = "snow_white_2"
    modals, _submit_of_it, _done = await _testify(fake, who(AUTHOR), one={**PAGE_ONE, "meaning": typed,
                                                                            "display_name": name})
    review = _displays(modals[2])
    assert review.endswith("\n\n" + typed) and f"\nDisplay name: {name}\n" in review
    [row] = await _rows(door, "SELECT meaning, display_name FROM testimonies")
    assert (row["meaning"], row["display_name"]) == (typed, name), "what was shown is what was stored"


async def test_a_review_longer_than_a_text_display_is_shown_whole_in_several(door, fake):
    typed = ("*_~|`" * 7 + "\n") * 110  # 3,960 characters, each but the line breaks shown only once escaped
    modals, _submit_of_it, done = await _testify(fake, who(AUTHOR), one={**PAGE_ONE, "meaning": typed})
    displays = [top["content"] for top in modals[2]["components"] if top["type"] == 10]
    assert len(displays) >= 2 and all(len(content) <= 4000 for content in displays)
    assert len(modals[2]["components"]) <= 5, "Discord takes five components in a modal"
    assert _displays(modals[2]).endswith("\n\n" + typed.strip())
    assert RECEIPT.search(_said(_reply(done)))
    [row] = await _rows(door, "SELECT meaning FROM testimonies")
    assert row["meaning"] == typed.strip()


async def test_what_is_redacted_never_stays_in_the_database_files(door, fake):
    """The form's raw answers were kept while it was filled in; once it is done they leave the file and the
    write-ahead log, so the e-mail the review said was removed is nowhere on disk."""
    await _receipt(fake, who(AUTHOR))
    [row] = await _rows(door, "SELECT meaning, redactions FROM testimonies")
    assert (row["meaning"], json.loads(row["redactions"])) == (STORED, {"email": 1})
    assert b"keeper@example.org" not in _on_disk(door)
