"""``_format=xml`` on every endpoint: the same document as the JSON, errors included."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

import pytest

from support.api import Api


def assert_same(element: ET.Element, value: Any, where: str = "response") -> None:
    """The XML element carries exactly ``value`` (the JSON answer), by the contract's rules."""
    children = list(element)
    if isinstance(value, dict):
        assert [c.tag for c in children] == list(value), where
        for child, (key, item) in zip(children, value.items(), strict=True):
            assert_same(child, item, f"{where}/{key}")
    elif isinstance(value, list):
        assert [c.tag for c in children] == ["item"] * len(value), where
        for child, item in zip(children, value, strict=True):
            assert_same(child, item, f"{where}/item")
    elif isinstance(value, bool):
        assert element.text == ("true" if value else "false"), where
    elif value is None or value == "":
        assert element.text is None and not children, where
    else:
        assert element.text == str(value), where


def xml_of(response: Any) -> ET.Element:
    assert response.headers["content-type"].startswith("application/xml"), response.text
    assert response.text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    root = ET.fromstring(response.content)
    assert root.tag == "response"
    return root


def both(api: Api, method: str, path: str, **params: Any) -> tuple[Any, ET.Element]:
    """The JSON answer and the XML answer of one read-only call."""
    call = api.get if method == "GET" else api.post
    as_json = call(path, **params)
    as_xml = call(path, _format="xml", **params)
    assert as_xml.status_code == as_json.status_code
    return as_json.json(), xml_of(as_xml)


@pytest.fixture
def book(api: Api) -> dict[str, str]:
    """A group with two contacts (one stop-listed, one with every field) and a stop entry."""
    group = api.group("Clients & <co>")
    full = api.add(
        group, phoneNumber="0612345678", firstname="Zoé", url="https://e.org/?a=1&b=2"
    ).json()["contact"]["contactId"]
    bare = api.add(group, phoneNumber="0622222222").json()["contact"]["contactId"]
    stop = api.post("/v1/stop-sms/add", phoneNumber="0622222222").json()["stopId"]
    return {"group": group, "full": full, "bare": bare, "stop": stop}


@pytest.mark.parametrize(
    ("method", "path", "params"),
    [
        ("GET", "/v1/group/list", {}),
        ("GET", "/v1/contact/detail", {"contactId": "full"}),
        ("GET", "/v1/contact/detail", {"contactId": "bare"}),
        ("GET", "/v1/contact/list", {"groupId": "group"}),
        ("POST", "/v1/contact/list", {"groupId": "group", "page": 2}),
        ("GET", "/v1/stop-sms/list", {}),
        ("GET", "/v1/contact/detail", {"contactId": "unknown"}),
        ("GET", "/v1/contact/list", {"groupId": "group", "page": "abc"}),
        ("GET", "/v1/contact/list", {}),
    ],
)
def test_reads_answer_the_same_document(
    api: Api, book: dict[str, str], method: str, path: str, params: dict[str, Any]
) -> None:
    resolved = {k: book.get(v, v) if isinstance(v, str) else v for k, v in params.items()}
    as_json, root = both(api, method, path, **resolved)
    assert_same(root, as_json)


def test_detail_in_xml_has_booleans_and_empty_elements(api: Api, book: dict[str, str]) -> None:
    root = xml_of(api.get("/v1/contact/detail", contactId=book["bare"], _format="xml"))
    assert root.findtext("contact/stopSms") == "true"
    assert root.findtext("contact/phone") == "+33622222222"
    firstname = root.find("contact/firstname")
    assert firstname is not None and firstname.text is None
    raw = api.get("/v1/contact/detail", contactId=book["bare"], _format="xml").text
    assert "<firstname/>" in raw
    full = xml_of(api.get("/v1/contact/detail", contactId=book["full"], _format="xml"))
    assert full.findtext("contact/url") == "https://e.org/?a=1&b=2"
    assert full.findtext("contact/firstname") == "Zoé"


def test_list_items_are_item_elements(api: Api, book: dict[str, str]) -> None:
    root = xml_of(api.get("/v1/contact/list", groupId=book["group"], _format="xml"))
    assert root.findtext("total") == "2"
    phones = [item.findtext("phone") for item in root.findall("datas/item")]
    assert phones == ["+33612345678", "+33622222222"]
    empty = xml_of(api.get("/v1/contact/list", groupId=book["group"], page=9, _format="xml"))
    datas = empty.find("datas")
    assert datas is not None and list(datas) == []


def test_writes_answer_in_xml(api: Api, book: dict[str, str]) -> None:
    group_added = xml_of(api.post("/v1/group/add", name="Other", _format="xml"))
    group = group_added.findtext("groupId")
    assert group and group_added.findtext("name") == "Other"

    added = xml_of(
        api.post(
            "/v1/contact/add",
            groupId=group,
            contact={"phoneNumber": "0633333333"},
            _format="xml",
        )
    )
    assert added.findtext("success") == "true"
    assert added.findtext("contact/phoneNumber") == "+33633333333"
    contact_id = added.findtext("contact/contactId")
    assert contact_id

    updated = xml_of(
        api.post(
            "/v1/contact/update",
            contactId=contact_id,
            contact={"lastname": "Martin"},
            _format="xml",
        )
    )
    assert updated.findtext("contact/lastname") == "Martin"
    assert updated.findtext("contact/contactId") == contact_id

    deleted = xml_of(api.post("/v1/contact/delete", contactId=contact_id, _format="xml"))
    assert_same(deleted, {"success": True, "code": 200})

    stop = xml_of(api.post("/v1/stop-sms/add", phoneNumber="0644444444", _format="xml"))
    stop_id = stop.findtext("stopId")
    assert stop_id
    assert_same(
        xml_of(api.get("/v1/stop-sms/delete", id=stop_id, _format="xml")),
        {"success": True, "code": 200},
    )
    assert_same(
        xml_of(api.post("/v1/group/delete", groupId=group, _format="xml")),
        {"success": True, "code": 200},
    )
    assert api.get("/v1/group/list").json()["groups"][0]["id"] == book["group"]


def test_batch_report_in_xml(api: Api, book: dict[str, str]) -> None:
    response = api.post(
        "/v1/contact/add",
        groupId=book["group"],
        contactsList=[{"phoneNumber": "0655555555"}, {"phoneNumber": "x"}, "not a row"],
        _format="xml",
    )
    root = xml_of(response)
    assert root.findtext("groupe/token") == book["group"]
    assert root.findtext("groupe/name") == "Clients & <co>"
    results = root.findall("results/item")
    assert [r.findtext("success") for r in results] == ["true", "false", "false"]
    assert [r.findtext("code") for r in results] == ["200", "9", "2"]
    assert results[1].find("contactId") is not None and results[1].findtext("contactId") == ""
    assert root.findtext("rapport/nbline") == "3"
    errors = root.find("rapport/errors")
    assert errors is not None
    assert {e.tag: e.text for e in errors} == {
        "stopSms": "0",
        "invalidePhone": "1",
        "duplicatePhone": "0",
        "allreadyInGroupe": "0",
        "urlInvalide": "0",
        "dateInvalide": "0",
        "empty": "1",
        "unactivated": "0",
        "dateInvalid": "0",
        "invalidField": "0",
    }


@pytest.mark.parametrize(
    ("request_", "status", "code"),
    [
        (lambda api: api.client.get("/v1/stop-sms/list", params={"_format": "xml"}), 401, 10),
        (lambda api: api.post("/v1/contact/update", contactId="nope", _format="xml"), 404, 404),
        (lambda api: api.post("/v1/stop-sms/add", _format="xml"), 400, 2),
        (lambda api: api.post("/v1/stop-sms/add", phoneNumber="12", _format="xml"), 400, 9),
        (lambda api: api.post("/v1/contact/delete", _format="xml"), 400, 1),
        (lambda api: api.get("/v1/contact/update", _format="xml"), 405, 405),
        (lambda api: api.get("/v1/no/such/path", _format="xml"), 404, 404),
        (
            lambda api: api.client.post(
                "/v1/group/add?_format=xml",
                content=b"{not json",
                headers={"Content-Type": "application/json"},
            ),
            400,
            90,
        ),
    ],
)
def test_errors_answer_in_xml(api: Api, request_: Any, status: int, code: int) -> None:
    response = request_(api)
    assert response.status_code == status
    root = xml_of(response)
    assert root.findtext("success") == "false"
    assert root.findtext("code") == str(code)
    assert root.findtext("message")


def test_field_errors_are_listed_in_xml(api: Api, book: dict[str, str]) -> None:
    response = api.post(
        "/v1/contact/add",
        groupId=book["group"],
        contact={"phoneNumber": "0666666666", "date": "2021-02-30", "url": "x"},
        _format="xml",
    )
    assert response.status_code == 400
    root = xml_of(response)
    assert root.findtext("code") == "16"
    items = root.findall("errors/item")
    assert [i.findtext("elementId") for i in items] == ["children[date].data", "children[url].data"]
    assert all(i.findtext("message") for i in items)


def test_xml_as_a_form_field(api: Api) -> None:
    response = api.client.post(
        "/v1/group/add", data={"apiKey": api.key, "name": "Form", "_format": "xml"}
    )
    assert xml_of(response).findtext("name") == "Form"
