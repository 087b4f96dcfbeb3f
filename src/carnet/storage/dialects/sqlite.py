"""SQLite: one writer at a time, taking the write lock up front; lists as JSON."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from typing import Any, ClassVar

from sqlalchemy import Engine, String, Table, bindparam, create_engine, event, func
from sqlalchemy.dialects import sqlite
from sqlalchemy.engine import URL, Connection
from sqlalchemy.pool import ConnectionPoolEntry
from sqlalchemy.sql.schema import ColumnCollectionConstraint

from carnet.storage.dialects.base import Dialect
from carnet.storage.schema import metadata
from carnet.storage.writer_lock import FileWriterLock, WriterLock


class SqliteDialect(Dialect):
    """SQLite: one writer at a time, taken up front; lists of numbers as JSON."""

    name = "sqlite"
    # BEGIN (deferred): a reader takes no lock and sees one snapshot (WAL).
    read_options: ClassVar[dict[str, Any]] = {"carnet_readonly": True}
    # BEGIN IMMEDIATE fails at once, rather than wait, if another program
    # (one that knows nothing of carnet's writer lock) holds the database.
    at_once_options: ClassVar[dict[str, Any]] = {"carnet_at_once": True}
    marker = "?"

    def create_engine(self, url: URL, *, pool_size: int) -> Engine:
        engine = create_engine(
            url,
            connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
            pool_size=pool_size,
            max_overflow=pool_size * 2,
            # Bound values (contact fields) stay out of error messages, hence out of logs.
            hide_parameters=True,
        )
        event.listen(engine, "connect", _tune_sqlite_connection)
        event.listen(engine, "begin", _begin_sqlite_transaction)
        return engine

    def database_file(self, url: URL) -> str | None:
        database = url.database
        if not database or database == ":memory:":
            return None
        return os.path.abspath(database)

    def writer_lock(self, engine: Engine) -> WriterLock:
        database = self.database_file(engine.url)
        return WriterLock() if database is None else FileWriterLock(database)

    @contextmanager
    def migrating(self, conn: Connection) -> Iterator[None]:
        # SQLite changes a table's constraints by rebuilding it (alembic's batch
        # mode): with foreign keys on, dropping the old groups table would
        # delete every contact in cascade. SQLite's own procedure: foreign keys
        # off outside the transaction, rebuild, check, on again. Two servers
        # starting together migrate in turn (BEGIN IMMEDIATE).
        driver = conn.connection.dbapi_connection
        assert driver is not None
        driver.execute("PRAGMA foreign_keys=OFF")
        try:
            yield
            broken = driver.execute("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"migrating broke foreign keys: {broken[:5]}")
        finally:
            driver.execute("PRAGMA foreign_keys=ON")

    def listed_phones(self) -> Any:
        # Not an expanding IN list, which would be rendered and planned anew for each size.
        return func.json_each(bindparam("phones", type_=String)).table_valued("value")

    def bind_phones(self, phones: list[str]) -> object:
        return json.dumps(phones)

    def insert(self, table: Table) -> Any:
        return sqlite.insert(table)

    def _named_values(self, conn: Connection) -> Any:
        # pysqlite's own style is "?" in order; it takes ":name" bound from dicts too.
        return _NAMED_VALUES

    def unique_violated(self, error: BaseException | None) -> str | None:
        # SQLite names the columns: "UNIQUE constraint failed: contacts.group_id, contacts.phone".
        message = str(error)
        prefix = "UNIQUE constraint failed: "
        if not message.startswith(prefix):
            return None
        return self._constraint_by_columns.get(message.removeprefix(prefix))

    @cached_property
    def _constraint_by_columns(self) -> dict[str, str]:
        named: dict[str, str] = {}
        for table in metadata.tables.values():
            for constraint in table.constraints:
                if not isinstance(constraint, ColumnCollectionConstraint):
                    continue
                columns = ", ".join(f"{table.name}.{column.name}" for column in constraint.columns)
                if isinstance(constraint.name, str):
                    named[columns] = constraint.name
        return named


_NAMED_VALUES = sqlite.dialect(paramstyle="named")
# How long a writer waits for another program's write lock (carnet's own
# writers queue on the writer lock first).
BUSY_TIMEOUT_MS = 30_000


def _tune_sqlite_connection(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
    # Let SQLAlchemy's "begin" event below issue BEGIN itself.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.close()


def _begin_sqlite_transaction(conn: Connection) -> None:
    # A write transaction takes the write lock up front: a deferred one that
    # upgrades later fails at once with "database is locked" when another
    # process wrote in between, whatever the busy timeout.
    options = conn.get_execution_options()
    if options.get("carnet_readonly"):
        conn.exec_driver_sql("BEGIN")
    elif options.get("carnet_at_once"):
        # "database is locked" at once if a program outside carnet writes:
        # the caller (an event loop) then hands the write to a thread that waits.
        driver = conn.connection.driver_connection
        assert driver is not None
        driver.execute("PRAGMA busy_timeout=0")
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        finally:
            driver.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    else:
        conn.exec_driver_sql("BEGIN IMMEDIATE")
