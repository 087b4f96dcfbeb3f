"""``carnet account replies-url``: the URL a real server takes replies on, its rotation,
and its token kept out of the access log."""

from __future__ import annotations

from pathlib import Path

import httpx

from support.servers import new_account, run_cli, start_server


def _replies_url(db_url: str, base: str, *extra: str) -> str:
    printed = run_cli(
        "account", "replies-url", "shop", "--public-url", base, "--database-url", db_url, *extra
    )
    assert printed.returncode == 0, printed.stderr
    url = printed.stdout.strip().splitlines()[-1]
    assert url.startswith(f"{base}/v1/hooks/replies/")
    return url


def test_the_replies_url_takes_replies_until_rotated(db_url: str, tmp_path: Path) -> None:
    key = new_account(db_url, "shop")
    server = start_server(db_url, tmp_path)
    try:
        url = _replies_url(db_url, server.url)
        assert _replies_url(db_url, server.url) == url  # the same URL, printed again
        stop = {"msisdn": "33612345678", "messageId": "a-1", "text": "STOP", "type": "text"}
        with httpx.Client() as http:
            assert http.post(url, data=stop).status_code == 200
            rotated = _replies_url(db_url, server.url, "--rotate")
            assert rotated != url
            old = http.post(url, data={**stop, "messageId": "a-2"})
            assert old.status_code == 404 and old.json()["code"] == 404
            short = {"type": "response", "phone_number": "0611111111", "text": "stop"}
            assert http.post(rotated, json={**short, "message_id": "b-1"}).status_code == 200
            stops = http.get(f"{server.url}/v1/stop-sms/list", params={"apiKey": key}).json()
            replies = http.get(f"{server.url}/v1/reply/list", params={"apiKey": key}).json()
    finally:
        server.stop()
    assert sorted(e["phoneNumber"] for e in stops["data"]) == ["+33611111111", "+33612345678"]
    assert [r["messageId"] for r in replies["replies"]] == ["b-1", "a-1"]
    log = server.output()
    assert "POST /v1/hooks/replies/[redacted] HTTP/1.1" in log
    for token in (url.rsplit("/", 1)[1], rotated.rsplit("/", 1)[1]):
        assert token not in log


def test_replies_url_of_an_unknown_account_fails(db_url: str, tmp_path: Path) -> None:
    new_account(db_url, "other")
    printed = run_cli("account", "replies-url", "shop", "--database-url", db_url)
    assert printed.returncode == 1
    assert "no account named 'shop'" in printed.stderr
