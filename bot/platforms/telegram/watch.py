"""/deprecations, /sources and /survey on Telegram: typed arguments, parsed once in the core."""

from __future__ import annotations

from typing import TYPE_CHECKING

from telegram.ext import CommandHandler

if TYPE_CHECKING:
    from bot.platforms.telegram.front_door import TelegramFrontDoor


def register(door: TelegramFrontDoor) -> None:
    watch = door.services.watch_commands
    door.application.add_handlers([
        CommandHandler("deprecations", door.text_command(watch.deprecations)),
        CommandHandler("sources", door.text_command(watch.sources_text)),
        CommandHandler("survey", door.text_command(watch.survey_text)),
    ])
