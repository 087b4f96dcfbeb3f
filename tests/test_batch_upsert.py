"""Batch add with ``"upsert": true`` (carnet's own), the clients' ``upsert`` and
``carnet import --upsert``: a number the group holds is updated, not refused."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from carnet import Client
from support.api import Api
from support.cli import assert_one_error_line
from support.servers import BOOTSTRAP_KEY, Server, run_cli


def added(api: Api, group: str, phone: str, **fields: str) -> str:
    response = api.add(group, phoneNumber=phone, **fields)
    assert response.status_code == 200, response.text
    contact_id: str = response.json()["contact"]["contactId"]
    return contact_id


def contact(api: Api, contact_id: str) -> dict[str, Any]:
    found: dict[str, Any] = api.get("/v1/contact/detail", contactId=contact_id).json()["contact"]
    return found


def test_a_number_in_the_group_takes_the_rows_non_empty_fields(api: Api) -> None:
    group, elsewhere = api.group("clients"), api.group("elsewhere")
    known = added(api, group, "0611111111", firstname="Ana", lastname="Durand", custom1="old")
    twin = added(api, elsewhere, "0611111111", firstname="Other")
    stopped = added(api, group, "0622222222", firstname="Stop")
    api.post("/v1/stop-sms/add", phoneNumber="0622222222")
    rows = [
        {
            "phoneNumber": "+33 6 11 11 11 11",
            "firstname": "Anna",
            "custom1": "",
            "date": "1990-02-28",
        },
        {"phoneNumber": "0633333333", "firstname": "New"},
        {"phoneNumber": "0622222222", "firstname": "Changed"},
        {"phoneNumber": "0611111111", "firstname": "Twice"},
        {"phoneNumber": "12"},
    ]
    response = api.post("/v1/contact/add", groupId=group, contactsList=rows, upsert=True)
    assert response.status_code == 200, response.text
    body = response.json()
    results = body["results"]
    assert [(r["success"], r["code"]) for r in results] == [
        (True, 200), (True, 200), (False, 14), (False, 15), (False, 9),
    ]  # fmt: skip
    assert results[0]["message"] == "Contact updated" and results[0]["contactId"] == known
    assert results[1]["message"] == "Contact added" and results[1]["contactId"] not in ("", known)
    assert body["rapport"]["nbline"] == 5
    assert body["rapport"]["nbline_imported"] == 1 and body["rapport"]["nbline_updated"] == 1
    errors = {k: n for k, n in body["rapport"]["errors"].items() if n}
    assert errors == {"stopSms": 1, "duplicatePhone": 1, "invalidePhone": 1}
    after = contact(api, known)
    # Non-empty fields change; empty and absent ones keep what was stored.
    assert (after["firstname"], after["lastname"], after["custom1"], after["date"]) == (
        "Anna", "Durand", "old", "1990-02-28",
    )  # fmt: skip
    assert contact(api, twin)["firstname"] == "Other"  # another group's contact is not touched
    assert contact(api, stopped)["firstname"] == "Stop"
    groups = {g["id"]: g["contactCount"] for g in api.get("/v1/group/list").json()["groups"]}
    assert groups == {group: 3, elsewhere: 1}


def test_without_upsert_the_number_is_still_refused(api: Api) -> None:
    group = api.group()
    known = added(api, group, "0611111111", firstname="Ana")
    body = api.post(
        "/v1/contact/add",
        groupId=group,
        contactsList=[{"phoneNumber": "0611111111", "firstname": "B"}],
    ).json()
    assert body["results"][0]["code"] == 15 and body["rapport"]["nbline_updated"] == 0
    assert body["rapport"]["errors"]["allreadyInGroupe"] == 1
    assert contact(api, known)["firstname"] == "Ana"


def test_a_dry_run_says_what_would_be_updated_and_changes_nothing(api: Api) -> None:
    group = api.group()
    known = added(api, group, "0611111111", firstname="Ana")
    response = api.client.post(
        "/v1/contact/add",
        data={
            "apiKey": api.key,
            "groupId": group,
            "contact[phoneNumber]": "0611111111,0644444444",
            "contact[firstname]": "Zoé",
            "upsert": "1",
            "dryRun": "1",
        },
    )
    body = response.json()
    assert body["dryRun"] is True
    assert [r["message"] for r in body["results"]] == [
        "Contact would be updated (dry run)",
        "Contact would be added (dry run)",
    ]
    assert (body["rapport"]["nbline_imported"], body["rapport"]["nbline_updated"]) == (1, 1)
    assert contact(api, known)["firstname"] == "Ana"
    assert len(api.get("/v1/contact/list", groupId=group).json()["datas"]) == 1


@pytest.mark.parametrize("value", ["yes", 2, {"a": 1}])
def test_upsert_must_be_a_yes_or_no(api: Api, value: Any) -> None:
    group = api.group()
    response = api.post(
        "/v1/contact/add", groupId=group, contactsList=[{"phoneNumber": "0611111111"}], upsert=value
    )
    assert response.status_code == 400 and response.json()["code"] == 3
    assert "upsert" in response.json()["message"]


def test_upsert_with_one_contact_is_code_3(api: Api) -> None:
    group = api.group()
    added(api, group, "0611111111")
    response = api.post(
        "/v1/contact/add", groupId=group, contact={"phoneNumber": "0611111111"}, upsert=True
    )
    assert response.status_code == 400 and response.json()["code"] == 3
    assert "upsert" in response.json()["message"]


def test_the_client_and_the_import_command_upsert(server: Server, tmp_path: Path) -> None:
    with Client(BOOTSTRAP_KEY, server.url) as client:
        group = client.add_group("Clients").id
        known = client.add_contact(group, "0611111111", firstname="Ana")
        report = client.add_contacts(
            group, [{"phone_number": "0611111111", "lastname": "Durand"}], upsert=True
        )
        assert (report.rows, report.imported, report.updated, report.refused) == (1, 0, 1, 0)
        assert report.results[0].contact_id == known.id
        assert client.get_contact(known.id).lastname == "Durand"
    path = tmp_path / "clients.csv"
    path.write_text("phone;prenom;custom1\n0611111111;Anna;VIP\n0622222222;Jo;\n", "utf-8")
    env = {"CARNET_URL": server.url, "CARNET_API_KEY": BOOTSTRAP_KEY}
    plain = run_cli("import", str(path), "-g", group, "--json", "--silent", env=env)
    assert json.loads(plain.stdout)["errors"] == {"allreadyInGroupe": 1}
    done = run_cli("import", str(path), "-g", group, "--upsert", "--silent", env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[1:4] == ["  0 imported", "  2 updated", "  0 refused"]
    with Client(BOOTSTRAP_KEY, server.url) as client:
        after = {c.phone: c for c in client.iter_contacts(group)}
    assert (after["+33611111111"].firstname, after["+33611111111"].custom1) == ("Anna", "VIP")
    assert after["+33611111111"].lastname == "Durand"
    refused = run_cli("import", str(path), "-g", group, "--upsert", "--on-server", env=env)
    assert_one_error_line(refused, "--upsert", "--on-server")
