"""Limit: 500-row batches on PostgreSQL (the group's row locked, COPY), with no validation.

Per request, and nothing more: read the body and parse its JSON; then in one
transaction on one of the worker's connections: look up the API key by its
SHA-256 hash, lock the group's row (``SELECT ... FOR UPDATE``: writers into
one group take turns, and the group cannot be deleted under them), the rows by
``COPY``, ``COMMIT``; and answer carnet's batch report. A number already in the
group, or twice in the batch, fails the unique (group, phone) index and the
whole batch is refused (code 15), nothing stored.

Left out, though carnet must do them: judging each row (numbers, field rules,
the stop list, numbers already in the group or earlier in the batch, with an
answer per row), normalising (the load sends E.164 numbers), positions for
paging, counts.
"""

from __future__ import annotations

import os

from psycopg.errors import UniqueViolation

from bench.limit_apps.db import COLUMNS, DATABASE_URL_ENV, Pool
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

KEY = "SELECT account_id FROM api_keys WHERE key_hash = %s"
LOCK_GROUP = "SELECT id, name FROM groups WHERE public_id = %s AND account_id = %s FOR UPDATE"
COPY = "COPY contacts ({}) FROM STDIN".format(", ".join(COLUMNS))

pool: Pool


async def startup() -> None:
    global pool
    pool = await Pool.open(os.environ[DATABASE_URL_ENV], size=4)


async def shutdown() -> None:
    await pool.close()


async def handle(body: bytes) -> Answer:
    request = parse_batch(body)
    if request is None:
        return BAD_REQUEST
    api_key, group_public_id, rows = request
    ids = new_ids(len(rows))
    created = now_iso()
    async with pool.connection() as conn:
        try:
            async with conn.transaction():
                key = await (await conn.execute(KEY, (key_hash(api_key),))).fetchone()
                if key is None:
                    return BAD_KEY
                group = await (await conn.execute(LOCK_GROUP, (group_public_id, key[0]))).fetchone()
                if group is None:
                    return NO_GROUP
                group_id, group_name = group
                async with conn.cursor() as cursor, cursor.copy(COPY) as copy:
                    for id_, fields in zip(ids, rows, strict=True):
                        await copy.write_row((id_, group_id, *fields, created))
        except UniqueViolation:
            return DUPLICATE
    return batch_report(group_name, group_public_id, [fields[0] for fields in rows], ids)


app = asgi_app(handle, startup, shutdown)
