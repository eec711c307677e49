"""The composition root: open the store, build the services and the scheduler, start the front doors,
and shut everything down in reverse order on SIGINT/SIGTERM or when a front door finishes."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Sequence

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.config import Settings, pseudonym_secret
from bot.general import GeneralService
from bot.people import PeopleService
from bot.platforms.base import FrontDoor
from bot.pseudonyms import Pseudonyms
from bot.services import Services
from bot.store import Store
from bot.store.db import Database
from bot.store.migrate import migrate, schema_version

log = logging.getLogger(__name__)


def build_services(settings: Settings, store: Store) -> Services:
    pseudonyms = Pseudonyms(pseudonym_secret(settings))
    return Services(
        settings=settings,
        store=store,
        people=PeopleService(store, pseudonyms, settings.default_locale),
        general=GeneralService(),
    )


def choose_front_doors(services: Services, *, console: bool) -> list[FrontDoor]:
    """Every platform whose token is set; the console when asked for, or when no token is set."""
    settings = services.settings
    doors: list[FrontDoor] = []
    if not console and settings.discord_token is not None:
        from bot.platforms.discord import DiscordFrontDoor

        doors.append(DiscordFrontDoor(services))
    if not console and settings.telegram_token is not None:
        from bot.platforms.telegram import TelegramFrontDoor

        doors.append(TelegramFrontDoor(services))
    if not doors:
        from bot.platforms.console import ConsoleFrontDoor

        if not console:
            log.info("No DISCORD_TOKEN or TELEGRAM_TOKEN is set, so Continuity starts on the console. "
                     "Add a token to .env (see .env.example) to connect a platform.")
        doors.append(ConsoleFrontDoor(services))
    return doors


async def run(settings: Settings, *, console: bool = False) -> None:
    store = await Store.open(settings.database_path)
    scheduler = AsyncIOScheduler(timezone="UTC")
    started: list[FrontDoor] = []
    try:
        services = build_services(settings, store)
        doors = choose_front_doors(services, console=console)
        scheduler.start()
        for door in doors:
            await door.start()
            started.append(door)
            log.info("%s front door is up", door.name.value.capitalize())
        await _serve_until_stopped(doors)
    finally:
        for door in reversed(started):
            try:
                await door.stop()
            except Exception:
                log.exception("Stopping the %s front door failed", door.name.value)
        if scheduler.running:
            scheduler.shutdown(wait=False)
        await store.close()
        log.info("Stopped")


async def _serve_until_stopped(doors: Sequence[FrontDoor]) -> None:
    """Run every front door; stop all on a signal, or when any of them finishes or fails."""
    loop = asyncio.get_running_loop()
    stopping = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stopping.set)
    tasks = [asyncio.create_task(door.run(), name=f"front-door-{door.name.value}") for door in doors]
    stop_waiter = asyncio.create_task(stopping.wait())
    try:
        await asyncio.wait([*tasks, stop_waiter], return_when=asyncio.FIRST_COMPLETED)
        if stopping.is_set():
            log.info("Shutting down")
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
        for task in [*tasks, stop_waiter]:
            task.cancel()
        results = await asyncio.gather(*tasks, stop_waiter, return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException) and not isinstance(result, asyncio.CancelledError):
            raise result


async def migrate_only(settings: Settings) -> None:
    """`python -m bot migrate`: bring the schema up to date and say where it stands."""
    db = await Database.open(settings.database_path)
    try:
        applied = await migrate(db)
        version = await schema_version(db)
    finally:
        await db.close()
    if applied:
        print(f"Applied {len(applied)} migration(s): {', '.join(m.label for m in applied)}.")
    print(f"The database {settings.database_path} is up to date (schema version {version}).")
