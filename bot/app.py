"""The composition root: open the store, build the services and the scheduler, start the front doors,
and shut everything down in reverse order on SIGINT/SIGTERM or when a front door finishes."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.alerts.commands import AlertCommands
from bot.alerts.service import AlertService
from bot.config import Settings, pseudonym_secret
from bot.forms import FormCommands, FormService
from bot.general import GeneralService
from bot.people import PeopleService
from bot.presentation import FrontDoor, Platform
from bot.pseudonyms import Pseudonyms
from bot.services import Services
from bot.statements.commands import StatementCommands
from bot.store import Store
from bot.store.db import Database
from bot.store.migrate import migrate, schema_version
from bot.testimonies.service import TestimonyService
from bot.watch.commands import WatchCommands
from bot.watch.fetch import Fetcher, default_user_agent
from bot.watch.service import WatchService

log = logging.getLogger(__name__)


def build_services(settings: Settings, store: Store, fetcher: Fetcher | None = None) -> Services:
    pseudonyms = Pseudonyms(pseudonym_secret(settings))
    fetcher = fetcher or Fetcher(user_agent=default_user_agent(),
                                 allow_private=settings.watch_allow_private_addresses)
    watch = WatchService(store, fetcher, reminder_days=settings.reminder_days,
                         survey_reminder_days=settings.survey_reminder_days,
                         builtin_sources=settings.watch_builtin_sources)
    alerts = AlertService(store, lease_seconds=settings.delivery_lease_seconds)
    watch.on_notices(alerts.notices_stored)
    watch_commands = WatchCommands(store, watch, pseudonyms)
    alert_commands = AlertCommands(store, alerts, pseudonyms)
    testimonies = TestimonyService(store, pseudonyms, lambda: alerts.platforms)
    forms = FormService(store, pseudonyms, [watch_commands.survey_form(), alert_commands.notice_form(),
                                            *testimonies.form_specs()])
    return Services(
        settings=settings,
        store=store,
        people=PeopleService(store, pseudonyms, settings.default_locale),
        general=GeneralService(),
        fetcher=fetcher,
        watch=watch,
        watch_commands=watch_commands,
        alerts=alerts,
        alert_commands=alert_commands,
        forms=forms,
        form_commands=FormCommands(forms),
        testimonies=testimonies,
        statements=StatementCommands(store, threshold=settings.statement_threshold),
    )


class BackgroundJobs:
    """Tracks the scheduler's running jobs so shutdown can cancel them before the store closes
    (APScheduler's shutdown leaves a running coroutine job alone)."""

    def __init__(self) -> None:
        self._running: set[asyncio.Task[object]] = set()

    def tracked(self, job: Callable[[], Awaitable[object]]) -> Callable[[], Awaitable[None]]:
        async def run() -> None:
            task = asyncio.current_task()
            assert task is not None
            self._running.add(task)
            try:
                await job()
            except asyncio.CancelledError:
                pass  # shutting down: cancel_all() waits for this task, nothing else does
            finally:
                self._running.discard(task)
        return run

    async def cancel_all(self) -> None:
        for task in self._running:
            task.cancel()
        await asyncio.gather(*self._running, return_exceptions=True)


def schedule_watching(scheduler: AsyncIOScheduler, services: Services, jobs: BackgroundJobs) -> None:
    """Poll due sources every minute (each has its own interval) and plan reminders every hour."""
    now = datetime.now(UTC)
    options = {"max_instances": 1, "coalesce": True, "misfire_grace_time": 300}
    scheduler.add_job(jobs.tracked(services.watch.poll_due), "interval", minutes=1, next_run_time=now,
                      id="poll", **options)
    scheduler.add_job(jobs.tracked(services.watch.run_reminders), "interval", hours=1,
                      next_run_time=now + timedelta(seconds=30), id="reminders", **options)


def schedule_routing(scheduler: AsyncIOScheduler, services: Services, jobs: BackgroundJobs) -> None:
    """A sweep that routes any notice the immediate routing missed (it never should; a crash could)."""
    scheduler.add_job(jobs.tracked(services.alerts.route_pending), "interval", minutes=1, id="route",
                      max_instances=1, coalesce=True, misfire_grace_time=300)
    # Forms nobody finished: their answers are wiped at expiry, whatever front door they were begun on.
    scheduler.add_job(jobs.tracked(services.forms.sweep), "interval", minutes=10, id="forms",
                      max_instances=1, coalesce=True, misfire_grace_time=600)


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
    jobs = BackgroundJobs()
    started: list[FrontDoor] = []
    services: Services | None = None
    try:
        services = build_services(settings, store)
        if settings.watch_builtin_sources:
            await services.watch.sync_catalog()
        doors = choose_front_doors(services, console=console)
        for door in doors:
            await door.start()
            started.append(door)
            log.info("%s front door is up", door.name.value.capitalize())
            if isinstance(door, Platform):
                services.alerts.attach(door)
        await services.alerts.start()
        schedule_routing(scheduler, services, jobs)
        if settings.watch_enabled:
            schedule_watching(scheduler, services, jobs)
        else:
            log.info("WATCH_ENABLED is false: sources are not polled")
        scheduler.start()
        await _serve_until_stopped(doors)
    finally:
        if services is not None:
            await services.alerts.stop()
        for door in reversed(started):
            try:
                await door.stop()
            except Exception:
                log.exception("Stopping the %s front door failed", door.name.value)
        if scheduler.running:
            scheduler.shutdown(wait=False)
        await jobs.cancel_all()
        if services is not None:
            await services.fetcher.close()
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
