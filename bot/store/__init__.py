"""Everything Continuity remembers, behind one repository per aggregate."""

from __future__ import annotations

from pathlib import Path

from bot.store.audit import AuditLog
from bot.store.communities import CommunityRepository
from bot.store.db import Database
from bot.store.deprecations import DeprecationRepository
from bot.store.forms import FormRepository
from bot.store.migrate import migrate
from bot.store.notices import NoticeRepository
from bot.store.outbox import Outbox
from bot.store.people import PeopleRepository
from bot.store.sources import SourceRepository
from bot.store.subscriptions import SubscriptionRepository
from bot.store.surveys import SurveyRepository


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

    async def close(self) -> None:
        await self.db.close()


__all__ = ["Database", "Store", "migrate"]
