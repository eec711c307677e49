"""`python -m bot backup`: a consistent copy of the database while the bot keeps running.

SQLite's backup API copies every page inside one read transaction, so the copy is the database as it stood at
one moment (in WAL mode the bot goes on writing meanwhile). The copy is checked before it takes the place of
anything: a damaged database never overwrites the last good backup.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bot.errors import DatabaseDamaged, StoreError
from bot.files import make_private_folder, move_into_place, private_temporary
from bot.i18n import _
from bot.store.db import damage, is_damage


class BackupRefused(StoreError):
    """The copy cannot be made where it was asked for; the message says why. Nothing was written."""


@dataclass(frozen=True, slots=True)
class Backup:
    path: Path
    size: int
    seconds: float


def target_for(destination: Path, moment: datetime, *, folder: bool = False) -> Path:
    """A folder (one that exists, or one named with a trailing slash, made if missing, 0700) receives a file
    named for the moment, so a daily job keeps every day; any other path is the file."""
    if not (folder or destination.is_dir()):
        return destination
    try:
        make_private_folder(destination)
    except OSError as error:
        raise BackupRefused(_("Cannot make the folder {folder}: {reason}.", folder=destination,
                              reason=error.strerror or error)) from None
    return destination / f"continuity-{moment.astimezone(UTC).strftime('%Y%m%dT%H%M%SZ')}.db"


def backup(database: Path, destination: Path, moment: datetime, *, folder: bool = False) -> Backup:
    if not database.is_file():
        raise BackupRefused(_("No database at {path} (DATABASE_PATH): nothing to back up.", path=database))
    target = target_for(destination, moment, folder=folder)
    if not target.parent.is_dir():
        raise BackupRefused(_("Cannot write {path}: the folder {folder} does not exist.", path=target,
                              folder=target.parent))
    if target.exists() and target.resolve() == database.resolve():
        raise BackupRefused(_("{path} is the database itself; name another file or a folder.", path=target))
    started = time.perf_counter()
    try:
        partial = private_temporary(target)  # the copy holds what people entrusted to the bot: 0600
    except OSError as error:
        raise BackupRefused(_("Cannot write {path}: {reason}.", path=target, reason=error.strerror or error)) from None
    try:
        source = sqlite3.connect(database)
        try:
            source.execute("PRAGMA busy_timeout = 5000")  # the bot may be committing this very moment
            copy = sqlite3.connect(partial)
            try:
                source.backup(copy)  # every page in one step: one moment's database
                problems = damage(copy)
            finally:
                copy.close()
        finally:
            source.close()
        if problems:
            raise DatabaseDamaged(database, problems)
        move_into_place(partial, target)
    except OSError as error:
        raise BackupRefused(_("Cannot write {path}: {reason}. Nothing was replaced.", path=target,
                              reason=error.strerror or error)) from None
    except sqlite3.Error as error:
        if is_damage(error):
            raise DatabaseDamaged(database, [str(error)]) from None
        raise BackupRefused(_("SQLite cannot copy {path} ({reason}). Nothing was replaced.", path=database,
                              reason=error)) from None
    finally:
        partial.unlink(missing_ok=True)
    return Backup(target, target.stat().st_size, time.perf_counter() - started)
