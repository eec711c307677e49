"""The core's services, built once by the composition root and handed to every front door."""

from __future__ import annotations

from dataclasses import dataclass

from bot.config import Settings
from bot.general import GeneralService
from bot.people import PeopleService
from bot.store import Store


@dataclass(frozen=True, slots=True)
class Services:
    settings: Settings
    store: Store
    people: PeopleService
    general: GeneralService
