"""Modals on the fake Discord, driven by the real discord.py: the fake refuses what Discord refuses, and
`modal_submit_for` sends back what discord.py 2.7 itself parses into its items."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import discord
import pytest

from tests.fakes.discord_api import FakeDiscord
from tests.fakes.discord_payloads import command_interaction, component_interaction, modal_submit_for
from tests.integration.test_fake_discord import CHANNEL, GUILD, RunningBot, build_bot, run_until_ready, shut_down


class EverythingModal(discord.ui.Modal, title="Everything"):
    """One of each input a Label can hold."""

    name = discord.ui.Label(text="Name", component=discord.ui.TextInput(custom_id="name", default="Ada"))
    size = discord.ui.Label(text="Size", component=discord.ui.RadioGroup(custom_id="size", options=[
        discord.RadioGroupOption(label="Small", value="s"), discord.RadioGroupOption(label="Large", value="l")]))
    tags = discord.ui.Label(text="Tags", component=discord.ui.CheckboxGroup(
        custom_id="tags", required=False, min_values=0, max_values=3, options=[
            discord.CheckboxGroupOption(label=t, value=t, default=t == "b") for t in "abc"]))
    agree = discord.ui.Label(text="I agree", component=discord.ui.Checkbox(custom_id="agree"))
    colour = discord.ui.Label(text="Colour", component=discord.ui.Select(custom_id="colour", options=[
        discord.SelectOption(label="Red", value="red"), discord.SelectOption(label="Blue", value="blue")]))

    async def on_submit(self, interaction: discord.Interaction) -> None:
        read = [self.name.component.value, self.size.component.value, self.tags.component.values,  # type: ignore[attr-defined]
                self.agree.component.value, self.colour.component.values]  # type: ignore[attr-defined]
        await interaction.response.send_message(repr(read), ephemeral=True)


CHOSEN = {"size": "s", "colour": ["red"]}


@pytest.fixture
async def fake(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeDiscord]:
    server = FakeDiscord()
    server.add_guild(GUILD, "Test guild", channels=[CHANNEL])
    await server.start()
    server.patch(monkeypatch)
    yield server
    await server.stop()
    assert server.crashes == []


@pytest.fixture
async def running(fake: FakeDiscord) -> AsyncIterator[RunningBot]:
    bot = build_bot()

    @bot.tree.command(name="everything", description="Opens a modal of every input")
    async def everything(interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(EverythingModal())

    started = await run_until_ready(bot, fake.token)
    await fake.wait_ready()
    yield started
    started.check()
    await shut_down(started)


async def _raw_callback(fake: FakeDiscord, interaction: dict[str, Any], body: dict[str, Any]) -> tuple[int, Any]:
    """An interaction response posted by hand, past discord.py's own checks, to see what the API says."""
    url = f"{fake.api_base}/interactions/{interaction['id']}/{interaction['token']}/callback"
    async with aiohttp.ClientSession() as session, session.post(url, json=body) as response:
        return response.status, await response.json()


async def test_a_submit_built_from_the_modal_is_read_by_discord_py(fake: FakeDiscord, running: RunningBot) -> None:
    opened = await fake.interact(command_interaction("everything"))
    assert opened["type"] == 9
    modal = fake.modals[-1]
    assert [(top["type"], top["component"]["type"]) for top in modal["components"]] == [
        (18, 4), (18, 21), (18, 22), (18, 23), (18, 3)]
    submit = modal_submit_for(modal, {"Size": "l", "tags": ["a", "c"], "agree": True, "Colour": ["blue"]})
    label = submit["data"]["components"][1]
    assert label == {"type": 18, "id": 3, "component": {"type": 21, "id": 4, "custom_id": "size", "value": "l"}}
    answer = await fake.interact(submit)
    assert answer["data"]["content"] == repr(["Ada", "l", ["a", "c"], True, ["blue"]]), "defaults are kept"


async def test_what_the_client_would_not_send_is_refused_by_the_builder(fake: FakeDiscord,
                                                                         running: RunningBot) -> None:
    await fake.interact(command_interaction("everything"))
    modal = fake.modals[-1]
    with pytest.raises(ValueError, match="offers only"):
        modal_submit_for(modal, {"size": "medium"})
    with pytest.raises(ValueError, match="'size' is required"):
        modal_submit_for(modal, {})
    with pytest.raises(ValueError, match="'name' is required"):
        modal_submit_for(modal, {**CHOSEN, "name": ""})
    with pytest.raises(ValueError, match="no input"):
        modal_submit_for(modal, {**CHOSEN, "nickname": "x"})
    with pytest.raises(ValueError, match="no modal"):
        await fake.dispatch("INTERACTION_CREATE", modal_submit_for({**modal, "custom_id": "never-shown"}, CHOSEN))


async def test_a_modal_after_another_response_is_refused_as_already_acknowledged(fake: FakeDiscord,
                                                                                running: RunningBot) -> None:
    payload = command_interaction("slow", options=[{"name": "text", "type": 3, "value": "hi"}])
    await fake.interact(payload)  # the bot defers it
    modal = {"custom_id": "m", "title": "Late", "components": [
        {"type": 18, "label": "Name", "component": {"type": 4, "custom_id": "n", "style": 1}}]}
    status, body = await _raw_callback(fake, payload, {"type": 9, "data": modal})
    assert (status, body["code"], body["message"]) == (400, 40060, "Interaction has already been acknowledged.")
    assert fake.modals == []


async def test_a_modal_cannot_answer_a_modal_submit(fake: FakeDiscord, running: RunningBot) -> None:
    command = command_interaction("unknown")  # no handler: only this test answers it
    await fake.dispatch("INTERACTION_CREATE", command)
    modal = {"custom_id": "m", "title": "First", "components": [_label("Q", _text("q"))]}
    assert (await _raw_callback(fake, command, {"type": 9, "data": modal}))[0] == 200
    submit = modal_submit_for(fake.modals[-1], {"q": "hi"})
    await fake.dispatch("INTERACTION_CREATE", submit)  # discord.py knows no such modal and leaves it
    status, body = await _raw_callback(fake, submit, {"type": 9, "data": {**modal, "title": "Second"}})
    assert (status, body["code"]) == (400, 50035)
    assert body["errors"]["type"]["_errors"][0]["code"] == "INTERACTION_RESPONSE_TYPE_INVALID"
    assert [m["title"] for m in fake.modals] == ["First"]


def _label(label: str, component: dict[str, Any]) -> dict[str, Any]:
    return {"type": 18, "label": label, "component": component}


def _text(custom_id: str) -> dict[str, Any]:
    return {"type": 4, "custom_id": custom_id, "style": 1}


@pytest.mark.parametrize(("modal", "where", "code"), [
    ({"title": "Six", "components": [_label(f"Q{i}", _text(f"q{i}")) for i in range(6)]},
     ("components",), "BASE_TYPE_BAD_LENGTH"),
    ({"title": "T" * 46, "components": [_label("Q", _text("q"))]}, ("title",), "BASE_TYPE_MAX_LENGTH"),
    ({"title": "Label", "components": [_label("L" * 46, _text("q"))]}, ("components", "0", "label"),
     "BASE_TYPE_MAX_LENGTH"),
    ({"title": "Id", "components": [_label("Q", _text("q" * 101))]}, ("components", "0", "component", "custom_id"),
     "BASE_TYPE_MAX_LENGTH"),
    ({"title": "Bare", "components": [_text("q")]}, ("components", "0", "type"), "UNION_TYPE_CHOICES"),
    ({"title": "Button", "components": [_label("Q", {"type": 2, "custom_id": "b", "style": 1})]},
     ("components", "0", "component", "type"), "UNION_TYPE_CHOICES"),
    ({"title": "Radio", "components": [_label("Q", {"type": 21, "custom_id": "r", "options": [
        {"label": "Only", "value": "o"}]})]}, ("components", "0", "component", "options"), "BASE_TYPE_BAD_LENGTH"),
    ({"title": "Group", "components": [_label("Q", {"type": 22, "custom_id": "g", "max_values": 11, "options": [
        {"label": str(i), "value": str(i)} for i in range(11)]})]}, ("components", "0", "component", "options"),
     "BASE_TYPE_BAD_LENGTH"),
    ({"title": "Select", "components": [_label("Q", {"type": 3, "custom_id": "s", "options": [
        {"label": str(i), "value": str(i)} for i in range(26)]})]}, ("components", "0", "component", "options"),
     "BASE_TYPE_BAD_LENGTH"),
    ({"title": "Twice", "components": [_label("A", _text("q")), _label("B", _text("q"))]},
     ("components", "1", "component", "custom_id"), "COMPONENT_CUSTOM_ID_DUPLICATED"),
])
async def test_a_modal_outside_discords_limits_is_400_with_the_place_named(
        fake: FakeDiscord, running: RunningBot, modal: dict[str, Any], where: tuple[str, ...], code: str) -> None:
    payload = command_interaction("unknown")  # no handler: nothing answers it but this test
    await fake.dispatch("INTERACTION_CREATE", payload)
    status, body = await _raw_callback(fake, payload, {"type": 9, "data": {"custom_id": "m", **modal}})
    assert (status, body["code"], body["message"]) == (400, 50035, "Invalid Form Body")
    node = body["errors"]["data"]
    for key in where:
        node = node[key]
    assert node["_errors"][0]["code"] == code
    assert fake.modals == []
    ok, _answer = await _raw_callback(fake, payload, {"type": 9, "data": {
        "custom_id": "m", "title": "Fine", "components": [_label("Q", _text("q"))]}})
    assert ok == 200, "a refused modal does not acknowledge the interaction"


async def test_a_button_may_open_a_modal(fake: FakeDiscord, running: RunningBot) -> None:
    payload = component_interaction("anything")
    await fake.dispatch("INTERACTION_CREATE", payload)
    status, _body = await _raw_callback(fake, payload, {"type": 9, "data": {
        "custom_id": "m", "title": "From a button", "components": [_label("Q", _text("q"))]}})
    assert status == 200 and fake.modals[-1]["title"] == "From a button"
