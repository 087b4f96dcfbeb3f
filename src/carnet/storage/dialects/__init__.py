"""What SQLite and PostgreSQL do differently: one object per engine, chosen once.

The queries never ask which engine they run on. They ask the store's dialect
how to open an engine and a read transaction, how to bind a list of numbers,
how to lock a group, how to insert many rows, how to insert a row or keep the
one already there, and which uniqueness a refused row broke. This package is
the only place that tells the engines apart.
"""

from __future__ import annotations

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from carnet.storage.dialects.base import BulkInsert, Dialect, UniqueViolation
from carnet.storage.dialects.postgres import PostgresDialect
from carnet.storage.dialects.sqlite import SqliteDialect

__all__ = [
    "BulkInsert",
    "Dialect",
    "PostgresDialect",
    "SqliteDialect",
    "UniqueViolation",
    "dialect_for",
    "engine_url",
    "is_sqlite",
]

_DIALECTS: dict[str, type[Dialect]] = {"sqlite": SqliteDialect, "postgresql": PostgresDialect}


def engine_url(url: str | URL) -> URL:
    """``url`` with the driver carnet ships with when it names none."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def dialect_for(url: str | URL) -> Dialect:
    """The dialect of the database at ``url``: SQLite or PostgreSQL, nothing else."""
    backend = engine_url(url).get_backend_name()
    if backend not in _DIALECTS:
        raise ArgumentError(f"carnet stores its data in SQLite or PostgreSQL, not {backend!r}")
    return _DIALECTS[backend]()


def is_sqlite(url: str | URL) -> bool:
    """Whether ``url`` names a SQLite database."""
    return engine_url(url).get_backend_name() == SqliteDialect.name
