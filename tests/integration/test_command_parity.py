"""Every command of the table is served by every front door, or the table says why not: Telegram registers
it, the console and Telegram find it from its words, and a Discord cog binds a slash command of the same
path to it (read from the real command tree, with the cogs loaded into the real bot)."""

from __future__ import annotations

import ast
import inspect
import textwrap

from discord import app_commands
from telegram.ext import CommandHandler

from bot.app import build_services
from bot.commands import COMMANDS, resolve
from bot.domain import PlatformName
from bot.platforms.discord import EXTENSIONS, ContinuityBot
from bot.platforms.telegram import TelegramFrontDoor
from tests.conftest import make_settings


def bound_path(callback) -> str:
    """The table path a cog method hands to `self.bot.run(interaction, "<path>", …)`."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(callback)))
    paths = [node.args[1].value for node in ast.walk(tree)
             if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "run"
             and len(node.args) == 2 and isinstance(node.args[1], ast.Constant)]
    assert len(paths) == 1, f"{callback.__qualname__} must run exactly one command of the table"
    return paths[0]


async def discord_commands(services) -> dict[str, str]:
    """Slash command path (its English names) -> the table path it runs."""
    bot = ContinuityBot(services)
    for extension in EXTENSIONS:
        await bot.load_extension(extension)
    found: dict[str, str] = {}

    def walk(command: app_commands.Command | app_commands.Group, prefix: str) -> None:
        path = f"{prefix} {command.name}".strip()
        if isinstance(command, app_commands.Group):
            for child in command.commands:
                walk(child, path)
        else:
            found[path] = bound_path(command.callback)

    for command in bot.tree.get_commands():
        walk(command, "")
    await bot.close()
    return found


async def test_every_command_is_on_discord_or_says_why(services):
    on_discord = await discord_commands(services)
    assert on_discord, "the cogs registered commands"
    for path, runs in on_discord.items():
        assert path == runs, f"/{path} on Discord runs the table's /{runs}"
    for command in COMMANDS:
        if PlatformName.DISCORD in command.not_on:
            assert command.not_on[PlatformName.DISCORD], f"/{command.path}: say why it is not on Discord"
            assert command.path not in on_discord
        else:
            assert command.path in on_discord, f"/{command.path} has no Discord slash command"
    assert set(on_discord) <= {c.path for c in COMMANDS}


async def test_every_command_is_on_telegram_and_the_console(store, tmp_path):
    settings = make_settings(tmp_path, telegram_token="123456:parity-test",
                             telegram_api_base="http://127.0.0.1:9/bot")
    door = TelegramFrontDoor(build_services(settings, store))
    registered = {name for handlers in door.application.handlers.values() for handler in handlers
                  if isinstance(handler, CommandHandler) for name in handler.commands}
    for command in COMMANDS:
        assert resolve(command.path) == (command, ""), f"/{command.path} is found from its words"
        if PlatformName.TELEGRAM in command.not_on:
            assert command.not_on[PlatformName.TELEGRAM]
        else:
            assert command.top in registered, f"/{command.top} is not registered on Telegram"
    assert "start" in registered, "Telegram's own first command"
