"""Engines and migrations: the one place that knows SQLite from PostgreSQL."""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.pool import ConnectionPoolEntry

MIGRATIONS = Path(__file__).parent / "migrations"

# Any number: the advisory lock that keeps two servers from migrating at once.
_MIGRATION_LOCK = 4_711_001


def normalise_url(url: str) -> str:
    """Pick the drivers carnet ships with when the URL names none."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def make_engine(url: str, *, pool_size: int = 10) -> Engine:
    url = normalise_url(url)
    if is_sqlite(url):
        engine = create_engine(
            url,
            connect_args={"timeout": 30, "check_same_thread": False},
            pool_size=pool_size,
            max_overflow=pool_size * 2,
            # Bound values (contact fields) stay out of error messages, hence out of logs.
            hide_parameters=True,
        )
        _tune_sqlite(engine)
        return engine
    return create_engine(
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


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
        # Let SQLAlchemy's "begin" event below issue BEGIN itself.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # A write transaction takes the write lock up front: a deferred one that
        # upgrades later fails at once with "database is locked" when another
        # process wrote in between, whatever the busy timeout.
        if conn.get_execution_options().get("carnet_readonly"):
            conn.exec_driver_sql("BEGIN")
        else:
            conn.exec_driver_sql("BEGIN IMMEDIATE")


def migrate(engine: Engine) -> None:
    """Bring the database to the newest schema (creating it if needed)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _MIGRATION_LOCK})
            conn.commit()
        try:
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
            conn.commit()
        finally:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _MIGRATION_LOCK})
                conn.commit()


class SqliteWriterLock:
    """One writer at a time on a SQLite file, across threads and processes.

    SQLite lets one transaction write at a time; the others wait in its busy
    handler, which polls with sleeps growing to 100 ms, so that under load a
    writer may wait a second for a lock freed long before. Writers queue here
    instead, on a thread lock and then on ``flock`` of a file beside the
    database: the kernel wakes the next one the moment the lock is free.
    Other programs writing to the file are still covered by the busy timeout.
    """

    def __init__(self, path: str) -> None:
        self._threads = threading.Lock()
        self._path = path + ".write-lock"
        self._fd: int | None = None

    @contextmanager
    def held(self) -> Iterator[None]:
        with self._threads:
            if self._fd is None:
                self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
            fcntl.flock(self._fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(self._fd, fcntl.LOCK_UN)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def writer_lock(engine: Engine) -> SqliteWriterLock | None:
    """The writer lock for a SQLite file; None for PostgreSQL and in-memory SQLite."""
    url = engine.url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return SqliteWriterLock(os.path.abspath(url.database))
