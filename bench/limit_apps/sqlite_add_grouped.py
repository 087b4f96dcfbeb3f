"""Limit: a single ``contact/add`` on SQLite, with group commit.

Per request: read the body and parse its JSON; look up the API key by its
SHA-256 hash and the group (one SELECT, on the event loop); then queue the row
and wait (``GroupCommit``). One writer per worker takes every row queued so
far and, in a thread (the event loop keeps taking requests meanwhile), holding
the writer lock across processes: ``BEGIN IMMEDIATE``, one INSERT per row,
``COMMIT``. Each request is answered only after that commit, with its own
outcome: the unique (group, phone) index makes the INSERT of a number already
in the group, or earlier in the same flush, store nothing, and that request
alone gets code 15. Rows that arrive during a flush go in the next one.

Left out, though carnet must do them: validating and normalising the fields
(the load sends E.164 numbers), the stop list, positions for paging, counts.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
from concurrent.futures import ThreadPoolExecutor

from bench.limit_apps.db import (
    ADDED,
    DATABASE_URL_ENV,
    GONE,
    SQLITE_INSERT,
    SQLITE_LOOKUP,
    TAKEN,
    GroupCommit,
    Row,
    WriterLock,
    sqlite_connect,
    sqlite_path,
    write_transaction,
)
from bench.limit_apps.wire import (
    BAD_KEY,
    BAD_REQUEST,
    DUPLICATE,
    NO_GROUP,
    Answer,
    added,
    asgi_app,
    key_hash,
    new_ids,
    now_iso,
    parse_add,
)

INSERT = SQLITE_INSERT + " ON CONFLICT (group_id, phone) DO NOTHING"

reader: sqlite3.Connection  # used on the event loop
writer: sqlite3.Connection  # used in the writer's thread only
lock: WriterLock
thread: ThreadPoolExecutor  # the writer's thread
commits: GroupCommit


def flush(rows: list[Row]) -> list[str]:
    """Store ``rows`` in one transaction; each one's outcome: ADDED, TAKEN or GONE."""
    outcomes = []
    with write_transaction(writer, lock):
        for row in rows:
            try:
                stored = writer.execute(INSERT, row).rowcount
            except sqlite3.IntegrityError:  # the foreign key: the group was deleted meanwhile
                outcomes.append(GONE)
                continue
            outcomes.append(ADDED if stored else TAKEN)
    return outcomes


async def flush_in_thread(rows: list[Row]) -> list[str]:
    return await asyncio.get_running_loop().run_in_executor(thread, flush, rows)


async def startup() -> None:
    global reader, writer, lock, thread, commits
    path = sqlite_path(os.environ[DATABASE_URL_ENV])
    reader, writer, lock = sqlite_connect(path), sqlite_connect(path), WriterLock(path)
    thread = ThreadPoolExecutor(max_workers=1)
    commits = GroupCommit(flush_in_thread)


async def shutdown() -> None:
    commits.stop()
    thread.shutdown()
    reader.close()
    writer.close()
    lock.close()


async def handle(body: bytes) -> Answer:
    request = parse_add(body)
    if request is None:
        return BAD_REQUEST
    api_key, group_public_id, fields = request
    found = reader.execute(SQLITE_LOOKUP, (group_public_id, key_hash(api_key))).fetchone()
    if found is None:
        return BAD_KEY
    group_id = found[1]
    if group_id is None:
        return NO_GROUP
    contact_id = new_ids(1)[0]
    outcome = await commits.add((contact_id, group_id, *fields, now_iso()))
    if outcome == ADDED:
        return added(fields, contact_id)
    return DUPLICATE if outcome == TAKEN else NO_GROUP


app = asgi_app(handle, startup, shutdown)
