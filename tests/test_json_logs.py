"""``CARNET_LOG_FORMAT=json`` on a real server: one JSON object a line, never a key."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, text

from carnet.storage.database import normalise_url
from support.servers import new_account, start_server


def json_lines(output: str) -> list[dict[str, Any]]:
    """Every line the server wrote, each one a JSON object (the command's own lines aside)."""
    lines = [line for line in output.splitlines() if line.strip()]
    own = [line for line in lines if not line.startswith("{")]
    assert all(line.startswith(("carnet serving", "Created account")) for line in own), own
    return [json.loads(line) for line in lines if line.startswith("{")]


def test_json_lines_carry_request_id_account_route_status_and_no_key(
    db_url: str, tmp_path: Path
) -> None:
    key = new_account(db_url)
    server = start_server(db_url, tmp_path, "--workers", "2", env={"CARNET_LOG_FORMAT": "json"})
    try:
        with httpx.Client(base_url=server.url) as http:
            added = http.post(
                "/v1/group/add", json={"apiKey": key, "name": "g"}, headers={"X-Request-Id": "r-1"}
            )
            listed = http.get(f"/v1/group/list?apiKey={key}&phoneNumber=0612345678")
            refused = http.get("/v1/group/list?apiKey=not-a-key-0000")
            group = added.json()["groupId"]
            # Break the database under the server: the next add is an internal error.
            engine = create_engine(normalise_url(db_url))
            with engine.begin() as conn:
                conn.execute(text("ALTER TABLE contacts RENAME TO contacts_away"))
            engine.dispose()
            failed = http.post(
                "/v1/contact/add",
                json={"apiKey": key, "groupId": group, "contact": {"phoneNumber": "0612345678"}},
                headers={"X-Request-Id": "r-boom"},
            )
    finally:
        server.stop()
    assert [added.status_code, listed.status_code, refused.status_code] == [200, 200, 401]
    assert failed.status_code == 500 and failed.headers["x-request-id"] == "r-boom"
    output = server.output()
    for secret in (key, "not-a-key-0000", "0612345678", "612345678"):
        assert secret not in output
    lines = json_lines(output)
    access = [
        line for line in lines if line["logger"] == "carnet.access" and line["route"] != "/healthz"
    ]
    assert [(a["route"], a["status"]) for a in access] == [
        ("/v1/group/add", 200),
        ("/v1/group/list", 200),
        ("/v1/group/list", 401),
        ("/v1/contact/add", 500),
    ]
    first = access[0]
    assert first["request_id"] == "r-1" and first["account"] == "shop"
    assert first["method"] == "POST" and first["level"] == "info"
    assert isinstance(first["duration_ms"], float) and first["client"] == "127.0.0.1"
    assert access[1]["request_id"] == listed.headers["x-request-id"]
    assert "account" not in access[2]  # no account answered to that key
    assert access[3]["level"] == "error"
    # The traceback's line names the request it broke.
    [error] = [line for line in lines if line["logger"] == "carnet.http"]
    assert error["request_id"] == "r-boom" and error["level"] == "error"
    assert "exception" in error and "contacts" in error["exception"]
    assert {"time", "level", "message"} <= set(error)


def test_text_lines_name_the_request_an_error_belongs_to(db_url: str, tmp_path: Path) -> None:
    key = new_account(db_url)
    server = start_server(db_url, tmp_path)
    try:
        group = httpx.post(server.url + "/v1/group/add", json={"apiKey": key, "name": "g"})
        engine = create_engine(normalise_url(db_url))
        with engine.begin() as conn:
            conn.execute(text("ALTER TABLE contacts RENAME TO contacts_away"))
        engine.dispose()
        failed = httpx.post(
            server.url + "/v1/contact/add",
            json={
                "apiKey": key,
                "groupId": group.json()["groupId"],
                "contact": {"phoneNumber": "0612345678"},
            },
            headers={"X-Request-Id": "r-text"},
        )
    finally:
        server.stop()
    assert failed.status_code == 500
    assert "carnet.http: [request r-text] internal error on POST /v1/contact/add" in server.output()
