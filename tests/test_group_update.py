"""POST /v1/group/update (carnet's own): renaming a group."""

from __future__ import annotations

from typing import Any

import pytest

from carnet import contract
from support.api import Api
from test_xml import xml_of


def test_rename_answers_the_new_name_and_lists_it(api: Api) -> None:
    group = api.group("Old")
    other = api.group("Other")
    api.add(group, phoneNumber="0612345678")
    response = api.post("/v1/group/update", groupId=group, name="  New name  ")
    assert response.status_code == 200, response.text
    assert response.json() == {"success": True, "code": 200, "name": "New name", "groupId": group}
    listed = {g["id"]: g for g in api.get("/v1/group/list").json()["groups"]}
    assert listed[group]["name"] == "New name" and listed[group]["contactCount"] == 1
    assert listed[other]["name"] == "Other"


def test_rename_as_a_form_and_in_xml(api: Api) -> None:
    group = api.group("Old")
    response = api.client.post(
        "/v1/group/update",
        data={"apiKey": api.key, "groupId": group, "name": "Été", "_format": "xml"},
    )
    root = xml_of(response)
    assert root.findtext("name") == "Été" and root.findtext("groupId") == group


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({"name": "x"}, 400, 1),
        ({"groupId": "", "name": "x"}, 400, 1),
        ({"groupId": "GROUP"}, 400, 1),
        ({"groupId": "GROUP", "name": "   "}, 400, 1),
        ({"groupId": "GROUP", "name": "x" * (contract.GROUP_NAME_MAX + 1)}, 400, 3),
        ({"groupId": "GROUP", "name": "a\x00b"}, 400, 3),
        ({"groupId": "GROUP", "name": {"a": 1}}, 400, 3),
        ({"groupId": "A" * 24, "name": "x"}, 404, 404),
        ({"groupId": "A" * 24, "name": {"a": 1}}, 404, 404),
    ],
)
def test_refusals_change_nothing(api: Api, params: dict[str, Any], status: int, code: int) -> None:
    group = api.group("Kept")
    sent = {k: group if v == "GROUP" else v for k, v in params.items()}
    response = api.post("/v1/group/update", **sent)
    assert response.status_code == status, response.text
    assert response.json()["success"] is False and response.json()["code"] == code
    assert [g["name"] for g in api.get("/v1/group/list").json()["groups"]] == ["Kept"]


def test_another_accounts_group_is_unknown(api: Api, other_api: Api) -> None:
    group = api.group("Mine")
    foreign = other_api.post("/v1/group/update", groupId=group, name="Theirs")
    unknown = other_api.post("/v1/group/update", groupId="B" * 24, name="Theirs")
    assert foreign.status_code == unknown.status_code == 404
    assert foreign.json() == unknown.json()
    assert [g["name"] for g in api.get("/v1/group/list").json()["groups"]] == ["Mine"]


def test_without_a_key_it_is_401(api: Api) -> None:
    group = api.group("Mine")
    response = api.client.post("/v1/group/update", json={"groupId": group, "name": "x"})
    assert response.status_code == 401 and response.json()["code"] == 10
