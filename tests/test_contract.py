"""The server agrees with carnet.contract: the wire, the rules and /openapi.json.

Field names and limits, the batch and page sizes, the report's buckets, the
codes' HTTP statuses and the order of field rules are defined once in
``carnet.contract``; these tests fail when an answer, a rule or the OpenAPI
document says otherwise. On both engines.
"""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from carnet import contract
from carnet.contract import CONTACT_FIELDS
from support.api import Api
from support.wire import error_fields

WIRE_NAMES = [f.wire for f in CONTACT_FIELDS]
LIMITED = [f for f in CONTACT_FIELDS if f.limit is not None]


def a_value(field: contract.ContactField, length: int) -> str:
    """A value of the field that breaks no rule but maybe its length."""
    if field.rule == "url":
        base = "https://example.org/"
        return base + "p" * (length - len(base))
    return "é" * length


def added(api: Api, group: str, **fields: Any) -> str:
    response = api.add(group, **fields)
    assert response.status_code == 200, response.text
    contact_id: str = response.json()["contact"]["contactId"]
    return contact_id


# -- the wire ----------------------------------------------------------------------


def test_answers_name_the_fields_as_the_contract_does(api: Api) -> None:
    group = api.group()
    contact_id = added(api, group, phoneNumber="0612345678")
    as_sent = [*WIRE_NAMES, "contactId"]
    assert list(api.add(group, phoneNumber="0622222222").json()["contact"]) == as_sent
    updated = api.post("/v1/contact/update", contactId=contact_id, contact={"firstname": "A"})
    assert list(updated.json()["contact"]) == as_sent
    detail = api.get("/v1/contact/detail", contactId=contact_id).json()["contact"]
    assert list(detail) == list(contract.CONTACT_DETAIL_KEYS)
    assert {f.detail for f in CONTACT_FIELDS} <= set(detail)
    items = api.get("/v1/contact/list", groupId=group).json()["datas"]
    assert [list(item) for item in items] == [list(contract.CONTACT_DETAIL_KEYS)] * 2
    report = api.post("/v1/contact/add", groupId=group, contactsList=[{"phoneNumber": "x"}])
    assert list(report.json()["rapport"]["errors"]) == list(contract.BUCKETS)


@pytest.mark.parametrize("field", LIMITED, ids=lambda f: f.wire)
def test_each_limit_is_the_contracts(api: Api, field: contract.ContactField) -> None:
    assert field.limit is not None
    group = api.group()
    kept = api.add(group, phoneNumber="0612345678", **{field.wire: a_value(field, field.limit)})
    assert kept.status_code == 200, kept.text
    too_long = a_value(field, field.limit + 1)
    refused = api.add(group, phoneNumber="0622222222", **{field.wire: too_long})
    assert refused.status_code == 400
    assert (refused.json()["code"], error_fields(refused.json())) == (18, [field.wire])
    row = api.post(
        "/v1/contact/add",
        groupId=group,
        contactsList=[{field.wire: too_long, "phoneNumber": "0633333333"}],
    )
    assert row.json()["results"][0]["code"] == 18
    assert row.json()["rapport"]["errors"]["invalidField"] == 1


def test_the_group_name_limit_is_the_contracts(api: Api) -> None:
    assert api.post("/v1/group/add", name="n" * contract.GROUP_NAME_MAX).status_code == 200
    refused = api.post("/v1/group/add", name="n" * (contract.GROUP_NAME_MAX + 1))
    assert (refused.status_code, refused.json()["code"]) == (400, 3)


def test_the_batch_and_page_sizes_are_the_contracts(api: Api) -> None:
    group = api.group()
    full = api.post(
        "/v1/contact/add", groupId=group, contactsList=[{"phoneNumber": "x"}] * contract.BATCH_MAX
    )
    assert full.status_code == 200 and full.json()["rapport"]["nbline"] == contract.BATCH_MAX
    over = api.post("/v1/contact/add", groupId=group, contactsList=[{}] * (contract.BATCH_MAX + 1))
    assert (over.status_code, over.json()["code"]) == (400, 50)
    rows = [{"phoneNumber": f"+3361{n:07d}"} for n in range(contract.PAGE_SIZE + 1)]
    assert api.post("/v1/contact/add", groupId=group, contactsList=rows).status_code == 200
    first = api.get("/v1/contact/list", groupId=group, page=1).json()["datas"]
    second = api.get("/v1/contact/list", groupId=group, page=2).json()["datas"]
    assert (len(first), len(second)) == (contract.PAGE_SIZE, 1)


def test_every_code_answers_with_the_contracts_status(api: Api, client: TestClient) -> None:
    group = api.group()
    added(api, group, phoneNumber="0611111111")
    api.post("/v1/stop-sms/add", phoneNumber="0699999999")
    answers = [
        api.post("/v1/contact/add", contact={"phoneNumber": "0612345678"}),
        api.post("/v1/contact/add", groupId=group),
        api.post("/v1/group/add", name=["x"]),
        api.add(group, phoneNumber="12"),
        client.get("/v1/group/list"),
        api.add(group, phoneNumber="0699999999"),
        api.add(group, phoneNumber="0611111111"),
        api.add(group, phoneNumber="0612345678", date="nope"),
        api.add(group, phoneNumber="0612345678", url="nope"),
        api.add(group, phoneNumber="0612345678", firstname="x" * 99),
        api.post("/v1/contact/add", groupId=group, contactsList=[{}] * 501),
        client.post("/v1/group/add", content=b"{", headers={"Content-Type": "application/json"}),
        api.get("/v1/contact/detail", contactId="nope"),
        api.get("/v1/contact/add"),
    ]
    codes = [response.json()["code"] for response in answers]
    assert codes == [1, 2, 3, 9, 10, 14, 15, 16, 17, 18, 50, 90, 404, 405]
    for code, response in zip(codes, answers, strict=True):
        assert response.status_code == contract.CODES[code][0], code


# -- the order of field rules: 9, 3, 18, 16, 17 -----------------------------------------


def judged(api: Api, fields: dict[str, Any]) -> list[tuple[int, list[str]]]:
    """The code (and the fields named) of one contact as a single add, an update, a batch row."""
    group = api.group()
    single = api.post("/v1/contact/add", groupId=group, contact=fields).json()
    contact_id = added(api, group, phoneNumber="0698765432")
    update = api.post("/v1/contact/update", contactId=contact_id, contact=fields).json()
    row = api.post("/v1/contact/add", groupId=group, contactsList=[fields]).json()["results"][0]
    row_fields = [name for name in WIRE_NAMES if f"{name}:" in row["message"]]
    return [
        (single["code"], error_fields(single)),
        (update["code"], error_fields(update)),
        (row["code"], row_fields),
    ]


def test_a_bad_number_answers_before_a_field_of_the_wrong_type(api: Api) -> None:
    fields = {"phoneNumber": "12", "firstname": ["x"]}
    assert judged(api, fields) == [(9, ["phoneNumber", "firstname"])] * 3


def test_a_field_of_the_wrong_type_answers_before_the_other_field_rules(api: Api) -> None:
    fields = {
        "phoneNumber": "0612345678",
        "url": "nope",
        "date": "2021-02-30",
        "lastname": "l" * 40,
        "custom3": {"an": "object"},
    }
    expected = (3, ["lastname", "date", "url", "custom3"])
    assert judged(api, fields) == [expected] * 3


def test_a_batch_row_with_a_field_of_the_wrong_type_is_an_invalid_field(api: Api) -> None:
    group = api.group()
    rows = [
        {"phoneNumber": "0612345678", "custom1": True},
        {"phoneNumber": ["0612345678"], "custom1": True},
        {"phoneNumber": "0612345679", "firstname": "f" * 40, "lastname": [1]},
    ]
    report = api.post("/v1/contact/add", groupId=group, contactsList=rows).json()
    assert [r["code"] for r in report["results"]] == [3, 9, 3]
    assert report["rapport"]["errors"]["invalidField"] == 2
    assert report["rapport"]["errors"]["invalidePhone"] == 1


def test_a_number_is_judged_whole_by_its_own_rule(api: Api) -> None:
    # A number of the wrong type, or holding what no number holds, is an invalid number.
    for phone in (["0612345678"], {"n": 1}, True, "06\x0012345678"):
        fields = {"phoneNumber": phone, "custom1": ["x"]}
        assert judged(api, fields) == [(9, ["phoneNumber", "custom1"])] * 3
    group = api.group()
    contact = '{"phoneNumber": "06\\ud800"}'
    body = f'{{"apiKey": "{api.key}", "groupId": "{group}", "contact": {contact}}}'
    response = api.client.post(
        "/v1/contact/add", content=body.encode(), headers={"Content-Type": "application/json"}
    )
    assert (response.status_code, response.json()["code"]) == (400, 9)


# -- /openapi.json ------------------------------------------------------------------


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` with its $ref followed, and a nullable anyOf reduced to its non-null part."""
    while True:
        if "$ref" in schema:
            schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
        elif "anyOf" in schema:
            [schema] = [s for s in schema["anyOf"] if s.get("type") != "null"]
        else:
            return schema


def _body(spec: dict[str, Any], path: str) -> dict[str, Any]:
    body = spec["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]
    return _resolve(spec, body)


def _answer(spec: dict[str, Any], path: str, method: str, index: int = 0) -> dict[str, Any]:
    schema = spec["paths"][path][method]["responses"]["200"]["content"]["application/json"]
    answer = schema["schema"]
    if "anyOf" in answer:
        answer = answer["anyOf"][index]
    return _resolve(spec, answer)


def _limits(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, int | None]:
    properties = schema["properties"]
    return {name: _resolve(spec, properties[name]).get("maxLength") for name in properties}


def test_the_openapi_document_agrees_with_the_contract(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    limits = {f.wire: f.limit for f in CONTACT_FIELDS}

    add = _body(spec, "/v1/contact/add")
    contact = _resolve(spec, add["properties"]["contact"])
    assert _limits(spec, contact) == limits
    assert list(contact["properties"]) == WIRE_NAMES
    assert contact["required"] == [f.wire for f in CONTACT_FIELDS if f.required]
    rows = _resolve(spec, add["properties"]["contactsList"])
    assert rows["maxItems"] == contract.BATCH_MAX
    assert _limits(spec, _resolve(spec, rows["items"])) == limits
    changes = _resolve(spec, _body(spec, "/v1/contact/update")["properties"]["contact"])
    assert _limits(spec, changes) == limits
    name = _body(spec, "/v1/group/add")["properties"]["name"]
    assert _resolve(spec, name)["maxLength"] == contract.GROUP_NAME_MAX

    as_sent = _resolve(spec, _answer(spec, "/v1/contact/add", "post")["properties"]["contact"])
    assert list(as_sent["properties"]) == [*WIRE_NAMES, "contactId"]
    report = _answer(spec, "/v1/contact/add", "post", index=1)
    rapport = _resolve(spec, report["properties"]["rapport"])
    buckets = _resolve(spec, rapport["properties"]["errors"])
    assert list(buckets["properties"]) == list(contract.BUCKETS)
    detail = _resolve(spec, _answer(spec, "/v1/contact/detail", "get")["properties"]["contact"])
    assert list(detail["properties"]) == list(contract.CONTACT_DETAIL_KEYS)
    page = _answer(spec, "/v1/contact/list", "get")
    item = _resolve(spec, page["properties"]["datas"]["items"])
    assert list(item["properties"]) == list(contract.CONTACT_DETAIL_KEYS)
