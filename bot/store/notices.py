"""Notices: stored once per real event (the dedup key), read back for the front doors."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import aiosqlite

from bot.domain import Category, Notice, NoticeKind
from bot.store.db import Database, utcnow


def notice_from_row(r: aiosqlite.Row) -> Notice:
    return Notice(
        kind=NoticeKind(r["kind"]), category=Category(r["category"]), title=r["title"], dedup_key=r["dedup_key"],
        vendor=r["vendor"], platform=r["platform"], model=r["model"], detail=r["detail"], url=r["url"],
        old_value=r["old_value"], new_value=r["new_value"],
        due_date=date.fromisoformat(r["due_date"]) if r["due_date"] else None,
        models=tuple(json.loads(r["models"])), source_id=r["source_id"], community_id=r["community_id"],
        posted_by=r["posted_by"], id=r["id"], created_at=r["created_at"],
    )


class NoticeRepository:
    person_columns = frozenset({("notices", "posted_by")})

    def __init__(self, db: Database) -> None:
        self._db = db

    async def add_notices(self, notices: list[Notice]) -> list[Notice]:
        """Store what is new; a notice whose event is already stored is skipped. Returns the stored ones."""
        stored = []
        async with self._db.transaction():
            for n in notices:
                now = utcnow()
                row_id = await self._db.execute(
                    """INSERT INTO notices (kind, category, source_id, community_id, vendor, platform, model, title,
                                            detail, url, old_value, new_value, due_date, models, dedup_key,
                                            posted_by, created_at)
                       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                       ON CONFLICT (dedup_key) DO NOTHING""",
                    (n.kind.value, n.category.value, n.source_id, n.community_id, n.vendor, n.platform, n.model,
                     n.title, n.detail, n.url, n.old_value, n.new_value,
                     n.due_date.isoformat() if n.due_date else None, json.dumps(list(n.models)), n.dedup_key,
                     n.posted_by, now),
                )
                if await self._db.fetch_value("SELECT changes()"):
                    stored.append(replace(n, id=row_id, created_at=now))
        return stored

    async def get_notice(self, notice_id: int) -> Notice | None:
        row = await self._db.fetch_one("SELECT * FROM notices WHERE id = ?", (notice_id,))
        return None if row is None else notice_from_row(row)

    async def list_notices(self, *, kind: NoticeKind | None = None, limit: int = 100) -> list[Notice]:
        rows = await self._db.fetch_all(
            "SELECT * FROM notices WHERE ?1 IS NULL OR kind = ?1 ORDER BY id DESC LIMIT ?2",
            (kind.value if kind else None, limit))
        return [notice_from_row(r) for r in rows]

    async def open_deadlines(self, today: date) -> list[Notice]:
        """Surveys and moderators' notices whose deadline has not passed: what deadline reminders count to."""
        rows = await self._db.fetch_all(
            "SELECT * FROM notices WHERE kind IN ('survey', 'posted') AND due_date >= ? ORDER BY due_date",
            (today.isoformat(),))
        return [notice_from_row(r) for r in rows]

    # --- data rights: notices a moderator posted keep their words, not who posted them ------------------

    async def export_person(self, pseudonym: str) -> list[dict[str, object]]:
        rows = await self._db.fetch_all("SELECT id, title, detail, url, created_at FROM notices WHERE posted_by = ?",
                                        (pseudonym,))
        return [dict(r) for r in rows]

    async def delete_person(self, pseudonym: str) -> None:
        await self._db.execute("UPDATE notices SET posted_by = NULL WHERE posted_by = ?", (pseudonym,))
