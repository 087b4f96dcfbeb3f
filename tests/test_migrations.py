"""Migrations: they build the schema schema.py declares, and upgrade a database with data in it."""

from __future__ import annotations

from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from starlette.testclient import TestClient

from carnet.http.app import create_app
from carnet.settings import Settings
from carnet.storage import Store
from carnet.storage.database import migrate
from carnet.storage.dialects import dialect_for
from carnet.storage.schema import metadata
from support.api import Api
from support.servers import run_cli


def _differences(store: Store) -> list[Any]:
    """How the database's schema differs from schema.py, columns' types included."""
    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        found = compare_metadata(context, metadata)
    if not dialect_for(store.engine.url).contact_foreign_keys:
        # Dropped on purpose on PostgreSQL (migration 0002).
        found = [d for d in found if not (d[0] == "add_fk" and d[1].table.name == "contacts")]
    return _flattened(found)


def _flattened(differences: list[Any]) -> list[Any]:
    flat: list[Any] = []
    for difference in differences:
        flat.extend(difference if isinstance(difference, list) else [difference])
    return flat


@pytest.mark.empty_database
def test_the_migrated_schema_is_the_declared_one(db_url: str) -> None:
    store = Store.open(db_url)
    try:
        assert _differences(store) == []
    finally:
        store.close()


_OLD_ROWS = [
    "INSERT INTO accounts (id, name, created_at) VALUES (1, 'shop', '2025-01-02T03:04:05+00:00')",
    "INSERT INTO groups (id, public_id, account_id, name, created_at, next_seq, contact_count) "
    "VALUES (1, 'oldgroup', 1, 'old', '2025-01-02T03:04:05+00:00', 3, 1)",
    "INSERT INTO contacts (public_id, account_id, group_id, seq, phone, firstname, created_at) "
    "VALUES ('oldcontact', 1, 1, 2, '+33612345678', 'Ann', '2025-01-02T03:04:05+00:00')",
    "INSERT INTO contact_gaps (group_id, seq) VALUES (1, 1)",
    "INSERT INTO stop_entries (public_id, account_id, phone, created_at) "
    "VALUES ('oldstop', 1, '+33687654321', '2025-01-02T03:04:05+00:00')",
]


@pytest.mark.empty_database
def test_a_database_of_revision_0002_keeps_its_data_and_takes_long_numbers(db_url: str) -> None:
    old = Store.open(db_url, migrate_schema=False)
    try:
        migrate(old.engine, revision="0002")
        with old.engine.begin() as conn:
            for statement in _OLD_ROWS:
                conn.execute(text(statement))
    finally:
        old.close()
    rotated = run_cli("account", "rotate-key", "shop", "--database-url", db_url)  # migrates
    assert rotated.returncode == 0, rotated.stderr
    key = rotated.stdout.strip().splitlines()[-1]

    with TestClient(create_app(Settings(database_url=db_url, rate_limit=0))) as client:
        api = Api(client, key)
        groups = api.get("/v1/group/list").json()["groups"]
        assert [(g["id"], g["name"], g["contactCount"]) for g in groups] == [("oldgroup", "old", 1)]
        datas = api.get("/v1/contact/list", groupId="oldgroup").json()["datas"]
        assert [(c["contactId"], c["phone"], c["firstname"]) for c in datas] == [
            ("oldcontact", "+33612345678", "Ann")
        ]
        assert api.add("oldgroup", phoneNumber="+33612345678").json()["code"] == 15
        long_number = "+49305560612725420"
        assert api.add("oldgroup", phoneNumber=long_number).status_code == 200
        assert api.post("/v1/stop-sms/add", phoneNumber=long_number).status_code == 200
        stopped = api.get("/v1/stop-sms/list").json()["data"]
        assert [(e["id"], e["phoneNumber"]) for e in stopped] == [
            (stopped[0]["id"], "+33687654321"),
            (stopped[1]["id"], long_number),
        ]
        # The old entry got an integer id (migration 0007); its old id names nothing now.
        assert all(type(e["id"]) is int and 0 < e["id"] < 2**53 for e in stopped)
        assert stopped[0]["createdAt"] == "2025-01-02 03:04:05"
        assert api.post("/v1/stop-sms/delete", id="oldstop").status_code == 404
        assert api.post("/v1/stop-sms/delete", id=stopped[0]["id"]).status_code == 200
        phones = [
            c["phone"] for c in api.get("/v1/contact/list", groupId="oldgroup").json()["datas"]
        ]
        assert phones == ["+33612345678", long_number]
