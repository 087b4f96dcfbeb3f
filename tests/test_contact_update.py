"""POST /v1/contact/update: partial changes, clearing, and the checks on a new number."""

from __future__ import annotations

from typing import Any

import pytest

from support.api import Api
from support.wire import error_fields

FULL = {
    "phoneNumber": "0612345678",
    "firstname": "Camille",
    "lastname": "Durand",
    "date": "1990-02-28",
    "url": "https://example.org",
    "shortUrlPartnr": "https://sho.rt/x",
    "custom1": "a",
    "custom2": "b",
    "custom3": "c",
    "custom4": "d",
    "consentAt": "2026-03-02T10:15:00+00:00",
    "consentSource": "shop form",
}


def added(api: Api, group: str, **fields: Any) -> str:
    response = api.add(group, **fields)
    assert response.status_code == 200, response.text
    contact_id: str = response.json()["contact"]["contactId"]
    return contact_id


def update(api: Api, contact_id: str, **changes: Any) -> Any:
    return api.post("/v1/contact/update", contactId=contact_id, contact=changes)


def detail(api: Api, contact_id: str) -> dict[str, Any]:
    response = api.get("/v1/contact/detail", contactId=contact_id)
    assert response.status_code == 200, response.text
    contact: dict[str, Any] = response.json()["contact"]
    return contact


def test_given_fields_change_others_stay_and_the_whole_contact_is_answered(api: Api) -> None:
    group = api.group()
    contact_id = added(api, group, **FULL)
    response = update(api, contact_id, firstname="Lou", custom3="z")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["success"] is True and body["code"] == 200
    assert body["contact"] == {
        **FULL,
        "phoneNumber": "+33612345678",
        "firstname": "Lou",
        "custom3": "z",
        "contactId": contact_id,
    }
    stored = detail(api, contact_id)
    assert stored["firstname"] == "Lou" and stored["lastname"] == "Durand"
    assert stored["custom3"] == "z" and stored["shortUrl"] == "https://sho.rt/x"


def test_empty_string_clears_an_optional_field(api: Api) -> None:
    group = api.group()
    contact_id = added(api, group, **FULL)
    contact = update(api, contact_id, custom1="", date="", url=" ").json()["contact"]
    assert contact["custom1"] == "" and contact["date"] == "" and contact["url"] == ""
    assert contact["custom2"] == "b"
    stored = detail(api, contact_id)
    assert stored["custom1"] == "" and stored["date"] == "" and stored["url"] == ""


def test_null_leaves_a_field_as_it_is(api: Api) -> None:
    group = api.group()
    contact_id = added(api, group, **FULL)
    contact = update(api, contact_id, firstname=None).json()["contact"]
    assert contact["firstname"] == "Camille"


@pytest.mark.parametrize("phone", ["", "   "])
def test_phone_number_cannot_be_cleared(api: Api, phone: str) -> None:
    group = api.group()
    contact_id = added(api, group, **FULL)
    response = update(api, contact_id, phoneNumber=phone, firstname="Lou")
    assert response.status_code == 400
    assert response.json()["code"] == 9
    assert "phoneNumber" in error_fields(response.json())
    assert detail(api, contact_id)["phone"] == "+33612345678"
    assert detail(api, contact_id)["firstname"] == "Camille"


def test_new_number_is_validated_and_stored_in_e164(api: Api) -> None:
    group = api.group()
    contact_id = added(api, group, phoneNumber="0612345678")
    bad = update(api, contact_id, phoneNumber="06 12")
    assert bad.status_code == 400 and bad.json()["code"] == 9
    good = update(api, contact_id, phoneNumber="0033 6 99 99 99 99")
    assert good.json()["contact"]["phoneNumber"] == "+33699999999"
    assert detail(api, contact_id)["phone"] == "+33699999999"


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"firstname": "x" * 33}, 18),
        ({"date": "2023-02-29"}, 16),
        ({"url": "example.org"}, 17),
        ({"custom4": ["x"]}, 3),
    ],
)
def test_field_rules_apply_and_nothing_changes(
    api: Api, changes: dict[str, Any], code: int
) -> None:
    group = api.group()
    contact_id = added(api, group, **FULL)
    response = update(api, contact_id, lastname="Changed", **changes)
    assert response.status_code == 400
    assert response.json()["code"] == code
    assert detail(api, contact_id)["lastname"] == "Durand"


def test_number_already_in_the_group_is_409_code_15(api: Api) -> None:
    group = api.group()
    added(api, group, phoneNumber="0611111111")
    contact_id = added(api, group, phoneNumber="0622222222", firstname="kept")
    response = update(api, contact_id, phoneNumber="+33 6 11 11 11 11", firstname="lost")
    assert response.status_code == 409
    assert response.json()["code"] == 15
    assert detail(api, contact_id)["phone"] == "+33622222222"
    assert detail(api, contact_id)["firstname"] == "kept"


def test_number_in_another_group_is_fine(api: Api) -> None:
    first, second = api.group("a"), api.group("b")
    added(api, first, phoneNumber="0611111111")
    contact_id = added(api, second, phoneNumber="0622222222")
    assert update(api, contact_id, phoneNumber="0611111111").status_code == 200


def test_stop_listed_number_is_409_code_14(api: Api) -> None:
    group = api.group()
    contact_id = added(api, group, phoneNumber="0622222222")
    api.post("/v1/stop-sms/add", phoneNumber="0611111111")
    response = update(api, contact_id, phoneNumber="0611111111")
    assert response.status_code == 409
    assert response.json()["code"] == 14
    assert detail(api, contact_id)["phone"] == "+33622222222"


def test_stop_list_is_checked_before_the_group(api: Api) -> None:
    group = api.group()
    added(api, group, phoneNumber="0611111111")
    contact_id = added(api, group, phoneNumber="0622222222")
    api.post("/v1/stop-sms/add", phoneNumber="0611111111")
    assert update(api, contact_id, phoneNumber="0611111111").json()["code"] == 14


def test_same_number_in_another_spelling_is_no_change(api: Api) -> None:
    group = api.group()
    contact_id = added(api, group, phoneNumber="0612345678")
    # The contact's own number is on the stop list: keeping it is not adding it.
    api.post("/v1/stop-sms/add", phoneNumber="0612345678")
    response = update(api, contact_id, phoneNumber="+33 6 12 34 56 78", firstname="Lou")
    assert response.status_code == 200, response.text
    assert response.json()["contact"]["firstname"] == "Lou"


def test_another_accounts_contact_is_404_and_unchanged(api: Api, other_api: Api) -> None:
    group = api.group()
    contact_id = added(api, group, **FULL)
    response = update(other_api, contact_id, firstname="Mallory")
    assert response.status_code == 404
    assert response.json()["code"] == 404
    assert detail(api, contact_id)["firstname"] == "Camille"


def test_unknown_contact_is_404_before_field_rules(api: Api) -> None:
    response = update(api, "no-such-contact", date="nope")
    assert response.status_code == 404


def test_missing_contact_id_is_code_1(api: Api) -> None:
    response = api.post("/v1/contact/update", contact={"firstname": "x"})
    assert response.status_code == 400
    assert response.json()["code"] == 1


def test_missing_contact_is_code_2(api: Api) -> None:
    group = api.group()
    contact_id = added(api, group, phoneNumber="0612345678")
    response = api.post("/v1/contact/update", contactId=contact_id)
    assert response.status_code == 400
    assert response.json()["code"] == 2


def test_update_as_a_form_body(api: Api) -> None:
    group = api.group()
    contact_id = added(api, group, **FULL)
    response = api.client.post(
        "/v1/contact/update",
        data={"apiKey": api.key, "contactId": contact_id, "contact[custom2]": "form"},
    )
    assert response.status_code == 200, response.text
    assert detail(api, contact_id)["custom2"] == "form"
