"""Copy every table of one carnet database into another, empty one, and check the copy.

Generic over the schema: the tables are :data:`carnet.storage.schema.metadata`'s,
in the order their foreign keys need, so a table added to the schema is copied
without a change here. Rows are read from one snapshot of the source, ordered by
primary key, a chunk at a time (the source's driver streams them), and written in
one transaction on the target, ids and every value as they are: a failure leaves
the target as empty as it was (by the engine's bulk path: COPY on PostgreSQL).
The target's id sequences then start past the
copied ids. :func:`verify` compares, table by table, the row counts and a SHA-256
over every row in primary-key order, read back from both databases.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Table, func, select
from sqlalchemy.engine import Connection

from carnet.storage.dialects import BulkInsert
from carnet.storage.schema import metadata
from carnet.storage.store import Store

CHUNK_ROWS = 2000


class TargetNotEmpty(Exception):
    """The target database already holds rows (in the tables named)."""


class SchemaMismatch(Exception):
    """Source and target are not at the same migration."""


@dataclass(frozen=True, slots=True)
class TableCheck:
    """One table compared: its rows on each side, and whether their checksums agree."""

    table: str
    source_rows: int
    target_rows: int
    source_sum: str
    target_sum: str

    @property
    def same(self) -> bool:
        return self.source_rows == self.target_rows and self.source_sum == self.target_sum


def tables() -> list[Table]:
    """Every table of the schema, each after the tables it refers to."""
    return list(metadata.sorted_tables)


def row_counts(conn: Connection) -> dict[str, int]:
    return {
        t.name: int(conn.execute(select(func.count()).select_from(t)).scalar_one())
        for t in tables()
    }


def check_can_copy(source: Store, target: Store) -> dict[str, int]:
    """The source's row counts, once it is sure the copy may go ahead."""
    source_rev, newest = source.schema_revisions()
    target_rev, _ = target.schema_revisions()
    if source_rev != target_rev:
        raise SchemaMismatch(
            f"the source's schema is at {source_rev or 'none'}, the target's at {target_rev} "
            f"(newest: {newest}): start carnet once on the source to migrate it"
        )
    with target.engine.connect() as conn:
        holding = [name for name, n in row_counts(conn).items() if n]
    if holding:
        raise TargetNotEmpty(", ".join(holding))
    with source.snapshot() as conn:
        return row_counts(conn)


def _ordered(table: Table) -> Any:
    return select(table).order_by(*table.primary_key.columns)


def _chunks(conn: Connection, table: Table) -> Iterator[list[dict[str, Any]]]:
    result = conn.execution_options(stream_results=True, max_row_buffer=CHUNK_ROWS).execute(
        _ordered(table)
    )
    for rows in result.mappings().partitions(CHUNK_ROWS):
        yield [dict(row) for row in rows]


def copy_rows(source: Store, target: Store, progress: Callable[[str, int], None]) -> None:
    """Every row of every table, from one snapshot of ``source`` into ``target``, in one go."""
    with source.snapshot() as read, target.engine.begin() as write:
        for table in tables():
            into = BulkInsert(table.name, tuple(c.name for c in table.columns))
            for rows in _chunks(read, table):
                target.insert_rows(write, into, [tuple(row.values()) for row in rows])
                progress(table.name, len(rows))
            target.continue_ids(write, table)


def _value(value: Any) -> str:
    if isinstance(value, memoryview):
        value = bytes(value)
    if isinstance(value, bytes):
        return "b:" + value.hex()
    if isinstance(value, bool):
        return "i:" + str(int(value))
    if isinstance(value, (int, Decimal)):
        return "i:" + str(value)
    # Engines differ in key order (jsonb) and in time zones (timestamptz vs naive).
    if isinstance(value, (dict, list)):
        return "j:" + json.dumps(value, sort_keys=True, default=str)
    if isinstance(value, datetime):
        moment: datetime = value
        if moment.tzinfo is not None:
            moment = moment.astimezone(UTC).replace(tzinfo=None)
        return "t:" + moment.isoformat()
    return "n:" if value is None else f"{type(value).__name__}:{value}"


def checksum(conn: Connection, table: Table) -> tuple[int, str]:
    """The table's rows and a SHA-256 over them in primary-key order, the same on any engine."""
    digest = hashlib.sha256()
    count = 0
    for rows in _chunks(conn, table):
        for row in rows:
            digest.update("\x1f".join(_value(v) for v in row.values()).encode())
            digest.update(b"\x1e")
            count += 1
    return count, digest.hexdigest()


def verify(source: Store, target: Store) -> list[TableCheck]:
    """Each table's counts and checksums, read back from both databases."""
    checks = []
    with source.snapshot() as left, target.snapshot() as right:
        for table in tables():
            (n, a), (m, b) = checksum(left, table), checksum(right, table)
            checks.append(TableCheck(table.name, n, m, a, b))
    return checks
