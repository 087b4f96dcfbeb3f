"""Consent fields (carnet's own): consentAt and consentSource through every path, on both
engines: single and batch add, update, an import job with French headers, detail, list
and export, and their codes (16 for a time that is no time or in the future, 18 and 3
for the source)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import httpx
from starlette.testclient import TestClient

from carnet import Client
from carnet.exporter import export_group
from support.api import Api
from support.jobs import finished, upload
from support.wire import error_fields

WHEN = "2026-03-02T10:15:00+00:00"


def detail(api: Api, contact_id: str) -> dict[str, str]:
    body: dict[str, str] = api.get("/v1/contact/detail", contactId=contact_id).json()["contact"]
    return body


def test_a_single_add_keeps_consent_and_detail_and_list_return_it(api: Api) -> None:
    group = api.group()
    added = api.add(
        group, phoneNumber="0612345678", consentAt="2026-03-02T11:15:00+01:00",
        consentSource="shop form",
    )  # fmt: skip
    assert added.status_code == 200, added.text
    contact = added.json()["contact"]
    assert (contact["consentAt"], contact["consentSource"]) == (WHEN, "shop form")
    shown = detail(api, contact["contactId"])
    assert (shown["consentAt"], shown["consentSource"]) == (WHEN, "shop form")
    [item] = api.get("/v1/contact/list", groupId=group).json()["datas"]
    assert (item["consentAt"], item["consentSource"]) == (WHEN, "shop form")
    bare = api.add(group, phoneNumber="0622222222").json()["contact"]
    assert (bare["consentAt"], bare["consentSource"]) == ("", "")


def test_spellings_of_a_consent_time_are_stored_in_utc_to_the_second(api: Api) -> None:
    group = api.group()
    spellings = {
        "2026-03-02T10:15:00Z": WHEN,
        "2026-03-02 10:15": WHEN,
        "2026-03-02T12:15:00.123456+02:00": WHEN,
        "2026-03-02": "2026-03-02T00:00:00+00:00",
    }
    for n, (given, stored) in enumerate(spellings.items()):
        answer = api.add(group, phoneNumber=f"+3361234567{n}", consentAt=given)
        assert answer.json()["contact"]["consentAt"] == stored, given


def test_a_consent_time_that_is_no_time_or_in_the_future_is_code_16(api: Api) -> None:
    group = api.group()
    future = (datetime.now(UTC) + timedelta(days=1)).isoformat(timespec="seconds")
    for bad in ("yesterday", "2026-02-30T10:00:00Z", "2026-03-02T25:00:00Z", future, ["x"]):
        answer = api.add(group, phoneNumber="0612345678", consentAt=bad)
        code = 3 if isinstance(bad, list) else 16
        assert (answer.status_code, answer.json()["code"]) == (400, code), bad
        assert error_fields(answer.json()) == ["consentAt"]
    assert api.get("/v1/contact/list", groupId=group).json()["datas"] == []


def test_a_consent_source_is_text_of_at_most_255_characters(api: Api) -> None:
    group = api.group()
    assert api.add(group, phoneNumber="0612345678", consentSource="s" * 255).status_code == 200
    too_long = api.add(group, phoneNumber="0622222222", consentSource="s" * 256).json()
    assert (too_long["code"], error_fields(too_long)) == (18, ["consentSource"])
    control = api.add(group, phoneNumber="0622222222", consentSource="a\x00b").json()
    assert (control["code"], error_fields(control)) == (3, ["consentSource"])


def test_a_batch_keeps_consent_and_sorts_bad_times_into_date_invalide(api: Api) -> None:
    group = api.group()
    rows = [
        {"phoneNumber": "0611111111", "consentAt": WHEN, "consentSource": "paper, 2026-03-02"},
        {"phoneNumber": "0622222222", "consentAt": "2999-01-01T00:00:00Z"},
        {"phoneNumber": "0633333333", "consentSource": "x" * 300},
    ]
    report = api.post("/v1/contact/add", groupId=group, contactsList=rows).json()
    assert [r["code"] for r in report["results"]] == [200, 16, 18]
    assert report["rapport"]["errors"]["dateInvalide"] == 1
    assert report["rapport"]["errors"]["invalidField"] == 1
    shown = detail(api, report["results"][0]["contactId"])
    assert (shown["consentAt"], shown["consentSource"]) == (WHEN, "paper, 2026-03-02")


def test_an_update_sets_and_clears_consent(api: Api) -> None:
    group = api.group()
    contact_id = api.add(group, phoneNumber="0612345678").json()["contact"]["contactId"]
    changes = {"consentAt": "2026-03-02T10:15:00Z", "consentSource": "phone call"}
    updated = api.post("/v1/contact/update", contactId=contact_id, contact=changes).json()
    assert (updated["contact"]["consentAt"], updated["contact"]["consentSource"]) == (
        WHEN,
        "phone call",
    )
    refused = api.post(
        "/v1/contact/update", contactId=contact_id, contact={"consentAt": "2999-01-01"}
    ).json()
    assert (refused["code"], error_fields(refused)) == (16, ["consentAt"])
    assert detail(api, contact_id)["consentAt"] == WHEN
    api.post("/v1/contact/update", contactId=contact_id, contact={"consentSource": ""})
    assert (detail(api, contact_id)["consentAt"], detail(api, contact_id)["consentSource"]) == (
        WHEN,
        "",
    )


FRENCH_CONSENT = (
    "Téléphone;Prénom;Consentement;Source\r\n"
    "06 12 34 56 78;Zoé;02/03/2026 10:15;formulaire boutique\r\n"
    "06 12 34 56 79;Jean;2999-01-01;papier\r\n"
).encode("cp1252")


def test_an_import_reads_french_consent_headers(api: Api) -> None:
    group = api.group()
    started = upload(api, group, FRENCH_CONSENT).json()
    job = finished(api, started["importId"])
    assert job["status"] == "done", job
    assert job["rapport"]["nbline_imported"] == 1
    assert job["rapport"]["errors"]["dateInvalide"] == 1
    [item] = api.get("/v1/contact/list", groupId=group).json()["datas"]
    assert (item["consentAt"], item["consentSource"]) == (WHEN, "formulaire boutique")
    other = "Téléphone;Date consentement;Source\r\n0612345678;2026-03-02T10:15:00Z;web\r\n"
    second = api.group("second")
    job = finished(api, upload(api, second, other.encode()).json()["importId"])
    [item] = api.get("/v1/contact/list", groupId=second).json()["datas"]
    assert (item["consentAt"], item["consentSource"]) == (WHEN, "web")


def test_a_group_export_has_the_consent_columns(api: Api, client: TestClient) -> None:
    group = api.group()
    api.add(group, phoneNumber="0612345678", consentAt=WHEN, consentSource="shop form")
    out = io.StringIO()
    with Client(api_key=api.key, base_url="http://testserver", transport=_through(client)) as c:
        export_group(c, group, out)
    [row] = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert (row["consent_at"], row["consent_source"]) == (WHEN, "shop form")


def _through(client: TestClient) -> httpx.BaseTransport:
    """A transport that sends the client's requests through the test client's app."""

    class Through(httpx.BaseTransport):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            answer = client.request(
                request.method,
                request.url.raw_path.decode(),
                content=request.read(),
                headers=dict(request.headers),
            )
            return httpx.Response(
                answer.status_code, headers=answer.headers, content=answer.content
            )

    return Through()
