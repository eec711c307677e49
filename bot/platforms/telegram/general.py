"""/start, /help, /about, /privacy and /language on Telegram, in private chats and groups."""

from __future__ import annotations

from typing import TYPE_CHECKING

from telegram import Update
from telegram.ext import CommandHandler, ContextTypes

if TYPE_CHECKING:
    from bot.platforms.telegram.front_door import TelegramFrontDoor


def register(door: TelegramFrontDoor) -> None:
    general, people = door.services.general, door.services.people

    async def help_(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await door.answer(update, context, general.help)

    async def about(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await door.answer(update, context, general.about)

    async def privacy(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await door.answer(update, context, general.privacy)

    async def language(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        choice = " ".join(context.args or [])
        await door.answer(update, context, lambda actor: people.set_language(actor, choice))

    door.application.add_handlers([
        CommandHandler(["start", "help"], help_),
        CommandHandler("about", about),
        CommandHandler("privacy", privacy),
        CommandHandler("language", language),
    ])
