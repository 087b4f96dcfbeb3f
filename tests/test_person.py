"""A person's data (carnet's own), on both engines: ``GET /v1/person/export`` finds a number
in every group, on the stop list and in the rows import jobs keep, as JSON or XML;
``POST /v1/person/erase`` leaves no trace of it in any table of the database but the
stop list, answers what it erased, and answers zeros the second time."""

from __future__ import annotations

from typing import Any

from carnet.domain.replies import replies_token
from carnet.storage import Store
from support.api import Api
from support.documents import assert_same_document, parse_xml
from support.jobs import finished, upload
from support.traces import tables_with_number, tables_with_text

NUMBER = "+33612345678"
NATIONAL = "612345678"

# The person's number refused twice by an import (on the stop list; a bad date),
# beside another person's row that stays.
FILE = (
    "Téléphone;Prénom;Date naissance\r\n"
    "06 12 34 56 78;Camille;\r\n"
    "0033 6 12 34 56 78;Camille;31/02/1991\r\n"
    "06 99 99 99 98;Other;31/02/1991\r\n"
).encode("cp1252")


def a_known_person(api: Api, store: Store) -> list[str]:
    """The number in three groups (three spellings), on the stop list, in an import's rows,
    and the sender of a reply (upstream's short-number shape)."""
    groups = [api.group(name) for name in ("shop", "newsletter", "events")]
    spellings = ["06 12 34 56 78", "+33 6 12 34 56 78", "0033612345678"]
    for group, spelling in zip(groups, spellings, strict=True):
        answer = api.add(
            group, phoneNumber=spelling, firstname="Camille", lastname="Durand",
            consentAt="2026-03-02T10:15:00Z", consentSource="shop form",
        )  # fmt: skip
        assert answer.status_code == 200, answer.text
    api.add(groups[0], phoneNumber="0699999999", firstname="Stays")
    assert api.post("/v1/stop-sms/add", phoneNumber="06.12.34.56.78").status_code == 200
    job = finished(api, upload(api, groups[1], FILE).json()["importId"])
    assert sum(job["rapport"]["errors"].values()) >= 3, job
    reply = {"type": "response", "phone_number": NUMBER, "text": "Merci", "message_id": "r-1"}
    path = f"/v1/hooks/replies/{replies_token(store, 'alice')}"
    assert api.client.post(path, json=reply).status_code == 200
    return groups


def test_the_export_holds_every_trace_of_the_number(api: Api, store: Store) -> None:
    groups = a_known_person(api, store)
    answer = api.get("/v1/person/export", phoneNumber="+33 6 12 34 56 78")
    assert answer.status_code == 200, answer.text
    person = answer.json()["person"]
    assert person["phoneNumber"] == NUMBER
    assert sorted(c["groupId"] for c in person["contacts"]) == sorted(groups)
    for contact in person["contacts"]:
        assert (contact["phone"], contact["firstname"], contact["stopSms"]) == (
            NUMBER,
            "Camille",
            True,
        )
        assert (contact["consentAt"], contact["consentSource"]) == (
            "2026-03-02T10:15:00+00:00",
            "shop form",
        )
    [stop] = person["stopList"]
    assert stop["phoneNumber"] == NUMBER
    rows = person["importRows"]
    assert [(r["kind"], r["line"], r["code"]) for r in rows] == [
        ("refused", 2, 14),
        ("refused", 3, 16),
    ]
    assert rows[0]["columns"] == ["Téléphone", "Prénom", "Date naissance"]
    assert rows[0]["cells"] == ["06 12 34 56 78", "Camille", ""]
    assert [(r["messageId"], r["text"], r["stopped"]) for r in person["replies"]] == [
        ("r-1", "Merci", False)
    ]

    as_xml = api.get("/v1/person/export", phoneNumber="0612345678", _format="xml")
    assert_same_document(parse_xml(as_xml), answer.json())


def test_an_erasure_leaves_the_number_on_the_stop_list_only(api: Api, store: Store) -> None:
    a_known_person(api, store)
    assert tables_with_number(store, NATIONAL) >= {
        "contacts",
        "stop_entries",
        "import_rows",
        "replies",
    }
    erased = api.post("/v1/person/erase", phoneNumber="0612345678")
    assert erased.status_code == 200, erased.text
    body = erased.json()
    assert body["phoneNumber"] == NUMBER
    # The stop-list entry's event named the number: it is redacted, not deleted.
    assert body["erased"] == {"contacts": 3, "importRows": 2, "replies": 1, "webhookEvents": 1}
    assert body["keptOnStopList"] is True
    assert tables_with_number(store, NATIONAL) == {"stop_entries"}
    assert tables_with_text(store, "Camille", "Durand") == set()
    # What is not that person's stays: the other contact, the other refused row.
    assert tables_with_number(store, "699999999") >= {"contacts"}
    assert tables_with_number(store, "699999998") == {"import_rows"}
    person = api.get("/v1/person/export", phoneNumber=NUMBER).json()["person"]
    assert (person["contacts"], person["importRows"], person["replies"]) == ([], [], [])
    assert len(person["stopList"]) == 1

    again = api.post("/v1/person/erase", phoneNumber="+33612345678").json()
    assert again["erased"] == {"contacts": 0, "importRows": 0, "replies": 0, "webhookEvents": 0}
    assert again["keptOnStopList"] is True


def test_group_counts_and_pages_follow_an_erasure(api: Api) -> None:
    group = api.group()
    for number in ("0611111111", "0612345678", "0622222222"):
        api.add(group, phoneNumber=number)
    api.post("/v1/person/erase", phoneNumber=NUMBER)
    [listed] = api.get("/v1/group/list").json()["groups"]
    assert listed["contactCount"] == 2
    phones = [c["phone"] for c in api.get("/v1/contact/list", groupId=group).json()["datas"]]
    assert phones == ["+33611111111", "+33622222222"]
    assert api.post("/v1/stop-sms/list").status_code == 405
    erased = api.post("/v1/person/erase", phoneNumber=NUMBER).json()
    assert (erased["erased"]["contacts"], erased["keptOnStopList"]) == (0, False)


def test_another_accounts_traces_are_neither_exported_nor_erased(
    api: Api, other_api: Api, store: Store
) -> None:
    other_group = other_api.group()
    other_api.add(other_group, phoneNumber=NUMBER, firstname="Theirs")
    other_api.post("/v1/stop-sms/add", phoneNumber=NUMBER)
    person = api.get("/v1/person/export", phoneNumber=NUMBER).json()["person"]
    assert (person["contacts"], person["stopList"], person["importRows"]) == ([], [], [])
    erased = api.post("/v1/person/erase", phoneNumber=NUMBER).json()
    assert (erased["erased"], erased["keptOnStopList"]) == (
        {"contacts": 0, "importRows": 0, "replies": 0, "webhookEvents": 0},
        False,
    )
    theirs = other_api.get("/v1/person/export", phoneNumber=NUMBER).json()["person"]
    assert [c["firstname"] for c in theirs["contacts"]] == ["Theirs"]


def test_a_missing_or_invalid_number_is_refused(api: Api) -> None:
    answers: list[Any] = [
        api.get("/v1/person/export"),
        api.post("/v1/person/erase"),
        api.get("/v1/person/export", phoneNumber="not a number"),
        api.post("/v1/person/erase", phoneNumber="12"),
        api.client.get("/v1/person/export", params={"phoneNumber": NUMBER}),
    ]
    assert [(a.status_code, a.json()["code"]) for a in answers] == [
        (400, 2),
        (400, 2),
        (400, 9),
        (400, 9),
        (401, 10),
    ]
