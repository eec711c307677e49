"""The core's services, built once by the composition root and handed to every front door."""

from __future__ import annotations

from dataclasses import dataclass

from bot.alerts.commands import AlertCommands
from bot.alerts.service import AlertService
from bot.config import Settings
from bot.forms import FormCommands, FormService
from bot.general import GeneralService
from bot.people import PeopleService
from bot.statements.commands import StatementCommands
from bot.store import Store
from bot.testimonies.service import TestimonyService
from bot.watch.commands import WatchCommands
from bot.watch.fetch import Fetcher
from bot.watch.service import WatchService


@dataclass(frozen=True, slots=True)
class Services:
    settings: Settings
    store: Store
    people: PeopleService
    general: GeneralService
    fetcher: Fetcher
    watch: WatchService
    watch_commands: WatchCommands
    alerts: AlertService
    alert_commands: AlertCommands
    forms: FormService
    form_commands: FormCommands
    testimonies: TestimonyService
    statements: StatementCommands
