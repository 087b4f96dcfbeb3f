"""The questions the queries ask of an engine, and the answers both engines share."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar, cast

from sqlalchemy import Engine, Executable, Table
from sqlalchemy.engine import URL, Connection
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.sql import Select, TextClause

from carnet.storage.writer_lock import WriterLock

T = TypeVar("T")


@dataclass(frozen=True, eq=False)
class BulkInsert:
    """Rows going into ``table`` many at a time, their values in the order of ``columns``."""

    table: str
    columns: tuple[str, ...]


class UniqueViolation(Exception):
    """A row was refused by the uniqueness rule named ``constraint``."""

    def __init__(self, constraint: str) -> None:
        super().__init__(constraint)
        self.constraint = constraint


class Dialect(ABC):
    """How one engine does what the queries need; one instance per :class:`Store`."""

    name: ClassVar[str]
    # The driver's placeholder for one value, in statements sent to it straight.
    marker: ClassVar[str]
    # Execution options of a read transaction.
    read_options: ClassVar[dict[str, Any]]
    # Execution options of a write that must not wait (``Store.write_at_once``).
    at_once_options: ClassVar[dict[str, Any]] = {}
    # Whether contacts.account_id and contacts.group_id are foreign keys
    # (migration 0002 says why PostgreSQL keeps the rule without them).
    contact_foreign_keys: ClassVar[bool] = True

    def __init__(self) -> None:
        self._built: dict[Callable[[Dialect], Any], Any] = {}
        self._insert_sql: dict[BulkInsert, str] = {}
        self._driver_sql_of: dict[Executable, str] = {}

    def built(self, build: Callable[[Dialect], T]) -> T:
        """``build(self)``, made on first use and kept: a statement is built once, then bound."""
        try:
            return cast(T, self._built[build])
        except KeyError:
            made = self._built[build] = build(self)
            return made

    # -- engine and transactions --------------------------------------------

    @abstractmethod
    def create_engine(self, url: URL, *, pool_size: int) -> Engine:
        """An engine with the pool, driver options and events carnet needs."""

    def database_file(self, url: URL) -> str | None:
        """The file holding the database at ``url``; None for a server or memory."""
        return None

    def writer_lock(self, engine: Engine) -> WriterLock:
        """What writers queue on before their transaction begins."""
        return WriterLock()

    def continue_ids(self, conn: Connection, table: Table) -> None:
        """After rows were copied into ``table`` with their ids: new ids come after them.

        Nothing to do by default: an integer primary key takes the next past the largest.
        """
        return None

    @contextmanager
    def migrating(self, conn: Connection) -> Iterator[None]:
        """What ``conn`` needs around migrations: two servers starting together migrate once."""
        yield

    # -- statements -----------------------------------------------------------

    @abstractmethod
    def listed_phones(self) -> Any:
        """The numbers bound as ``phones``, as rows of one column, ``value``."""

    @abstractmethod
    def bind_phones(self, phones: list[str]) -> object:
        """The value bound as ``phones``: one parameter however many numbers."""

    def for_update(self, query: Select[Any]) -> Select[Any]:
        """``query``, locking the rows it reads until commit against other writers."""
        return query

    def claim(self, query: Select[Any]) -> Select[Any]:
        """``query``, locking the row it reads and passing over rows other writers hold.

        For claiming work (an import job) that several servers look for at once.
        Where writers run one at a time (SQLite), a read in the write transaction is.
        """
        return query

    def change_and_deliveries(self) -> TextClause | None:
        """One statement that stores a change and queues its webhook deliveries, or None.

        Its parameters are the change's columns and ``now_ms``; it returns the
        change's id. None where the engine needs one statement for each.
        """
        return None

    @abstractmethod
    def insert(self, table: Table) -> Any:
        """An INSERT into ``table`` that takes ``on_conflict_do_update`` and ``_do_nothing``."""

    def insert_rows(
        self, conn: Connection, target: BulkInsert, rows: list[tuple[Any, ...]]
    ) -> None:
        """Insert ``rows`` in this transaction, the cheapest way the engine has.

        Straight to the driver: SQLAlchemy's per-row parameter processing costs
        as much as SQLite's own insert for a 500-row batch. Raises
        :class:`UniqueViolation` when a uniqueness rule refuses a row.
        """
        try:
            driver_execute(conn, self._insert_statement(target), rows, many=True)
        except IntegrityError as exc:
            self._raise_unique(exc.orig)
            raise

    def write_and_commit(
        self, conn: Connection, writes: list[tuple[Executable, dict[str, Any]]]
    ) -> None:
        """Run ``writes`` (statements whose results nobody reads) in ``conn``'s transaction.

        The transaction's end commits it; an engine that can commit with the
        writes, in one round trip, does so here (the end then has nothing to do).
        """
        self.run_writes(conn, writes)

    def run_writes(self, conn: Connection, writes: list[Write]) -> None:
        """Make ``writes`` in ``conn``'s transaction, in order, a run of one statement at once.

        Straight to the driver, as :meth:`insert_rows`: their values are plain
        text and numbers, which need none of SQLAlchemy's per-row processing.
        """
        for statement, params in in_runs(writes):
            driver_execute(conn, self._driver_sql(conn, statement), params, many=True)

    def driver_rows(
        self, conn: Connection, statement: Executable, params: dict[str, Any]
    ) -> list[tuple[Any, ...]]:
        """The rows of ``statement`` (one that returns rows), run on the driver's cursor.

        For the statements of the hot paths (a flush of single adds): around one
        execution, SQLAlchemy's work costs about three times SQLite's own. The
        statement is still built with SQLAlchemy Core, and compiled once; its
        values must need no conversion (text and numbers).
        """
        return driver_execute(conn, self._driver_sql(conn, statement), params, rows=True)

    @abstractmethod
    def unique_violated(self, error: BaseException | None) -> str | None:
        """The uniqueness rule the driver's ``error`` names, or None if it is another error."""

    # -- helpers of the above --------------------------------------------------

    def _driver_sql(self, conn: Connection, statement: Executable) -> str:
        """``statement`` as the driver takes it with named values, compiled once."""
        sql = self._driver_sql_of.get(statement)
        if sql is None:
            compiled = cast(Any, statement).compile(dialect=self._named_values(conn))
            sql = self._driver_sql_of[statement] = str(compiled)
        return sql

    def _named_values(self, conn: Connection) -> Any:
        """The SQLAlchemy dialect whose statements name their values (bound from dicts)."""
        return conn.dialect

    def _insert_statement(self, target: BulkInsert) -> str:
        sql = self._insert_sql.get(target)
        if sql is None:
            sql = self._insert_sql[target] = "INSERT INTO {} ({}) VALUES ({})".format(
                target.table,
                ", ".join(target.columns),
                ", ".join([self.marker] * len(target.columns)),
            )
        return sql

    def _raise_unique(self, error: BaseException | None) -> None:
        constraint = self.unique_violated(error)
        if constraint is not None:
            raise UniqueViolation(constraint) from None


Write = tuple[Executable, dict[str, Any]]


def driver_execute(
    conn: Connection, sql: str, params: Any, *, many: bool = False, rows: bool = False
) -> list[tuple[Any, ...]]:
    """Run ``sql`` on a cursor of ``conn``'s driver connection, in its transaction:
    once with ``params``, or once for each of them (``many``); the rows if asked.

    As ``conn.execute`` would: listeners of the engine's cursor events (tracing,
    tests) see the statement, and what the driver raises comes out as SQLAlchemy
    raises it (an :class:`IntegrityError` for a broken rule, say), the values left out.
    """
    driver = conn.connection.driver_connection
    assert driver is not None
    errors = conn.dialect.loaded_dbapi.Error
    events = conn.dispatch
    try:
        cursor = driver.cursor()
        try:
            if events.before_cursor_execute:
                events.before_cursor_execute(conn, cursor, sql, params, None, many)
            if many:
                cursor.executemany(sql, params)
            else:
                cursor.execute(sql, params)
            if events.after_cursor_execute:
                events.after_cursor_execute(conn, cursor, sql, params, None, many)
            return cast(list[tuple[Any, ...]], cursor.fetchall()) if rows else []
        finally:
            cursor.close()
    except errors as exc:
        raise DBAPIError.instance(
            sql, None, exc, errors, hide_parameters=True, dialect=conn.dialect
        ) from exc


def in_runs(writes: list[Write]) -> list[tuple[Executable, list[dict[str, Any]]]]:
    """The writes in order, those of one statement in a row together (one executemany)."""
    runs: list[tuple[Executable, list[dict[str, Any]]]] = []
    for statement, params in writes:
        if runs and runs[-1][0] is statement:
            runs[-1][1].append(params)
        else:
            runs.append((statement, [params]))
    return runs
