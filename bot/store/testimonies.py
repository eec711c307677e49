"""Testimonies, their consent records, campaigns, soft blocks and the contacts for review outcomes.
Part of the person-data contract: every table here holds a person, as author, contact or blocked person.
Timestamps come from the caller's clock, so the rate limit and the tests agree on what "today" is."""

from __future__ import annotations

import json
import secrets
import sqlite3
import sys
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

import aiosqlite

from bot.domain import Campaign, Consent, ConsentLevel, PlatformName, Testimony, TestimonyStatus
from bot.errors import AlreadyExists, NotFound
from bot.store.db import Database
from bot.store.person_data import DELETED

# Receipts avoid letters and digits that are read alike (0/O, 1/I/L).
_RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
# The columns that hold the person's words: all emptied on withdrawal.
_WORDS = ("models", "models_text", "uses", "meaning", "asks", "display_name", "previous_meaning",
          "changed_fields", "redactions", "language", "detected_language", "review_reason", "analysis")


@dataclass(frozen=True, slots=True)
class Words:
    """What a person gave, as intake cleaned it."""

    models: tuple[str, ...]
    models_text: str
    uses: tuple[str, ...]
    meaning: str
    asks: tuple[str, ...]
    display_name: str
    language: str
    detected_language: str | None
    redactions: dict[str, int]


@dataclass(frozen=True, slots=True)
class IntakeState:
    """A person's standing in a community when they submit: blocked there, how many testimonies they gave
    since a moment (imports not counted), and the texts of theirs still held there."""

    blocked: bool
    count_since: int
    texts: list[tuple[int, str]]


def new_receipt() -> str:
    return "T-" + "".join(secrets.choice(_RECEIPT_ALPHABET) for _ in range(6))


def _campaign(r: aiosqlite.Row) -> Campaign:
    return Campaign(r["id"], r["community_id"], r["name"], r["description"], tuple(json.loads(r["models"])),
                    date.fromisoformat(r["closes_on"]) if r["closes_on"] else None)


@lru_cache(maxsize=4096)
def _list(value: str | None) -> tuple[str, ...]:
    """A stored JSON list; cached because the same few (`["gpt-4o"]`) recur in thousands of rows."""
    return tuple(json.loads(value)) if value else ()


def _word(value: str | None) -> str | None:
    """A short value that recurs in every row (`discord`, `en`, a community's name), held once in memory
    however many rows carry it: 100,000 rows otherwise hold 100,000 copies of each."""
    return sys.intern(value) if value else value


def _testimony(r: aiosqlite.Row, consent: Consent | None) -> Testimony:
    return Testimony(
        r["id"], r["receipt"], r["community_id"], r["campaign_id"], r["author"], _word(r["platform"]),
        TestimonyStatus(r["status"]), _list(r["models"]), r["models_text"], _list(r["uses"]), r["meaning"],
        _list(r["asks"]), r["display_name"], _word(r["language"]), _word(r["detected_language"]),
        json.loads(r["redactions"]) if r["redactions"] not in (None, "", "{}") else {}, consent, bool(r["imported"]),
        datetime.fromisoformat(r["created_at"]), datetime.fromisoformat(r["updated_at"]), r["review_reason"],
        r["previous_meaning"], _list(r["changed_fields"]))


def _consent(r: aiosqlite.Row) -> Consent:
    return Consent(ConsentLevel(r["level"]), bool(r["health"]), r["text_version"],
                   datetime.fromisoformat(r["created_at"]))


def _word_values(words: Words) -> tuple[Any, ...]:
    return (json.dumps(list(words.models), ensure_ascii=False), words.models_text,
            json.dumps(list(words.uses)), words.meaning, json.dumps(list(words.asks)), words.display_name or None,
            json.dumps(words.redactions), words.language, words.detected_language)


@dataclass(frozen=True, slots=True)
class SnapshotTestimony:
    """A testimony as a statement sees it: its consent is the one in force at the snapshot (None if it had
    none yet), with the names of its community and campaign."""

    testimony: Testimony
    community: str
    campaign: str
    # What `bot.statements.analysis` kept of the text as stored (checked before use), or what it made of it
    analysis: str | tuple[Any, ...] | None = None


# Approved and withdrawn testimonies given by the snapshot, each with the latest consent record made by then.
# Timestamps are compared as moments (julianday), not as text, so an offset other than +00:00 compares right.
_FOR_STATEMENT = """
    SELECT t.*, communities.name AS community_name, campaigns.name AS campaign_name,
           consent.level AS consent_level, consent.health AS consent_health,
           consent.text_version AS consent_text_version, consent.created_at AS consent_created_at,
           latest.level AS latest_level, latest.health AS latest_health
    FROM testimonies AS t
    JOIN communities ON communities.id = t.community_id
    JOIN campaigns ON campaigns.id = t.campaign_id
    LEFT JOIN consent_records AS consent ON consent.id = (
        SELECT id FROM consent_records
        WHERE testimony_id = t.id AND julianday(created_at) <= julianday(:at)
        ORDER BY julianday(created_at) DESC, id DESC LIMIT 1)
    LEFT JOIN consent_records AS latest ON latest.id = (
        SELECT id FROM consent_records WHERE testimony_id = t.id
        ORDER BY julianday(created_at) DESC, id DESC LIMIT 1)
    WHERE t.status IN ('approved', 'withdrawn')
      AND (:community IS NULL OR t.community_id = :community)
      AND (:campaign IS NULL OR campaigns.name = :campaign)
      AND julianday(t.created_at) <= julianday(:at)
      AND (:since IS NULL OR date(t.created_at) >= :since)
      AND (:until IS NULL OR date(t.created_at) <= :until)
      AND (:language IS NULL OR t.language = :language OR t.status = 'withdrawn')
    ORDER BY t.created_at, t.id"""


def _snapshot(r: aiosqlite.Row) -> SnapshotTestimony:
    # The consent in force at the snapshot, never more than the person allows today: a statement made "as of"
    # an earlier time can reproduce that time's files, but cannot quote someone who has since said no.
    consent = None if r["consent_level"] is None else Consent(
        ConsentLevel(min(r["consent_level"], r["latest_level"])), bool(r["consent_health"] and r["latest_health"]),
        _word(r["consent_text_version"]), datetime.fromisoformat(r["consent_created_at"]))
    return SnapshotTestimony(_testimony(r, consent), _word(r["community_name"]), _word(r["campaign_name"]),
                             r["analysis"])


class TestimonyRepository:
    person_columns = frozenset({
        ("testimonies", "author"), ("testimonies", "reviewed_by"), ("consent_records", "author"),
        ("testimony_contacts", "pseudonym"), ("testimony_blocks", "pseudonym"), ("testimony_blocks", "blocked_by"),
        ("campaigns", "created_by"),
    })

    def __init__(self, db: Database) -> None:
        self._db = db

    # --- campaigns ---------------------------------------------------------------------------------------

    async def default_campaign(self, community_id: int, now: datetime) -> Campaign:
        await self._db.execute(
            """INSERT INTO campaigns (community_id, name, created_by, created_at) VALUES (?, '', 'system', ?)
               ON CONFLICT (community_id, name) DO NOTHING""", (community_id, now.isoformat()))
        return await self.campaign_named(community_id, "")

    async def add_campaign(self, community_id: int, name: str, description: str, models: tuple[str, ...],
                           closes_on: date | None, created_by: str, now: datetime) -> Campaign:
        try:
            campaign_id = await self._db.execute(
                """INSERT INTO campaigns (community_id, name, description, models, closes_on, created_by, created_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?)""",
                (community_id, name, description, json.dumps(list(models), ensure_ascii=False),
                 closes_on.isoformat() if closes_on else None, created_by, now.isoformat()))
        except sqlite3.IntegrityError:
            raise AlreadyExists("campaign", name) from None
        return await self.campaign(community_id, campaign_id)

    async def campaign(self, community_id: int, campaign_id: int) -> Campaign:
        row = await self._db.fetch_one("SELECT * FROM campaigns WHERE id = ? AND community_id = ?",
                                       (campaign_id, community_id))
        if row is None:
            raise NotFound("campaign", campaign_id)
        return _campaign(row)

    async def campaign_named(self, community_id: int, name: str) -> Campaign:
        row = await self._db.fetch_one("SELECT * FROM campaigns WHERE community_id = ? AND name = ?",
                                       (community_id, name))
        if row is None:
            raise NotFound("campaign", name)
        return _campaign(row)

    async def campaigns(self, community_id: int) -> list[Campaign]:
        rows = await self._db.fetch_all("SELECT * FROM campaigns WHERE community_id = ? ORDER BY name <> '', id",
                                        (community_id,))
        return [_campaign(r) for r in rows]

    # --- testimonies -------------------------------------------------------------------------------------

    async def add(self, community_id: int, campaign_id: int, author: str, platform: str, words: Words,
                  level: ConsentLevel, health: bool, text_version: str, now: datetime, *,
                  imported: bool = False) -> Testimony:
        stamp = now.isoformat()
        async with self._db.transaction():
            for _attempt in range(5):
                try:
                    # The testimony and its consent record in one trip to the database's thread, the row
                    # coming back from the insert itself (reading it again would cost two more trips).
                    [row], _consent_rows = await self._db.execute_together(
                        ("""INSERT INTO testimonies (receipt, community_id, campaign_id, author, platform, models,
                                models_text, uses, meaning, asks, display_name, redactions, language,
                                detected_language, imported, created_at, updated_at)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *""",
                         (new_receipt(), community_id, campaign_id, author, platform, *_word_values(words),
                          int(imported), stamp, stamp)),
                        ("""INSERT INTO consent_records (testimony_id, author, level, health, text_version,
                                created_at)
                            VALUES (last_insert_rowid(), ?, ?, ?, ?, ?)""",
                         (author, int(level), int(health), text_version, stamp)))
                    break
                except sqlite3.IntegrityError:  # a receipt drawn twice: draw again
                    continue
            else:
                raise RuntimeError("could not draw an unused receipt")
        return _testimony(row, Consent(level, health, text_version, datetime.fromisoformat(stamp)))

    async def _add_consent(self, testimony_id: int, author: str, level: ConsentLevel, health: bool,
                           text_version: str, stamp: str) -> None:
        await self._db.execute(
            """INSERT INTO consent_records (testimony_id, author, level, health, text_version, created_at)
               VALUES (?, ?, ?, ?, ?, ?)""", (testimony_id, author, int(level), int(health), text_version, stamp))

    async def update(self, testimony: Testimony, words: Words, level: ConsentLevel, health: bool,
                     text_version: str, now: datetime, *, changed: tuple[str, ...]) -> Testimony:
        """The person's edit. One the moderators already decided on goes back to review, keeping the text they
        decided on and the fields that changed for them; a consent that changed gets a new record."""
        stamp = now.isoformat()
        back_to_review = testimony.status in (TestimonyStatus.APPROVED, TestimonyStatus.REJECTED,
                                              TestimonyStatus.HIDDEN) and bool(changed)
        async with self._db.transaction():
            await self._db.execute(
                """UPDATE testimonies SET models = ?, models_text = ?, uses = ?, meaning = ?, asks = ?,
                       display_name = ?, redactions = ?, language = ?, detected_language = ?, updated_at = ?,
                       analysis = NULL,
                       status = CASE WHEN ? THEN 'pending' ELSE status END,
                       previous_meaning = CASE WHEN ? THEN ? ELSE previous_meaning END,
                       changed_fields = CASE WHEN ? THEN ? ELSE changed_fields END
                   WHERE id = ?""",
                (*_word_values(words), stamp, back_to_review, back_to_review, testimony.meaning, back_to_review,
                 json.dumps(list(changed)), testimony.id))
            consent = testimony.consent
            if consent is None or (consent.level, consent.health, consent.text_version) != (level, health,
                                                                                           text_version):
                await self._add_consent(testimony.id, testimony.author, level, health, text_version, stamp)
        return await self.get(testimony.id)

    async def get(self, testimony_id: int) -> Testimony:
        row = await self._db.fetch_one("SELECT * FROM testimonies WHERE id = ?", (testimony_id,))
        if row is None:
            raise NotFound("testimony", testimony_id)
        return _testimony(row, await self._latest_consent(testimony_id))

    async def by_receipt(self, receipt: str) -> Testimony | None:
        """The testimony a receipt names, as people type it: `T-7KQ2M9`, `t-7kq2m9` or `7KQ2M9`."""
        text = receipt.strip().upper()
        row = await self._db.fetch_one("SELECT * FROM testimonies WHERE receipt = ?",
                                       (text if text.startswith("T-") else "T-" + text,))
        return None if row is None else _testimony(row, await self._latest_consent(row["id"]))

    async def _latest_consent(self, testimony_id: int) -> Consent | None:
        row = await self._db.fetch_one(
            "SELECT * FROM consent_records WHERE testimony_id = ? ORDER BY id DESC LIMIT 1", (testimony_id,))
        return _consent(row) if row else None

    async def consent_history(self, testimony_id: int) -> list[Consent]:
        rows = await self._db.fetch_all("SELECT * FROM consent_records WHERE testimony_id = ? ORDER BY id",
                                        (testimony_id,))
        return [_consent(r) for r in rows]

    async def of_author(self, author: str) -> list[Testimony]:
        rows = await self._db.fetch_all("SELECT id FROM testimonies WHERE author = ? ORDER BY id", (author,))
        return [await self.get(r["id"]) for r in rows]

    async def texts_of_author(self, author: str, community_id: int) -> list[tuple[int, str]]:
        rows = await self._db.fetch_all(
            "SELECT id, meaning FROM testimonies WHERE author = ? AND community_id = ? AND meaning IS NOT NULL",
            (author, community_id))
        return [(r["id"], r["meaning"]) for r in rows]

    async def intake_state(self, author: str, community_id: int, since: datetime) -> IntakeState:
        """What the rules for a new testimony look at, in one read: `is_blocked`, `count_since` and
        `texts_of_author` together."""
        rows = await self._db.fetch_all(
            """SELECT 'text' AS kind, id, meaning FROM testimonies
                   WHERE author = ?1 AND community_id = ?2 AND meaning IS NOT NULL
               UNION ALL SELECT 'blocked', NULL, NULL FROM testimony_blocks WHERE community_id = ?2 AND pseudonym = ?1
               UNION ALL SELECT 'since', COUNT(*), NULL FROM testimonies
                   WHERE author = ?1 AND created_at >= ?3 AND imported = 0""",
            (author, community_id, since.isoformat()))
        return IntakeState(blocked=any(r["kind"] == "blocked" for r in rows),
                           count_since=next(int(r["id"]) for r in rows if r["kind"] == "since"),
                           texts=[(r["id"], r["meaning"]) for r in rows if r["kind"] == "text"])

    async def count_since(self, author: str, since: datetime) -> int:
        """Testimonies this person submitted since then, withdrawn ones included (a withdrawal does not
        refill the day's allowance)."""
        return int(await self._db.fetch_value(
            "SELECT COUNT(*) FROM testimonies WHERE author = ? AND created_at >= ? AND imported = 0",
            (author, since.isoformat())) or 0)

    async def for_statement(self, at: datetime, *, community_id: int | None = None, campaign: str | None = None,
                            since: date | None = None, until: date | None = None,
                            language: str | None = None) -> list[SnapshotTestimony]:
        """Approved and withdrawn testimonies given by `at`, in order of giving, each with the consent in force
        at `at` (or today's, where that is stricter), in one query. `since`/`until` are inclusive days (UTC) of
        giving; `language` is the declared one (a withdrawn testimony has none left, so it is kept for the
        caller to count). The rows become objects as they are read, on the database's thread (`fetch_each`)."""
        return await self._db.fetch_each(_FOR_STATEMENT, {
            "at": at.isoformat(), "community": community_id, "campaign": campaign,
            "since": since.isoformat() if since else None, "until": until.isoformat() if until else None,
            "language": language}, _snapshot)

    async def keep_analyses(self, analyses: list[tuple[int, str, str]]) -> None:
        """Keep what `bot.statements.analysis` made of texts: (testimony id, the `updated_at` it was made for,
        stored form). One for a testimony edited or withdrawn since is not kept."""
        if analyses:
            await self._db.execute_many(
                "UPDATE testimonies SET analysis = ?3 WHERE id = ?1 AND updated_at = ?2 AND meaning IS NOT NULL",
                analyses)

    async def pending(self, community_id: int, limit: int = 1) -> list[Testimony]:
        rows = await self._db.fetch_all(
            "SELECT id FROM testimonies WHERE community_id = ? AND status = 'pending' ORDER BY id LIMIT ?",
            (community_id, limit))
        return [await self.get(r["id"]) for r in rows]

    async def count_pending(self, community_id: int) -> int:
        return int(await self._db.fetch_value(
            "SELECT COUNT(*) FROM testimonies WHERE community_id = ? AND status = 'pending'", (community_id,)) or 0)

    async def review(self, testimony_id: int, status: TestimonyStatus, reviewer: str, reason: str | None,
                     now: datetime) -> None:
        await self._db.execute(
            """UPDATE testimonies SET status = ?, review_reason = ?, reviewed_by = ?, reviewed_at = ?, updated_at = ?,
                   previous_meaning = NULL, changed_fields = NULL
               WHERE id = ?""", (status.value, reason, reviewer, now.isoformat(), now.isoformat(), testimony_id))

    async def withdraw(self, testimony_id: int, now: datetime) -> None:
        """Blank every column that holds the person's words; the row stays as a content-free tombstone.
        The caller checkpoints, so the old pages leave the write-ahead log too."""
        blanks = ", ".join(f"{column} = NULL" for column in _WORDS)
        await self._db.execute(
            f"UPDATE testimonies SET {blanks}, status = 'withdrawn', withdrawn_at = ?, updated_at = ? "  # nosec B608 # fixed SQL; every value is a parameter
            "WHERE id = ?", (now.isoformat(), now.isoformat(), testimony_id))

    # --- blocks and contacts -----------------------------------------------------------------------------

    async def block(self, community_id: int, pseudonym: str, blocked_by: str, now: datetime) -> bool:
        """False when this person was blocked here already."""
        async with self._db.transaction():
            if await self.is_blocked(community_id, pseudonym):
                return False
            await self._db.execute(
                "INSERT INTO testimony_blocks (community_id, pseudonym, blocked_by, created_at) VALUES (?, ?, ?, ?)",
                (community_id, pseudonym, blocked_by, now.isoformat()))
        return True

    async def unblock(self, community_id: int, pseudonym: str) -> bool:
        async with self._db.transaction():
            if not await self.is_blocked(community_id, pseudonym):
                return False
            await self._db.execute("DELETE FROM testimony_blocks WHERE community_id = ? AND pseudonym = ?",
                                   (community_id, pseudonym))
        return True

    async def is_blocked(self, community_id: int, pseudonym: str) -> bool:
        return await self._db.fetch_one("SELECT 1 FROM testimony_blocks WHERE community_id = ? AND pseudonym = ?",
                                        (community_id, pseudonym)) is not None

    async def save_contact(self, pseudonym: str, platform: PlatformName, address: str, locale: str,
                           now: datetime) -> None:
        await self._db.execute(
            """INSERT INTO testimony_contacts (pseudonym, platform, address, locale, created_at) VALUES (?, ?, ?, ?, ?)
               ON CONFLICT (pseudonym, platform) DO UPDATE SET address = excluded.address, locale = excluded.locale""",
            (pseudonym, platform.value, address, locale, now.isoformat()))

    async def contact(self, pseudonym: str, platform: str) -> tuple[str, str] | None:
        """(address, locale) to tell this person something, if they can be told."""
        row = await self._db.fetch_one("SELECT address, locale FROM testimony_contacts WHERE pseudonym = ? AND "
                                       "platform = ?", (pseudonym, platform))
        return (row["address"], row["locale"]) if row else None

    async def forget_contact_unless_pending(self, pseudonym: str) -> None:
        """The address is kept only while a testimony of theirs waits for a decision they should hear of."""
        await self._db.execute(
            """DELETE FROM testimony_contacts WHERE pseudonym = ? AND NOT EXISTS (
                   SELECT 1 FROM testimonies WHERE author = ? AND status = 'pending')""", (pseudonym, pseudonym))

    # --- the person-data contract ------------------------------------------------------------------------

    async def export_person(self, pseudonym: str) -> dict[str, Any]:
        testimonies = []
        for testimony in await self.of_author(pseudonym):
            consents = await self.consent_history(testimony.id)
            testimonies.append({
                "receipt": testimony.receipt, "status": testimony.status.value, "models": list(testimony.models),
                "models_as_written": testimony.models_text, "uses": list(testimony.uses),
                "meaning": testimony.meaning, "asks": list(testimony.asks), "display_name": testimony.display_name,
                "language": testimony.language, "detected_language": testimony.detected_language,
                "redacted": testimony.redactions, "imported": testimony.imported,
                "review_reason": testimony.review_reason, "created_at": testimony.created_at.isoformat(),
                "updated_at": testimony.updated_at.isoformat(),
                "consent_records": [{"level": int(c.level), "health": c.health, "text_version": c.text_version,
                                     "created_at": c.created_at.isoformat()} for c in consents]})
        contacts = await self._db.fetch_all(
            "SELECT platform, address, locale, created_at FROM testimony_contacts WHERE pseudonym = ?", (pseudonym,))
        blocks = await self._db.fetch_value("SELECT COUNT(*) FROM testimony_blocks WHERE pseudonym = ?", (pseudonym,))
        reviewed = await self._db.fetch_value("SELECT COUNT(*) FROM testimonies WHERE reviewed_by = ?", (pseudonym,))
        campaigns = await self._db.fetch_all("SELECT name, created_at FROM campaigns WHERE created_by = ?",
                                             (pseudonym,))
        found: dict[str, Any] = {"testimonies": testimonies, "contacts": [dict(r) for r in contacts],
                                 "blocked_in_communities": int(blocks or 0),
                                 "testimonies_reviewed": int(reviewed or 0),
                                 "campaigns_created": [dict(r) for r in campaigns]}
        return {key: value for key, value in found.items() if value}

    async def delete_person(self, pseudonym: str) -> None:
        """Their testimonies go entirely (consent records with them); what they did as a moderator stays,
        no longer theirs."""
        await self._db.execute("DELETE FROM testimonies WHERE author = ?", (pseudonym,))
        await self._db.execute("DELETE FROM consent_records WHERE author = ?", (pseudonym,))
        await self._db.execute("DELETE FROM testimony_contacts WHERE pseudonym = ?", (pseudonym,))
        await self._db.execute("DELETE FROM testimony_blocks WHERE pseudonym = ?", (pseudonym,))
        await self._db.execute("UPDATE testimony_blocks SET blocked_by = ? WHERE blocked_by = ?", (DELETED, pseudonym))
        await self._db.execute("UPDATE testimonies SET reviewed_by = ? WHERE reviewed_by = ?", (DELETED, pseudonym))
        await self._db.execute("UPDATE campaigns SET created_by = ? WHERE created_by = ?", (DELETED, pseudonym))
