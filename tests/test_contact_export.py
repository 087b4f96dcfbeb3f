"""GET /v1/contact/export (carnet's own): a whole group in one streamed answer, CSV or NDJSON."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest

from carnet.contract import EXPORT_COLUMNS, PAGE_SIZE
from carnet.domain import export
from support.api import Api
from support.wire import error_fields


def fill(api: Api, group: str, count: int, start: int = 0) -> list[str]:
    rows = [
        {"phoneNumber": f"+3361{n:07d}", "firstname": f"N°{n}", "custom1": 'a;b,"c"\nd'}
        for n in range(start, start + count)
    ]
    body = api.post("/v1/contact/add", groupId=group, contactsList=rows).json()
    assert body["rapport"]["nbline_imported"] == count, body["rapport"]
    return [r["contactId"] for r in body["results"]]


def listed(api: Api, group: str) -> list[dict[str, Any]]:
    """The group as contact/list gives it, every page."""
    found: list[dict[str, Any]] = []
    page = 1
    while datas := api.get("/v1/contact/list", groupId=group, page=page).json()["datas"]:
        found += datas
        page += 1
    return found


def export_of(api: Api, group: str, **params: Any) -> Any:
    response = api.get("/v1/contact/export", groupId=group, **params)
    assert response.status_code == 200, response.text
    return response


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    # Chunks of 7 contacts: a group of a few dozen crosses many of them.
    monkeypatch.setattr(export, "EXPORT_CHUNK", 7)


def test_ndjson_is_the_whole_group_as_contact_list_gives_it(api: Api, small_chunks: None) -> None:
    group = api.group()
    ids = fill(api, group, 3 * PAGE_SIZE + 5)
    api.post("/v1/stop-sms/add", phoneNumber="+33610000004")
    response = export_of(api, group, format="ndjson")
    assert response.headers["content-type"] == "application/x-ndjson"
    assert response.headers["x-total-count"] == str(len(ids))
    lines = response.text.splitlines()
    assert [json.loads(line) for line in lines] == listed(api, group)
    assert [json.loads(line)["contactId"] for line in lines] == ids
    assert json.loads(lines[4])["stopSms"] is True


def test_csv_has_a_header_and_every_field(api: Api, small_chunks: None) -> None:
    group = api.group()
    fill(api, group, 30)
    response = export_of(api, group)  # csv unless asked
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert f'filename="{group}.csv"' in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8"), newline="")))
    header, *cells = rows
    assert header == [column for column, _ in EXPORT_COLUMNS]
    assert header[:3] == ["id", "phone", "firstname"] and header[-1] == "group_id"
    expected = [
        [
            ("true" if d[key] else "false") if key == "stopSms" else str(d[key])
            for _, key in EXPORT_COLUMNS
        ]
        for d in listed(api, group)
    ]
    assert cells == expected
    assert cells[0][header.index("custom1")] == 'a;b,"c"\nd'


def test_csv_for_excel(api: Api) -> None:
    group = api.group()
    fill(api, group, 2)
    content = export_of(api, group, format="CSV", excel="1").content
    assert content.startswith(b"\xef\xbb\xbfid;phone;firstname;")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert len(rows) == 3 and rows[1][2] == "N°0"


def test_contacts_deleted_and_added_keep_the_export_whole(api: Api, small_chunks: None) -> None:
    group = api.group()
    ids = fill(api, group, 40)
    for index in (0, 6, 7, 8, 20, 39):
        assert api.post("/v1/contact/delete", contactId=ids[index]).status_code == 200
    later = fill(api, group, 3, start=100)
    lines = export_of(api, group, format="ndjson").text.splitlines()
    kept = [i for n, i in enumerate(ids) if n not in (0, 6, 7, 8, 20, 39)]
    assert [json.loads(line)["contactId"] for line in lines] == kept + later


def test_an_empty_group(api: Api) -> None:
    group = api.group()
    assert export_of(api, group, format="ndjson").content == b""
    response = export_of(api, group)
    assert response.text.splitlines() == [",".join(c for c, _ in EXPORT_COLUMNS)]
    assert response.headers["x-total-count"] == "0"


def test_unknown_and_foreign_groups_are_404_envelopes(api: Api, other_api: Api) -> None:
    group = api.group()
    fill(api, group, 2)
    unknown = other_api.get("/v1/contact/export", groupId="does-not-exist")
    foreign = other_api.get("/v1/contact/export", groupId=group)
    assert unknown.status_code == foreign.status_code == 404
    assert unknown.json() == foreign.json()
    assert foreign.json()["success"] is False and foreign.json()["code"] == 404
    assert foreign.headers["content-type"].startswith("application/json")


def test_checks_answer_in_the_contracts_order(api: Api) -> None:
    group = api.group()
    missing = api.get("/v1/contact/export", format="xlsx")
    assert (missing.status_code, missing.json()["code"]) == (400, 1)
    unknown = api.get("/v1/contact/export", groupId="nope", format="xlsx")
    assert unknown.status_code == 404
    bad = api.get("/v1/contact/export", groupId=group, format="xlsx")
    assert (bad.status_code, bad.json()["code"], error_fields(bad.json())) == (400, 3, ["format"])
    no_key = api.client.get("/v1/contact/export", params={"groupId": group})
    assert (no_key.status_code, no_key.json()["code"]) == (401, 10)
    assert api.post("/v1/contact/export", groupId=group).status_code == 405


def test_export_is_documented_as_carnets_own(api: Api) -> None:
    paths = api.client.get("/openapi.json").json()["paths"]
    operation = paths["/v1/contact/export"]["get"]
    assert "carnet's own" in operation["summary"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"groupId", "format"} <= names
