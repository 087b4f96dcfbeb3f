"""POST /v1/contact/move and /v1/contact/copy (carnet's own): row by row, into a group."""

from __future__ import annotations

from typing import Any

import pytest

from carnet import contract
from support.api import Api
from support.wire import total
from test_xml import assert_same, xml_of


def added(api: Api, group: str, phone: str, **fields: str) -> str:
    response = api.add(group, phoneNumber=phone, **fields)
    assert response.status_code == 200, response.text
    contact_id: str = response.json()["contact"]["contactId"]
    return contact_id


def detail(api: Api, contact_id: str) -> dict[str, Any]:
    body: dict[str, Any] = api.get("/v1/contact/detail", contactId=contact_id).json()
    return body


def listed(api: Api, group: str) -> list[str]:
    return [c["contactId"] for c in api.get("/v1/contact/list", groupId=group).json()["datas"]]


def counts(api: Api) -> dict[str, int]:
    return {g["id"]: g["contactCount"] for g in api.get("/v1/group/list").json()["groups"]}


def report(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert body["success"] is True and body["code"] == 200
    assert list(body) == ["success", "code", "groupe", "results", "rapport"]
    assert list(body["rapport"]["errors"]) == [*contract.BUCKETS, contract.NOT_FOUND_BUCKET]
    rapport = body["rapport"]
    refused = sum(n for k, n in rapport["errors"].items() if k != "dateInvalid")
    assert rapport["nbline"] == rapport["nbline_imported"] + refused
    return body


def test_a_moved_contact_keeps_its_id_and_fields_and_leaves_its_group(api: Api) -> None:
    source, target = api.group("source"), api.group("target")
    first = added(api, source, "0611111111", firstname="Ana", custom1="VIP")
    second = added(api, source, "0622222222")
    third = added(api, source, "0633333333")
    already = added(api, target, "0644444444")
    before = detail(api, second)["contact"]
    body = report(api.post("/v1/contact/move", groupId=target, contactIds=[second]))
    assert body["groupe"] == {"name": "target", "token": target}
    assert body["results"] == [
        {
            "success": True,
            "code": 200,
            "phoneNumber": "+33622222222",
            "message": "Contact moved",
            "contactId": second,
        }
    ]
    assert body["rapport"]["nbline"] == 1 and body["rapport"]["nbline_imported"] == 1
    assert detail(api, second)["contact"] == {**before, "groupId": target}
    assert listed(api, source) == [first, third]  # the page skips the gap it left
    assert listed(api, target) == [already, second]  # at the end of the target
    assert counts(api) == {source: 2, target: 2}
    assert total(api.get("/v1/contact/list", groupId=source).json()) == 2
    assert detail(api, first)["contact"]["custom1"] == "VIP"


def test_a_copy_is_a_new_contact_and_the_original_stays(api: Api) -> None:
    source, target = api.group("source"), api.group("target")
    original = added(api, source, "0611111111", firstname="Ana", date="1990-02-28")
    body = report(api.post("/v1/contact/copy", groupId=target, contactIds=original))
    (row,) = body["results"]
    assert row["success"] is True and row["message"] == "Contact copied"
    copy = row["contactId"]
    assert copy and copy != original
    assert listed(api, source) == [original] and listed(api, target) == [copy]
    kept, made = detail(api, original)["contact"], detail(api, copy)["contact"]
    same = ("phone", "firstname", "lastname", "date", "url", "custom1")
    assert {k: made[k] for k in same} == {k: kept[k] for k in same}
    assert made["groupId"] == target and made["createdAt"] >= kept["createdAt"]
    assert counts(api) == {source: 1, target: 1}
    found = api.get("/v1/contact/search", phoneNumber="0611111111").json()["contacts"]
    assert [c["contactId"] for c in found] == [original, copy]


@pytest.mark.parametrize("path", ["/v1/contact/move", "/v1/contact/copy"])
def test_the_targets_rules_apply_row_by_row(api: Api, other_api: Api, path: str) -> None:
    one, two, target = api.group("one"), api.group("two"), api.group("target")
    stopped = added(api, one, "0611111111")
    api.post("/v1/stop-sms/add", phoneNumber="0611111111")
    present = added(api, one, "0622222222")
    added(api, target, "0622222222")
    first = added(api, one, "0633333333")
    twin = added(api, two, "0633333333")  # the same number, in another group
    fine = added(api, two, "0644444444")
    in_target = added(api, target, "0655555555")
    foreign = added(other_api, other_api.group(), "0666666666")
    ids = [stopped, present, first, twin, "no-such-id", foreign, fine, in_target, fine]
    body = report(api.post(path, groupId=target, contactIds=ids))
    rows = body["results"]
    assert [(r["success"], r["code"]) for r in rows] == [
        (False, 14),
        (False, 15),
        (True, 200),
        (False, 15),
        (False, 404),
        (False, 404),
        (True, 200),
        (False, 15),
        (False, 15),
    ]
    assert rows[4] == rows[5]  # another account's id answers as an unknown one
    assert rows[4]["phoneNumber"] == "" and rows[4]["contactId"] == ""
    assert [r["phoneNumber"] for r in rows[:4]] == ["+33611111111", "+33622222222"] + [
        "+33633333333"
    ] * 2
    assert body["rapport"]["nbline"] == 9 and body["rapport"]["nbline_imported"] == 2
    errors = body["rapport"]["errors"]
    assert {k: n for k, n in errors.items() if n} == {
        "stopSms": 1,
        "allreadyInGroupe": 2,
        "duplicatePhone": 2,
        "notFound": 2,
    }
    # Refused contacts are where they were; another account's is untouched.
    assert detail(api, stopped)["contact"]["groupId"] == one
    assert detail(api, twin)["contact"]["groupId"] == two
    assert other_api.get("/v1/contact/detail", contactId=foreign).json()["contact"]["groupId"]
    assert len(listed(api, target)) == 4
    moved = path.endswith("move")
    assert (detail(api, first)["contact"]["groupId"] == target) is moved
    assert (rows[2]["contactId"] == first) is moved


def test_ids_comma_separated_in_a_form_and_the_answer_in_xml(api: Api) -> None:
    source, target = api.group("source"), api.group("target")
    ids = [added(api, source, f"06{n}{n}{n}{n}{n}{n}{n}{n}") for n in range(1, 4)]
    response = api.client.post(
        "/v1/contact/move",
        data={"apiKey": api.key, "groupId": target, "contactIds": " , ".join(ids) + ","},
    )
    body = report(response)
    assert [r["contactId"] for r in body["results"]] == ids
    assert listed(api, target) == ids and listed(api, source) == []
    back = api.post("/v1/contact/move", groupId=source, contactIds=ids[:1], _format="xml")
    root = xml_of(back)
    assert root.findtext("rapport/errors/notFound") == "0"
    assert [r.findtext("contactId") for r in root.findall("results/item")] == ids[:1]
    again = api.post("/v1/contact/move", groupId=source, contactIds=ids[:1])
    assert_same(xml_of(api.post("/v1/contact/move", groupId=source, contactIds=ids[:1],
                                _format="xml")), again.json())  # fmt: skip


def test_moving_back_and_forth_keeps_pages_and_counts_right(api: Api) -> None:
    a, b = api.group("a"), api.group("b")
    ids = [added(api, a, f"061234{n:04d}") for n in range(30)]
    report(api.post("/v1/contact/move", groupId=b, contactIds=ids[::2]))
    report(api.post("/v1/contact/move", groupId=a, contactIds=ids[:10:2]))
    expected_a = ids[1::2] + ids[:10:2]
    pages = []
    for page in (1, 2, 3):
        body = api.get("/v1/contact/list", groupId=a, page=page).json()
        pages += [c["contactId"] for c in body["datas"]]
    assert pages == expected_a
    assert counts(api) == {a: len(expected_a), b: 30 - len(expected_a)}


@pytest.mark.parametrize("path", ["/v1/contact/move", "/v1/contact/copy"])
@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({"contactIds": ["x"]}, 400, 1),
        ({"groupId": "TARGET"}, 400, 1),
        ({"groupId": "TARGET", "contactIds": []}, 400, 1),
        ({"groupId": "TARGET", "contactIds": " , "}, 400, 1),
        ({"groupId": "TARGET", "contactIds": {"a": "b"}}, 400, 3),
        ({"groupId": "TARGET", "contactIds": [["x"]]}, 400, 3),
        ({"groupId": "TARGET", "contactIds": ["x"] * 501}, 400, 50),
        ({"groupId": "A" * 24, "contactIds": ["x"]}, 404, 404),
        ({"groupId": "A" * 24, "contactIds": {"a": "b"}}, 404, 404),
        ({"groupId": "A" * 24, "contactIds": ["x"] * 501}, 404, 404),
    ],
)
def test_refusals_of_the_whole_request_change_nothing(
    api: Api, path: str, params: dict[str, Any], status: int, code: int
) -> None:
    source, target = api.group("source"), api.group("target")
    contact = added(api, source, "0611111111")
    sent = {k: target if v == "TARGET" else v for k, v in params.items()}
    if isinstance(sent.get("contactIds"), list) and sent["contactIds"][:1] == ["x"]:
        sent["contactIds"] = [contact if i == "x" else i for i in sent["contactIds"]]
    response = api.post(path, **sent)
    assert response.status_code == status, response.text
    assert response.json()["success"] is False and response.json()["code"] == code
    assert counts(api) == {source: 1, target: 0}


def test_five_hundred_ids_pass(api: Api) -> None:
    source, target = api.group("source"), api.group("target")
    rows = [{"phoneNumber": f"0612{n:06d}"} for n in range(contract.MOVE_MAX)]
    added_ = api.post("/v1/contact/add", groupId=source, contactsList=rows).json()
    ids = [r["contactId"] for r in added_["results"]]
    body = report(api.post("/v1/contact/copy", groupId=target, contactIds=ids))
    assert body["rapport"]["nbline_imported"] == contract.MOVE_MAX
    assert counts(api) == {source: contract.MOVE_MAX, target: contract.MOVE_MAX}


def test_another_accounts_group_is_unknown(api: Api, other_api: Api) -> None:
    mine = api.group("mine")
    contact = added(api, mine, "0611111111")
    theirs = other_api.group("theirs")
    foreign = api.post("/v1/contact/move", groupId=theirs, contactIds=[contact])
    unknown = api.post("/v1/contact/move", groupId="C" * 24, contactIds=[contact])
    assert foreign.status_code == unknown.status_code == 404
    assert foreign.json() == unknown.json()
    assert detail(api, contact)["contact"]["groupId"] == mine


def test_without_a_key_it_is_401(api: Api) -> None:
    target = api.group()
    for path in ("/v1/contact/move", "/v1/contact/copy"):
        response = api.client.post(path, json={"groupId": target, "contactIds": ["x"]})
        assert response.status_code == 401 and response.json()["code"] == 10
