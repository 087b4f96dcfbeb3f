"""``carnet webhook`` and ``carnet reply list`` against a real server, and the Python
client's webhook methods."""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from carnet import Client
from support.cli import assert_one_error_line
from support.receiver import Receiver
from support.servers import BOOTSTRAP_KEY, run_cli, start_server

ENV = {"CARNET_BOOTSTRAP_API_KEY": BOOTSTRAP_KEY, "CARNET_WEBHOOK_ALLOW_PRIVATE": "1"}


def test_webhook_commands_add_list_show_deliveries_and_delete(db_url: str, tmp_path: Path) -> None:
    with Receiver() as receiver:
        server = start_server(db_url, tmp_path, env=ENV)
        remote = {"CARNET_URL": server.url, "CARNET_API_KEY": BOOTSTRAP_KEY}
        try:
            added = run_cli("webhook", "add", receiver.url, "--events", "stop.added", env=remote)
            assert added.returncode == 0, added.stderr
            webhook_id, secret = added.stdout.split()
            assert secret.startswith("whsec_")
            assert run_cli("stop", "add", "0612345678", env=remote).returncode == 0
            [got] = receiver.wait_for(lambda got: len(got) >= 1)
            assert got.verified(secret)["data"]["phoneNumber"] == "+33612345678"
            listed = run_cli("webhook", "list", "--json", env=remote)
            shown = run_cli("webhook", "deliveries", webhook_id, "--json", env=remote)
            with Client(BOOTSTRAP_KEY, server.url) as client:
                [webhook] = client.list_webhooks()
                [delivery] = client.list_deliveries(webhook_id)
            deleted = run_cli("webhook", "delete", webhook_id, env=remote)
            again = run_cli("webhook", "delete", webhook_id, env=remote)
            bad = run_cli("webhook", "add", "ftp://example.org/", env=remote)
        finally:
            server.stop()
    [item] = json.loads(listed.stdout)
    assert item["id"] == webhook_id and item["events"] == "stop.added"
    assert "secret" not in listed.stdout and secret not in listed.stdout
    [sent] = json.loads(shown.stdout)
    assert sent["status"] == "delivered" and sent["type"] == "stop.added"
    assert webhook.id == webhook_id and webhook.events == ("stop.added",) and webhook.secret == ""
    assert delivery.status == "delivered" and delivery.message_id == got.headers["webhook-id"]
    assert deleted.returncode == 0
    assert_one_error_line(again, "Webhook not found")
    assert_one_error_line(bad, "url")


def test_reply_list_command(db_url: str, tmp_path: Path) -> None:
    server = start_server(db_url, tmp_path, env=ENV)
    remote = {"CARNET_URL": server.url, "CARNET_API_KEY": BOOTSTRAP_KEY}
    try:
        printed = run_cli(
            "account", "replies-url", "default", "--public-url", server.url,
            "--database-url", db_url,
        )  # fmt: skip
        replies_url = printed.stdout.split()[-1]
        reply_sent = {"msisdn": "33612345678", "messageId": "9", "text": "Arrêt"}
        posted = httpx.post(replies_url, data=reply_sent)
        assert posted.status_code == 200, posted.text
        with Client(BOOTSTRAP_KEY, server.url) as client:
            [reply] = client.list_replies()
        listed = run_cli("reply", "list", "--json", env=remote)
    finally:
        server.stop()
    assert reply.phone == "+33612345678" and reply.stopped and reply.text == "Arrêt"
    [item] = json.loads(listed.stdout)
    assert item["phoneNumber"] == "+33612345678" and item["stopped"] is True
