"""Everything Continuity remembers, behind one repository per aggregate."""

from __future__ import annotations

from pathlib import Path

from bot.store.audit import AuditLog
from bot.store.communities import CommunityRepository
from bot.store.db import Database
from bot.store.migrate import migrate
from bot.store.people import PeopleRepository


class Store:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.communities = CommunityRepository(db)
        self.people = PeopleRepository(db)
        self.audit = AuditLog(db)

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
