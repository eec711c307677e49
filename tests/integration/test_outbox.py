"""The durable outbox on a real SQLite file: routing in one transaction, one delivery per notice and target,
claims by compare-and-set with a lease, digest batches, and the states a delivery moves through."""

from __future__ import annotations

import sqlite3

import pytest

from bot.domain import AlertFilter, Category, Community, Notice, NoticeKind, Ping, PlatformName, Subscription
from bot.presentation import Target
from bot.store import Store
from bot.store.db import Database
from bot.store.migrate import bundled_migrations, migrate
from bot.store.notices import NoticeRepository
from bot.store.outbox import Delivery, PlannedDelivery

DISCORD, TELEGRAM = PlatformName.DISCORD, PlatformName.TELEGRAM
LEASE = 60.0


async def community(store: Store, external_id: str = "g1") -> Community:
    return await store.communities.ensure_community(DISCORD, external_id, f"Guild {external_id}")


async def subscription(store: Store, place: Community, channel_id: str, *, digest: int = 0,
                       thread_id: str | None = None, platform: PlatformName = DISCORD,
                       role: str | None = None) -> Subscription:
    return await store.subscriptions.save_subscription(Subscription(
        id=0, community_id=place.id, platform=platform, channel_id=channel_id, thread_id=thread_id,
        filter=AlertFilter(), locale="de", created_by="mod-pseudonym", mention_role=role, digest_minutes=digest))


async def ping(store: Store, pseudonym: str, address: str, *, community_id: int | None = None) -> Ping:
    return await store.subscriptions.save_ping(Ping(
        id=0, pseudonym=pseudonym, platform=TELEGRAM, address=address, community_id=community_id,
        filter=AlertFilter(), locale="fr"))


async def notice(store: Store, key: str) -> Notice:
    stored = await store.notices.add_notices([Notice(
        kind=NoticeKind.NEW_DEPRECATION, category=Category.DEPRECATION, title=key, dedup_key=key, vendor="openai",
        model=key)])
    assert len(stored) == 1 and stored[0].id is not None
    return stored[0]


async def rows(store: Store, where: str = "1", params: tuple = ()) -> list[dict]:
    found = await store.db.fetch_all(f"SELECT * FROM deliveries WHERE {where} ORDER BY id", params)
    return [dict(r) for r in found]


async def routed_at(store: Store, notice_id: int) -> str | None:
    return await store.db.fetch_value("SELECT routed_at FROM notices WHERE id = ?", (notice_id,))


def to(sub: Subscription, due_at: float = 100.0, *, digest: bool = False) -> PlannedDelivery:
    return PlannedDelivery(sub.platform, due_at, subscription_id=sub.id, digest=digest)


def to_ping(p: Ping, due_at: float = 100.0, *, digest: bool = False) -> PlannedDelivery:
    return PlannedDelivery(p.platform, due_at, ping_id=p.id, digest=digest)


# --- routing -----------------------------------------------------------------------------------------------------

async def test_route_creates_the_deliveries_and_marks_the_notice_routed(store):
    place = await community(store)
    a, b = await subscription(store, place, "100"), await subscription(store, place, "200", digest=60)
    n = await notice(store, "gpt-4o")
    assert await routed_at(store, n.id) is None, "a new notice waits to be routed"
    assert [u.id for u in await store.outbox.unrouted_notices()] == [n.id]

    assert await store.outbox.route(n.id, [to(a, 100.0), to(b, 3600.0, digest=True)]) == 2

    made = await rows(store)
    assert [(d["notice_id"], d["subscription_id"], d["ping_id"], d["platform"], d["digest"], d["due_at"],
             d["state"], d["attempts"], d["batch_id"]) for d in made] == [
        (n.id, a.id, None, "discord", 0, 100.0, "pending", 0, None),
        (n.id, b.id, None, "discord", 1, 3600.0, "pending", 0, None),
    ]
    assert await routed_at(store, n.id) is not None
    assert await store.outbox.unrouted_notices() == []


async def test_a_second_route_of_the_same_notice_creates_nothing(store):
    place = await community(store)
    a, b = await subscription(store, place, "100"), await subscription(store, place, "200")
    n = await notice(store, "gpt-4o")
    await store.outbox.route(n.id, [to(a)])
    first = await routed_at(store, n.id)
    assert await store.outbox.route(n.id, [to(a), to(b)]) == 0
    assert [d["subscription_id"] for d in await rows(store)] == [a.id]
    assert await routed_at(store, n.id) == first


async def test_route_is_all_or_nothing(store):
    place = await community(store)
    a = await subscription(store, place, "100")
    n = await notice(store, "gpt-4o")
    broken = PlannedDelivery(DISCORD, 100.0, subscription_id=99_999)  # no such subscription: a foreign key error
    with pytest.raises(sqlite3.IntegrityError):
        await store.outbox.route(n.id, [to(a), broken])
    assert await rows(store) == []
    assert await routed_at(store, n.id) is None, "the notice stays unrouted, for the next sweep"
    assert await store.outbox.route(n.id, [to(a)]) == 1


async def test_one_delivery_per_notice_and_target(store):
    place = await community(store)
    a = await subscription(store, place, "100")
    p1, p2 = await ping(store, "p1", "u1"), await ping(store, "p2", "u2")
    n = await notice(store, "gpt-4o")
    await store.outbox.route(n.id, [to(a), to(a, 500.0), to_ping(p1), to_ping(p1), to_ping(p2)])
    assert [(d["subscription_id"], d["ping_id"]) for d in await rows(store)] == [(a.id, None), (None, p1.id),
                                                                                 (None, p2.id)]
    for column, value in (("subscription_id", a.id), ("ping_id", p1.id)):
        with pytest.raises(sqlite3.IntegrityError):
            await store.db.execute(
                f"INSERT INTO deliveries (notice_id, {column}, platform, due_at, created_at) "
                "VALUES (?, ?, 'discord', 1.0, 'now')", (n.id, value))
    # The same target gets the next notice, of course.
    m = await notice(store, "gpt-4-turbo")
    await store.outbox.route(m.id, [to(a)])
    assert len(await rows(store, "subscription_id = ?", (a.id,))) == 2


async def test_a_delivery_goes_to_a_subscription_or_a_ping_never_both_or_neither(store):
    place = await community(store)
    a, p = await subscription(store, place, "100"), await ping(store, "p1", "u1")
    n = await notice(store, "gpt-4o")
    for sub_id, ping_id in ((a.id, p.id), (None, None)):
        with pytest.raises(sqlite3.IntegrityError):
            await store.db.execute(
                "INSERT INTO deliveries (notice_id, subscription_id, ping_id, platform, due_at, created_at) "
                "VALUES (?, ?, ?, 'discord', 1.0, 'now')", (n.id, sub_id, ping_id))


async def test_route_counts_only_the_deliveries_it_created(store):
    place = await community(store)
    a = await subscription(store, place, "100")
    n = await notice(store, "gpt-4o")
    assert await store.outbox.route(n.id, [to(a), to(a)]) == 1


async def test_recent_ping_deliveries_count_the_direct_messages_not_bundled(store):
    p = await ping(store, "p1", "u1")
    for i, digest in enumerate((False, False, True)):
        n = await notice(store, f"m{i}")
        await store.outbox.route(n.id, [to_ping(p, digest=digest)])
    assert await store.outbox.recent_ping_deliveries(p.id, "2000-01-01T00:00:00+00:00") == 2
    assert await store.outbox.recent_ping_deliveries(p.id, "2999-01-01T00:00:00+00:00") == 0


# --- due, claim, lease ---------------------------------------------------------------------------------------

async def test_due_lists_pending_deliveries_whose_time_has_come(store):
    place = await community(store)
    a, b = await subscription(store, place, "100"), await subscription(store, place, "200", thread_id="9")
    t = await subscription(store, place, "-300", platform=TELEGRAM)
    n = await notice(store, "gpt-4o")
    await store.outbox.route(n.id, [to(a, 150.0), to(b, 100.0), to(t, 100.0)])
    m = await notice(store, "gpt-4-turbo")
    await store.outbox.route(m.id, [to(a, 500.0)])

    due = await store.outbox.due(DISCORD, now=200.0)
    assert [(d.subscription_id, d.notice_id) for d in due] == [(b.id, n.id), (a.id, n.id)], "soonest first"
    first = due[0]
    assert first.target == Target(DISCORD, "200", "9")
    assert (first.locale, first.digest, first.attempts, first.batch_id, first.parts_sent) == ("de", False, 0, None, 0)
    assert due[1].target == Target(DISCORD, "100", None), "no thread: None, not ''"
    assert [d.subscription_id for d in await store.outbox.due(TELEGRAM, now=200.0)] == [t.id]
    assert await store.outbox.due(DISCORD, now=99.0) == []
    assert await store.outbox.next_due_at(DISCORD) == 100.0


async def test_a_ping_delivery_is_a_direct_target_at_the_persons_address(store):
    p = await ping(store, "p1", "4242")
    n = await notice(store, "gpt-4o")
    await store.outbox.route(n.id, [to_ping(p)])
    [d] = await store.outbox.due(TELEGRAM, now=100.0)
    assert d.target == Target(TELEGRAM, "4242", None, direct=True)
    assert (d.ping_id, d.subscription_id, d.locale, d.target_key) == (p.id, None, "fr", f"ping:{p.id}")


async def test_claim_is_a_compare_and_set(store):
    place = await community(store)
    a = await subscription(store, place, "100", role="777")
    n = await notice(store, "gpt-4o")
    await store.outbox.route(n.id, [to(a)])
    [delivery] = await store.outbox.due(DISCORD, now=200.0)

    batch = await store.outbox.claim(delivery, 200.0, 200.0 + LEASE, digest_limit=20)
    assert [d.id for d in batch] == [delivery.id]
    assert (batch[0].batch_id, batch[0].attempts, batch[0].mention_role) == (delivery.id, 1, "777")
    [row] = await rows(store)
    assert (row["state"], row["lease_until"], row["batch_id"], row["attempts"]) == ("sending", 260.0, delivery.id, 1)

    assert await store.outbox.claim(delivery, 200.5, 260.5, digest_limit=20) == [], "the second claim loses"
    assert await store.outbox.due(DISCORD, now=201.0) == []
    [row] = await rows(store)
    assert (row["attempts"], row["lease_until"]) == (1, 260.0), "the losing claim changed nothing"


async def test_a_delivery_left_sending_is_claimable_only_after_its_lease(store):
    place = await community(store)
    a = await subscription(store, place, "100")
    n = await notice(store, "gpt-4o")
    await store.outbox.route(n.id, [to(a)])
    [delivery] = await store.outbox.due(DISCORD, now=200.0)
    await store.outbox.claim(delivery, 200.0, 260.0, digest_limit=20)  # … and the process dies here

    assert await store.outbox.next_due_at(DISCORD) == 260.0
    assert await store.outbox.due(DISCORD, now=259.9) == []
    assert await store.outbox.claim(delivery, 259.9, 319.9, digest_limit=20) == []
    [stuck] = await store.outbox.due(DISCORD, now=260.0)
    assert (stuck.id, stuck.batch_id, stuck.attempts) == (delivery.id, delivery.id, 1)
    again = await store.outbox.claim(stuck, 260.0, 320.0, digest_limit=20)
    assert [(d.id, d.batch_id, d.attempts) for d in again] == [(delivery.id, delivery.id, 2)]
    assert await store.outbox.claim(stuck, 261.0, 321.0, digest_limit=20) == []


async def test_claiming_a_digest_takes_the_targets_other_due_digest_deliveries(store):
    place = await community(store)
    digest, other = await subscription(store, place, "100", digest=60), await subscription(store, place, "200",
                                                                                           digest=60)
    p = await ping(store, "p1", "u1")
    for i in range(3):
        n = await notice(store, f"m{i}")
        await store.outbox.route(n.id, [to(digest, 100.0, digest=True), to(other, 100.0, digest=True),
                                        to_ping(p, 100.0, digest=True)])
    later = await notice(store, "later")
    await store.outbox.route(later.id, [to(digest, 900.0, digest=True)])

    due = [d for d in await store.outbox.due(DISCORD, now=200.0) if d.subscription_id == digest.id]
    assert len(due) == 3
    batch = await store.outbox.claim(due[1], 200.0, 260.0, digest_limit=20)  # any member can start the batch
    ids = [d.id for d in due]
    assert [d.id for d in batch] == ids
    assert {d.batch_id for d in batch} == {min(ids)}
    assert all(d.subscription_id == digest.id for d in batch)
    assert [r["state"] for r in await rows(store, "subscription_id = ?", (digest.id,))] == [
        "sending", "sending", "sending", "pending"], "the one not yet due stays behind"
    assert [r["state"] for r in await rows(store, "subscription_id = ?", (other.id,))] == ["pending"] * 3
    assert [r["state"] for r in await rows(store, "ping_id = ?", (p.id,))] == ["pending"] * 3
    # A stale copy of another member cannot start a second message with the same notices.
    assert await store.outbox.claim(due[2], 200.0, 260.0, digest_limit=20) == []

    # A person's digest batches the same way, by ping.
    [first_ping] = [d for d in await store.outbox.due(TELEGRAM, now=200.0)][:1]
    ping_batch = await store.outbox.claim(first_ping, 200.0, 260.0, digest_limit=20)
    assert len(ping_batch) == 3 and {d.ping_id for d in ping_batch} == {p.id}
    assert {d.batch_id for d in ping_batch} == {min(d.id for d in ping_batch)}


async def test_a_digest_batch_takes_at_most_the_digest_limit(store):
    place = await community(store)
    digest = await subscription(store, place, "100", digest=60)
    for i in range(5):
        n = await notice(store, f"m{i}")
        await store.outbox.route(n.id, [to(digest, 100.0, digest=True)])
    due = await store.outbox.due(DISCORD, now=200.0)
    first = await store.outbox.claim(due[0], 200.0, 260.0, digest_limit=2)
    assert [d.id for d in first] == [due[0].id, due[1].id]
    rest = await store.outbox.due(DISCORD, now=200.0)
    assert [d.id for d in rest] == [due[2].id, due[3].id, due[4].id]
    second = await store.outbox.claim(rest[0], 200.0, 260.0, digest_limit=2)
    assert [d.id for d in second] == [due[2].id, due[3].id]
    assert second[0].batch_id == due[2].id != first[0].batch_id


async def test_a_retried_batch_is_claimed_whole_with_the_same_batch_id(store):
    place = await community(store)
    digest = await subscription(store, place, "100", digest=60)
    for i in range(3):
        n = await notice(store, f"m{i}")
        await store.outbox.route(n.id, [to(digest, 100.0, digest=True)])
    due = await store.outbox.due(DISCORD, now=200.0)
    batch = await store.outbox.claim(due[0], 200.0, 260.0, digest_limit=20)
    batch_id = batch[0].batch_id
    await store.outbox.record_part(batch_id, 1)
    await store.outbox.retry(batch_id, due_at=300.0, error="429: slow down")

    assert [(r["state"], r["due_at"], r["lease_until"], r["last_error"], r["batch_id"])
            for r in await rows(store)] == [("pending", 300.0, None, "429: slow down", batch_id)] * 3
    # A new notice for the same target arrives meanwhile: it must not join the retried message.
    newcomer = await notice(store, "newcomer")
    await store.outbox.route(newcomer.id, [to(digest, 100.0, digest=True)])

    assert [d.batch_id for d in await store.outbox.due(DISCORD, now=299.0)] == [None]
    retried = [d for d in await store.outbox.due(DISCORD, now=300.0) if d.batch_id is not None]
    assert len(retried) == 3
    again = await store.outbox.claim(retried[2], 300.0, 360.0, digest_limit=20)
    assert [d.id for d in again] == [d.id for d in batch]
    assert {(d.batch_id, d.attempts, d.parts_sent) for d in again} == {(batch_id, 2, 1)}
    [left] = await store.outbox.due(DISCORD, now=300.0)
    assert (left.notice_id, left.batch_id) == (newcomer.id, None)


async def test_a_retried_single_delivery_keeps_its_batch_id(store):
    place = await community(store)
    a = await subscription(store, place, "100")
    n = await notice(store, "gpt-4o")
    await store.outbox.route(n.id, [to(a)])
    [d] = await store.outbox.due(DISCORD, now=200.0)
    [claimed] = await store.outbox.claim(d, 200.0, 260.0, digest_limit=20)
    await store.outbox.retry(claimed.batch_id, due_at=250.0, error="timeout")
    [back] = await store.outbox.due(DISCORD, now=250.0)
    [again] = await store.outbox.claim(back, 250.0, 310.0, digest_limit=20)
    assert (again.id, again.batch_id, again.attempts) == (d.id, claimed.batch_id, 2)


# --- outcomes ------------------------------------------------------------------------------------------------

async def test_record_part_and_mark_sent(store):
    place = await community(store)
    digest = await subscription(store, place, "100", digest=60)
    for i in range(2):
        n = await notice(store, f"m{i}")
        await store.outbox.route(n.id, [to(digest, 100.0, digest=True)])
    due = await store.outbox.due(DISCORD, now=200.0)
    batch = await store.outbox.claim(due[0], 200.0, 260.0, digest_limit=20)
    batch_id = batch[0].batch_id

    await store.outbox.record_part(batch_id, 2)
    assert [r["parts_sent"] for r in await rows(store)] == [2, 2]
    await store.outbox.mark_sent(batch_id, "msg-1")
    sent = await rows(store)
    assert [(r["state"], r["message_id"], r["lease_until"], r["last_error"]) for r in sent] == [
        ("sent", "msg-1", None, None)] * 2
    assert all(r["sent_at"] for r in sent)
    assert await store.outbox.due(DISCORD, now=10_000.0) == []
    assert await store.outbox.next_due_at(DISCORD) is None
    assert await store.outbox.counts() == {"sent": 2}
    assert [n.title for n in await store.outbox.notices_of(batch)] == ["m0", "m1"]


async def test_fail_marks_the_batch_failed_for_good(store):
    place = await community(store)
    a = await subscription(store, place, "100")
    n = await notice(store, "gpt-4o")
    await store.outbox.route(n.id, [to(a)])
    [d] = await store.outbox.due(DISCORD, now=200.0)
    [claimed] = await store.outbox.claim(d, 200.0, 260.0, digest_limit=20)
    await store.outbox.fail(claimed.batch_id, "message too long")
    [row] = await rows(store)
    assert (row["state"], row["last_error"], row["lease_until"]) == ("failed", "message too long", None)
    assert await store.outbox.due(DISCORD, now=10_000.0) == []


async def test_fail_waiting_drops_only_that_targets_waiting_deliveries(store):
    place = await community(store)
    gone, kept = await subscription(store, place, "100"), await subscription(store, place, "200")
    p = await ping(store, "p1", "u1")
    notices = [await notice(store, f"m{i}") for i in range(3)]
    for n in notices:
        await store.outbox.route(n.id, [to(gone), to(kept), to_ping(p)])
    gone_rows = await rows(store, "subscription_id = ?", (gone.id,))
    # One sent, one in flight, one pending.
    sent = (await store.outbox.claim(_stub(gone_rows[0]), 200.0, 260.0, digest_limit=20))[0]
    await store.outbox.mark_sent(sent.batch_id, "msg-1")
    await store.outbox.claim(_stub(gone_rows[1]), 200.0, 260.0, digest_limit=20)

    await store.outbox.fail_waiting(subscription_id=gone.id, error="Missing Access")
    assert [(r["state"], r["last_error"], r["lease_until"]) for r in await rows(
        store, "subscription_id = ?", (gone.id,))] == [
        ("sent", None, None), ("failed", "Missing Access", None), ("failed", "Missing Access", None)]
    assert {r["state"] for r in await rows(store, "subscription_id = ?", (kept.id,))} == {"pending"}
    assert {r["state"] for r in await rows(store, "ping_id = ?", (p.id,))} == {"pending"}

    await store.outbox.fail_waiting(ping_id=p.id, error="Blocked")
    assert {(r["state"], r["last_error"]) for r in await rows(store, "ping_id = ?", (p.id,))} == {
        ("failed", "Blocked")}
    assert {r["state"] for r in await rows(store, "subscription_id = ?", (kept.id,))} == {"pending"}
    assert await store.outbox.counts() == {"sent": 1, "failed": 5, "pending": 3}


def _stub(row: dict) -> Delivery:
    """A Delivery as `due` would have returned it, from its row (only what `claim` reads matters)."""
    return Delivery(id=row["id"], notice_id=row["notice_id"], platform=PlatformName(row["platform"]),
                    target=Target(PlatformName(row["platform"]), "?"), locale="en", digest=bool(row["digest"]),
                    attempts=row["attempts"], batch_id=row["batch_id"], parts_sent=row["parts_sent"],
                    subscription_id=row["subscription_id"], ping_id=row["ping_id"])


# --- migration 0003 ------------------------------------------------------------------------------------------

async def test_migration_0003_marks_notices_stored_before_it_as_routed(tmp_path):
    db = await Database.open(tmp_path / "old.db")
    try:
        migrations = bundled_migrations()
        assert migrations[2].label == "0003_alerts"
        await migrate(db, migrations[:2])
        await db.execute(
            "INSERT INTO notices (kind, category, title, dedup_key, created_at) "
            "VALUES ('new_deprecation', 'deprecation', 'gpt-4o', 'old', '2026-01-02T03:04:05+00:00')")
        assert [m.label for m in await migrate(db, migrations)] == [m.label for m in migrations[2:]]
        assert await db.fetch_value("SELECT routed_at FROM notices WHERE dedup_key = 'old'") == \
            "2026-01-02T03:04:05+00:00"
        [fresh] = await NoticeRepository(db).add_notices([Notice(
            kind=NoticeKind.NEW_DEPRECATION, category=Category.DEPRECATION, title="gpt-4.1", dedup_key="new")])
        assert await db.fetch_value("SELECT routed_at FROM notices WHERE id = ?", (fresh.id,)) is None
    finally:
        await db.close()
