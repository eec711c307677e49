"""An append-only record of what moderators and the system changed. Never holds message text."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from bot.store.db import Database, utcnow
from bot.store.person_data import DELETED


@dataclass(frozen=True, slots=True)
class AuditEntry:
    community_id: int | None
    actor: str
    action: str
    detail: dict[str, Any]
    created_at: str


class AuditLog:
    person_columns = frozenset({("audit_log", "actor")})

    def __init__(self, db: Database) -> None:
        self._db = db

    async def record(self, action: str, *, actor: str = "system", community_id: int | None = None,
                     **detail: Any) -> None:
        await self._db.execute(
            "INSERT INTO audit_log (community_id, actor, action, detail, created_at) VALUES (?, ?, ?, ?, ?)",
            (community_id, actor, action, json.dumps(detail, sort_keys=True, ensure_ascii=False), utcnow()),
        )

    async def list_entries(self, community_id: int | None = None, limit: int = 50) -> list[AuditEntry]:
        rows = await self._db.fetch_all(
            """SELECT community_id, actor, action, detail, created_at FROM audit_log
               WHERE ?1 IS NULL OR community_id = ?1 ORDER BY id DESC LIMIT ?2""",
            (community_id, limit),
        )
        return [AuditEntry(r["community_id"], r["actor"], r["action"], json.loads(r["detail"]),
                           r["created_at"]) for r in rows]

    async def export_person(self, pseudonym: str) -> list[dict[str, Any]]:
        rows = await self._db.fetch_all(
            "SELECT action, detail, created_at FROM audit_log WHERE actor = ? ORDER BY id", (pseudonym,))
        return [dict(r) for r in rows]

    async def delete_person(self, pseudonym: str) -> None:
        # The entry stays (moderation must remain accountable), the person behind it does not.
        await self._db.execute("UPDATE audit_log SET actor = ? WHERE actor = ?", (DELETED, pseudonym))
