"""The database side the limit apps share: SQL, SQLite's pragmas and writer lock,
PostgreSQL connections, and group commit.
"""

from __future__ import annotations

import asyncio
import fcntl
import os
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from typing import Any

DATABASE_URL_ENV = "LIMIT_DATABASE_URL"

# The columns of a contact: its id, its group, the ten fields in wire order, the time.
COLUMNS = (
    "public_id",
    "group_id",
    "phone",
    "firstname",
    "lastname",
    "date",
    "url",
    "short_url",
    "custom1",
    "custom2",
    "custom3",
    "custom4",
    "created_at",
)

# One statement for the key (by its SHA-256) and the group: no row means an
# unknown key, a row without a group an unknown group of that account.
# Parameters: the group's public id, then the key's hash.
_LOOKUP = (
    "SELECT k.account_id, g.id, g.name FROM api_keys k"
    " LEFT JOIN groups g ON g.account_id = k.account_id AND g.public_id = {p}"
    " WHERE k.key_hash = {p}"
)
SQLITE_LOOKUP = _LOOKUP.format(p="?")
POSTGRES_LOOKUP = _LOOKUP.format(p="%s")
SQLITE_INSERT = "INSERT INTO contacts ({}) VALUES ({})".format(
    ", ".join(COLUMNS), ", ".join("?" * len(COLUMNS))
)


# -- SQLite -------------------------------------------------------------------


def sqlite_path(url: str) -> str:
    """The file of a ``sqlite:///path`` URL."""
    return url.split(":///", 1)[1]


def sqlite_connect(path: str) -> sqlite3.Connection:
    """A connection with carnet's pragmas; transactions are begun explicitly."""
    db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("PRAGMA foreign_keys=ON")
    db.execute("PRAGMA busy_timeout=30000")
    return db


class WriterLock:
    """One writer at a time on the file across processes: ``flock`` beside it, as carnet."""

    def __init__(self, path: str) -> None:
        self._fd = os.open(path + ".write-lock", os.O_RDWR | os.O_CREAT, 0o600)

    @contextmanager
    def held(self) -> Iterator[None]:
        fcntl.flock(self._fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(self._fd, fcntl.LOCK_UN)

    def close(self) -> None:
        os.close(self._fd)


@contextmanager
def write_transaction(db: sqlite3.Connection, lock: WriterLock) -> Iterator[None]:
    """The writer lock, ``BEGIN IMMEDIATE`` and ``COMMIT`` (``ROLLBACK`` on any error)."""
    with lock.held():
        db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")


# -- PostgreSQL -----------------------------------------------------------------


def postgres_conninfo(url: str) -> str:
    """A libpq URL from a SQLAlchemy-style one (``postgresql+psycopg://`` too)."""
    scheme, rest = url.split("://", 1)
    return "postgresql://" + rest if scheme.startswith("postgres") else url


async def postgres_connect(url: str) -> Any:
    """An async psycopg connection in autocommit mode: transactions are begun explicitly."""
    import psycopg

    return await psycopg.AsyncConnection.connect(postgres_conninfo(url), autocommit=True)


class Pool:
    """A few autocommit connections of one worker, each lent to one request at a time."""

    def __init__(self, connections: list[Any]) -> None:
        self._all = connections
        self._free: asyncio.Queue[Any] = asyncio.Queue()
        for conn in connections:
            self._free.put_nowait(conn)

    @classmethod
    async def open(cls, url: str, size: int) -> Pool:
        return cls([await postgres_connect(url) for _ in range(size)])

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[Any]:
        conn = await self._free.get()
        try:
            yield conn
        finally:
            self._free.put_nowait(conn)

    async def close(self) -> None:
        for conn in self._all:
            await conn.close()


# -- group commit -------------------------------------------------------------------

Row = tuple[Any, ...]
# A queued row's outcome: stored; refused by the unique (group, phone) index; its group deleted.
ADDED, TAKEN, GONE = "added", "taken", "gone"


class GroupCommit:
    """Rows queued by requests, written together: one flush at a time, each row's own outcome.

    ``flush(rows)`` stores the rows in one transaction and returns an outcome
    per row; a request's ``add`` returns its row's outcome once that
    transaction has committed. Rows queued during a flush go in the next one.
    """

    def __init__(self, flush: Callable[[list[Row]], Awaitable[Sequence[str]]]) -> None:
        self._flush = flush
        self._queued: list[tuple[Row, asyncio.Future[str]]] = []
        self._arrived = asyncio.Event()
        self._task = asyncio.get_running_loop().create_task(self._write_queued())

    async def add(self, row: Row) -> str:
        outcome: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        self._queued.append((row, outcome))
        self._arrived.set()
        return await outcome

    async def _write_queued(self) -> None:
        while True:
            await self._arrived.wait()
            self._arrived.clear()
            batch = self._queued[:]
            self._queued.clear()
            try:
                outcomes = await self._flush([row for row, _ in batch])
            except Exception as exc:  # nothing of the flush was stored: all fail alike
                for _, waiting in batch:
                    if not waiting.done():  # done: its client went away
                        waiting.set_exception(exc)
                continue
            for (_, waiting), outcome in zip(batch, outcomes, strict=True):
                if not waiting.done():
                    waiting.set_result(outcome)

    def stop(self) -> None:
        self._task.cancel()
