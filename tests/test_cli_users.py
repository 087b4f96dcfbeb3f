"""``carnet user``: people who sign in to the dashboard, managed from the command line."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from starlette.testclient import TestClient

from carnet.http.app import create_app
from carnet.settings import Settings
from carnet.storage import Store
from support.cli import assert_one_error_line
from support.servers import BOOTSTRAP_KEY, CARNET, new_account, start_server
from support.web import Dashboard, csrf_of

PASSWORD = "a long enough password"


def user(db_url: str, *args: str, password: str | None = None) -> subprocess.CompletedProcess[str]:
    stdin_args = ("--password-stdin",) if password is not None else ()
    return subprocess.run(
        [*CARNET, "user", *args, *stdin_args, "--database-url", db_url],
        input=None if password is None else password + "\n",
        capture_output=True,
        text=True,
        timeout=120,
        env=os.environ.copy(),
    )


def test_add_list_reset_and_remove_a_person(db_url: str) -> None:
    new_account(db_url, "shop")
    added = user(db_url, "add", "Ann@Example.org", "--account", "shop", password=PASSWORD)
    assert added.returncode == 0, added.stderr
    assert "ann@example.org" in added.stdout
    listed = user(db_url, "list", "--json")
    people = json.loads(listed.stdout)
    assert [(p["email"], p["account"]) for p in people] == [("ann@example.org", "shop")]
    assert PASSWORD not in listed.stdout

    store = Store.open(db_url)
    try:
        with TestClient(create_app(Settings(database_url=db_url, rate_limit=0), store=store)) as c:
            web = Dashboard(c)
            assert web.sign_in("ann@example.org", PASSWORD).status_code == 303
            assert c.get("/groups", follow_redirects=False).status_code == 200
            reset = user(db_url, "reset-password", "ann@example.org", password="another password")
            assert reset.returncode == 0, reset.stderr
            # Her session ended with the old password.
            assert c.get("/groups", follow_redirects=False).status_code == 303
            assert web.sign_in("ann@example.org", PASSWORD).status_code == 401
            assert web.sign_in("ann@example.org", "another password").status_code == 303
            removed = user(db_url, "remove", "ann@example.org")
            assert removed.returncode == 0, removed.stderr
            assert c.get("/groups", follow_redirects=False).status_code == 303
    finally:
        store.close()
    assert json.loads(user(db_url, "list", "--json").stdout) == []


def test_bad_people_are_refused_in_one_line(db_url: str) -> None:
    new_account(db_url, "shop")
    short = user(db_url, "add", "ann@example.org", "--account", "shop", password="too short")
    assert_one_error_line(short, "at least 10 characters")
    no_account = user(db_url, "add", "ann@example.org", "--account", "nope", password=PASSWORD)
    assert_one_error_line(no_account, "no account named 'nope'")
    not_email = user(db_url, "add", "ann", "--account", "shop", password=PASSWORD)
    assert_one_error_line(not_email, "not an email address")
    assert user(db_url, "add", "a@b.org", "--account", "shop", password=PASSWORD).returncode == 0
    twice = user(db_url, "add", "A@b.org", "--account", "shop", password=PASSWORD)
    assert_one_error_line(twice, "exists already")
    assert_one_error_line(user(db_url, "remove", "nobody@b.org"), "no person")


def test_first_start_prints_a_person_for_the_default_account_once(tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'first.db'}"
    first = start_server(db_url, tmp_path, env={"CARNET_BOOTSTRAP_API_KEY": BOOTSTRAP_KEY})
    first.stop()
    lines = first.output().splitlines()
    marker = next(i for i, line in enumerate(lines) if "Dashboard sign-in" in line)
    assert lines[marker].endswith("admin@localhost")
    password = lines[marker + 1].removeprefix("Password: ").strip()
    assert len(password) >= 10
    second = start_server(db_url, tmp_path)
    try:
        assert "Dashboard sign-in" not in second.output()
        import httpx

        with httpx.Client(base_url=second.url) as browser:
            page = browser.get("/signin")
            signed = browser.post(
                "/signin",
                data={"csrf": csrf_of(page.text), "email": "admin@localhost", "password": password},
            )
            assert signed.status_code == 303 and signed.headers["location"] == "/groups"
            assert "<h1>Groups</h1>" in browser.get("/groups").text
    finally:
        second.stop()
