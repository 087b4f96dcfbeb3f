"""A SQLite database as a file: copied while served, put back while not served.

:func:`backup` uses SQLite's online backup API: the copy is one consistent
snapshot, taken while a server keeps writing (in WAL mode the writers do not
wait for it). :func:`restore` copies a backup's pages into the database the same
way, under the database's write lock, after checking the backup is whole and is
carnet's. A server holds :func:`serving` (a shared ``flock`` on a file beside the
database) for as long as it runs; a restore takes the same lock exclusively, so
that it refuses while any server holds the database, and no server starts while
it runs.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SERVING_SUFFIX = ".serving"


class DatabaseBusy(Exception):
    """A server holds the database (or a restore does)."""


class NotABackup(Exception):
    """The file is not a whole carnet database."""


@contextmanager
def _flocked(database: Path, mode: int) -> Iterator[None]:
    fd = os.open(str(database) + SERVING_SUFFIX, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, mode | fcntl.LOCK_NB)
        except BlockingIOError:
            raise DatabaseBusy(str(database)) from None
        yield
    finally:
        os.close(fd)


@contextmanager
def serving(database: Path) -> Iterator[None]:
    """Held by a running server: restores refuse while it is."""
    with _flocked(database, fcntl.LOCK_SH):
        yield


def backup(database: Path, target: Path) -> int:
    """Copy ``database`` into the new file ``target``, consistent even under writes; its pages."""
    if not database.exists():
        raise FileNotFoundError(database)
    partial = target.with_name(target.name + ".partial")
    source = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        copy = sqlite3.connect(partial)
        try:
            source.backup(copy)  # one step: a single snapshot of the database
            pages = int(copy.execute("PRAGMA page_count").fetchone()[0])
            copy.execute("PRAGMA journal_mode=DELETE")  # one file, nothing beside it
        finally:
            copy.close()
    finally:
        source.close()
    partial.replace(target)
    return pages


def check_backup(file: Path) -> str:
    """The backup's migration revision; :class:`NotABackup` when it is not one, or not whole."""
    try:
        conn = sqlite3.connect(f"file:{file}?mode=ro", uri=True)
        try:
            if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise NotABackup(f"{file} is damaged (its integrity check fails)")
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        raise NotABackup(f"{file} is not a carnet database") from None
    if row is None:
        raise NotABackup(f"{file} is not a carnet database")
    return str(row[0])


def restore(file: Path, database: Path) -> str:
    """Replace ``database`` by the backup ``file``; its revision. Refuses while it is served."""
    revision = check_backup(file)
    with _flocked(database, fcntl.LOCK_EX):
        source = sqlite3.connect(f"file:{file}?mode=ro", uri=True)
        try:
            target = sqlite3.connect(database, timeout=30)
            try:
                source.backup(target)
            finally:
                target.close()
        finally:
            source.close()
    return revision
