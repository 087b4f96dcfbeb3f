"""The limit apps' own tables, apart from carnet's schema, seeded with one key and one group.

Only what the work needs: a key found by its SHA-256 hash, a group found by its
public id within the key's account, and contacts with the unique (group,
phone) index that refuses a number twice, and a unique public id (the
``contactId`` the answer gives, by which a contact is found again). On SQLite
a foreign key (``foreign_keys=ON``, as carnet) keeps rows out of a deleted
group; on PostgreSQL, as in carnet, the group's row lock does instead.
"""

from __future__ import annotations

import sqlite3

from bench.limit_apps.db import postgres_conninfo, sqlite_path
from bench.limit_apps.wire import key_hash

_CONTACT_FIELDS = """
    phone TEXT NOT NULL,
    firstname TEXT NOT NULL, lastname TEXT NOT NULL, date TEXT NOT NULL,
    url TEXT NOT NULL, short_url TEXT NOT NULL,
    custom1 TEXT NOT NULL, custom2 TEXT NOT NULL, custom3 TEXT NOT NULL, custom4 TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (group_id, phone)
"""

SQLITE_TABLES = f"""
CREATE TABLE IF NOT EXISTS api_keys (key_hash TEXT PRIMARY KEY, account_id INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS groups (
    id INTEGER PRIMARY KEY, public_id TEXT NOT NULL UNIQUE,
    account_id INTEGER NOT NULL, name TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS contacts (
    id INTEGER PRIMARY KEY, public_id TEXT NOT NULL UNIQUE,
    group_id INTEGER NOT NULL REFERENCES groups (id),
    {_CONTACT_FIELDS}
);
"""

POSTGRES_TABLES = f"""
CREATE TABLE IF NOT EXISTS api_keys (key_hash TEXT PRIMARY KEY, account_id BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS groups (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, public_id TEXT NOT NULL UNIQUE,
    account_id BIGINT NOT NULL, name TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS contacts (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, public_id TEXT NOT NULL UNIQUE,
    group_id BIGINT NOT NULL,
    {_CONTACT_FIELDS}
);
"""

_ACCOUNT = 1


def prepare(database_url: str, api_key: str, group_id: str, group_name: str = "limit") -> None:
    """Create the tables in ``database_url`` and seed account 1's key and one group."""
    if database_url.startswith("sqlite"):
        db = sqlite3.connect(sqlite_path(database_url))
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(SQLITE_TABLES)
            with db:
                db.execute(
                    "INSERT OR IGNORE INTO api_keys VALUES (?, ?)", (key_hash(api_key), _ACCOUNT)
                )
                db.execute(
                    "INSERT OR IGNORE INTO groups (public_id, account_id, name) VALUES (?, ?, ?)",
                    (group_id, _ACCOUNT, group_name),
                )
        finally:
            db.close()
        return
    import psycopg

    with psycopg.connect(postgres_conninfo(database_url)) as conn:
        conn.execute(POSTGRES_TABLES)
        conn.execute(
            "INSERT INTO api_keys VALUES (%s, %s) ON CONFLICT DO NOTHING",
            (key_hash(api_key), _ACCOUNT),
        )
        conn.execute(
            "INSERT INTO groups (public_id, account_id, name) VALUES (%s, %s, %s)"
            " ON CONFLICT DO NOTHING",
            (group_id, _ACCOUNT, group_name),
        )
