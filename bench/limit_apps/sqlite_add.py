"""Limit: a single ``contact/add`` on SQLite, one transaction per request.

Per request, and nothing more: read the body and parse its JSON; look up the
API key by its SHA-256 hash and the group (one SELECT); then, holding the
writer lock across processes, ``BEGIN IMMEDIATE``, one INSERT, ``COMMIT``; and
answer the contact as carnet does. The unique (group, phone) index refuses a
number already in the group (code 15).

Left out, though carnet must do them: validating and normalising the fields
(the load sends E.164 numbers), the stop list, positions for paging, counts.

Calls to SQLite are made on the event loop, without a hop to a thread: a
worker waiting for the writer lock has nothing else to store meanwhile.
"""

from __future__ import annotations

import os
import sqlite3

from bench.limit_apps.db import (
    DATABASE_URL_ENV,
    SQLITE_INSERT,
    SQLITE_LOOKUP,
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

db: sqlite3.Connection
lock: WriterLock


async def startup() -> None:
    global db, lock
    path = sqlite_path(os.environ[DATABASE_URL_ENV])
    db = sqlite_connect(path)
    lock = WriterLock(path)


async def shutdown() -> None:
    db.close()
    lock.close()


async def handle(body: bytes) -> Answer:
    request = parse_add(body)
    if request is None:
        return BAD_REQUEST
    api_key, group_public_id, fields = request
    found = db.execute(SQLITE_LOOKUP, (group_public_id, key_hash(api_key))).fetchone()
    if found is None:
        return BAD_KEY
    group_id = found[1]
    if group_id is None:
        return NO_GROUP
    contact_id = new_ids(1)[0]
    try:
        with write_transaction(db, lock):
            stored = db.execute(INSERT, (contact_id, group_id, *fields, now_iso())).rowcount
    except sqlite3.IntegrityError:  # the foreign key: the group was deleted meanwhile
        return NO_GROUP
    return added(fields, contact_id) if stored else DUPLICATE


app = asgi_app(handle, startup, shutdown)
