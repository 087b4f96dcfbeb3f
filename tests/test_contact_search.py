"""GET /v1/contact/search (carnet's own): a number's contacts across the account's groups."""

from __future__ import annotations

import pytest

from carnet import contract
from support.api import Api
from test_xml import assert_same, both


def added(api: Api, group: str, phone: str, **fields: str) -> str:
    response = api.add(group, phoneNumber=phone, **fields)
    assert response.status_code == 200, response.text
    contact_id: str = response.json()["contact"]["contactId"]
    return contact_id


def test_every_spelling_finds_the_contacts_of_every_group(api: Api) -> None:
    clients, newsletter, empty = api.group("clients"), api.group("newsletter"), api.group("x")
    first = added(api, clients, "06 12 34 56 78", firstname="Ana")
    second = added(api, newsletter, "+33612345678", custom1="VIP")
    added(api, clients, "0622222222")  # another number
    for spelling in ("0612345678", "+33 6 12 34 56 78", "0033612345678", "06.12.34.56.78"):
        response = api.get("/v1/contact/search", phoneNumber=spelling)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["success"] is True and body["code"] == 200
        assert body["phoneNumber"] == "+33612345678"
        assert [c["contactId"] for c in body["contacts"]] == [first, second]  # oldest first
        assert [c["groupId"] for c in body["contacts"]] == [clients, newsletter]
        assert body["stopSms"] is False and "stopId" not in body
    found = api.get("/v1/contact/search", phoneNumber="0612345678").json()["contacts"]
    assert found[0] == api.get("/v1/contact/detail", contactId=first).json()["contact"]
    assert list(found[1]) == list(contract.CONTACT_DETAIL_KEYS)
    assert found[0]["firstname"] == "Ana" and found[1]["custom1"] == "VIP"
    assert empty not in {c["groupId"] for c in found}


def test_a_number_nobody_has_is_an_empty_list(api: Api) -> None:
    api.group()
    body = api.get("/v1/contact/search", phoneNumber="0699999999").json()
    assert body == {
        "success": True,
        "code": 200,
        "phoneNumber": "+33699999999",
        "contacts": [],
        "stopSms": False,
    }


def test_a_stopped_number_says_so_with_its_stop_id(api: Api) -> None:
    group = api.group()
    added(api, group, "0612345678")
    stop_id = api.post("/v1/stop-sms/add", phoneNumber="+33612345678").json()["stopId"]
    body = api.get("/v1/contact/search", phoneNumber="06 12 34 56 78").json()
    assert body["stopSms"] is True and str(body["stopId"]) == str(stop_id)
    assert [c["stopSms"] for c in body["contacts"]] == [True]
    # A stopped number nobody holds is found on the stop list all the same.
    other_stop = api.post("/v1/stop-sms/add", phoneNumber="0611111111").json()["stopId"]
    body = api.get("/v1/contact/search", phoneNumber="0611111111").json()
    assert body["contacts"] == [] and str(body["stopId"]) == str(other_stop)
    api.post("/v1/stop-sms/delete", id=stop_id)
    body = api.get("/v1/contact/search", phoneNumber="0612345678").json()
    assert body["stopSms"] is False and "stopId" not in body


def test_another_accounts_contacts_and_stop_list_are_not_found(api: Api, other_api: Api) -> None:
    theirs = other_api.group()
    added(other_api, theirs, "0612345678")
    other_api.post("/v1/stop-sms/add", phoneNumber="0612345678")
    mine = api.group()
    own = added(api, mine, "0612345678")
    body = api.get("/v1/contact/search", phoneNumber="0612345678").json()
    assert [c["contactId"] for c in body["contacts"]] == [own]
    assert body["stopSms"] is False
    assert other_api.get("/v1/contact/search", phoneNumber="0622222222").json()["contacts"] == []


def test_a_deleted_contact_or_group_is_no_longer_found(api: Api) -> None:
    kept, gone = api.group("kept"), api.group("gone")
    one = added(api, kept, "0612345678")
    added(api, gone, "0612345678")
    api.post("/v1/group/delete", groupId=gone)
    found = api.get("/v1/contact/search", phoneNumber="0612345678").json()["contacts"]
    assert [c["contactId"] for c in found] == [one]
    api.post("/v1/contact/delete", contactId=one)
    assert api.get("/v1/contact/search", phoneNumber="0612345678").json()["contacts"] == []


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({}, 400, 2),
        ({"phoneNumber": ""}, 400, 2),
        ({"phoneNumber": "not a number"}, 400, 9),
        ({"phoneNumber": "0612"}, 400, 9),
    ],
)
def test_a_missing_or_invalid_number_is_refused(
    api: Api, params: dict[str, str], status: int, code: int
) -> None:
    response = api.get("/v1/contact/search", **params)
    assert response.status_code == status
    body = response.json()
    assert body["success"] is False and body["code"] == code
    assert "phoneNumber" in body["message"] or "number" in body["message"].lower()


def test_without_a_key_it_is_401(api: Api) -> None:
    response = api.client.get("/v1/contact/search", params={"phoneNumber": "0612345678"})
    assert response.status_code == 401 and response.json()["code"] == 10


def test_as_xml_and_as_a_post_body_it_is_refused_or_the_same(api: Api) -> None:
    group = api.group()
    added(api, group, "0612345678", firstname="Zoé")
    api.post("/v1/stop-sms/add", phoneNumber="0612345678")
    as_json, root = both(api, "GET", "/v1/contact/search", phoneNumber="0612345678")
    assert_same(root, as_json)
    assert api.post("/v1/contact/search", phoneNumber="0612345678").status_code == 405
