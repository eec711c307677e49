"""What people chose for themselves, keyed by pseudonym. Part of the data-rights contract:
`export_person` and `delete_person` cover everything this repository holds about someone."""

from __future__ import annotations

from typing import Any

from bot.domain import PersonPreferences
from bot.store.db import Database, utcnow


class PeopleRepository:
    person_columns = frozenset({("people", "pseudonym")})

    def __init__(self, db: Database) -> None:
        self._db = db

    async def get_preferences(self, pseudonym: str) -> PersonPreferences:
        row = await self._db.fetch_one("SELECT locale FROM people WHERE pseudonym = ?", (pseudonym,))
        return PersonPreferences(pseudonym, row["locale"] if row else None)

    async def set_locale(self, pseudonym: str, locale: str | None) -> None:
        now = utcnow()
        await self._db.execute(
            """INSERT INTO people (pseudonym, locale, created_at, updated_at) VALUES (?, ?, ?, ?)
               ON CONFLICT (pseudonym) DO UPDATE SET locale = excluded.locale,
                                                     updated_at = excluded.updated_at""",
            (pseudonym, locale, now, now),
        )

    async def export_person(self, pseudonym: str) -> dict[str, Any]:
        row = await self._db.fetch_one(
            "SELECT locale, created_at, updated_at FROM people WHERE pseudonym = ?", (pseudonym,))
        return {} if row is None else dict(row)

    async def delete_person(self, pseudonym: str) -> None:
        await self._db.execute("DELETE FROM people WHERE pseudonym = ?", (pseudonym,))
