"""GET /v1/contact/detail and POST /v1/contact/delete."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from support.api import Api
from support.wire import total

DETAIL_KEYS = {
    "contactId",
    "phone",
    "firstname",
    "lastname",
    "url",
    "shortUrl",
    "date",
    "custom1",
    "custom2",
    "custom3",
    "custom4",
    "createdAt",
    "stopSms",
    "groupId",
    "consentAt",
    "consentSource",
}


def added(api: Api, group: str, **fields: Any) -> str:
    response = api.add(group, **fields)
    assert response.status_code == 200, response.text
    contact_id: str = response.json()["contact"]["contactId"]
    return contact_id


def test_detail_has_exactly_the_contract_fields(api: Api) -> None:
    group = api.group()
    contact_id = added(
        api, group, phoneNumber="0612345678", lastname="Durand", shortUrlPartnr="https://s.rt/a"
    )
    response = api.get("/v1/contact/detail", contactId=contact_id)
    assert response.status_code == 200
    body = response.json()
    assert body["success"] is True and body["code"] == 200
    contact = body["contact"]
    assert set(contact) == DETAIL_KEYS
    created = contact.pop("createdAt")
    assert datetime.fromisoformat(created).utcoffset() is not None
    assert contact == {
        "contactId": contact_id,
        "phone": "+33612345678",
        "firstname": "",
        "lastname": "Durand",
        "url": "",
        "shortUrl": "https://s.rt/a",
        "date": "",
        "custom1": "",
        "custom2": "",
        "custom3": "",
        "custom4": "",
        "stopSms": False,
        "groupId": group,
        "consentAt": "",
        "consentSource": "",
    }


def test_stop_sms_follows_the_stop_list(api: Api) -> None:
    group = api.group()
    contact_id = added(api, group, phoneNumber="0612345678")
    stop_id = api.post("/v1/stop-sms/add", phoneNumber="+33612345678").json()["stopId"]
    assert api.get("/v1/contact/detail", contactId=contact_id).json()["contact"]["stopSms"] is True
    assert api.post("/v1/stop-sms/delete", id=stop_id).status_code == 200
    assert api.get("/v1/contact/detail", contactId=contact_id).json()["contact"]["stopSms"] is False


def test_another_accounts_stop_list_does_not_flag(api: Api, other_api: Api) -> None:
    group = api.group()
    contact_id = added(api, group, phoneNumber="0612345678")
    other_api.post("/v1/stop-sms/add", phoneNumber="0612345678")
    assert api.get("/v1/contact/detail", contactId=contact_id).json()["contact"]["stopSms"] is False


def test_detail_of_another_accounts_contact_is_404(api: Api, other_api: Api) -> None:
    group = api.group()
    contact_id = added(api, group, phoneNumber="0612345678")
    response = other_api.get("/v1/contact/detail", contactId=contact_id)
    assert response.status_code == 404
    assert response.json() == {"success": False, "code": 404, "message": "Contact not found"}
    unknown = api.get("/v1/contact/detail", contactId="no-such-contact")
    assert unknown.json() == response.json()


def test_detail_without_contact_id_is_code_1(api: Api) -> None:
    response = api.get("/v1/contact/detail")
    assert response.status_code == 400
    assert response.json()["code"] == 1


def test_delete_then_a_second_delete_is_404(api: Api) -> None:
    group = api.group()
    contact_id = added(api, group, phoneNumber="0612345678")
    kept = added(api, group, phoneNumber="0622222222")
    response = api.post("/v1/contact/delete", contactId=contact_id)
    assert response.status_code == 200
    assert response.json() == {"success": True, "code": 200}
    assert api.get("/v1/contact/detail", contactId=contact_id).status_code == 404
    again = api.post("/v1/contact/delete", contactId=contact_id)
    assert again.status_code == 404 and again.json()["code"] == 404
    assert api.get("/v1/contact/detail", contactId=kept).status_code == 200
    assert api.get("/v1/group/list").json()["groups"][0]["contactCount"] == 1


def test_deleted_number_can_be_added_again(api: Api) -> None:
    group = api.group()
    contact_id = added(api, group, phoneNumber="0612345678")
    api.post("/v1/contact/delete", contactId=contact_id)
    assert api.add(group, phoneNumber="0612345678").status_code == 200


def test_delete_of_another_accounts_contact_is_404_and_nothing_changes(
    api: Api, other_api: Api
) -> None:
    group = api.group()
    contact_id = added(api, group, phoneNumber="0612345678")
    response = other_api.post("/v1/contact/delete", contactId=contact_id)
    assert response.status_code == 404
    assert api.get("/v1/contact/detail", contactId=contact_id).status_code == 200
    assert total(api.get("/v1/contact/list", groupId=group).json()) == 1


def test_delete_without_contact_id_is_code_1(api: Api) -> None:
    response = api.post("/v1/contact/delete")
    assert response.status_code == 400
    assert response.json()["code"] == 1


def test_delete_as_a_form_body(api: Api) -> None:
    group = api.group()
    contact_id = added(api, group, phoneNumber="0612345678")
    response = api.client.post(
        "/v1/contact/delete", data={"contactId": contact_id}, headers={"X-Api-Key": api.key}
    )
    assert response.status_code == 200
    assert api.get("/v1/contact/detail", contactId=contact_id).status_code == 404
