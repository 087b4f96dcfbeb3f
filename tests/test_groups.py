"""Groups over HTTP: add, list, delete; on both engines."""

from __future__ import annotations

import re

import pytest

from carnet.contract import PAGE_SIZE
from support.api import Api
from support.wire import total

ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$")


def test_add_group_answers_name_and_opaque_id(api: Api) -> None:
    response = api.post("/v1/group/add", name="Clients VIP")
    assert response.status_code == 200
    body = response.json()
    assert body["success"] is True and body["code"] == 200
    assert body["name"] == "Clients VIP"
    assert isinstance(body["groupId"], str) and len(body["groupId"]) >= 16


def test_group_ids_are_unguessable(api: Api) -> None:
    ids = {api.group(f"g{i}") for i in range(5)}
    assert len(ids) == 5
    assert not any(i.isdigit() for i in ids)


def test_add_group_without_name_is_code_1(api: Api) -> None:
    for params in ({}, {"name": ""}, {"name": "   "}, {"name": None}):
        response = api.post("/v1/group/add", **params)
        assert response.status_code == 400
        assert response.json()["code"] == 1
        assert "name" in response.json()["message"]


def test_add_group_with_wrong_type_is_code_3(api: Api) -> None:
    response = api.post("/v1/group/add", name={"a": 1})
    assert response.status_code == 400
    assert response.json()["code"] == 3


def test_list_groups_shape_and_counts(api: Api) -> None:
    first = api.group("first")
    second = api.group("second")
    api.add(first, phoneNumber="0612345678")
    api.add(first, phoneNumber="0612345679")
    response = api.get("/v1/group/list")
    assert response.status_code == 200
    groups = response.json()["groups"]
    assert [g["id"] for g in groups] == [first, second]
    assert groups[0] == {
        "id": first,
        "name": "first",
        "createdAt": groups[0]["createdAt"],
        "isSpecialFile": False,
        "isLocationFile": False,
        "contactCount": 2,
    }
    assert ISO.match(groups[0]["createdAt"])
    assert groups[1]["contactCount"] == 0


def test_delete_group_takes_its_contacts(api: Api) -> None:
    group = api.group()
    contact_id = api.add(group, phoneNumber="0612345678").json()["contact"]["contactId"]
    response = api.client.request(
        "DELETE", "/v1/group/delete", json={"apiKey": api.key, "groupId": group}
    )
    assert response.status_code == 200, response.text
    assert response.json() == {"success": True, "code": 200}
    assert api.get("/v1/group/list").json()["groups"] == []
    # The contact went with its group.
    assert api.get("/v1/contact/detail", contactId=contact_id).status_code == 404
    # A second delete: the group is unknown now.
    again = api.post("/v1/group/delete", groupId=group)
    assert again.status_code == 404
    assert again.json()["code"] == 404


@pytest.mark.parametrize("method", ["DELETE", "POST"])
def test_groupe_delete_answers_like_group_delete(api: Api, other_api: Api, method: str) -> None:
    # Upstream's French pages name the path /v1/groupe/delete.
    group, kept = api.group("doomed"), api.group("kept")
    contact_id = api.add(group, phoneNumber="0612345678").json()["contact"]["contactId"]
    answers = {}
    for path in ("/v1/group/delete", "/v1/groupe/delete"):
        missing = api.client.request(method, path, json={"apiKey": api.key})
        foreign = other_api.client.request(
            method, path, json={"apiKey": other_api.key, "groupId": group}
        )
        answers[path] = [(r.status_code, r.json()) for r in (missing, foreign)]
    assert answers["/v1/groupe/delete"] == answers["/v1/group/delete"]
    assert [status for status, _ in answers["/v1/groupe/delete"]] == [400, 404]
    response = api.client.request(
        method, "/v1/groupe/delete", json={"apiKey": api.key, "groupId": group}
    )
    assert (response.status_code, response.json()) == (200, {"success": True, "code": 200})
    assert [g["id"] for g in api.get("/v1/group/list").json()["groups"]] == [kept]
    assert api.get("/v1/contact/detail", contactId=contact_id).status_code == 404
    again = api.client.request(
        method, "/v1/groupe/delete", json={"apiKey": api.key, "groupId": group}
    )
    assert again.status_code == 404 and again.json()["code"] == 404


def test_delete_group_by_post_and_query_string(api: Api) -> None:
    group = api.group()
    response = api.client.post(f"/v1/group/delete?apiKey={api.key}&groupId={group}")
    assert response.status_code == 200
    assert api.get("/v1/group/list").json()["groups"] == []


def test_delete_group_without_id_is_code_1(api: Api) -> None:
    response = api.post("/v1/group/delete")
    assert response.status_code == 400
    assert response.json()["code"] == 1


def test_group_of_another_account_is_unknown(api: Api, other_api: Api) -> None:
    group = api.group()
    api.add(group, phoneNumber="0612345678")
    unknown = other_api.post("/v1/group/delete", groupId="does-not-exist")
    foreign = other_api.post("/v1/group/delete", groupId=group)
    assert foreign.status_code == unknown.status_code == 404
    assert foreign.json() == unknown.json()
    assert other_api.get("/v1/group/list").json()["groups"] == []
    # Nothing changed for the owner.
    assert api.get("/v1/group/list").json()["groups"][0]["contactCount"] == 1


def test_delete_group_takes_every_contact_and_nothing_else(api: Api) -> None:
    doomed, kept = api.group("doomed"), api.group("kept")
    rows = [{"phoneNumber": f"+3361{n:07d}"} for n in range(150)]
    results = api.post("/v1/contact/add", groupId=doomed, contactsList=rows).json()["results"]
    api.post("/v1/contact/delete", contactId=results[10]["contactId"])
    api.post("/v1/contact/add", groupId=kept, contactsList=rows[:3])
    stop_id = api.post("/v1/stop-sms/add", phoneNumber=rows[0]["phoneNumber"]).json()["stopId"]

    assert api.post("/v1/group/delete", groupId=doomed).status_code == 200
    for result in results:
        assert api.get("/v1/contact/detail", contactId=result["contactId"]).status_code == 404
    assert [g["name"] for g in api.get("/v1/group/list").json()["groups"]] == ["kept"]
    kept_page = api.get("/v1/contact/list", groupId=kept).json()
    assert total(kept_page) == 3
    assert [c["phone"] for c in kept_page["datas"]] == [r["phoneNumber"] for r in rows[:3]]
    assert [e["id"] for e in api.get("/v1/stop-sms/list").json()["data"]] == [stop_id]
    # A new group starts empty, and takes the same numbers again.
    fresh = api.group("doomed")
    body = api.post("/v1/contact/add", groupId=fresh, contactsList=rows).json()
    assert body["rapport"]["nbline_imported"] == 149  # the stopped number is refused
    last_page = -(-149 // PAGE_SIZE)
    assert (
        api.get("/v1/contact/list", groupId=fresh, page=last_page).json()["datas"][-1]["phone"]
        == (rows[-1]["phoneNumber"])
    )
