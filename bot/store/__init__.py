"""Everything Continuity remembers, behind one repository per aggregate."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.store.audit import AuditLog
from bot.store.communities import CommunityRepository
from bot.store.db import Database
from bot.store.deprecations import DeprecationRepository
from bot.store.forms import FormRepository
from bot.store.migrate import migrate
from bot.store.notices import NoticeRepository
from bot.store.outbox import Outbox
from bot.store.people import PeopleRepository
from bot.store.person_data import PersonData
from bot.store.sources import SourceRepository
from bot.store.subscriptions import SubscriptionRepository
from bot.store.surveys import SurveyRepository
from bot.store.testimonies import TestimonyRepository


class Store:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.communities = CommunityRepository(db)
        self.people = PeopleRepository(db)
        self.audit = AuditLog(db)
        self.sources = SourceRepository(db)
        self.deprecations = DeprecationRepository(db)
        self.notices = NoticeRepository(db)
        self.surveys = SurveyRepository(db)
        self.subscriptions = SubscriptionRepository(db)
        self.outbox = Outbox(db)
        self.forms = FormRepository(db)
        self.testimonies = TestimonyRepository(db)
        # Every repository that keeps something about a person; the person-data test checks none is missing.
        self.person_data: dict[str, PersonData] = {
            "preferences": self.people, "moderation_log": self.audit, "sources_added": self.sources,
            "notices_posted": self.notices, "survey_reports": self.surveys, "alerts": self.subscriptions,
            "forms_in_progress": self.forms, "testimonies": self.testimonies,
        }

    @classmethod
    async def open(cls, path: Path) -> Store:
        """Open the database and bring its schema up to date (refusing one newer than this code)."""
        db = await Database.open(path)
        try:
            await migrate(db)
        except BaseException:
            await db.close()
            raise
        return cls(db)

    async def export_person(self, pseudonym: str) -> dict[str, Any]:
        """Everything stored about one person, by what it is; empty parts are left out."""
        found = {name: await repository.export_person(pseudonym) for name, repository in self.person_data.items()}
        return {name: data for name, data in found.items() if data}

    async def delete_person(self, pseudonym: str) -> None:
        """Remove a person from every table at once, then from the database file itself: deleted content is
        zeroed (`secure_delete`) and the write-ahead log, which still holds the old pages, is emptied."""
        async with self.db.transaction():
            for repository in self.person_data.values():
                await repository.delete_person(pseudonym)
        await self.db.checkpoint()

    async def close(self) -> None:
        await self.db.close()


__all__ = ["Database", "Store", "migrate"]
