"""PostgreSQL: writers lock the rows they change; lists as arrays; COPY for many rows."""

from __future__ import annotations

import select
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, ClassVar

from sqlalchemy import Engine, Executable, String, Table, bindparam, create_engine, func
from sqlalchemy import text as sql_text
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import URL, Connection
from sqlalchemy.sql import Select, TextClause

from carnet.storage.dialects.base import BulkInsert, Dialect, in_runs

# A change, and a pending delivery of it for each of its account's webhooks that
# takes its event (their events comma-separated), in one round trip: a data-
# modifying WITH runs once whether or not the outer query reads it.
_CHANGE_AND_DELIVERIES = sql_text(
    "WITH change AS ("
    " INSERT INTO changes (public_id, account_id, event, actor, data, created_at)"
    " VALUES (:public_id, :account_id, :event, :actor, :data, :created_at) RETURNING id"
    "), queued AS ("
    " INSERT INTO webhook_deliveries (webhook_id, change_id, status, created_ms)"
    " SELECT webhooks.id, change.id, 'pending', CAST(:now_ms AS BIGINT) FROM webhooks, change"
    " WHERE webhooks.account_id = :account_id"
    " AND CAST(:event AS TEXT) = ANY(string_to_array(webhooks.events, ','))"
    ") SELECT id FROM change"
)


# Until the commit; the connection's own setting plans every run (create_engine).
_GENERIC_PLANS = "SET LOCAL plan_cache_mode = auto"


class PostgresDialect(Dialect):
    """PostgreSQL: writers lock the rows they change; lists as arrays; COPY for many rows."""

    name = "postgresql"
    # One snapshot for the whole read, as SQLite gives: a page, its total and
    # the gaps it skips must agree under concurrent writes.
    read_options: ClassVar[dict[str, Any]] = {"isolation_level": "REPEATABLE READ"}
    marker = "%s"
    contact_foreign_keys = False
    # Fewer rows than this go in by INSERT: COPY costs more round trips.
    copy_from_rows = 16
    # Any number: the advisory lock that keeps two servers from migrating at once.
    _migration_lock = 4_711_001

    def __init__(self) -> None:
        super().__init__()
        self._copy_sql: dict[BulkInsert, str] = {}

    def create_engine(self, url: URL, *, pool_size: int) -> Engine:
        engine = create_engine(
            url,
            pool_size=pool_size,
            max_overflow=pool_size * 2,
            pool_pre_ping=True,
            hide_parameters=True,
            # psycopg prepares a statement after a few runs, and PostgreSQL may then
            # settle on a generic plan: for "group_id = $1 AND phone = ANY($2)" that
            # plan reads the whole group. Planning each run keeps the index probes.
            connect_args={"options": "-c plan_cache_mode=force_custom_plan"},
        )
        # The pre-ping asks the server only when the connection's socket has something
        # to read: an idle connection has nothing, unless the server hung up (restart,
        # terminated backend) or spoke. A round trip less on every checkout.
        ping = engine.dialect.do_ping

        def do_ping(dbapi_connection: Any) -> bool:
            return _nothing_to_read(dbapi_connection) or ping(dbapi_connection)

        engine.dialect.do_ping = do_ping  # type: ignore[method-assign]
        return engine

    def continue_ids(self, conn: Connection, table: Table) -> None:
        # A sequence does not see rows inserted with their ids: move it past them.
        column = table.autoincrement_column
        if column is not None:
            conn.execute(
                sql_text(
                    f"SELECT setval(pg_get_serial_sequence(:t, :c), "
                    f'COALESCE(MAX("{column.name}"), 0) + 1, false) FROM "{table.name}"'
                ),
                {"t": table.name, "c": column.name},
            )

    @contextmanager
    def migrating(self, conn: Connection) -> Iterator[None]:
        # An advisory lock: the second server waits, then finds nothing to do.
        conn.execute(sql_text("SELECT pg_advisory_lock(:k)"), {"k": self._migration_lock})
        conn.commit()
        try:
            yield
        finally:
            conn.execute(sql_text("SELECT pg_advisory_unlock(:k)"), {"k": self._migration_lock})
            conn.commit()

    def listed_phones(self) -> Any:
        numbers = func.unnest(bindparam("phones", type_=postgresql.ARRAY(String)))
        return numbers.table_valued("value").render_derived()

    def bind_phones(self, phones: list[str]) -> object:
        return phones

    def for_update(self, query: Select[Any]) -> Select[Any]:
        return query.with_for_update()

    def claim(self, query: Select[Any]) -> Select[Any]:
        # Another server's claim holds its row: skip it rather than wait for it.
        return query.with_for_update(skip_locked=True)

    def insert(self, table: Table) -> Any:
        return postgresql.insert(table)

    def change_and_deliveries(self) -> TextClause | None:
        return _CHANGE_AND_DELIVERIES

    def insert_rows(
        self, conn: Connection, target: BulkInsert, rows: list[tuple[Any, ...]]
    ) -> None:
        if len(rows) < self.copy_from_rows:
            super().insert_rows(conn, target, rows)
            return
        # COPY, in this transaction: a third of an INSERT's time.
        import psycopg  # loaded already by the engine

        driver = conn.connection.driver_connection
        assert driver is not None
        statement = self._copy_sql.get(target)
        if statement is None:
            columns = ", ".join(target.columns)
            statement = self._copy_sql[target] = f"COPY {target.table} ({columns}) FROM STDIN"
        try:
            with driver.cursor() as cursor, cursor.copy(statement) as copy:
                for row in rows:
                    copy.write_row(row)
        except psycopg.Error as exc:
            self._raise_unique(exc)
            raise

    def write_and_commit(
        self, conn: Connection, writes: list[tuple[Executable, dict[str, Any]]]
    ) -> None:
        if not writes:
            return
        # Pipelined with the COMMIT: the writes and the commit in one round trip.
        driver = conn.connection.driver_connection
        assert driver is not None
        with driver.pipeline():
            cursor = driver.cursor()
            # These writes (a change and its deliveries, an audit entry) have one
            # good plan whatever their values: planned once (generic), they cost a
            # third of what planning every run does, the foreign keys' checks included.
            cursor.execute(_GENERIC_PLANS)
            for statement, params in in_runs(writes):
                cursor.executemany(self._driver_sql(conn, statement), params)
            driver.commit()

    def unique_violated(self, error: BaseException | None) -> str | None:
        # PostgreSQL names the constraint.
        if getattr(error, "sqlstate", None) != "23505":
            return None
        name = getattr(getattr(error, "diag", None), "constraint_name", None)
        return name if isinstance(name, str) else None


def _nothing_to_read(dbapi_connection: Any) -> bool:
    if dbapi_connection.closed:
        return False
    poller = select.poll()
    poller.register(dbapi_connection.fileno(), select.POLLIN | select.POLLPRI)
    return not poller.poll(0)
