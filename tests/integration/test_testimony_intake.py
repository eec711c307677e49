"""The way a new testimony is stored, on a real SQLite file: one trip per statement and a transaction's BEGIN
sent with its first statement must keep what a transaction promises (the write lock from the first statement,
all or nothing), the rules must hold for submissions of one person arriving at the same moment, and what
`add` hands back must be what a read gives."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from bot.domain import ConsentLevel, PlatformName
from bot.errors import InvalidInput
from bot.pseudonyms import Pseudonyms
from bot.testimonies import form, intake
from bot.testimonies import service as testimonies
from bot.testimonies.service import PER_DAY, Submission

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
ANSWERS = {"models": "GPT-4o", "uses": ["companionship"], "asks": ["keep_access"], "display_name": "",
           "language": "en"}


async def test_a_transaction_holds_the_write_lock_from_its_first_statement(store):
    other = sqlite3.connect(store.db.path, timeout=0, isolation_level=None)
    try:
        async with store.db.transaction():
            await store.db.fetch_value("SELECT COUNT(*) FROM audit_log")
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
            await store.audit.record("inside")
        other.execute("BEGIN IMMEDIATE")  # free again once it committed
        other.execute("ROLLBACK")
        async with store.db.transaction():
            pass  # a transaction that ran nothing takes no lock and commits nothing
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
    finally:
        other.close()
    assert [e.action for e in await store.audit.list_entries()] == ["inside"]


async def test_writes_sent_together_are_all_or_nothing(store):
    with pytest.raises(sqlite3.IntegrityError):
        await store.db.execute_together(
            ("INSERT INTO audit_log (actor, action, detail, created_at) VALUES ('system', 'first', '{}', 'now')", ()),
            ("INSERT INTO audit_log (actor, action, detail, created_at) VALUES (NULL, 'second', '{}', 'now')", ()))
    assert await store.audit.list_entries() == []


@pytest.fixture
async def intake_service(store):
    community = await store.communities.ensure_community(PlatformName.DISCORD, "1", "Keepers")
    campaign = await store.testimonies.default_campaign(community.id, NOW)
    service = testimonies.TestimonyService(store, Pseudonyms(b"a-test-secret-long-enough-for-hmac!"), dict,
                                           clock=lambda: NOW)
    return service, community.id, campaign.id


def submission(community_id: int, campaign_id: int, author: str, meaning: str, **changes) -> Submission:
    words = form.words({**ANSWERS, "meaning": meaning})
    return Submission(community_id, campaign_id, author, "discord", words, ConsentLevel.ANONYMOUS, False, **changes)


async def test_one_persons_form_sent_twice_at_once_is_stored_once(intake_service, store):
    service, community_id, campaign_id = intake_service
    text = "It stayed up with me every night of the winter I was alone."
    results = await asyncio.gather(*(service.submit(submission(community_id, campaign_id, "p_same", text))
                                     for _ in range(2)), return_exceptions=True)
    assert sorted(type(r).__name__ for r in results) == ["InvalidInput", "Testimony"]
    assert len(await store.testimonies.of_author("p_same")) == 1


async def test_a_days_allowance_holds_for_submissions_arriving_together(intake_service, store):
    service, community_id, campaign_id = intake_service
    texts = ["It helped me write my thesis chapter by chapter.", "My son learned to read with its stories.",
             "It explained my medication in words I understood.", "We planned my father's garden together.",
             "It was the first to hear my songs."]
    results = await asyncio.gather(*(service.submit(submission(community_id, campaign_id, "p_busy", text))
                                     for text in texts), return_exceptions=True)
    assert sum(isinstance(r, InvalidInput) for r in results) == len(texts) - PER_DAY
    assert len(await store.testimonies.of_author("p_busy")) == PER_DAY
    # Imports are not held to the day's allowance, and a moment given is kept.
    earlier = NOW - timedelta(days=400)
    imported = await service.submit(submission(community_id, campaign_id, "p_busy", "Yet another, much older story.",
                                               imported=True, submitted_at=earlier))
    assert imported.imported and imported.created_at == earlier and imported.consent.created_at == earlier


async def test_what_add_hands_back_is_what_a_read_gives(intake_service, store):
    service, community_id, campaign_id = intake_service
    stored = await service.submit(submission(community_id, campaign_id, "p_read",
                                             "Lo uso cada día para preparar mis clases, write to ana@example.org."))
    assert stored == await store.testimonies.get(stored.id)
    assert stored.redactions == {"email": 1} and stored.detected_language is not None


async def test_the_intake_state_is_the_three_reads_in_one(intake_service, store):
    service, community_id, campaign_id = intake_service
    first = await service.submit(submission(community_id, campaign_id, "p_state", "A first testimony, long enough."))
    await store.testimonies.block(community_id, "p_state", "p_mod", NOW)
    state = await store.testimonies.intake_state("p_state", community_id, NOW - timedelta(days=1))
    assert state.blocked == await store.testimonies.is_blocked(community_id, "p_state") is True
    assert state.count_since == await store.testimonies.count_since("p_state", NOW - timedelta(days=1)) == 1
    assert state.texts == await store.testimonies.texts_of_author("p_state", community_id) == [
        (first.id, first.meaning)]
    nobody = await store.testimonies.intake_state("p_nobody", community_id, NOW)
    assert (nobody.blocked, nobody.count_since, nobody.texts) == (False, 0, [])


def test_the_language_is_the_same_however_often_asked_and_no_text_is_kept():
    from langdetect import DetectorFactory, detect

    text = "Lo uso cada día para preparar mis clases de química y me ayuda muchísimo."
    DetectorFactory.seed = 0
    assert [intake.detect_language(text) for _ in range(3)] == [detect(text)] * 3 == ["es"] * 3
    kept = b"".join(intake._detected)
    assert all(len(key) == 16 for key in intake._detected) and text.encode() not in kept
