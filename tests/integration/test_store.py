"""The store on a real SQLite file: migrations, pragmas, repositories and the data-rights contract."""

import os
import sqlite3
import stat

import pytest

from bot.domain import PlatformName
from bot.errors import MigrationFailed, SchemaTooNew
from bot.store import Store
from bot.store.db import Database
from bot.store.migrate import Migration, bundled_migrations, migrate, schema_version


async def _tables(db: Database) -> set[str]:
    rows = await db.fetch_all("SELECT name FROM sqlite_master WHERE type = 'table'")
    return {row[0] for row in rows}


async def test_a_fresh_database_gets_every_migration_once(tmp_path):
    db = await Database.open(tmp_path / "new" / "c.db")
    try:
        applied = await migrate(db)
        assert [m.version for m in applied] == list(range(1, len(bundled_migrations()) + 1))
        assert {"communities", "people", "audit_log", "schema_migrations"} <= await _tables(db)
        assert await schema_version(db) == len(bundled_migrations())
        assert await migrate(db) == [], "running it again is a no-op"
        assert await db.fetch_value("SELECT COUNT(*) FROM schema_migrations") == len(bundled_migrations())
    finally:
        await db.close()


async def test_pragmas_are_set(store):
    assert (await store.db.fetch_value("PRAGMA journal_mode")).lower() == "wal"
    assert await store.db.fetch_value("PRAGMA foreign_keys") == 1
    assert await store.db.fetch_value("PRAGMA busy_timeout") == 5000


async def test_a_newer_schema_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "c.db"
    db = await Database.open(path)
    await migrate(db)
    await db.execute("INSERT INTO schema_migrations VALUES (99, 'from_the_future', '2030-01-01')")
    await db.close()

    with pytest.raises(SchemaTooNew) as caught:
        await Store.open(path)
    assert "99" in str(caught.value) and "Upgrade Continuity" in str(caught.value)
    with sqlite3.connect(path) as raw:
        assert raw.execute("SELECT MAX(version) FROM schema_migrations").fetchone()[0] == 99


async def test_a_failing_migration_is_rolled_back_whole(tmp_path):
    db = await Database.open(tmp_path / "c.db")
    good = Migration(1, "good", "CREATE TABLE a (id INTEGER PRIMARY KEY);")
    bad = Migration(2, "bad", "CREATE TABLE b (id INTEGER PRIMARY KEY);\nINSERT INTO nowhere VALUES (1);")
    try:
        with pytest.raises(MigrationFailed) as caught:
            await migrate(db, [good, bad])
        assert "0002_bad" in str(caught.value)
        tables = await _tables(db)
        assert "a" in tables and "b" not in tables, "the failed migration left nothing behind"
        assert await schema_version(db) == 1
    finally:
        await db.close()


async def test_a_migration_breaking_foreign_keys_is_refused(tmp_path):
    db = await Database.open(tmp_path / "c.db")
    steps = [
        Migration(1, "parent", "CREATE TABLE parent (id INTEGER PRIMARY KEY);\n"
                               "CREATE TABLE child (parent_id INTEGER REFERENCES parent (id));"),
        Migration(2, "orphan", "PRAGMA defer_foreign_keys = ON;\nINSERT INTO child VALUES (42);"),
    ]
    try:
        with pytest.raises(MigrationFailed, match="foreign keys"):
            await migrate(db, steps)
        assert await db.fetch_value("SELECT COUNT(*) FROM child") == 0
    finally:
        await db.close()


async def test_communities_are_created_once_and_follow_renames(store):
    first = await store.communities.ensure_community(PlatformName.DISCORD, "42", "Old name")
    again = await store.communities.ensure_community(PlatformName.DISCORD, "42", "New name")
    assert again.id == first.id and again.name == "New name"
    other = await store.communities.ensure_community(PlatformName.TELEGRAM, "42", "Chat")
    assert other.id != first.id
    assert [c.id for c in await store.communities.list_communities(PlatformName.DISCORD)] == [first.id]
    await store.communities.set_community_locale(first.id, "es")
    assert (await store.communities.get_community(PlatformName.DISCORD, "42")).locale == "es"


async def test_everything_about_a_person_can_be_read_and_deleted(store):
    await store.people.set_locale("p_one", "ja")
    await store.people.set_locale("p_two", "es")
    await store.audit.record("person.language_set", actor="p_one", locale="ja")
    assert (await store.people.export_person("p_one"))["locale"] == "ja"
    assert [e["action"] for e in await store.audit.export_person("p_one")] == ["person.language_set"]

    await store.people.delete_person("p_one")
    await store.audit.delete_person("p_one")
    assert await store.people.export_person("p_one") == {}
    assert await store.audit.export_person("p_one") == []
    assert (await store.people.get_preferences("p_one")).locale is None
    assert (await store.people.get_preferences("p_two")).locale == "es", "others are untouched"
    entries = await store.audit.list_entries()
    assert [e.actor for e in entries] == ["deleted"], "the moderation record stays, without the person"


async def test_a_failed_transaction_writes_nothing(store):
    with pytest.raises(RuntimeError):
        async with store.db.transaction():
            await store.people.set_locale("p_x", "ja")
            raise RuntimeError("boom")
    assert await store.people.export_person("p_x") == {}


async def test_the_data_folder_and_the_database_files_are_private(tmp_path):
    """0700 and 0600 whatever the umask: the files hold what people entrusted to the bot."""
    previous = os.umask(0o022)
    try:
        store = await Store.open(tmp_path / "data" / "c.db")
    finally:
        os.umask(previous)
    try:
        assert stat.S_IMODE((tmp_path / "data").stat().st_mode) == 0o700
        for name in ("c.db", "c.db-wal", "c.db-shm"):
            assert stat.S_IMODE((tmp_path / "data" / name).stat().st_mode) == 0o600, name
    finally:
        await store.close()


async def test_an_existing_folder_keeps_the_mode_its_owner_gave_it(tmp_path):
    tmp_path.chmod(0o750)
    db = await Database.open(tmp_path / "c.db")
    await db.close()
    assert stat.S_IMODE(tmp_path.stat().st_mode) == 0o750
