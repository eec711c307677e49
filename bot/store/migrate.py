"""Forward-only migrations: `migrations/NNNN_name.sql`, applied in order, one transaction each.

The history of `migrations/` reads as the history of the product. A database whose schema is newer than
this code is refused before anything is touched (the same rule as reader's migration helper).
"""

from __future__ import annotations

import logging
import re
import sqlite3
from dataclasses import dataclass
from importlib import resources

from bot.errors import MigrationFailed, SchemaTooNew, StoreError
from bot.store.db import Database, utcnow

log = logging.getLogger(__name__)

_FILE_NAME = re.compile(r"^(?P<version>\d{4})_(?P<name>[a-z0-9_]+)\.sql$")

_BOOKKEEPING = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
)
"""


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str

    @property
    def label(self) -> str:
        return f"{self.version:04d}_{self.name}"


def bundled_migrations() -> list[Migration]:
    """The migrations shipped in the `migrations` package, checked to be numbered 1, 2, 3 … without gaps."""
    found = []
    for entry in resources.files("migrations").iterdir():
        match = _FILE_NAME.match(entry.name)
        if match:
            found.append(Migration(int(match["version"]), match["name"], entry.read_text(encoding="utf-8")))
        elif entry.name.endswith(".sql"):
            raise StoreError(f"Migration file {entry.name} is not named NNNN_name.sql.")
    found.sort(key=lambda m: m.version)
    for expected, migration in enumerate(found, start=1):
        if migration.version != expected:
            raise StoreError(f"Migrations must be numbered without gaps: expected {expected:04d}, "
                             f"found {migration.label}.")
    return found


async def schema_version(db: Database) -> int:
    exists = await db.fetch_value(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
    if not exists:
        return 0
    return int(await db.fetch_value("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"))


async def migrate(db: Database, migrations: list[Migration] | None = None) -> list[Migration]:
    """Apply what is missing; return what was applied. Running it again is a no-op."""
    migrations = bundled_migrations() if migrations is None else migrations
    known = migrations[-1].version if migrations else 0
    current = await schema_version(db)
    if current > known:
        raise SchemaTooNew(str(db.path), current, known)
    applied = []
    for migration in migrations:
        if migration.version <= current:
            continue
        try:
            async with db.transaction():
                await db.execute(_BOOKKEEPING)
                await db.execute_script(migration.sql)
                problems = await db.fetch_all("PRAGMA foreign_key_check")
                if problems:
                    raise MigrationFailed(migration.label, f"{len(problems)} rows break foreign keys")
                await db.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    (migration.version, migration.name, utcnow()),
                )
        except sqlite3.Error as exc:
            raise MigrationFailed(migration.label, str(exc)) from exc
        log.info("Applied migration %s", migration.label)
        applied.append(migration)
    return applied
