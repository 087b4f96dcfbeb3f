"""/v1/hooks/replies/{token}: replies posted by the SMS provider feed the stop list;
/v1/reply/list shows them. Both upstream shapes, as a form and as JSON."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from carnet.domain.replies import replies_token
from carnet.storage import Store
from support.api import Api
from support.wire import error_fields, total

STOP_TEXTS = [
    "STOP",
    "stop",
    "Stop.",
    "STOP!!",
    "stop merci",
    "STOPSMS",
    "Arrêt",
    "ARRET",
    "arrêt !",
    "Désabonner",
    "DESABONNER,",
    "unsubscribe",
    "  Unsubscribe?  please",
]
KEPT_TEXTS = ["Stopper", "non stop", "", "Bonjour, STOP", "arrête", "STOP-SMS"]


@pytest.fixture
def replies_path(store: Store, key: str) -> str:
    """The path of account alice's replies URL (``key`` made the account)."""
    return f"/v1/hooks/replies/{replies_token(store, 'alice')}"


def long_number(message_id: str, text: str, msisdn: str = "33612345678", **extra: Any) -> dict:
    return {
        "msisdn": msisdn,
        "to": "33700000000",
        "messageId": message_id,
        "text": text,
        "type": "text",
        "keyword": text.split()[0].upper() if text.split() else "",
        "message-timestamp": "2026-11-27 10:00:00",
        **extra,
    }


def short_number(message_id: str, text: str, phone: str = "+33612345678") -> dict:
    return {"type": "response", "phone_number": phone, "text": text, "message_id": message_id}


def stop_numbers(api: Api) -> list[str]:
    return [e["phoneNumber"] for e in api.get("/v1/stop-sms/list").json()["data"]]


def reply_list(api: Api, page: int = 1) -> dict:
    answer = api.get("/v1/reply/list", page=page)
    assert answer.status_code == 200, answer.text
    body: dict = answer.json()
    return body


@pytest.mark.parametrize("as_json", [False, True], ids=["form", "json"])
def test_a_long_number_stop_reply_stops_the_number_and_its_contacts(
    api: Api, client: TestClient, replies_path: str, as_json: bool
) -> None:
    group = api.group()
    contact = api.add(group, phoneNumber="06 12 34 56 78").json()["contact"]["contactId"]
    reply = long_number("lm-1", "STOP")
    answer = (
        client.post(replies_path, json=reply) if as_json else client.post(replies_path, data=reply)
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["reply"]["stopped"] is True
    assert answer.json()["reply"]["phoneNumber"] == "+33612345678"
    assert stop_numbers(api) == ["+33612345678"]
    detail = api.get("/v1/contact/detail", contactId=contact).json()["contact"]
    assert detail["stopSms"] is True


@pytest.mark.parametrize("as_json", [False, True], ids=["form", "json"])
def test_a_short_number_reply_in_its_own_shape(
    api: Api, client: TestClient, replies_path: str, as_json: bool
) -> None:
    reply = short_number("sn-1", "Arrêt", phone="0611223344")
    answer = (
        client.post(replies_path, json=reply) if as_json else client.post(replies_path, data=reply)
    )
    assert answer.status_code == 200, answer.text
    assert stop_numbers(api) == ["+33611223344"]
    listed = reply_list(api)["replies"]
    assert [(r["phoneNumber"], r["text"], r["stopped"]) for r in listed] == [
        ("+33611223344", "Arrêt", True)
    ]


def test_which_first_words_stop(api: Api, client: TestClient, replies_path: str) -> None:
    numbers = {}
    for n, text in enumerate(STOP_TEXTS + KEPT_TEXTS):
        msisdn = f"336{n + 10:08d}"
        numbers[text] = "+" + msisdn
        answer = client.post(replies_path, data=long_number(f"w-{n}", text, msisdn))
        assert answer.status_code == 200, (text, answer.text)
    stopped = set(stop_numbers(api))
    assert {t for t in numbers if numbers[t] in stopped} == set(STOP_TEXTS)
    kept = reply_list(api)
    assert total(kept) == len(STOP_TEXTS) + len(KEPT_TEXTS)
    assert {r["text"] for r in kept["replies"] if not r["stopped"]} == set(KEPT_TEXTS)


def test_a_repeated_message_is_kept_once(api: Api, client: TestClient, replies_path: str) -> None:
    first = client.post(replies_path, data=long_number("same", "STOP"))
    again = client.post(replies_path, json=long_number("same", "STOP"))
    assert first.status_code == again.status_code == 200
    assert again.json()["reply"] == first.json()["reply"]
    api.post("/v1/stop-sms/delete", id=str(api.get("/v1/stop-sms/list").json()["data"][0]["id"]))
    # Posted once more after the number was let go: nothing happens again.
    third = client.post(replies_path, data=long_number("same", "STOP"))
    assert third.json()["reply"] == first.json()["reply"]
    assert stop_numbers(api) == []
    assert total(reply_list(api)) == 1


def test_a_message_in_parts_is_judged_on_its_first_part(
    api: Api, client: TestClient, replies_path: str
) -> None:
    parts = {"concat": "true", "concat-ref": "17", "concat-total": "2"}
    # A STOP in the second part of a longer message stops nothing.
    second = long_number("m-2", "STOP", "33611111111", **parts, **{"concat-part": "2"})
    first = long_number(
        "m-1", "Bonjour, je voudrais", "33611111111", **parts, **{"concat-part": "1"}
    )
    assert client.post(replies_path, data=second).json()["reply"]["stopped"] is False
    assert client.post(replies_path, data=first).json()["reply"]["stopped"] is False
    # A STOP in the first part stops the number once; the later parts are kept.
    opening = long_number("n-1", "STOP à tous ces", "33622222222", **parts, **{"concat-part": "1"})
    rest = long_number("n-2", "messages", "33622222222", **parts, **{"concat-part": "2"})
    assert client.post(replies_path, json=opening).json()["reply"]["stopped"] is True
    assert client.post(replies_path, json=rest).json()["reply"]["stopped"] is False
    assert stop_numbers(api) == ["+33622222222"]
    listed = reply_list(api)["replies"]
    assert [(r["messageId"], r["part"], r["parts"]) for r in listed] == [
        ("n-2", 2, 2),
        ("n-1", 1, 2),
        ("m-1", 1, 2),
        ("m-2", 2, 2),
    ]


@pytest.mark.parametrize("token", ["x" * 43, "short", "A" * 200, "%00"])
def test_an_unknown_token_is_404_and_stores_nothing(
    api: Api, client: TestClient, replies_path: str, token: str
) -> None:
    answer = client.post(f"/v1/hooks/replies/{token}", data=long_number("u-1", "STOP"))
    assert answer.status_code == 404
    assert answer.json()["code"] == 404
    assert stop_numbers(api) == []
    assert total(reply_list(api)) == 0


def test_a_reply_without_message_id_or_number_is_refused(
    api: Api, client: TestClient, replies_path: str
) -> None:
    no_id = client.post(replies_path, data={"msisdn": "33612345678", "text": "STOP"})
    assert no_id.status_code == 400 and no_id.json()["code"] == 1
    assert error_fields(no_id.json()) == ["messageId"]
    no_number = client.post(replies_path, json={"message_id": "x", "text": "STOP"})
    assert no_number.status_code == 400 and no_number.json()["code"] == 1
    assert stop_numbers(api) == [] and total(reply_list(api)) == 0


def test_a_reply_from_no_valid_number_is_kept_and_stops_nothing(
    api: Api, client: TestClient, replies_path: str
) -> None:
    answer = client.post(replies_path, data=long_number("bad", "STOP", msisdn="12"))
    assert answer.status_code == 200
    assert answer.json()["reply"] | {"replyId": "", "receivedAt": ""} == {
        "replyId": "",
        "receivedAt": "",
        "messageId": "bad",
        "phoneNumber": "12",
        "text": "STOP",
        "stopped": False,
        "part": 1,
        "parts": 1,
    }
    assert stop_numbers(api) == []


def test_reply_list_is_newest_first_paged_and_per_account(
    api: Api, other_api: Api, client: TestClient, replies_path: str
) -> None:
    from carnet.contract import PAGE_SIZE

    for n in range(PAGE_SIZE + 2):
        client.post(replies_path, data=long_number(f"p-{n}", f"hello {n}", f"336{n:08d}"))
    first = reply_list(api)
    assert total(first) == PAGE_SIZE + 2 and first["currentPage"] == 1
    assert [r["text"] for r in first["replies"][:2]] == [
        f"hello {PAGE_SIZE + 1}",
        f"hello {PAGE_SIZE}",
    ]
    assert len(first["replies"]) == PAGE_SIZE
    assert [r["text"] for r in reply_list(api, 2)["replies"]] == ["hello 1", "hello 0"]
    assert total(reply_list(other_api)) == 0
    assert api.get("/v1/reply/list", page="0").json()["code"] == 3
    assert client.get("/v1/reply/list").status_code == 401


def test_an_unknown_token_answers_404_before_a_reply_of_the_wrong_form(
    client: TestClient, replies_path: str
) -> None:
    wrong = {"msisdn": ["33612345678"], "messageId": "w", "text": "STOP"}
    assert client.post("/v1/hooks/replies/" + "y" * 43, json=wrong).status_code == 404
    answer = client.post(replies_path, json=wrong)
    assert answer.status_code == 400 and answer.json()["code"] == 3
    assert error_fields(answer.json()) == ["msisdn"]
