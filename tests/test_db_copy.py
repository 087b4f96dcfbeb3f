"""``carnet db copy``: every table into an empty database of the other engine, verified.

The copy is then served: the same key opens the same account, the same ids find
the same contacts in the same order, and new rows get ids of their own.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import httpx
import pytest

from carnet.contract import PAGE_SIZE
from carnet.domain import batch, groups
from carnet.domain.accounts import create_account
from carnet.domain.records import ContactInput
from carnet.storage import Store
from carnet.storage.copying import tables
from support.servers import CARNET, new_account, run_cli, start_server


@pytest.fixture
def other_url(db_url: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """An empty database of the other engine than ``db_url``'s."""
    if db_url.startswith("sqlite"):
        url: str = request.getfixturevalue("postgres_url")
        return url
    return f"sqlite:///{tmp_path / 'copy.db'}"


def fill(url: str, tmp_path: Path) -> tuple[str, str, list[dict[str, object]]]:
    """A database with an account, a group, contacts, a stop list: its key, group, contacts."""
    key = new_account(url)
    server = start_server(url, tmp_path)
    try:
        with httpx.Client(base_url=server.url) as http:
            group = http.post("/v1/group/add", json={"apiKey": key, "name": "clients"})
            group_id = group.json()["groupId"]
            http.post("/v1/group/add", json={"apiKey": key, "name": "other"})
            rows = [
                {"phoneNumber": f"06{30000000 + n:08d}", "firstname": f"Zoé {n}"} for n in range(60)
            ]
            body = {"apiKey": key, "groupId": group_id, "contactsList": rows}
            assert http.post("/v1/contact/add", json=body).status_code == 200
            listed = http.get(
                "/v1/contact/list", params={"apiKey": key, "groupId": group_id}
            ).json()["datas"]
            for number in ("0611111111", "0622222222"):
                http.post("/v1/stop-sms/add", json={"apiKey": key, "phoneNumber": number})
    finally:
        server.stop()
    return key, group_id, listed


def test_a_database_moves_whole_to_the_other_engine_and_is_served_the_same(
    db_url: str, other_url: str, tmp_path: Path
) -> None:
    key, group_id, listed = fill(db_url, tmp_path)
    done = run_cli("db", "copy", "--from", db_url, "--to", other_url)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    for table in tables():
        assert any(line.startswith(f"{table.name}: ") and "checksum same" in line for line in lines)
    assert "contacts: 60 rows -> 60 rows, checksum same" in done.stdout
    assert lines[-1].startswith("Copied ") and lines[-1].endswith("every table verified")
    assert "Copying: 100%" in done.stderr  # progress, on standard error

    server = start_server(other_url, tmp_path)
    try:
        with httpx.Client(base_url=server.url) as http:
            page = http.get("/v1/contact/list", params={"apiKey": key, "groupId": group_id})
            assert page.json()["datas"] == listed  # ids, positions, dates, names
            stops = http.get("/v1/stop-sms/list", params={"apiKey": key}).json()
            assert stops["nbData"] == 2
            # New rows get new ids: the copied ones are not handed out again.
            added = http.post(
                "/v1/contact/add",
                json={"apiKey": key, "groupId": group_id, "contact": {"phoneNumber": "0699999999"}},
            )
            assert added.status_code == 200, added.text
            assert (
                http.post("/v1/group/add", json={"apiKey": key, "name": "new"}).status_code == 200
            )
    finally:
        server.stop()

    again = run_cli("db", "copy", "--from", db_url, "--to", other_url)
    assert again.returncode == 1
    assert "is not empty" in again.stderr and "copy into an empty database" in again.stderr


def test_a_hundred_thousand_contacts_move_and_the_api_works_on_the_copy(
    db_url: str, other_url: str, tmp_path: Path
) -> None:
    store = Store.open(db_url)
    try:
        account, key = create_account(store, "big")
        group = groups.add_group(store, account, "everyone")
        for start in range(0, 100_000, 500):
            rows = [ContactInput(phone=f"+3361{n:07d}") for n in range(start, start + 500)]
            assert batch.add_batch(store, account, group.public_id, rows).imported == 500
    finally:
        store.close()
    # A shared machine may be slow: more time than run_cli gives a command.
    done = subprocess.run(
        [*CARNET, "db", "copy", "--from", db_url, "--to", other_url, "--silent"],
        capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "contacts: 100000 rows -> 100000 rows, checksum same" in done.stdout
    assert done.stderr == ""
    server = start_server(other_url, tmp_path)
    try:
        with httpx.Client(base_url=server.url) as http:
            last = 100_000 // PAGE_SIZE
            params = {"apiKey": key, "groupId": group.public_id, "page": last}
            page = http.get("/v1/contact/list", params=params).json()
            assert page["success"] is True and len(page["datas"]) > 0
            contact_id = page["datas"][0]["contactId"]
            detail = http.get("/v1/contact/detail", params={"apiKey": key, "contactId": contact_id})
            assert detail.json()["contact"]["contactId"] == contact_id
            rows = [{"phoneNumber": "0612345678"}, {"phoneNumber": "+33610000001"}]
            body = {"apiKey": key, "groupId": group.public_id, "contactsList": rows}
            report = http.post("/v1/contact/add", json=body).json()["rapport"]
            assert report["nbline_imported"] == 1  # the second is a copied contact already
            assert http.post(
                "/v1/contact/delete", json={"apiKey": key, "contactId": contact_id}
            ).json()["success"]
    finally:
        server.stop()
