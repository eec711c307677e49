"""The Telegram front door: a python-telegram-bot `Application` started inside our own event loop."""

from bot.platforms.telegram.front_door import TelegramFrontDoor

__all__ = ["TelegramFrontDoor"]
