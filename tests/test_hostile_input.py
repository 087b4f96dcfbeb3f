"""Input no well-behaved client sends, answered by the contract and never by a 500.

Each case was found by testing from outside: redirects, digits of other
scripts, NUL and other control characters, lone surrogates asked as XML,
parameters of a GET sent in its body. On both engines.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from support.api import Api
from support.documents import assert_same_document, parse_xml
from support.wire import error_fields

TEXT_FIELDS = [
    "firstname",
    "lastname",
    "shortUrlPartnr",
    "custom1",
    "custom2",
    "custom3",
    "custom4",
]
# Digits that str.isdigit() accepts: superscript two, Arabic-Indic one, fullwidth one.
OTHER_DIGITS = ["\u00b2", "\u0661", "\uff11", "2\u00b2"]
CONTROLS = ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x1f"]


def contact_count(api: Api) -> int:
    return sum(g["contactCount"] for g in api.get("/v1/group/list").json()["groups"])


def json_post(api: Api, path: str, text: str) -> Any:
    """POST a JSON body written by hand (to carry escapes such as a lone surrogate)."""
    return api.client.post(
        path, content=text.encode(), headers={"Content-Type": "application/json"}
    )


# -- no redirects ----------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/v1/group/list/", "/v1/contact/add/", "/v1/nothing/", "/v1/nothing", "/healthz/"]
)
def test_no_path_answers_with_a_redirect(api: Api, path: str) -> None:
    for method in ("GET", "POST"):
        response = api.client.request(
            method,
            path,
            params={"apiKey": api.key},
            headers={"Host": "evil.example"},
            follow_redirects=False,
        )
        assert response.status_code == 404, (method, path, response.status_code)
        assert "location" not in response.headers
        assert response.json() == {"success": False, "code": 404, "message": "No such path"}


# -- digits ------------------------------------------------------------------------


@pytest.mark.parametrize("page", OTHER_DIGITS)
def test_a_page_in_other_digits_is_code_3(api: Api, page: str) -> None:
    group = api.group()
    for response in (
        api.get("/v1/contact/list", groupId=group, page=page),
        api.post("/v1/contact/list", groupId=group, page=page),
    ):
        assert response.status_code == 400, response.text
        assert response.json()["code"] == 3


@pytest.mark.parametrize("index", OTHER_DIGITS)
def test_a_form_index_in_other_digits_is_not_a_list(api: Api, index: str) -> None:
    group = api.group()
    response = api.client.post(
        "/v1/contact/add",
        data={
            "apiKey": api.key,
            "groupId": group,
            f"contactsList[{index}][phoneNumber]": "0612345678",
        },
    )
    assert response.status_code == 400, response.text
    assert response.json()["code"] == 3
    assert contact_count(api) == 0


@pytest.mark.parametrize("index", OTHER_DIGITS)
def test_a_query_key_in_other_digits_is_ignored(api: Api, index: str) -> None:
    anonymous = api.client.get(f"/v1/group/list?x[{index}]=1")
    assert anonymous.status_code == 401 and anonymous.json()["code"] == 10
    known = api.client.get(f"/v1/group/list?x[{index}]=1&apiKey={api.key}")
    assert known.status_code == 200 and known.json()["groups"] == []


# -- control characters ------------------------------------------------------------


@pytest.mark.parametrize("control", CONTROLS)
def test_a_group_name_with_a_control_character_is_code_3(api: Api, control: str) -> None:
    response = api.post("/v1/group/add", name=f"Clients{control}VIP")
    assert response.status_code == 400, response.text
    assert response.json()["code"] == 3
    assert "name" in error_fields(response.json())
    assert api.get("/v1/group/list").json()["groups"] == []


@pytest.mark.parametrize("field", TEXT_FIELDS)
@pytest.mark.parametrize("control", CONTROLS)
def test_a_text_field_with_a_control_character_is_code_3(
    api: Api, field: str, control: str
) -> None:
    group = api.group()
    response = api.add(group, phoneNumber="0612345678", **{field: f"a{control}b"})
    assert response.status_code == 400, response.text
    assert response.json()["code"] == 3
    assert error_fields(response.json()) == [field]
    assert contact_count(api) == 0


def test_tabs_and_line_ends_are_text(api: Api) -> None:
    group = api.group("a\tb")
    response = api.add(group, phoneNumber="0612345678", custom1="x\ty", custom2="one\r\ntwo\n3")
    assert response.status_code == 200, response.text
    assert response.json()["contact"]["custom1"] == "x\ty"
    assert response.json()["contact"]["custom2"] == "one\r\ntwo\n3"
    assert api.get("/v1/group/list").json()["groups"][0]["name"] == "a\tb"


def test_control_characters_in_an_update_or_a_batch_row_are_code_3(api: Api) -> None:
    group = api.group()
    contact_id = api.add(group, phoneNumber="0612345678").json()["contact"]["contactId"]
    update = api.post("/v1/contact/update", contactId=contact_id, contact={"custom2": "a\x00"})
    assert update.status_code == 400 and update.json()["code"] == 3
    assert api.get("/v1/contact/detail", contactId=contact_id).json()["contact"]["custom2"] == ""
    rows = [{"phoneNumber": "0622222222", "lastname": "\x00"}, {"phoneNumber": "0633333333"}]
    report = api.post("/v1/contact/add", groupId=group, contactsList=rows).json()
    assert [r["code"] for r in report["results"]] == [3, 200]
    assert report["rapport"]["errors"]["invalidField"] == 1
    assert contact_count(api) == 2


@pytest.mark.parametrize("control", ["\x00", "\x1f"])
def test_a_number_with_a_control_character_is_an_invalid_number(api: Api, control: str) -> None:
    group = api.group()
    for response in (
        api.add(group, phoneNumber=f"06123{control}45678"),
        api.post("/v1/stop-sms/add", phoneNumber=f"061234{control}5678"),
    ):
        assert response.status_code == 400, response.text
        assert response.json()["code"] == 9
        assert error_fields(response.json()) == ["phoneNumber"]
    assert contact_count(api) == 0
    assert api.get("/v1/stop-sms/list").json()["nbData"] == 0


def test_an_id_with_a_nul_is_unknown(api: Api) -> None:
    group = api.group()
    contact_id = api.add(group, phoneNumber="0612345678").json()["contact"]["contactId"]
    stop_id = api.post("/v1/stop-sms/add", phoneNumber="0699999999").json()["stopId"]
    calls = [
        api.add(group + "\x00", phoneNumber="0611111111"),
        api.post("/v1/contact/add", groupId="\x00", contactsList=[{"phoneNumber": "0611111111"}]),
        api.get("/v1/contact/list", groupId=group + "\x00"),
        api.post("/v1/group/delete", groupId=group + "\x00"),
        api.get("/v1/contact/detail", contactId=contact_id + "\x00"),
        api.post("/v1/contact/update", contactId="\x00" + contact_id, contact={"lastname": "x"}),
        api.post("/v1/contact/delete", contactId=contact_id[:5] + "\x00" + contact_id[5:]),
        api.post("/v1/stop-sms/delete", id=str(stop_id) + "\x00"),
        api.get("/v1/stop-sms/delete", id="\x00"),
    ]
    for response in calls:
        assert response.status_code == 404, response.text
        assert response.json()["code"] == 404
    assert contact_count(api) == 1
    assert api.get("/v1/stop-sms/list").json()["nbData"] == 1


# -- XML ------------------------------------------------------------------------------


def test_a_lone_surrogate_echoed_in_a_batch_is_well_formed_xml(api: Api) -> None:
    rows = (
        '[{"phoneNumber": "\\ud800"}, {"phoneNumber": "06\\udfff12"},'
        ' {"phoneNumber": "0612345678", "firstname": "\\udc00"}]'
    )
    answers = []
    for path in ("/v1/contact/add", "/v1/contact/add?_format=xml"):
        body = f'{{"apiKey": "{api.key}", "groupId": "{api.group()}", "contactsList": {rows}}}'
        answers.append(json_post(api, path, body))
    as_json, as_xml = answers
    assert as_json.status_code == as_xml.status_code == 200
    report = as_json.json()
    assert [r["phoneNumber"] for r in report["results"]] == ["\ud800", "06\udfff12", "+33612345678"]
    # The same document, but for the group's id, which differs.
    report["groupe"]["token"] = as_xml.text.split("<token>")[1].split("</token>")[0]
    assert_same_document(parse_xml(as_xml), report)
    assert contact_count(api) == 0


def test_healthz_answers_xml_when_asked(api: Api) -> None:
    as_json = api.client.get("/healthz")
    as_xml = api.client.get("/healthz", params={"_format": "xml"})
    assert as_xml.status_code == as_json.status_code == 200
    assert_same_document(parse_xml(as_xml), as_json.json())


# -- parameters in the body of any method ------------------------------------------------


def test_a_get_takes_its_parameters_from_a_json_body(api: Api) -> None:
    group = api.group("Clients")
    contact_id = api.add(group, phoneNumber="0612345678").json()["contact"]["contactId"]

    def get(path: str, **params: Any) -> Any:
        return api.client.request(
            "GET",
            path,
            content=json.dumps({"apiKey": api.key, **params}),
            headers={"Content-Type": "application/json"},
        )

    listed = get("/v1/group/list")
    assert listed.status_code == 200, listed.text
    assert [g["name"] for g in listed.json()["groups"]] == ["Clients"]
    detail = get("/v1/contact/detail", contactId=contact_id)
    assert detail.status_code == 200, detail.text
    assert detail.json()["contact"]["phone"] == "+33612345678"
    page = get("/v1/contact/list", groupId=group, page=2)
    assert page.status_code == 200 and page.json()["currentPage"] == 2
    as_xml = get("/v1/stop-sms/list", _format="xml")
    assert parse_xml(as_xml).findtext("nbData") == "0"


def test_a_get_takes_a_form_body_and_the_body_wins(api: Api) -> None:
    group = api.group()
    contact_id = api.add(group, phoneNumber="0612345678").json()["contact"]["contactId"]
    response = api.client.request(
        "GET",
        "/v1/contact/detail",
        params={"apiKey": api.key, "contactId": "not-this-one"},
        content=f"contactId={contact_id}",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["contact"]["contactId"] == contact_id
