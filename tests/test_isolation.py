"""Accounts: nothing crosses them, and an id of another account is unknown."""

from __future__ import annotations

from conftest import Api


def test_contact_add_into_another_accounts_group_is_404(api: Api, other_api: Api) -> None:
    group = api.group()
    foreign = other_api.add(group, phoneNumber="0612345678")
    unknown = other_api.add("no-such-group", phoneNumber="0612345678")
    assert foreign.status_code == unknown.status_code == 404
    assert foreign.json() == unknown.json()
    assert api.get("/v1/group/list").json()["groups"][0]["contactCount"] == 0


def test_each_account_sees_only_its_groups(api: Api, other_api: Api) -> None:
    api.group("mine")
    other_api.group("theirs")
    assert [g["name"] for g in api.get("/v1/group/list").json()["groups"]] == ["mine"]
    assert [g["name"] for g in other_api.get("/v1/group/list").json()["groups"]] == ["theirs"]


def test_stop_list_is_per_account(api: Api, other_api: Api) -> None:
    api.post("/v1/stop-sms/add", phoneNumber="0612345678")
    group = other_api.group()
    assert other_api.add(group, phoneNumber="0612345678").status_code == 200
