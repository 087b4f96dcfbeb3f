"""Limit: 500-row batches on SQLite, with no validation.

Per request, and nothing more: read the body and parse its JSON; look up the
API key by its SHA-256 hash and the group (one SELECT); then, holding the
writer lock across processes, ``BEGIN IMMEDIATE``, the rows by one
``executemany`` INSERT, ``COMMIT``; and answer carnet's batch report. A number
already in the group, or twice in the batch, fails the unique (group, phone)
index and the whole batch is refused (code 15), nothing stored.

Left out, though carnet must do them: judging each row (numbers, field rules,
the stop list, numbers already in the group or earlier in the batch, with an
answer per row), normalising (the load sends E.164 numbers), positions for
paging, counts.
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
    asgi_app,
    batch_report,
    key_hash,
    new_ids,
    now_iso,
    parse_batch,
)

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
    request = parse_batch(body)
    if request is None:
        return BAD_REQUEST
    api_key, group_public_id, rows = request
    found = db.execute(SQLITE_LOOKUP, (group_public_id, key_hash(api_key))).fetchone()
    if found is None:
        return BAD_KEY
    _, group_id, group_name = found
    if group_id is None:
        return NO_GROUP
    ids = new_ids(len(rows))
    created = now_iso()
    try:
        with write_transaction(db, lock):
            db.executemany(
                SQLITE_INSERT,
                [(id_, group_id, *fields, created) for id_, fields in zip(ids, rows, strict=True)],
            )
    except sqlite3.IntegrityError as exc:  # UNIQUE, or the foreign key: the group is gone
        return DUPLICATE if "UNIQUE" in str(exc) else NO_GROUP
    return batch_report(group_name, group_public_id, [fields[0] for fields in rows], ids)


app = asgi_app(handle, startup, shutdown)
