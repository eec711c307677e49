"""One life of the bot on Telegram, composed as `bot.app.run` composes it (the front door attached to the
alerts, so the core can message people): a new store and Application on the same database file and fake
server, so a test can restart the bot between two steps."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from bot.app import build_services
from bot.platforms.telegram import TelegramFrontDoor
from bot.store import Store
from tests.conftest import make_settings
from tests.fakes.telegram_api import FakeTelegram


@asynccontextmanager
async def running(tmp_path: Path, fake: FakeTelegram) -> AsyncIterator[TelegramFrontDoor]:
    settings = make_settings(tmp_path, telegram_token=fake.token, telegram_api_base=fake.base_url)
    store = await Store.open(settings.database_path)
    services = build_services(settings, store)
    door = TelegramFrontDoor(services)
    await door.start()
    services.alerts.attach(door)
    task = asyncio.create_task(door.run())
    try:
        yield door
    finally:
        await door.stop()
        await task
        await store.close()
