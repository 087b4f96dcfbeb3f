"""The databases tests run on: migrated once per test process, then handed out as copies.

A test gets what it would get by migrating an empty database itself, at a fraction
of the cost. On SQLite, a copy of a migrated file. On PostgreSQL, a database made
with ``CREATE DATABASE ... TEMPLATE`` from a migrated one; when the test is done,
the database is emptied and handed to the next test of the process instead of being
dropped: PostgreSQL forces a checkpoint for every ``CREATE DATABASE`` and every
``DROP DATABASE``, the slowest part of a test by far on a busy machine.

Emptying is only trusted when it gives back the template exactly. Every other
connection to the database is ended (as ``DROP DATABASE ... WITH (FORCE)`` would);
its schema (tables, columns, indexes, constraints, sequences, functions, triggers,
views, settings, the migration revision) must still be the template's; then every
table is truncated and every sequence restarted, and what the planner knows of the
tables (their sizes, their statistics) must be the template's too. The template
itself is truncated once after its migration, so that all of this holds from the
first test on. A database that does not come back exactly is dropped, and the next
test gets a new copy.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

from sqlalchemy import Connection, NullPool, create_engine, text
from sqlalchemy.engine import make_url

from carnet.storage import Store
from carnet.storage.database import normalise_url

POSTGRES_URL = os.environ.get(
    "CARNET_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
_USER_SCHEMAS = "n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'"
# What a database's schema is made of, each as sorted rows of text.
_SCHEMA_QUERIES = [
    "SELECT n.nspname FROM pg_namespace n WHERE " + _USER_SCHEMAS,
    "SELECT n.nspname, c.relname, c.relkind, a.attnum, a.attname, "
    "format_type(a.atttypid, a.atttypmod), a.attnotnull, "
    "pg_get_expr(d.adbin, d.adrelid), a.attidentity "
    "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
    "LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped "
    "LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum WHERE " + _USER_SCHEMAS,
    "SELECT n.nspname, c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
    "JOIN pg_class c ON c.oid = i.indexrelid "
    "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE " + _USER_SCHEMAS,
    "SELECT n.nspname, co.conname, pg_get_constraintdef(co.oid) FROM pg_constraint co "
    "JOIN pg_namespace n ON n.oid = co.connamespace WHERE " + _USER_SCHEMAS,
    "SELECT schemaname, sequencename, data_type::text, start_value, min_value, max_value, "
    "increment_by, cycle, cache_size FROM pg_sequences",
    "SELECT n.nspname, p.proname, pg_get_function_identity_arguments(p.oid), p.prosrc "
    "FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE " + _USER_SCHEMAS,
    "SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal",
    "SELECT schemaname, viewname, definition FROM pg_views WHERE schemaname NOT IN "
    "('pg_catalog', 'information_schema')",
    "SELECT extname, extversion FROM pg_extension",
    "SELECT s.setconfig::text FROM pg_db_role_setting s "
    "JOIN pg_database d ON d.oid = s.setdatabase WHERE d.datname = current_database()",
    "SELECT version_num FROM alembic_version",
]
# What the planner knows of the tables: none of it from the rows of an earlier test.
_PLANNER_QUERIES = [
    "SELECT c.relname, c.relkind, c.relpages, c.reltuples, c.relallvisible FROM pg_class c "
    "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE " + _USER_SCHEMAS,
    "SELECT schemaname, tablename, attname FROM pg_stats WHERE schemaname NOT IN "
    "('pg_catalog', 'information_schema')",
    "SELECT schemaname, sequencename, last_value FROM pg_sequences",
]


def _admin_run(statement: str) -> None:
    admin = create_engine(normalise_url(POSTGRES_URL), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(statement))
    finally:
        admin.dispose()


def create_database(template: str | None = None) -> str:
    """A new PostgreSQL database (a copy of ``template`` when given); its name."""
    name = f"carnet_test_{uuid.uuid4().hex[:12]}"
    _admin_run(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    return name


def drop_database(name: str) -> None:
    _admin_run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def url_of(name: str) -> str:
    url = make_url(normalise_url(POSTGRES_URL)).set(database=name)
    return url.render_as_string(hide_password=False)


def _rows(conn: Connection, queries: list[str]) -> list[list[tuple[str, ...]]]:
    return [sorted(tuple(map(str, row)) for row in conn.execute(text(query))) for query in queries]


class Templates:
    """A test process's migrated databases, and the PostgreSQL copies it may reuse."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._sqlite: Path | None = None
        self._postgres: str | None = None
        self._schema: list[list[tuple[str, ...]]] = []
        self._planner: list[list[tuple[str, ...]]] = []
        self._free: list[str] = []

    def sqlite(self, path: Path) -> str:
        """A migrated SQLite database at ``path``; its URL."""
        if self._sqlite is None:
            template = self.directory / "template.db"
            Store.open(f"sqlite:///{template}", pool_size=1).close()
            self._sqlite = template
        shutil.copyfile(self._sqlite, path)
        return f"sqlite:///{path}"

    def postgres(self) -> str:
        """The name of a migrated PostgreSQL database no one else uses, with no rows."""
        if self._postgres is None:
            name = create_database()
            try:
                Store.open(url_of(name), pool_size=1).close()
                self._read_template(name)
            except BaseException:
                drop_database(name)
                raise
            self._postgres = name
        if self._free:
            return self._free.pop()
        return create_database(template=self._postgres)

    def done_with(self, name: str) -> None:
        """The test of ``name`` has ended: keep it for the next test if it empties to the
        template exactly, drop it otherwise."""
        try:
            if self._emptied(name):
                self._free.append(name)
                return
        except Exception:
            pass
        drop_database(name)

    def drop(self) -> None:
        for name in [*self._free, *([self._postgres] if self._postgres else [])]:
            drop_database(name)
        self._free.clear()

    def _read_template(self, name: str) -> None:
        engine = create_engine(url_of(name), poolclass=NullPool)
        try:
            with engine.connect() as conn:
                _empty(conn, every_table=True)
                conn.commit()
                self._schema = _rows(conn, _SCHEMA_QUERIES)
                self._planner = _rows(conn, _PLANNER_QUERIES)
        finally:
            engine.dispose()

    def _emptied(self, name: str) -> bool:
        engine = create_engine(url_of(name), poolclass=NullPool)
        try:
            with engine.connect() as conn:
                conn.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                    )
                )
                conn.commit()
                leftovers = conn.execute(
                    text(
                        "SELECT (SELECT count(*) FROM pg_prepared_xacts "
                        "WHERE database = current_database()) "
                        "+ (SELECT count(*) FROM pg_largeobject_metadata)"
                    )
                ).scalar_one()
                if leftovers or _rows(conn, _SCHEMA_QUERIES) != self._schema:
                    return False
                _empty(conn)
                if _rows(conn, _PLANNER_QUERIES) != self._planner:
                    conn.rollback()
                    return False
                conn.commit()
            return True
        finally:
            engine.dispose()


def _empty(conn: Connection, *, every_table: bool = False) -> None:
    """The tables truncated (the migration revision kept), the sequences handed out from
    restarted. Once every table has been truncated (the template's are), a table with no
    pages has not been written to since, and truncating it would give it back the same."""
    written = "pg_relation_size(format('%I.%I', schemaname, tablename)::regclass) > 0"
    tables = (
        conn.execute(
            text(
                "SELECT format('%I.%I', schemaname, tablename) FROM pg_tables "
                "WHERE schemaname = 'public' AND tablename <> 'alembic_version' "
                "AND (:every OR " + written + ")"
            ),
            {"every": every_table},
        )
        .scalars()
        .all()
    )
    if tables:
        conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    sequences = (
        conn.execute(
            text(
                "SELECT format('%I.%I', schemaname, sequencename) FROM pg_sequences "
                "WHERE last_value IS NOT NULL"
            )
        )
        .scalars()
        .all()
    )
    for sequence in sequences:
        conn.execute(text(f"ALTER SEQUENCE {sequence} RESTART"))
