"""The command line: accounts, and the real server process over a socket."""

from __future__ import annotations

import time
from pathlib import Path

import httpx

from support.servers import BOOTSTRAP_KEY, Server, run_cli, start_server


def test_account_create_prints_key_last_and_list_hides_it(db_url: str) -> None:
    created = run_cli("account", "create", "shop", "--database-url", db_url)
    assert created.returncode == 0, created.stderr
    key = created.stdout.strip().splitlines()[-1]
    assert len(key) >= 32 and " " not in key
    listed = run_cli("account", "list", "--database-url", db_url)
    assert listed.returncode == 0
    assert "shop" in listed.stdout
    assert key not in listed.stdout
    again = run_cli("account", "create", "shop", "--database-url", db_url)
    assert again.returncode != 0
    assert "exists" in again.stderr


def test_account_create_reads_database_url_from_env(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'env.db'}"
    created = run_cli("account", "create", "x", env={"CARNET_DATABASE_URL": url})
    assert created.returncode == 0, created.stderr
    assert (tmp_path / "env.db").exists()


def test_serve_over_a_socket_with_bootstrap_key(server: Server) -> None:
    key = BOOTSTRAP_KEY
    with httpx.Client(base_url=server.url) as http:
        group = http.post("/v1/group/add", json={"apiKey": key, "name": "g"}).json()["groupId"]
        added = http.post(
            "/v1/contact/add",
            json={"apiKey": key, "groupId": group, "contact": {"phoneNumber": "06 12 34 56 78"}},
        )
        assert added.status_code == 200
        assert added.json()["contact"]["phoneNumber"] == "+33612345678"
        again = http.post(
            "/v1/contact/add",
            json={"apiKey": key, "groupId": group, "contact": {"phoneNumber": "0612345678"}},
        )
        assert again.status_code == 409 and again.json()["code"] == 15
        # Keys in the query string, body and headers never reach the log.
        http.get("/v1/group/list", params={"apiKey": key})
        http.get("/v1/group/list", headers={"X-Api-Key": key})
        http.get("/v1/group/list", headers={"Authorization": f"Bearer {key}"})
    time.sleep(0.3)
    log = server.output()
    assert "GET /v1/group/list" in log
    assert key not in log


def test_first_start_prints_a_default_key_once(tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'first.db'}"
    first = start_server(db_url, tmp_path)
    first.proc.terminate()
    first.proc.wait(timeout=30)
    lines = first.output().splitlines()
    marker = next(i for i, line in enumerate(lines) if "Created account 'default'" in line)
    key = lines[marker + 1].strip()
    second = start_server(db_url, tmp_path)
    try:
        assert "Created account" not in second.output()
        response = httpx.get(second.url + "/v1/group/list", headers={"X-Api-Key": key})
        assert response.status_code == 200
        assert response.json()["groups"] == []
    finally:
        second.proc.terminate()
        second.proc.wait(timeout=30)


def test_default_database_is_carnet_db_in_working_directory(tmp_path: Path) -> None:
    created = run_cli("account", "create", "here", cwd=tmp_path, env={"CARNET_DATABASE_URL": ""})
    assert created.returncode == 0, created.stderr
    assert (tmp_path / "carnet.db").exists()


def test_help_lists_every_command() -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    for command in ("serve", "account"):
        assert command in result.stdout
    account_help = run_cli("account", "--help").stdout
    for command in ("create", "list", "rotate-key", "revoke-key"):
        assert command in account_help
