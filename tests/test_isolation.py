"""Accounts: nothing crosses them, and an id of another account is unknown."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from support.api import Api


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


# -- every endpoint that takes an id, called with the other account's ids ----


@dataclass(frozen=True)
class Owned:
    """Ids that belong to the owner."""

    group: str
    contact: str
    stop: int | str


@dataclass(frozen=True)
class IdCall:
    method: str
    path: str
    params: Callable[[Owned], dict[str, Any]]


_UNKNOWN = Owned(group="A" * 16, contact="B" * 16, stop=2**52 + 12345)

ID_CALLS = {
    "group/delete DELETE": IdCall("DELETE", "/v1/group/delete", lambda o: {"groupId": o.group}),
    "group/delete POST": IdCall("POST", "/v1/group/delete", lambda o: {"groupId": o.group}),
    "contact/add one": IdCall(
        "POST",
        "/v1/contact/add",
        lambda o: {"groupId": o.group, "contact": {"phoneNumber": "0699999999"}},
    ),
    "contact/add batch": IdCall(
        "POST",
        "/v1/contact/add",
        lambda o: {"groupId": o.group, "contactsList": [{"phoneNumber": "0699999999"}]},
    ),
    "contact/add numbers": IdCall(
        "POST",
        "/v1/contact/add",
        lambda o: {"groupId": o.group, "contact": {"phoneNumber": "0699999999,0699999998"}},
    ),
    "contact/add too many": IdCall(
        "POST",
        "/v1/contact/add",
        lambda o: {"groupId": o.group, "contactsList": [{"phoneNumber": "0699999999"}] * 501},
    ),
    "contact/list GET": IdCall("GET", "/v1/contact/list", lambda o: {"groupId": o.group}),
    "contact/list POST": IdCall("POST", "/v1/contact/list", lambda o: {"groupId": o.group}),
    "contact/detail": IdCall("GET", "/v1/contact/detail", lambda o: {"contactId": o.contact}),
    "contact/update": IdCall(
        "POST",
        "/v1/contact/update",
        lambda o: {"contactId": o.contact, "contact": {"firstname": "Mallory"}},
    ),
    "contact/update bad field": IdCall(
        "POST",
        "/v1/contact/update",
        lambda o: {"contactId": o.contact, "contact": {"date": "not a date"}},
    ),
    "contact/delete": IdCall("POST", "/v1/contact/delete", lambda o: {"contactId": o.contact}),
    "group/update": IdCall(
        "POST", "/v1/group/update", lambda o: {"groupId": o.group, "name": "Mallory's"}
    ),
    "contact/move": IdCall(
        "POST", "/v1/contact/move", lambda o: {"groupId": o.group, "contactIds": [o.contact]}
    ),
    "contact/copy": IdCall(
        "POST", "/v1/contact/copy", lambda o: {"groupId": o.group, "contactIds": o.contact}
    ),
    "stop-sms/delete GET": IdCall("GET", "/v1/stop-sms/delete", lambda o: {"id": o.stop}),
    "stop-sms/delete POST": IdCall("POST", "/v1/stop-sms/delete", lambda o: {"id": o.stop}),
}


def _call(api: Api, call: IdCall, ids: Owned) -> Any:
    params = {"apiKey": api.key, **call.params(ids)}
    if call.method == "GET":
        return api.client.get(call.path, params=params)
    return api.client.request(call.method, call.path, json=params)


def _snapshot(api: Api, ids: Owned) -> dict[str, Any]:
    return {
        "groups": api.get("/v1/group/list").json(),
        "contacts": api.get("/v1/contact/list", groupId=ids.group).json(),
        "detail": api.get("/v1/contact/detail", contactId=ids.contact).json(),
        "stops": api.get("/v1/stop-sms/list").json(),
    }


@pytest.mark.parametrize("name", ID_CALLS)
def test_another_accounts_id_is_answered_like_an_unknown_one(
    api: Api, other_api: Api, name: str
) -> None:
    group = api.group("owner's")
    contact = api.add(group, phoneNumber="0612345678", firstname="Ana").json()["contact"]
    stop = api.post("/v1/stop-sms/add", phoneNumber="0611111111").json()["stopId"]
    owned = Owned(group, contact["contactId"], stop)
    other_api.group("intruder's")  # the intruder has data of its own
    before = _snapshot(api, owned)

    call = ID_CALLS[name]
    foreign = _call(other_api, call, owned)
    unknown = _call(other_api, call, _UNKNOWN)

    assert foreign.status_code == 404
    assert (foreign.status_code, foreign.json()) == (unknown.status_code, unknown.json())
    assert foreign.json()["code"] == 404
    assert _snapshot(api, owned) == before
