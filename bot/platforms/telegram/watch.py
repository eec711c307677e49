"""/deprecations, /sources and /survey on Telegram: typed arguments, parsed once in the core."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from telegram import Update
from telegram.ext import CommandHandler, ContextTypes

from bot.platforms.base import Actor, Message

if TYPE_CHECKING:
    from bot.platforms.telegram.front_door import TelegramFrontDoor


def register(door: TelegramFrontDoor) -> None:
    watch = door.services.watch_commands

    def text_command(method: Callable[[Actor, str], Awaitable[Message]]) -> Callable[..., Awaitable[None]]:
        """A handler passing the text after the command to the core, which parses it once for all."""
        async def handle(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
            args = " ".join(context.args or [])
            await door.answer(update, context, lambda actor: method(actor, args))
        return handle

    door.application.add_handlers([
        CommandHandler("deprecations", text_command(watch.deprecations)),
        CommandHandler("sources", text_command(watch.sources_text)),
        CommandHandler("survey", text_command(watch.survey_text)),
    ])
