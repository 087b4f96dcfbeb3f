"""Webhook deliveries survive their server: SIGKILL between a change and its delivery, and
several servers on one database sending each event once. Real ``carnet serve`` processes."""

from __future__ import annotations

import time
from pathlib import Path

import httpx

from support.receiver import Receiver, first_arrivals
from support.servers import BOOTSTRAP_KEY, Server, start_server

ENV = {
    "CARNET_BOOTSTRAP_API_KEY": BOOTSTRAP_KEY,
    "CARNET_WEBHOOK_ALLOW_PRIVATE": "1",
    "CARNET_WEBHOOK_BACKOFF_MS": "100",
    "CARNET_WEBHOOK_BACKOFF_MAX_MS": "500",
    # A dead server's webhooks are taken over once its lease has run out: short, for tests.
    "CARNET_WEBHOOK_LEASE_SECONDS": "2",
}


def _post(server: Server, path: str, **params: object) -> dict:
    answer = httpx.post(f"{server.url}{path}", json={"apiKey": BOOTSTRAP_KEY, **params})
    assert answer.status_code == 200, answer.text
    body: dict = answer.json()
    return body


def test_an_event_whose_server_was_killed_still_arrives(db_url: str, tmp_path: Path) -> None:
    with Receiver() as receiver:
        # A server that sends nothing: the change is committed, its delivery not made.
        server = start_server(db_url, tmp_path, env={**ENV, "CARNET_WEBHOOK_CONCURRENCY": "0"})
        secret = _post(server, "/v1/webhook/add", url=receiver.url, events="stop.added")["secret"]
        _post(server, "/v1/stop-sms/add", phoneNumber="0611111111")
        server.kill()
        # A server killed while its receiver fails: both deliveries tried, none made.
        receiver.failing = True
        server = start_server(db_url, tmp_path, env=ENV)
        _post(server, "/v1/stop-sms/add", phoneNumber="0622222222")
        deadline = time.monotonic() + 60
        while len(receiver.received) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        server.kill()
        assert receiver.accepted() == []
        receiver.failing = False
        server = start_server(db_url, tmp_path, env=ENV)
        try:
            got = receiver.wait_for(lambda got: len(first_arrivals(got)) >= 2)
        finally:
            server.stop()
    events = [r.verified(secret) for r in first_arrivals(got)]
    assert [e["data"]["phoneNumber"] for e in events] == ["+33611111111", "+33622222222"]


def test_two_servers_send_each_event_once_and_in_order(db_url: str, tmp_path: Path) -> None:
    with Receiver() as receiver:
        first = start_server(db_url, tmp_path, env=ENV)
        second = start_server(db_url, tmp_path, env=ENV)
        servers = (first, second)
        try:
            webhooks = [
                _post(first, "/v1/webhook/add", url=f"{receiver.url}/{n}", events="stop.added")
                for n in range(4)
            ]
            numbers = [f"+3361234{n:04d}" for n in range(24)]
            for n, number in enumerate(numbers):
                _post(servers[n % 2], "/v1/stop-sms/add", phoneNumber=number)
            receiver.wait_for(lambda got: len(got) >= 4 * len(numbers), timeout=120)
            time.sleep(1)  # a repeat, if any, would show by now
        finally:
            for server in servers:
                server.stop()
    assert len(receiver.received) == 4 * len(numbers)
    for n, webhook in enumerate(webhooks):
        mine = [r for r in receiver.received if r.path == f"/hook/{n}"]
        assert len({r.headers["webhook-id"] for r in mine}) == len(mine) == len(numbers)
        sent = [r.verified(webhook["secret"])["data"]["phoneNumber"] for r in mine]
        assert sent == numbers
