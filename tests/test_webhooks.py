"""/v1/webhook/*: webhooks added, listed, deleted, and their deliveries to a receiver the
test runs, signed as the Standard Webhooks library verifies, in order, retried until the
receiver recovers."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from carnet.contract import WEBHOOK_EVENTS
from carnet.http.app import create_app
from carnet.settings import Settings
from carnet.storage import Store
from support.api import Api
from support.receiver import Received, Receiver, first_arrivals
from support.wire import error_fields, total


@pytest.fixture
def hooks(store: Store, key: str, db_url: str) -> Iterator[Api]:
    """An API whose server may send webhooks to 127.0.0.1, and retries quickly."""
    settings = Settings(
        database_url=db_url,
        rate_limit=0,
        webhook_allow_private=1,
        webhook_backoff_ms=50,
        webhook_backoff_max_ms=400,
    )
    with TestClient(create_app(settings, store=store), raise_server_exceptions=False) as c:
        yield Api(c, key)


def add_webhook(api: Api, url: str, events: object = ",".join(WEBHOOK_EVENTS)) -> dict:
    answer = api.post("/v1/webhook/add", url=url, events=events)
    assert answer.status_code == 200, answer.text
    body: dict = answer.json()
    return body


def deliveries(api: Api, webhook_id: str) -> list[dict]:
    answer = api.get("/v1/webhook/deliveries", webhookId=webhook_id)
    assert answer.status_code == 200, answer.text
    found: list[dict] = answer.json()["deliveries"]
    return found


def test_add_list_delete(hooks: Api, other_api: Api) -> None:
    added = add_webhook(hooks, "http://127.0.0.1:9/hook", ["stop.added", "contact.added"])
    assert set(added) == {
        *("success", "code", "webhookId", "url", "events", "createdAt", "secret"),
    }
    assert added["secret"].startswith("whsec_") and len(added["secret"]) > 40
    assert added["events"] == ["contact.added", "stop.added"]  # the contract's order
    listed = hooks.get("/v1/webhook/list").json()["webhooks"]
    assert listed == [{k: v for k, v in added.items() if k not in ("success", "code", "secret")}]
    webhook_id = added["webhookId"]
    # Another account's webhook is unknown to it.
    assert other_api.post("/v1/webhook/delete", webhookId=webhook_id).status_code == 404
    assert other_api.get("/v1/webhook/deliveries", webhookId=webhook_id).status_code == 404
    assert other_api.get("/v1/webhook/list").json()["webhooks"] == []
    assert hooks.post("/v1/webhook/delete", webhookId=webhook_id).json() == {
        "success": True,
        "code": 200,
    }
    assert hooks.post("/v1/webhook/delete", webhookId=webhook_id).status_code == 404
    assert hooks.get("/v1/webhook/list").json()["webhooks"] == []


@pytest.mark.parametrize(
    ("params", "code", "field"),
    [
        ({"events": "stop.added"}, 1, "url"),
        ({"url": "http://127.0.0.1:9/"}, 1, "events"),
        ({"url": "http://127.0.0.1:9/", "events": "stop.added,contact.moved"}, 3, "events"),
        ({"url": "http://127.0.0.1:9/", "events": {"a": 1}}, 3, "events"),
        ({"url": "ftp://example.org/x", "events": "stop.added"}, 3, "url"),
        ({"url": "example.org/x", "events": "stop.added"}, 3, "url"),
        ({"url": "http:///x", "events": "stop.added"}, 3, "url"),
        ({"url": "http://example.org/a b", "events": "stop.added"}, 3, "url"),
    ],
)
def test_a_bad_webhook_is_refused_naming_what_is_wrong(
    hooks: Api, params: dict, code: int, field: str
) -> None:
    answer = hooks.post("/v1/webhook/add", **params)
    assert answer.status_code == 400, answer.text
    assert answer.json()["code"] == code
    assert error_fields(answer.json()) == [field]
    assert hooks.get("/v1/webhook/list").json()["webhooks"] == []


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/hook",
        "http://localhost/hook",
        "https://10.1.2.3/hook",
        "http://192.168.0.10/",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]:8000/",
        "http://[fe80::1]/",
        "http://0.0.0.0/",
    ],
)
def test_private_loopback_and_link_local_targets_are_refused(api: Api, url: str) -> None:
    answer = api.post("/v1/webhook/add", url=url, events="stop.added")
    assert answer.status_code == 400 and answer.json()["code"] == 3
    assert error_fields(answer.json()) == ["url"]
    assert "private" in answer.json()["message"]


def _events(received: list[Received], secret: str) -> list[dict]:
    return [r.verified(secret) for r in first_arrivals(received)]


def test_every_change_is_delivered_signed_and_in_order(hooks: Api) -> None:
    with Receiver() as receiver:
        webhook = add_webhook(hooks, receiver.url)
        group = hooks.group()
        one = hooks.add(group, phoneNumber="0612345678").json()["contact"]["contactId"]
        rows = [{"phoneNumber": f"+336{n:08d}"} for n in range(500)]
        batch = hooks.post("/v1/contact/add", groupId=group, contactsList=rows).json()
        hooks.post("/v1/contact/update", contactId=one, contact={"firstname": "Lou"})
        hooks.post("/v1/contact/delete", contactId=one)
        stop = hooks.post("/v1/stop-sms/add", phoneNumber="0699999999").json()["stopId"]
        hooks.post("/v1/stop-sms/add", phoneNumber="+33699999999")  # there already: no event
        hooks.post("/v1/stop-sms/delete", id=stop)
        got = receiver.wait_for(lambda got: len(got) >= 6)
    events = _events(got, webhook["secret"])
    assert [e["type"] for e in events] == [
        *("contact.added", "contact.added", "contact.updated", "contact.deleted"),
        *("stop.added", "stop.deleted"),
    ]
    assert events[0]["data"] == {"groupId": group, "contactIds": [one], "count": 1}
    batch_ids = [r["contactId"] for r in batch["results"]]
    assert events[1]["data"] == {"groupId": group, "contactIds": batch_ids, "count": 500}
    assert events[2]["data"]["contactIds"] == events[3]["data"]["contactIds"] == [one]
    assert events[4]["data"] == {"stopId": stop, "phoneNumber": "+33699999999"}
    assert events[5]["data"] == events[4]["data"]
    assert all(e["timestamp"] for e in events)
    assert len(got) == 6  # one request per event: the batch of 500 is one
    for r in got:
        assert r.headers["content-type"] == "application/json"
        assert r.headers["webhook-id"].startswith("msg_")
        assert r.headers["webhook-signature"].startswith("v1,")
    listed = deliveries(hooks, webhook["webhookId"])
    assert [d["status"] for d in listed] == ["delivered"] * 6
    assert [d["type"] for d in listed][::-1] == [e["type"] for e in events]
    assert [d["messageId"] for d in listed][::-1] == [r.headers["webhook-id"] for r in got]


def test_a_webhook_hears_only_its_events(hooks: Api) -> None:
    # Only the `hooks` app runs here: a second app on the store would send too, to no
    # private address (its settings refuse them), and hold the webhook back meanwhile.
    with Receiver() as receiver:
        webhook = add_webhook(hooks, receiver.url, "stop.added")
        group = hooks.group()
        hooks.add(group, phoneNumber="0612345678")
        hooks.post("/v1/stop-sms/add", phoneNumber="0611111111")
        got = receiver.wait_for(lambda got: len(got) >= 1)
    assert [e["type"] for e in _events(got, webhook["secret"])] == ["stop.added"]
    assert total(hooks.get("/v1/webhook/deliveries", webhookId=webhook["webhookId"]).json()) == 1


def test_a_failing_receiver_gets_every_event_once_it_recovers(hooks: Api) -> None:
    with Receiver(fail_first=5) as receiver:
        webhook = add_webhook(hooks, receiver.url)
        group = hooks.group()
        ids = [hooks.add(group, phoneNumber=f"06123456{n:02d}").json() for n in range(4)]
        contact = ids[0]["contact"]["contactId"]
        for name in ("A", "B", "C"):
            hooks.post("/v1/contact/update", contactId=contact, contact={"firstname": name})
        got = receiver.wait_for(lambda got: len(first_arrivals(got)) >= 7, timeout=120)
        failed = [r for r in receiver.received if r.answered == 500]
    events = _events(got, webhook["secret"])
    assert [e["type"] for e in events] == ["contact.added"] * 4 + ["contact.updated"] * 3
    # The first event was tried again and again while the others waited behind it.
    assert len(failed) == 5 and {r.headers["webhook-id"] for r in failed} == {
        got[0].headers["webhook-id"]
    }
    assert [r.verified(webhook["secret"]) for r in failed] == [events[0]] * 5
    first = deliveries(hooks, webhook["webhookId"])[-1]
    assert first["status"] == "delivered" and first["attempts"] == 6
    assert first["lastStatus"] == 200


def test_a_stop_reply_is_an_event(hooks: Api, store: Store) -> None:
    from carnet.domain.replies import replies_token

    path = f"/v1/hooks/replies/{replies_token(store, 'alice')}"
    with Receiver() as receiver:
        webhook = add_webhook(hooks, receiver.url, "stop.added")
        reply = {
            "type": "response",
            "phone_number": "0612345678",
            "text": "STOP",
            "message_id": "1",
        }
        assert hooks.client.post(path, json=reply).status_code == 200
        got = receiver.wait_for(lambda got: len(got) >= 1)
    [event] = _events(got, webhook["secret"])
    assert event["type"] == "stop.added" and event["data"]["phoneNumber"] == "+33612345678"


def test_a_deleted_webhook_is_sent_nothing_more(hooks: Api) -> None:
    with Receiver() as receiver:
        receiver.failing = True
        webhook = add_webhook(hooks, receiver.url)
        hooks.post("/v1/stop-sms/add", phoneNumber="0611111111")
        receiver.wait_for(lambda got: bool(receiver.received), timeout=30)
        hooks.post("/v1/webhook/delete", webhookId=webhook["webhookId"])
        count = len(receiver.received)
        receiver.failing = False
        hooks.post("/v1/stop-sms/add", phoneNumber="0622222222")
        time.sleep(1.5)
        assert len(receiver.received) <= count + 1  # at most the attempt in flight
        assert receiver.accepted() == [] or len(receiver.accepted()) <= 1


def test_an_import_job_sends_its_batches_and_its_end(hooks: Api) -> None:
    lines = ["phone,firstname"] + [f"+336{n:08d},N{n}" for n in range(750)] + ["nonsense,X"]
    with Receiver() as receiver:
        webhook = add_webhook(hooks, receiver.url, "contact.added,import.finished")
        group = hooks.group()
        started = hooks.client.post(
            "/v1/import/add",
            data={"apiKey": hooks.key, "groupId": group},
            files={"file": ("contacts.csv", "\n".join(lines).encode())},
        )
        assert started.status_code == 200, started.text
        got = receiver.wait_for(lambda got: len(got) >= 3, timeout=120)
    events = _events(got, webhook["secret"])
    assert [e["type"] for e in events] == ["contact.added", "contact.added", "import.finished"]
    assert [e["data"]["count"] for e in events[:2]] == [500, 250]
    end = events[2]["data"]
    assert end["importId"] == started.json()["importId"] and end["groupId"] == group
    assert end["status"] == "done"
    assert end["rapport"]["nbline"] == 751 and end["rapport"]["nbline_imported"] == 750
    assert end["rapport"]["errors"]["invalidePhone"] == 1


def test_upserts_moves_and_copies_are_events(hooks: Api) -> None:
    """An upsert updates contacts, a move updates each contact's group (same ids), a copy
    adds new contacts: webhooks hear each, with the ids concerned."""
    with Receiver() as receiver:
        webhook = add_webhook(hooks, receiver.url, "contact.added,contact.updated")
        shop, market = hooks.group("shop"), hooks.group("market")
        one = hooks.add(shop, phoneNumber="0612345678").json()["contact"]["contactId"]
        upsert = [{"phoneNumber": "0612345678", "firstname": "Lou"}]
        assert (
            hooks.post("/v1/contact/add", groupId=shop, contactsList=upsert, upsert=True).json()[
                "rapport"
            ]["nbline_updated"]
            == 1
        )
        copied = hooks.post("/v1/contact/copy", groupId=market, contactIds=[one]).json()
        [copy_id] = [r["contactId"] for r in copied["results"]]
        other = hooks.group("other")
        hooks.post("/v1/contact/move", groupId=other, contactIds=[one])
        got = receiver.wait_for(lambda got: len(got) >= 4)
    events = _events(got, webhook["secret"])
    assert [(e["type"], e["data"]["groupId"], e["data"]["contactIds"]) for e in events] == [
        ("contact.added", shop, [one]),
        ("contact.updated", shop, [one]),
        ("contact.added", market, [copy_id]),
        ("contact.updated", other, [one]),
    ]
    assert copy_id != one
