"""/alerts and /notice on Telegram: typed arguments, parsed once in the core. In a forum, /alerts subscribe
subscribes the topic it is sent in."""

from __future__ import annotations

from typing import TYPE_CHECKING

from telegram.ext import CommandHandler

if TYPE_CHECKING:
    from bot.platforms.telegram.front_door import TelegramFrontDoor


def register(door: TelegramFrontDoor) -> None:
    alerts = door.services.alert_commands
    door.application.add_handlers([
        CommandHandler("alerts", door.text_command(alerts.alerts_text)),
        CommandHandler("notice", door.text_command(alerts.notice_text)),
    ])
