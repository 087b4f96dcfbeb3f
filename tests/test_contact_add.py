"""POST /v1/contact/add with one contact: every rule of SPEC §2, over HTTP."""

from __future__ import annotations

import pytest

from support.api import Api
from support.wire import error_fields

FULL = {
    "phoneNumber": "06 12 34 56 78",
    "firstname": "Camille",
    "lastname": "Durand",
    "date": "1990-02-28",
    "shortUrlPartnr": "https://sho.rt/x",
    "url": "https://example.org/promo?id=1",
    "custom1": "a",
    "custom2": "b",
    "custom3": "c",
    "custom4": "d",
    "consentAt": "2026-03-02T10:15:00+00:00",
    "consentSource": "shop form",
}


def test_add_answers_the_fields_as_stored(api: Api) -> None:
    group = api.group()
    response = api.add(group, **FULL)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["success"] is True and body["code"] == 200
    contact = body["contact"]
    contact_id = contact.pop("contactId")
    assert isinstance(contact_id, str) and len(contact_id) >= 16
    assert contact == {**FULL, "phoneNumber": "+33612345678"}


def test_unset_fields_come_back_empty(api: Api) -> None:
    group = api.group()
    contact = api.add(group, phoneNumber="+33612345678", firstname=None).json()["contact"]
    assert contact["firstname"] == "" and contact["custom4"] == "" and contact["date"] == ""


def test_names_are_trimmed(api: Api) -> None:
    group = api.group()
    contact = api.add(group, phoneNumber="0612345678", firstname="  Léa  ").json()["contact"]
    assert contact["firstname"] == "Léa"


def test_unknown_fields_are_ignored(api: Api) -> None:
    group = api.group()
    response = api.add(group, phoneNumber="0612345678", favouriteColour="blue")
    assert response.status_code == 200
    assert "favouriteColour" not in response.json()["contact"]


@pytest.mark.parametrize(
    "phone",
    ["0612345678", "06.12.34.56.78", "06-12-34-56-78", "+33612345678", "0033612345678"],
)
def test_french_formats_are_one_number(api: Api, phone: str) -> None:
    group = api.group()
    response = api.add(group, phoneNumber=phone)
    assert response.status_code == 200
    assert response.json()["contact"]["phoneNumber"] == "+33612345678"


def test_foreign_number(api: Api) -> None:
    group = api.group()
    response = api.add(group, phoneNumber="+4915123456789")
    assert response.json()["contact"]["phoneNumber"] == "+4915123456789"


@pytest.mark.parametrize(
    "phone", ["0612", "+33 6 12", "0800FLOWERS", "0612345678x", "+999123456789"]
)
def test_invalid_number_is_code_9(api: Api, phone: str) -> None:
    group = api.group()
    response = api.add(group, phoneNumber=phone)
    assert response.status_code == 400
    body = response.json()
    assert body["success"] is False and body["code"] == 9
    assert "phoneNumber" in error_fields(body)


@pytest.mark.parametrize(
    "contact", [{}, {"phoneNumber": ""}, {"phoneNumber": None}, {"firstname": "x"}]
)
def test_missing_number_is_code_2(api: Api, contact: dict[str, object]) -> None:
    group = api.group()
    response = api.post("/v1/contact/add", groupId=group, contact=contact)
    assert response.status_code == 400
    assert response.json()["code"] == 2


def test_missing_contact_is_code_2(api: Api) -> None:
    group = api.group()
    response = api.post("/v1/contact/add", groupId=group)
    assert response.status_code == 400
    assert response.json()["code"] == 2


def test_missing_group_is_code_1(api: Api) -> None:
    response = api.post("/v1/contact/add", contact={"phoneNumber": "0612345678"})
    assert response.status_code == 400
    assert response.json()["code"] == 1


def test_unknown_group_is_404_before_contact_checks(api: Api) -> None:
    response = api.post("/v1/contact/add", groupId="nope", contact={"phoneNumber": "12"})
    assert response.status_code == 404
    assert response.json()["code"] == 404


@pytest.mark.parametrize("field", ["firstname", "lastname"])
def test_name_limit_is_32_code_points(api: Api, field: str) -> None:
    group = api.group()
    ok = api.add(group, phoneNumber="0612345678", **{field: "é" * 32})
    assert ok.status_code == 200
    assert ok.json()["contact"][field] == "é" * 32
    # Spaces around do not count.
    ok_padded = api.add(group, phoneNumber="0612345679", **{field: "  " + "a" * 32 + "  "})
    assert ok_padded.status_code == 200
    refused = api.add(group, phoneNumber="0612345670", **{field: "é" * 33})
    assert refused.status_code == 400
    assert refused.json()["code"] == 18
    assert field in error_fields(refused.json())


@pytest.mark.parametrize("field", ["custom1", "custom2", "custom3", "custom4"])
def test_custom_limit_is_255(api: Api, field: str) -> None:
    group = api.group()
    assert api.add(group, phoneNumber="0612345678", **{field: "x" * 255}).status_code == 200
    refused = api.add(group, phoneNumber="0612345679", **{field: "x" * 256})
    assert refused.status_code == 400
    assert refused.json()["code"] == 18


@pytest.mark.parametrize(
    "value",
    [
        "2024-02-30",
        "2023-02-29",
        "1990-13-01",
        "1990-1-1",
        "01/02/1990",
        "tomorrow",
        "2024-02-29T00:00",
    ],
)
def test_bad_date_is_code_16(api: Api, value: str) -> None:
    group = api.group()
    response = api.add(group, phoneNumber="0612345678", date=value)
    assert response.status_code == 400
    assert response.json()["code"] == 16
    assert "date" in error_fields(response.json())


def test_leap_day_is_a_date(api: Api) -> None:
    group = api.group()
    assert api.add(group, phoneNumber="0612345678", date="2024-02-29").status_code == 200


@pytest.mark.parametrize(
    "value",
    [
        "ftp://example.org",
        "example.org",
        "http://",
        "https:// example.org",
        "http://exa mple.org",
        "javascript:alert(1)",
        "http://a.b/\x01",
    ],
)
def test_bad_url_is_code_17(api: Api, value: str) -> None:
    group = api.group()
    response = api.add(group, phoneNumber="0612345678", url=value)
    assert response.status_code == 400
    assert response.json()["code"] == 17


def test_url_limit_is_2048(api: Api) -> None:
    group = api.group()
    base = "https://example.org/"
    assert (
        api.add(group, phoneNumber="0612345678", url=base + "a" * (2048 - len(base))).status_code
        == 200
    )
    refused = api.add(group, phoneNumber="0612345679", url=base + "a" * (2049 - len(base)))
    assert refused.status_code == 400
    assert refused.json()["code"] == 18


def test_several_bad_fields_are_all_named_first_code_wins(api: Api) -> None:
    group = api.group()
    response = api.add(group, phoneNumber="12", firstname="x" * 40, date="2020-02-31", url="nope")
    body = response.json()
    assert response.status_code == 400
    assert body["code"] == 9
    assert set(error_fields(body)) == {"phoneNumber", "firstname", "date", "url"}
    response = api.add(
        group, phoneNumber="0612345678", date="2020-02-31", url="nope", lastname="y" * 33
    )
    assert response.json()["code"] == 18
    # Named in the contract's order of fields, whatever order they were sent in.
    assert error_fields(response.json()) == ["lastname", "date", "url"]
    assert response.json()["message"].index("lastname") < response.json()["message"].index("url")
    response = api.add(group, phoneNumber="0612345678", date="2020-02-31", url="nope")
    assert response.json()["code"] == 16


def test_field_errors_are_upstreams_list_one_item_per_field_in_the_contracts_order(
    api: Api,
) -> None:
    group = api.group()
    response = api.add(
        group, url="nope", custom2="z" * 256, date="31/02/1991", phoneNumber="0612345678"
    )
    body = response.json()
    assert (response.status_code, body["success"], body["code"]) == (400, False, 18)
    assert body["message"] == (
        "date: must be a date in YYYY-MM-DD format; url: must start with http:// or https://; "
        "custom2: at most 255 characters"
    )
    assert body["errors"] == [
        {"elementId": "children[date].data", "message": "must be a date in YYYY-MM-DD format"},
        {"elementId": "children[url].data", "message": "must start with http:// or https://"},
        {"elementId": "children[custom2].data", "message": "at most 255 characters"},
    ]
    missing = api.post("/v1/contact/add", contact={"phoneNumber": "0612345678"}).json()
    assert (missing["code"], missing["errors"]) == (
        1,
        [{"elementId": "children[groupId].data", "message": "required"}],
    )


@pytest.mark.parametrize(
    "contact",
    [
        {"phoneNumber": ["0612345678"]},
        {"phoneNumber": {"n": 1}},
        {"phoneNumber": True},
        {"phoneNumber": "0612345678", "firstname": ["a"]},
        {"phoneNumber": "0612345678", "custom1": {"x": 1}},
        {"phoneNumber": "0612345678", "date": 20200101},
    ],
)
def test_wrong_types_are_a_clear_400(api: Api, contact: dict[str, object]) -> None:
    group = api.group()
    response = api.post("/v1/contact/add", groupId=group, contact=contact)
    assert response.status_code == 400
    body = response.json()
    assert body["success"] is False
    assert body["code"] in (3, 9, 16)
    assert body["errors"]
    assert api.get("/v1/group/list").json()["groups"][0]["contactCount"] == 0


def test_lone_surrogate_in_a_field_is_refused(api: Api) -> None:
    group = api.group()
    fields = '{"phoneNumber": "0612345678", "firstname": "\\ud800"}'
    body = f'{{"apiKey": "{api.key}", "groupId": "{group}", "contact": {fields}}}'
    response = api.client.post(
        "/v1/contact/add", content=body.encode(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"elementId": "children[firstname].data", "message": "is not valid Unicode text"}
    ]


@pytest.mark.parametrize("contact", ["0612345678", ["0612345678"], 12])
def test_contact_that_is_not_an_object_is_code_3(api: Api, contact: object) -> None:
    group = api.group()
    response = api.post("/v1/contact/add", groupId=group, contact=contact)
    assert response.status_code == 400
    assert response.json()["code"] == 3


def test_numeric_phone_and_fields_are_read_as_text(api: Api) -> None:
    group = api.group()
    response = api.add(group, phoneNumber="0612345678", custom1=42)
    assert response.status_code == 200
    assert response.json()["contact"]["custom1"] == "42"


def test_duplicate_in_group_is_409_code_15(api: Api) -> None:
    group = api.group()
    assert api.add(group, phoneNumber="0612345678").status_code == 200
    again = api.add(group, phoneNumber="+33 6 12 34 56 78")
    assert again.status_code == 409
    assert again.json()["code"] == 15
    assert api.get("/v1/group/list").json()["groups"][0]["contactCount"] == 1


def test_same_number_in_two_groups_is_fine(api: Api) -> None:
    first, second = api.group("a"), api.group("b")
    assert api.add(first, phoneNumber="0612345678").status_code == 200
    assert api.add(second, phoneNumber="0612345678").status_code == 200


def test_stop_listed_number_is_409_code_14(api: Api) -> None:
    group = api.group()
    assert api.post("/v1/stop-sms/add", phoneNumber="0612345678").status_code == 200
    response = api.add(group, phoneNumber="+33612345678")
    assert response.status_code == 409
    assert response.json()["code"] == 14


def test_stop_list_is_checked_before_duplicates(api: Api) -> None:
    group = api.group()
    api.add(group, phoneNumber="0612345678")
    api.post("/v1/stop-sms/add", phoneNumber="0612345678")
    assert api.add(group, phoneNumber="0612345678").json()["code"] == 14


def test_form_body_with_nested_names(api: Api) -> None:
    group = api.group()
    response = api.client.post(
        "/v1/contact/add",
        data={
            "apiKey": api.key,
            "groupId": group,
            "contact[phoneNumber]": "0612345678",
            "contact[firstname]": "Jean",
        },
    )
    assert response.status_code == 200, response.text
    assert response.json()["contact"]["firstname"] == "Jean"
    assert response.json()["contact"]["phoneNumber"] == "+33612345678"


def test_query_string_parameters(api: Api) -> None:
    group = api.group()
    response = api.client.post(
        "/v1/contact/add",
        params={"apiKey": api.key, "groupId": group, "contact[phoneNumber]": "0612345678"},
    )
    assert response.status_code == 200, response.text


def test_body_wins_over_query_string(api: Api) -> None:
    group = api.group()
    response = api.client.post(
        "/v1/contact/add",
        params={"apiKey": api.key, "groupId": "wrong-group"},
        json={"groupId": group, "contact": {"phoneNumber": "0612345678"}},
    )
    assert response.status_code == 200, response.text
