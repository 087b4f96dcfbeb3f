"""The database: :class:`Store` opens transactions, :class:`Queries` runs in them.

Write transactions on SQLite take the write lock up front (``BEGIN
IMMEDIATE``), behind carnet's own queue of writers. On PostgreSQL, writers
into one group serialise on that group's row, taken by
:meth:`Queries.lock_group` (checks made after it hold until commit) or at the
latest when :meth:`Queries.insert_contacts` reserves the rows' positions, so
positions are given out in the order of commits. A writer that changes a
contact's number or deletes a contact locks its group before the contact, as
a group's deletion does: every writer takes the group first, so no two wait
for each other in a circle, and the one that comes second finds the row gone
and answers as if it had never existed."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, Table, text
from sqlalchemy.engine import Connection

from carnet.storage.accounts import AccountQueries
from carnet.storage.audit import AuditQueries
from carnet.storage.changes import ChangeQueries
from carnet.storage.contacts import ContactQueries
from carnet.storage.database import migrate, schema_revision
from carnet.storage.deliveries import DeliveryQueries
from carnet.storage.dialects import BulkInsert, Dialect, dialect_for, engine_url
from carnet.storage.groups import GroupQueries
from carnet.storage.imports import ImportQueries
from carnet.storage.moves import MoveQueries
from carnet.storage.pages import PageQueries
from carnet.storage.people import PeopleQueries
from carnet.storage.person import PersonQueries
from carnet.storage.replies import ReplyQueries
from carnet.storage.search import SearchQueries
from carnet.storage.stoplist import StopListQueries
from carnet.storage.webhooks import WebhookQueries


class Queries(
    AccountQueries,
    GroupQueries,
    ContactQueries,
    PageQueries,
    StopListQueries,
    ImportQueries,
    PeopleQueries,
    SearchQueries,
    MoveQueries,
    ReplyQueries,
    ChangeQueries,
    WebhookQueries,
    DeliveryQueries,
    AuditQueries,
    PersonQueries,
):
    """The queries of one transaction: accounts, groups, contacts, pages, stop list, imports,
    people, searches, moves, replies, changes, webhooks, deliveries, audit, a person's data."""

    def __init__(self, conn: Connection, dialect: Dialect) -> None:
        super().__init__(conn, dialect)


class Store:
    """The database: open it with a URL, then read or write through transactions."""

    def __init__(self, engine: Engine, dialect: Dialect | None = None) -> None:
        self.engine = engine
        self._dialect = dialect or dialect_for(engine.url)
        self._writer_lock = self._dialect.writer_lock(engine)

    @classmethod
    def open(cls, url: str, *, pool_size: int = 10, migrate_schema: bool = True) -> Store:
        """Open the database at ``url``, bringing its schema up to date unless told not to."""
        dialect = dialect_for(url)
        engine = dialect.create_engine(engine_url(url), pool_size=pool_size)
        if migrate_schema:
            migrate(engine, dialect)
        return cls(engine, dialect)

    @property
    def dialect(self) -> str:
        """The engine's name, as ``/healthz`` shows it: ``sqlite`` or ``postgresql``."""
        return self._dialect.name

    @contextmanager
    def read(self) -> Iterator[Queries]:
        """A read-only transaction that sees one snapshot throughout."""
        with self.engine.connect() as conn:
            conn = conn.execution_options(**self._dialect.read_options)
            with conn.begin():
                yield Queries(conn, self._dialect)

    @contextmanager
    def write(self) -> Iterator[Queries]:
        """A write transaction, committed when the block ends without an exception."""
        with self._writer_lock.held(), self._writing() as queries:
            yield queries

    @contextmanager
    def write_at_once(self) -> Iterator[Queries | None]:
        """A write transaction if one can start without waiting for another writer
        (SQLite, its writer lock free at this moment); else None, and nothing is done.
        A program outside carnet writing to the database makes it raise at once.

        For a caller that must not wait, such as an event loop: a SQLite write is
        work on a local file, over as soon as it is done.
        """
        with self._writer_lock.held_at_once() as taken:
            if not taken:
                yield None
                return
            with self._writing(self._dialect.at_once_options) as queries:
                yield queries

    @contextmanager
    def _writing(self, options: dict[str, Any] | None = None) -> Iterator[Queries]:
        # The transaction of write() and write_at_once(), once the writer lock is held.
        with self.engine.connect() as conn:
            if options:
                conn = conn.execution_options(**options)
            with conn.begin():
                queries = Queries(conn, self._dialect)
                yield queries
                queries.finish()

    def ping(self) -> bool:
        with self.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True

    @contextmanager
    def snapshot(self) -> Iterator[Connection]:
        """A read-only connection that sees one snapshot of the whole database."""
        with self.engine.connect() as conn:
            conn = conn.execution_options(**self._dialect.read_options)
            with conn.begin():
                yield conn

    def insert_rows(self, conn: Connection, into: BulkInsert, rows: list[tuple[Any, ...]]) -> None:
        """Many rows into a table, the engine's cheapest way (for whole-database copies)."""
        self._dialect.insert_rows(conn, into, rows)

    def continue_ids(self, conn: Connection, table: Table) -> None:
        """New rows of ``table`` get ids past those copied into it (see the dialects)."""
        self._dialect.continue_ids(conn, table)

    def schema_revisions(self) -> tuple[str | None, str]:
        """The database's migration revision and the newest one carnet knows."""
        return schema_revision(self.engine)

    def close(self) -> None:
        self.engine.dispose()
        self._writer_lock.close()
