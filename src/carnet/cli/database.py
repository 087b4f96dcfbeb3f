"""Settings and the database, for the commands that work on the database itself.

``carnet serve`` and ``carnet account …`` read ``CARNET_*`` settings and open
the store; a setting that does not parse or a database that cannot be opened
is a start-up error, said in one line. The database code is loaded only here,
so that the commands talking to a server through its API never pay for it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from carnet.cli.failures import fail, one_line
from carnet.errors import CarnetError
from carnet.settings import Settings

if TYPE_CHECKING:
    from carnet.storage import Store


def read_settings(**overrides: object) -> Settings:
    """Settings from ``CARNET_*`` and the command's options; a bad value is an error line."""
    try:
        return Settings.from_env(None, **overrides)
    except ValueError as exc:
        raise fail(str(exc)) from None


def shown_url(url: str) -> str:
    """The database URL as it may be printed: its password hidden."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(not a database URL)"


def database_file(url: str) -> Path | None:
    """The file a URL names, when its database is a file (None otherwise, or unreadable)."""
    from carnet.storage.database import database_file as file_of

    file = file_of(url)
    return Path(file) if file is not None else None


def describe(url: str) -> str:
    """Which database a URL names, for a person: the URL, and the absolute file if any."""
    file = database_file(url)
    return shown_url(url) + (f" ({file})" if file is not None else "")


@contextmanager
def opened_store(
    url: str, *, if_missing: str | None = None, pool_size: int = 10, migrate_schema: bool = True
) -> Iterator[Store]:
    """The store at ``url``, closed afterwards; a :class:`CarnetError` is an error line.

    With ``if_missing``, a database file that does not exist is not created:
    the command fails with that message, saying where it looked.
    """
    from carnet.storage import Store

    file = database_file(url)
    if if_missing is not None and file is not None and not file.exists():
        raise fail(
            f"{if_missing}: there is no database at {file} (give --database-url or "
            "CARNET_DATABASE_URL, or run the command where the database is)"
        )
    try:
        store = Store.open(url, pool_size=pool_size, migrate_schema=migrate_schema)
    except Exception as exc:  # any failure to open or migrate is a start-up error
        raise fail(f"cannot open the database {shown_url(url)}: {one_line(exc)}") from None
    try:
        yield store
    except CarnetError as exc:
        raise fail(exc.message) from None
    finally:
        store.close()
