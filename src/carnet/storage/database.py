"""Database URLs and migrations."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from carnet.storage.dialects import Dialect, dialect_for, engine_url, is_sqlite

__all__ = ["MIGRATIONS", "database_file", "is_sqlite", "migrate", "normalise_url"]

MIGRATIONS = Path(__file__).parent / "migrations"


def normalise_url(url: str) -> str:
    """Pick the drivers carnet ships with when the URL names none."""
    return engine_url(url).render_as_string(hide_password=False)


def database_file(url: str) -> str | None:
    """The absolute path of the file holding the database at ``url``; None for a server."""
    from sqlalchemy.exc import ArgumentError

    try:
        return dialect_for(url).database_file(engine_url(url))
    except ArgumentError:
        return None


def migrate(engine: Engine, dialect: Dialect | None = None, *, revision: str = "head") -> None:
    """Bring the database to the newest schema, or to ``revision`` (creating it if needed)."""
    from alembic import command
    from alembic.config import Config

    dialect = dialect or dialect_for(engine.url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.connect() as conn, dialect.migrating(conn):
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
        conn.commit()


def schema_revision(engine: Engine) -> tuple[str | None, str]:
    """The database's migration revision (None when it has none) and the newest one."""
    from alembic.config import Config
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    newest = ScriptDirectory.from_config(config).get_current_head()
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    return current, newest or ""
