"""API keys: revoked at once, rotated, stored hashed, and never written to a log."""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import quote

import httpx
from sqlalchemy import create_engine, text

from carnet.contract import API_KEY_REVOKED_WITHIN
from carnet.storage.database import normalise_url
from support.servers import Server, new_account, run_cli, start_server

# Enough fresh connections that both workers of a 2-worker server answer some.
CALLS = 12


def statuses(server: Server, key: str) -> set[tuple[int, int]]:
    """(HTTP status, code) of CALLS requests, each on a new connection."""
    seen = set()
    for _ in range(CALLS):
        response = httpx.get(server.url + "/v1/group/list", headers={"X-Api-Key": key})
        seen.add((response.status_code, response.json()["code"]))
    return seen


def test_revoke_and_rotate_take_effect_within_a_second_on_a_running_server(
    db_url: str, tmp_path: Path
) -> None:
    key = new_account(db_url)
    server = start_server(db_url, tmp_path, "--workers", "2")
    try:
        assert statuses(server, key) == {(200, 200)}
        revoked = run_cli("account", "revoke-key", "shop", "--database-url", db_url)
        assert revoked.returncode == 0, revoked.stderr
        time.sleep(API_KEY_REVOKED_WITHIN)  # the contract's bound, on every worker
        assert statuses(server, key) == {(401, 10)}

        rotated = run_cli("account", "rotate-key", "shop", "--database-url", db_url)
        assert rotated.returncode == 0, rotated.stderr
        new_key = rotated.stdout.strip().splitlines()[-1]
        assert new_key != key
        assert statuses(server, new_key) == {(200, 200)}
        assert statuses(server, key) == {(401, 10)}
        rotated_again = run_cli("account", "rotate-key", "shop", "--database-url", db_url)
        time.sleep(API_KEY_REVOKED_WITHIN)
        assert statuses(server, new_key) == {(401, 10)}
        assert statuses(server, rotated_again.stdout.strip().splitlines()[-1]) == {(200, 200)}
    finally:
        server.stop()


def test_keys_are_stored_as_hashes_only(db_url: str) -> None:
    key = new_account(db_url)
    engine = create_engine(normalise_url(db_url))
    with engine.connect() as conn:
        stored = [str(v) for row in conn.execute(text("SELECT * FROM api_keys")) for v in row]
    engine.dispose()
    assert stored and not any(key in value for value in stored)


def test_unknown_account_commands_fail_plainly(db_url: str) -> None:
    for command in ("rotate-key", "revoke-key"):
        result = run_cli("account", command, "nobody", "--database-url", db_url)
        assert result.returncode == 1
        assert "no account named 'nobody'" in result.stderr


def _every_spelling(key: str) -> list[str]:
    return [key, quote(key, safe=""), "".join(f"%{b:02X}" for b in key.encode())]


def test_no_key_reaches_the_server_log(db_url: str, tmp_path: Path) -> None:
    key = new_account(db_url)
    wrong = "not-a-real-key-" + "q" * 30
    server = start_server(db_url, tmp_path, "--workers", "2")
    try:
        with httpx.Client(base_url=server.url) as http:
            group = http.post("/v1/group/add", json={"apiKey": key, "name": "g"}).json()["groupId"]
            answers = [
                http.get("/v1/group/list", params={"apiKey": key}),
                http.get(f"/v1/group/list?ap%69Key={key}"),
                http.get(f"/v1/group/list?apiKey={''.join(f'%{b:02X}' for b in key.encode())}"),
                http.get(f"/v1/group/list?_format=xml&API_KEY={key}&apiKey={key}"),
                http.post(f"/v1/contact/list?apiKey={key}", data={"groupId": group}),
                http.post("/v1/group/add", data={"apiKey": key, "name": "form"}),
                http.post("/v1/group/add", content=f'{{"apiKey": "{key}", "name": '),
                http.get("/v1/group/list", headers={"X-Api-Key": key}),
                http.get("/v1/group/list", headers={"Authorization": f"Bearer {key}"}),
                http.get("/v1/no/such/path", params={"apiKey": key}),
                http.get("/v1/group/list", params={"apiKey": wrong}),
            ]
        assert [a.status_code for a in answers] == [
            *(200, 200, 200, 200, 200, 200, 400, 200, 200, 404, 401)
        ]
    finally:
        server.stop()
    log = server.output()
    assert "GET /v1/group/list?ap%69Key=[redacted]" in log  # the access log did run
    for secret in (key, wrong):
        for spelling in _every_spelling(secret):
            assert spelling not in log


def test_an_internal_error_logs_neither_body_nor_key(db_url: str, tmp_path: Path) -> None:
    key = new_account(db_url)
    server = start_server(db_url, tmp_path)
    try:
        group = httpx.post(server.url + "/v1/group/add", json={"apiKey": key, "name": "g"}).json()[
            "groupId"
        ]
        # Break the database under the running server: the next add fails inside SQL.
        engine = create_engine(normalise_url(db_url))
        with engine.begin() as conn:
            conn.execute(text("ALTER TABLE contacts RENAME TO contacts_away"))
        engine.dispose()
        marker = "BODY-MARKER-7f3a"
        contact = {"phoneNumber": "06 99 88 77 66", "custom1": marker}
        response = httpx.post(
            server.url + "/v1/contact/add",
            json={"apiKey": key, "groupId": group, "contact": contact},
        )
        assert response.status_code == 500
        assert response.json() == {"success": False, "code": 500, "message": "Internal error"}
    finally:
        server.stop()
    log = server.output()
    assert "internal error on POST /v1/contact/add" in log
    for secret in (marker, "99 88 77 66", "699887766", *_every_spelling(key)):
        assert secret not in log
