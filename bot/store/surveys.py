"""Surveys reported by members, waiting for a moderator's review."""

from __future__ import annotations

import json
import sqlite3
from datetime import date

import aiosqlite

from bot.domain import SurveyReport, SurveyStatus
from bot.errors import AlreadyExists, NotFound
from bot.store.db import Database, utcnow
from bot.store.person_data import DELETED


def _report(r: aiosqlite.Row) -> SurveyReport:
    return SurveyReport(r["id"], r["community_id"], r["url"],
                        date.fromisoformat(r["deadline"]) if r["deadline"] else None, r["note"], r["reporter"],
                        SurveyStatus(r["status"]), r["notice_id"], r["organiser"], tuple(json.loads(r["audience"])))


class SurveyRepository:
    person_columns = frozenset({("survey_reports", "reporter"), ("survey_reports", "reviewer")})

    def __init__(self, db: Database) -> None:
        self._db = db

    async def add_report(self, community_id: int, url: str, deadline: date | None, note: str, reporter: str, *,
                         organiser: str | None = None, audience: tuple[str, ...] = ()) -> SurveyReport:
        try:
            report_id = await self._db.execute(
                """INSERT INTO survey_reports (community_id, url, deadline, note, reporter, organiser, audience,
                                               created_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                (community_id, url, deadline.isoformat() if deadline else None, note, reporter, organiser,
                 json.dumps(list(audience)), utcnow()))
        except sqlite3.IntegrityError:
            raise AlreadyExists("survey report", url) from None
        report = await self.get_report(report_id)
        assert report is not None
        return report

    async def get_report(self, report_id: int) -> SurveyReport | None:
        row = await self._db.fetch_one("SELECT * FROM survey_reports WHERE id = ?", (report_id,))
        return None if row is None else _report(row)

    async def community_report(self, community_id: int, report_id: int) -> SurveyReport:
        """A report made in this community; NotFound otherwise (another community's is not shown)."""
        row = await self._db.fetch_one("SELECT * FROM survey_reports WHERE id = ? AND community_id = ?",
                                       (report_id, community_id))
        if row is None:
            raise NotFound("survey report", report_id)
        return _report(row)

    async def list_reports(self, community_id: int, status: SurveyStatus | None = None) -> list[SurveyReport]:
        rows = await self._db.fetch_all(
            "SELECT * FROM survey_reports WHERE community_id = ?1 AND (?2 IS NULL OR status = ?2) ORDER BY id",
            (community_id, status.value if status else None))
        return [_report(r) for r in rows]

    async def review(self, report_id: int, status: SurveyStatus, reviewer: str, notice_id: int | None) -> None:
        await self._db.execute(
            "UPDATE survey_reports SET status = ?, reviewer = ?, reviewed_at = ?, notice_id = ? WHERE id = ?",
            (status.value, reviewer, utcnow(), notice_id, report_id))

    async def export_person(self, pseudonym: str) -> list[dict[str, object]]:
        rows = await self._db.fetch_all(
            "SELECT url, deadline, note, status, created_at FROM survey_reports WHERE reporter = ?", (pseudonym,))
        return [dict(r) for r in rows]

    async def delete_person(self, pseudonym: str) -> None:
        # An approved survey stays public (it is the vendor's, not the person's); who reported it does not.
        await self._db.execute("UPDATE survey_reports SET reporter = ?, note = '' WHERE reporter = ?",
                               (DELETED, pseudonym))
        await self._db.execute("UPDATE survey_reports SET reviewer = ? WHERE reviewer = ?", (DELETED, pseudonym))
