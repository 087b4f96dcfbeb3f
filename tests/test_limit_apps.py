"""The bench's limit apps do the work they stand for: they store what they are sent and
refuse a number already in the group; group commit answers each add of one flush on its own.

Each app runs as the bench runs it (uvicorn, a database of its own); its rows are read
back straight from that database.
"""

from __future__ import annotations

import asyncio
import importlib
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from bench.limit_apps import LIMITS, schema
from bench.limit_apps.db import ADDED, COLUMNS, TAKEN, postgres_conninfo, sqlite_path
from bench.limit_apps.launch import running

KEY = "limit-test-key"
CONTACT = {
    "phoneNumber": "+33612345678",
    "firstname": "Camille",
    "lastname": "Durand",
    "date": "1990-04-01",
    "url": "https://example.org/a",
    "shortUrlPartnr": "https://ex.org/s",
    "custom1": "un",
    "custom2": "deux",
    "custom3": "trois",
    "custom4": "quatre",
}
# The contact's row as the app should hold it: the fields as sent, in COLUMNS order.
STORED = tuple(CONTACT.values())


def _param(name: str) -> Any:
    marks = [pytest.mark.postgres] if LIMITS[name].engine == "postgres" else []
    return pytest.param(name, marks=marks, id=name)


@pytest.fixture
def database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database for the limit app named by the test's ``name`` parameter."""
    name: str = request.node.callspec.params["name"]
    if LIMITS[name].engine == "sqlite":
        return f"sqlite:///{tmp_path / 'limit.db'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


def _rows(database: str) -> list[tuple[Any, ...]]:
    """Every contact stored: ``COLUMNS`` but the group and the time, oldest first."""
    wanted = ", ".join(c for c in COLUMNS if c not in ("group_id", "created_at"))
    query = f"SELECT {wanted} FROM contacts ORDER BY id"
    if database.startswith("sqlite"):
        with closing(sqlite3.connect(sqlite_path(database))) as db:
            return db.execute(query).fetchall()
    with psycopg.connect(postgres_conninfo(database)) as conn:
        return conn.execute(query).fetchall()


@pytest.mark.parametrize("name", [_param(n) for n in LIMITS if LIMITS[n].work == "add"])
def test_single_add_stores_the_contact_as_sent_and_refuses_its_number_again(
    name: str, database: str, tmp_path: Path
) -> None:
    with (
        running(name, database, tmp_path, api_key=KEY, workers=1) as app,
        httpx.Client(base_url=app.url) as client,
    ):
        sent = {"apiKey": KEY, "groupId": app.group_id, "contact": CONTACT}
        first = client.post("/v1/contact/add", json=sent)
        assert first.status_code == 200, first.text
        answer = first.json()["contact"]
        contact_id = answer.pop("contactId")
        assert answer == CONTACT
        again = client.post(
            "/v1/contact/add", json={**sent, "contact": {**CONTACT, "firstname": "Autre"}}
        )
        assert (again.status_code, again.json()["code"]) == (409, 15)
        wrong_key = client.post("/v1/contact/add", json={**sent, "apiKey": "other"})
        assert (wrong_key.status_code, wrong_key.json()["code"]) == (401, 10)
        wrong_group = client.post("/v1/contact/add", json={**sent, "groupId": "other"})
        assert (wrong_group.status_code, wrong_group.json()["code"]) == (404, 404)
    assert _rows(database) == [(contact_id, *STORED)]


@pytest.mark.parametrize("name", [_param(n) for n in LIMITS if LIMITS[n].work == "batch"])
def test_batch_stores_every_row_as_sent_and_refuses_a_batch_with_a_number_again(
    name: str, database: str, tmp_path: Path
) -> None:
    rows = [{**CONTACT, "phoneNumber": f"+3361234567{n}", "custom1": f"row {n}"} for n in range(3)]
    with (
        running(name, database, tmp_path, api_key=KEY, workers=1) as app,
        httpx.Client(base_url=app.url) as client,
    ):
        sent = {"apiKey": KEY, "groupId": app.group_id, "contactsList": rows}
        first = client.post("/v1/contact/add", json=sent)
        assert first.status_code == 200, first.text
        report = first.json()
        assert report["groupe"]["token"] == app.group_id
        assert report["rapport"]["nbline_imported"] == 3
        ids = [result["contactId"] for result in report["results"]]
        assert [result["phoneNumber"] for result in report["results"]] == [
            row["phoneNumber"] for row in rows
        ]
        # A new number beside one already stored: the whole batch is refused.
        again = client.post(
            "/v1/contact/add",
            json={**sent, "contactsList": [{"phoneNumber": "+33698765432"}, rows[1]]},
        )
        assert (again.status_code, again.json()["code"]) == (409, 15)
    assert _rows(database) == [(i, *row.values()) for i, row in zip(ids, rows, strict=True)]


@pytest.mark.parametrize(
    "name", [_param(n) for n in LIMITS if LIMITS[n].work == "add" and "grouped" in n]
)
def test_group_commit_answers_each_add_of_one_flush_on_its_own(
    name: str, database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    schema.prepare(database, KEY, "grouped")
    monkeypatch.setenv("LIMIT_DATABASE_URL", database)
    app = importlib.import_module(LIMITS[name].module)
    flushes: list[int] = []

    async def scenario() -> list[str]:
        await app.startup()
        try:
            flush = app.commits._flush

            async def counted(rows: list[Any]) -> Any:
                flushes.append(len(rows))
                return await flush(rows)

            app.commits._flush = counted
            group_id = 1  # the one group prepared
            rows = [
                (f"id{n}", group_id, phone, *STORED[1:], "2026-01-01T00:00:00+00:00")
                for n, phone in enumerate(["+33611111111", "+33611111111", "+33622222222"])
            ]
            # Queued together, before the writer runs: one flush.
            return list(await asyncio.gather(*(app.commits.add(row) for row in rows)))
        finally:
            await app.shutdown()

    assert asyncio.run(scenario()) == [ADDED, TAKEN, ADDED]
    assert flushes == [3]
    assert [row[:3] for row in _rows(database)] == [
        ("id0", "+33611111111", "Camille"),
        ("id2", "+33622222222", "Camille"),
    ]
