"""Forms in progress, one per person and platform, so a restart between two steps loses nothing.
Part of the person-data contract: the answers so far are the person's words."""

from __future__ import annotations

import json
import secrets
from datetime import datetime
from typing import Any

import aiosqlite

from bot.domain import FormProgress, PlatformName, Target
from bot.store.db import Database, utcnow


def _progress(r: aiosqlite.Row) -> FormProgress:
    platform = PlatformName(r["platform"])
    channel = Target(platform, r["channel_id"], r["thread_id"]) if r["channel_id"] else None
    return FormProgress(r["id"], r["token"], r["pseudonym"], platform, r["form_key"], r["community_id"], channel,
                        bool(r["moderator"]), r["locale"], json.loads(r["answers"]), r["step"],
                        datetime.fromisoformat(r["expires_at"]), bool(r["expired"]))


class FormRepository:
    person_columns = frozenset({("forms_in_progress", "pseudonym")})

    def __init__(self, db: Database) -> None:
        self._db = db

    async def begin(self, pseudonym: str, platform: PlatformName, form_key: str, *, community_id: int | None,
                    channel: Target | None, moderator: bool, locale: str, answers: dict[str, object],
                    expires_at: datetime) -> FormProgress:
        """A new form for this person on this platform, replacing one they left unfinished."""
        now = utcnow()
        async with self._db.transaction():
            await self._db.execute("DELETE FROM forms_in_progress WHERE pseudonym = ? AND platform = ?",
                                   (pseudonym, platform.value))
            form_id = await self._db.execute(
                """INSERT INTO forms_in_progress (token, pseudonym, platform, form_key, community_id, channel_id,
                       thread_id, moderator, locale, answers, created_at, updated_at, expires_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (secrets.token_urlsafe(9), pseudonym, platform.value, form_key, community_id,
                 channel.channel_id if channel else None, channel.thread_id if channel else None, int(moderator),
                 locale, json.dumps(answers, ensure_ascii=False), now, now, expires_at.isoformat()))
        progress = await self.get(form_id)
        assert progress is not None
        return progress

    async def get(self, form_id: int) -> FormProgress | None:
        row = await self._db.fetch_one("SELECT * FROM forms_in_progress WHERE id = ?", (form_id,))
        return _progress(row) if row else None

    async def of_person(self, pseudonym: str, platform: PlatformName) -> FormProgress | None:
        row = await self._db.fetch_one("SELECT * FROM forms_in_progress WHERE pseudonym = ? AND platform = ?",
                                       (pseudonym, platform.value))
        return _progress(row) if row else None

    async def save(self, form_id: int, answers: dict[str, object], step: int) -> None:
        await self._db.execute("UPDATE forms_in_progress SET answers = ?, step = ?, updated_at = ? WHERE id = ?",
                               (json.dumps(answers, ensure_ascii=False), step, utcnow(), form_id))

    async def end(self, form_id: int) -> None:
        await self._db.execute("DELETE FROM forms_in_progress WHERE id = ?", (form_id,))

    async def expire_due(self, now: datetime, *, forget_after: datetime) -> int:
        """Wipe the answers of forms past their expiry (the person is told when they come back), and
        forget expired forms entirely once `forget_after` has passed their expiry too."""
        async with self._db.transaction():
            await self._db.execute("DELETE FROM forms_in_progress WHERE expired = 1 AND expires_at <= ?",
                                   (forget_after.isoformat(),))
            expired = await self._db.fetch_value(
                "SELECT COUNT(*) FROM forms_in_progress WHERE expired = 0 AND expires_at <= ?", (now.isoformat(),))
            await self._db.execute(
                "UPDATE forms_in_progress SET expired = 1, answers = '{}', updated_at = ? "
                "WHERE expired = 0 AND expires_at <= ?", (utcnow(), now.isoformat()))
        return int(expired or 0)

    async def export_person(self, pseudonym: str) -> list[dict[str, Any]]:
        rows = await self._db.fetch_all(
            "SELECT form_key, answers, step, created_at, expires_at FROM forms_in_progress WHERE pseudonym = ?",
            (pseudonym,))
        return [{**dict(r), "answers": json.loads(r["answers"])} for r in rows]

    async def delete_person(self, pseudonym: str) -> None:
        await self._db.execute("DELETE FROM forms_in_progress WHERE pseudonym = ?", (pseudonym,))
