"""``carnet backup FILE`` and ``carnet restore FILE``: a SQLite database, copied and put back.

Both work on the database itself (``--database-url``, by default ``carnet.db``
here). A backup is taken while the server runs; a restore refuses while a
server holds the database. PostgreSQL has its own tools for this (``pg_dump``,
``pg_restore``): the README gives the commands.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from carnet.cli.database import database_file, describe, read_settings
from carnet.cli.failures import fail
from carnet.cli.options import DatabaseUrl

_POSTGRES = "is not a SQLite file: back up PostgreSQL with pg_dump (see the README)"


def _database(database_url: str | None) -> Path:
    url = read_settings(database_url=database_url).database_url
    file = database_file(url)
    if file is None:
        raise fail(f"{describe(url)} {_POSTGRES}")
    return file


def backup(
    file: Annotated[Path, typer.Argument(help="The backup to write (a SQLite file)")],
    database_url: DatabaseUrl = None,
) -> None:
    """Copy the SQLite database into FILE, consistent even while the server writes."""
    from carnet.storage.sqlite_files import backup as copy

    database = _database(database_url)
    if file.exists():
        raise fail(f"{file} exists already: give a new file")
    if not database.exists():
        raise fail(f"there is no database at {database}")
    pages = copy(database, file)
    typer.echo(f"Backed up {database} to {file} ({pages} pages)")


def restore(
    file: Annotated[Path, typer.Argument(help="A backup made by carnet backup")],
    database_url: DatabaseUrl = None,
) -> None:
    """Replace the SQLite database by the backup FILE (refused while a server holds it)."""
    from carnet.storage.sqlite_files import DatabaseBusy, NotABackup
    from carnet.storage.sqlite_files import restore as put_back

    database = _database(database_url)
    if not file.exists():
        raise fail(f"there is no backup at {file}")
    try:
        revision = put_back(file, database)
    except NotABackup as exc:
        raise fail(str(exc)) from None
    except DatabaseBusy:
        raise fail(f"a server is using {database}: stop it, then restore") from None
    typer.echo(f"Restored {database} from {file} (schema {revision})")
