"""One aiosqlite connection in WAL mode, with explicit transactions.

The connection runs in autocommit mode (`isolation_level=None`) and every write goes through
`transaction()`, so what is atomic is written down where it happens. A lock keeps two tasks from
interleaving statements inside one transaction on the shared connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextvars import ContextVar
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

from bot.errors import DatabaseDamaged, DatabaseUnusable
from bot.files import make_private_folder

Params = Sequence[Any] | dict[str, Any]
T = TypeVar("T")

_in_transaction: ContextVar[bool] = ContextVar("continuity_in_transaction", default=False)


def _create_private(path: Path) -> None:
    """Create the data folder (0700) and the database file (0600) when missing: they hold what people
    entrusted to the bot. SQLite gives the -wal and -shm files the mode of the database file."""
    if path.is_dir():
        raise DatabaseUnusable(path, "it is a folder, not a file")
    try:
        make_private_folder(path.parent)
    except OSError as error:
        raise DatabaseUnusable(path, f"its folder {path.parent} cannot be created ({error.strerror})") from None
    try:
        os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    except OSError as error:
        raise DatabaseUnusable(path, f"it cannot be opened for reading and writing ({error.strerror})") from None


def is_damage(error: sqlite3.Error) -> bool:
    """SQLite's own word that the file is damaged, as opposed to busy, locked or not a database."""
    return getattr(error, "sqlite_errorcode", None) == sqlite3.SQLITE_CORRUPT


def damage(connection: sqlite3.Connection) -> list[str]:
    """What SQLite's `quick_check` finds wrong with the file (every page, index and constraint it can see
    without comparing index contents to their tables; fast enough for each start): nothing when it is sound."""
    try:
        found = [line for (row,) in connection.execute("PRAGMA quick_check") for line in row.splitlines()]
    except sqlite3.DatabaseError as error:  # damage the check itself cannot read past
        return [str(error)]
    # the heading SQLite puts before each database's findings says nothing to the reader
    return [] if found == ["ok"] else [line for line in found if not line.startswith("*** ")]


def _rows(connection: sqlite3.Connection, sql: str, params: Params) -> list[aiosqlite.Row]:
    cursor = connection.execute(sql, params)
    try:
        return cursor.fetchall()
    finally:
        cursor.close()


def utcnow() -> str:
    """Timestamps are stored as ISO 8601 UTC text: sortable and readable in the sqlite shell."""
    return datetime.now(UTC).isoformat(timespec="seconds")


class Database:
    def __init__(self, connection: aiosqlite.Connection, path: Path) -> None:
        self._conn = connection
        self.path = path
        self._lock = asyncio.Lock()
        self._begin_pending = False  # in the open transaction, BEGIN is still to be sent

    @classmethod
    async def open(cls, path: Path) -> Database:
        """Open the database, creating it (and its folder) if missing.

        Anything that keeps the file from being read and written is found here, before any work, and
        raised as `DatabaseUnusable`: it is the operator's setting to fix, not a crash.
        """
        _create_private(path)
        try:
            connection = await aiosqlite.connect(path, isolation_level=None)
        except sqlite3.Error as error:
            raise DatabaseUnusable(path, f"SQLite cannot open it ({error})") from None
        connection.row_factory = aiosqlite.Row
        try:
            for pragma in (
                "PRAGMA busy_timeout = 5000",  # first, so the pragmas below wait for another process's lock
                "PRAGMA journal_mode = WAL",
                "PRAGMA foreign_keys = ON",
                "PRAGMA synchronous = NORMAL",
                # A person's deleted words must not linger in free pages of the file.
                "PRAGMA secure_delete = ON",
            ):
                await connection.execute(pragma)
            # Reading the schema and taking the write lock prove the file is a database we may write.
            await connection.execute("SELECT count(*) FROM sqlite_master")
            await connection.execute("BEGIN IMMEDIATE")
            await connection.execute("ROLLBACK")
            # A damaged file is found before anything is read from it or written to it.
            problems = await connection._execute(damage, connection._conn)
        except sqlite3.Error as error:
            await connection.close()
            if is_damage(error):
                raise DatabaseDamaged(path, [str(error)]) from None
            raise DatabaseUnusable(path, f"SQLite cannot use it ({error})") from None
        if problems:
            await connection.close()
            raise DatabaseDamaged(path, problems)
        return cls(connection, path)

    async def close(self) -> None:
        await self._conn.close()

    async def checkpoint(self) -> None:
        """Copy the write-ahead log into the database file and empty it."""
        async with self._lock:
            await self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    # Every statement of the bot waits its turn on the connection's one thread, and the trips there and back,
    # more than SQLite's own work, bound how many writes a second the bot makes. So each statement is one trip
    # (executed, fetched and closed together), and a transaction's BEGIN travels with its first statement.
    async def _trip(self, work: Callable[[sqlite3.Connection], T]) -> T:
        begin = self._begin_pending and _in_transaction.get()
        if begin:
            self._begin_pending = False

        def run(connection: sqlite3.Connection) -> T:
            if begin:
                connection.execute("BEGIN IMMEDIATE")
            return work(connection)

        # aiosqlite's own primitive (every public method of it is built on it): run this on the thread.
        return await self._conn._execute(run, self._conn._conn)

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[Database]:
        """BEGIN IMMEDIATE … COMMIT, or ROLLBACK on error. Nested use joins the outer transaction. The BEGIN
        is sent with the transaction's first statement (so before any of them, as ever); a transaction that
        ran none sends nothing."""
        if _in_transaction.get():
            yield self
            return
        async with self._lock:
            token = _in_transaction.set(True)
            self._begin_pending = True
            try:
                try:
                    yield self
                except BaseException:
                    if not self._begin_pending:
                        await self._conn.rollback()
                    raise
                if not self._begin_pending:
                    await self._conn.commit()
            finally:
                self._begin_pending = False
                _in_transaction.reset(token)

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one write; returns the last row id. Outside a transaction it gets its own."""
        def run(connection: sqlite3.Connection) -> int:
            cursor = connection.execute(sql, params)
            last = cursor.lastrowid or 0
            cursor.close()
            return last

        async with self.transaction():
            return await self._trip(run)

    async def execute_returning(self, sql: str, params: Params = ()) -> aiosqlite.Row | None:
        """Run one write with a RETURNING clause; the (first) row it returns. Outside a transaction it gets
        its own."""
        async with self.transaction():
            rows = await self._trip(lambda connection: _rows(connection, sql, params))
        return next(iter(rows), None)

    async def execute_together(self, *statements: tuple[str, Params]) -> list[list[aiosqlite.Row]]:
        """Several writes that belong together, in order and in one trip; what each returns (RETURNING).
        Outside a transaction they get their own."""
        async with self.transaction():
            return await self._trip(lambda connection: [_rows(connection, sql, params) for sql, params in statements])

    async def execute_many(self, sql: str, rows: Iterable[Params]) -> None:
        async with self.transaction():
            await self._trip(lambda connection: connection.executemany(sql, rows).close())

    async def execute_script(self, script: str) -> None:
        """Run several statements inside the current transaction (used by migrations)."""
        assert _in_transaction.get(), "scripts run inside transaction()"
        # sqlite3's executescript() would COMMIT first; split by sqlite's own notion of a complete
        # statement instead, so a migration stays one transaction.
        statements: list[str] = []
        statement = ""
        for line in script.splitlines(keepends=True):
            statement += line
            if sqlite3.complete_statement(statement):
                if statement.strip():
                    statements.append(statement)
                statement = ""
        if statement.strip():
            statements.append(statement)
        for each in statements:
            await self._trip(lambda connection, each=each: connection.execute(each).close())

    async def fetch_one(self, sql: str, params: Params = ()) -> aiosqlite.Row | None:
        def run(connection: sqlite3.Connection) -> aiosqlite.Row | None:
            cursor = connection.execute(sql, params)
            try:
                return cursor.fetchone()
            finally:
                cursor.close()

        return await self._trip(run)

    async def fetch_all(self, sql: str, params: Params = ()) -> list[aiosqlite.Row]:
        return await self._trip(lambda connection: _rows(connection, sql, params))

    async def fetch_each(self, sql: str, params: Params, convert: Callable[[dict[str, Any]], T]) -> list[T]:
        """Each row, as a dict by column name, made into an object as it is read, on the database's thread: a
        large read never holds all its rows and all their objects at once, and the event loop does none of the
        work. (A dict, not an `aiosqlite.Row`: a Row finds a column by comparing every name, and a conversion
        reading thirty columns of 100,000 rows spends half a second on that.)"""
        def run(connection: sqlite3.Connection) -> list[T]:
            cursor = connection.execute(sql, params)
            cursor.row_factory = None
            try:
                names = [column[0] for column in cursor.description]
                return [convert(dict(zip(names, row, strict=True))) for row in cursor]
            finally:
                cursor.close()

        return await self._trip(run)

    async def fetch_value(self, sql: str, params: Params = ()) -> Any:
        row = await self.fetch_one(sql, params)
        return None if row is None else row[0]
