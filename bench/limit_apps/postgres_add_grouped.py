"""Limit: a single ``contact/add`` on PostgreSQL, with group commit.

Per request: read the body and parse its JSON; look up the API key by its
SHA-256 hash and the group (one SELECT, on one of the worker's connections);
then queue the row and wait (``GroupCommit``). One writer per worker takes
every row queued so far and, on its own connection, in one transaction: locks
their groups' rows (``SELECT ... FOR UPDATE``: writers into one group take
turns, and a group cannot be deleted under them), inserts the rows by one
statement (``unnest`` of one array per column, in the order they came), and
``COMMIT``. Each request is answered only after that commit, with its own
outcome: ``ON CONFLICT (group, phone) DO NOTHING RETURNING`` leaves out a
number already in the group, or earlier in the same flush, and that request
alone gets code 15. Rows that arrive during a flush go in the next one.

Left out, though carnet must do them: validating and normalising the fields
(the load sends E.164 numbers), the stop list, positions for paging, counts.
"""

from __future__ import annotations

import os
from typing import Any

from bench.limit_apps.db import (
    ADDED,
    COLUMNS,
    DATABASE_URL_ENV,
    GONE,
    POSTGRES_LOOKUP,
    TAKEN,
    GroupCommit,
    Pool,
    Row,
    postgres_connect,
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

LOCK_GROUPS = "SELECT id FROM groups WHERE id = ANY(%s) ORDER BY id FOR UPDATE"
_ARRAYS = ", ".join("%s::bigint[]" if c == "group_id" else "%s::text[]" for c in COLUMNS)
INSERT = (
    "INSERT INTO contacts ({columns}) SELECT {columns}"
    " FROM unnest({arrays}) WITH ORDINALITY AS r ({columns}, n) ORDER BY n"
    " ON CONFLICT (group_id, phone) DO NOTHING RETURNING public_id"
).format(columns=", ".join(COLUMNS), arrays=_ARRAYS)

readers: Pool
writer: Any  # the flushes' own connection
commits: GroupCommit


async def flush(rows: list[Row]) -> list[str]:
    """Store ``rows`` in one transaction; each one's outcome: ADDED, TAKEN or GONE."""
    async with writer.transaction():
        groups = sorted({row[1] for row in rows})
        locked = await (await writer.execute(LOCK_GROUPS, (groups,))).fetchall()
        live = {group_id for (group_id,) in locked}
        kept = [row for row in rows if row[1] in live]
        stored: set[str] = set()
        if kept:
            columns = [list(column) for column in zip(*kept, strict=True)]
            stored = {id_ for (id_,) in await (await writer.execute(INSERT, columns)).fetchall()}
    return [GONE if row[1] not in live else ADDED if row[0] in stored else TAKEN for row in rows]


async def startup() -> None:
    global readers, writer, commits
    url = os.environ[DATABASE_URL_ENV]
    readers = await Pool.open(url, size=4)
    writer = await postgres_connect(url)
    commits = GroupCommit(flush)


async def shutdown() -> None:
    commits.stop()
    await readers.close()
    await writer.close()


async def handle(body: bytes) -> Answer:
    request = parse_add(body)
    if request is None:
        return BAD_REQUEST
    api_key, group_public_id, fields = request
    async with readers.connection() as conn:
        cursor = await conn.execute(POSTGRES_LOOKUP, (group_public_id, key_hash(api_key)))
        found = await cursor.fetchone()
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
