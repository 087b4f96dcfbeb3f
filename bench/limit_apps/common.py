"""What the limit apps share: ASGI plumbing, carnet's answers, ids, SQL, the SQLite writer lock.

Nothing here validates or normalises: a contact's fields are stored as sent.
"""

from __future__ import annotations

import asyncio
import base64
import fcntl
import hashlib
import json
import os
import secrets
import sqlite3
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from datetime import UTC, datetime
from typing import Any

DATABASE_URL_ENV = "LIMIT_DATABASE_URL"

# The contact's fields under the wire's names, and the columns that hold them.
FIELDS = (
    "phoneNumber",
    "firstname",
    "lastname",
    "date",
    "url",
    "shortUrlPartnr",
    "custom1",
    "custom2",
    "custom3",
    "custom4",
)
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

Answer = tuple[int, bytes]


def _json(document: dict[str, Any]) -> bytes:
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode()


def error(status: int, code: int, message: str) -> Answer:
    return status, _json({"success": False, "code": code, "message": message})


BAD_REQUEST = error(400, 90, "The JSON is malformed")
BAD_KEY = error(401, 10, "Incorrect API key")
NO_GROUP = error(404, 404, "Group not found")
DUPLICATE = error(409, 15, "The number is already in the group")


def _fields(contact: dict[str, Any]) -> tuple[str, ...]:
    get = contact.get
    return tuple(get(name) or "" for name in FIELDS)


def parse_add(body: bytes) -> tuple[str, str, tuple[str, ...]] | None:
    """``(apiKey, groupId, the contact's ten fields)`` from a single add; None if malformed.

    The fields are as sent, ``""`` when absent, in ``FIELDS`` order.
    """
    try:
        request = json.loads(body)
        return request["apiKey"], request["groupId"], _fields(request["contact"])
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def parse_batch(body: bytes) -> tuple[str, str, list[tuple[str, ...]]] | None:
    """``(apiKey, groupId, each row's ten fields)`` from a batch; None if malformed."""
    try:
        request = json.loads(body)
        rows = [_fields(row) for row in request["contactsList"]]
        return request["apiKey"], request["groupId"], rows
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def added(fields: tuple[str, ...], contact_id: str) -> Answer:
    """A single add's answer: the fields as stored, under the request's names, and the id."""
    contact = dict(zip(FIELDS, fields, strict=True))
    contact["contactId"] = contact_id
    return 200, _json({"success": True, "code": 200, "contact": contact})


_NO_ERRORS = dict.fromkeys(
    (
        "stopSms",
        "invalidePhone",
        "duplicatePhone",
        "allreadyInGroupe",
        "urlInvalide",
        "dateInvalide",
        "empty",
        "unactivated",
        "dateInvalid",
        "invalidField",
    ),
    0,
)


def batch_report(name: str, group_id: str, phones: list[str], ids: list[str]) -> Answer:
    """A batch's answer when every row was stored: carnet's report, one result per row."""
    results = [
        {
            "success": True,
            "code": 200,
            "phoneNumber": phone,
            "message": "Contact added",
            "contactId": contact_id,
        }
        for phone, contact_id in zip(phones, ids, strict=True)
    ]
    rapport = {"nbline": len(ids), "nbline_imported": len(ids), "nbline_updated": 0}
    return 200, _json(
        {
            "success": True,
            "code": 200,
            "groupe": {"name": name, "token": group_id},
            "results": results,
            "rapport": {**rapport, "errors": _NO_ERRORS},
        }
    )


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def new_ids(count: int) -> list[str]:
    """Ids as carnet makes them: the time in milliseconds, then 96 random bits, URL-safe."""
    now = (time.time_ns() // 1_000_000).to_bytes(6, "big")
    noise = secrets.token_bytes(12 * count)
    return [
        base64.urlsafe_b64encode(now + noise[i : i + 12]).decode() for i in range(0, len(noise), 12)
    ]


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


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


# -- ASGI -------------------------------------------------------------------------

_OK = b'{"success":true,"code":200}'
_NOT_FOUND = error(404, 404, "Not found")


def asgi_app(
    handle: Callable[[bytes], Awaitable[Answer]],
    startup: Callable[[], Awaitable[None]],
    shutdown: Callable[[], Awaitable[None]],
) -> Callable[..., Awaitable[None]]:
    """An ASGI app: ``handle(body)`` answers ``POST /v1/contact/add``; ``/healthz`` answers 200."""

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await startup()
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await shutdown()
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        body = b""
        more = True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        if scope["path"] == "/healthz":
            status, payload = 200, _OK
        elif scope["path"] == "/v1/contact/add" and scope["method"] == "POST":
            status, payload = await handle(body)
        else:
            status, payload = _NOT_FOUND
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", b"%d" % len(payload)),
        ]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": payload})

    return app
