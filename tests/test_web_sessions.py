"""Signing in to the dashboard: passwords, sessions, CSRF, lockout, headers, accounts apart."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import update
from starlette.testclient import TestClient

from carnet.http.app import create_app
from carnet.settings import Settings
from carnet.storage import Store
from carnet.storage.schema import web_sessions
from support.web import PASSWORD, Dashboard, csrf_of, errors_of, new_person


@pytest.fixture
def web(store: Store, settings: Settings) -> Iterator[Dashboard]:
    with TestClient(create_app(settings, store=store), raise_server_exceptions=False) as c:
        yield Dashboard(c)


def test_signed_out_pages_send_to_the_sign_in_page(web: Dashboard) -> None:
    browser = {"Accept": "text/html,application/xhtml+xml"}  # "/" answers programs JSON
    for path in ("/", "/groups", "/stops", "/keys"):
        answer = web.client.get(path, headers=browser, follow_redirects=False)
        assert (answer.status_code, answer.headers["location"]) == (303, "/signin"), path


def test_a_wrong_password_and_an_unknown_email_answer_alike(web: Dashboard, store: Store) -> None:
    email = new_person(store, "shop")
    wrong = web.sign_in(email, "not the password")
    unknown = web.sign_in("nobody@example.org", "not the password")
    assert wrong.status_code == unknown.status_code == 401
    assert errors_of(wrong.text) == errors_of(unknown.text) == ["Wrong email or password."]
    assert "carnet_session" not in wrong.headers.get("set-cookie", "")


def test_signing_in_opens_a_server_side_session_in_an_httponly_lax_cookie(
    web: Dashboard, store: Store
) -> None:
    email = new_person(store, "shop")
    answer = web.sign_in(email.upper())  # emails are read case-insensitively
    assert (answer.status_code, answer.headers["location"]) == (303, "/groups")
    cookie = next(c for c in answer.headers.get_list("set-cookie") if "carnet_session=" in c)
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie
    page = web.client.get("/groups")
    assert page.status_code == 200 and "<h1>Groups</h1>" in page.text
    assert email in page.text


def test_over_https_the_session_cookie_is_secure(store: Store, settings: Settings) -> None:
    email = new_person(store, "shop")
    app = create_app(settings, store=store)
    with TestClient(app, base_url="https://testserver") as client:
        answer = Dashboard(client).sign_in(email)
    cookie = next(c for c in answer.headers.get_list("set-cookie") if "carnet_session=" in c)
    assert "Secure" in cookie


def test_passwords_are_stored_as_argon2id_hashes(web: Dashboard, store: Store) -> None:
    new_person(store, "shop")
    with store.read() as q:
        person = q.list_people()[0]
    assert person.password_hash.startswith("$argon2id$")
    assert PASSWORD not in person.password_hash


def test_a_form_without_its_csrf_token_changes_nothing(web: Dashboard, store: Store) -> None:
    web.sign_in(new_person(store, "shop"))
    for token in ("", "forged-token-" + "x" * 30):
        answer = web.client.post("/groups", data={"csrf": token, "name": "Forged"})
        assert answer.status_code == 403
        assert "This form has expired" in answer.text
    assert "Forged" not in web.client.get("/groups").text
    created = web.form_post("/groups", "/groups", name="Real")
    assert created.status_code == 303
    assert "Real" in web.client.get("/groups").text


def test_the_sign_in_form_has_a_csrf_token_too(web: Dashboard, store: Store) -> None:
    email = new_person(store, "shop")
    web.client.get("/signin")
    answer = web.client.post("/signin", data={"email": email, "password": PASSWORD})
    assert answer.status_code == 403
    assert "carnet_session" not in answer.headers.get("set-cookie", "")


def test_five_failures_in_a_minute_lock_the_email_out(web: Dashboard, store: Store) -> None:
    email = new_person(store, "shop")
    other = new_person(store, "other")
    for _ in range(5):
        assert web.sign_in(email, "wrong password!").status_code == 401
    locked = web.sign_in(email)  # even the right password, for a minute
    assert locked.status_code == 429
    assert "Too many attempts" in locked.text
    assert web.sign_in(other).status_code == 303  # another email is not locked


def test_signing_out_ends_the_session_wherever_it_is_used(
    web: Dashboard, store: Store, settings: Settings
) -> None:
    web.sign_in(new_person(store, "shop"))
    cookie = web.client.cookies["carnet_session"]
    token = csrf_of(web.client.get("/groups").text)
    assert web.client.get("/signout", params={"csrf": token}).status_code == 200
    with TestClient(create_app(settings, store=store)) as elsewhere:
        elsewhere.cookies.set("carnet_session", cookie)
        answer = elsewhere.get("/groups", follow_redirects=False)
    assert (answer.status_code, answer.headers["location"]) == (303, "/signin")


def test_a_session_idle_for_12_hours_has_ended(web: Dashboard, store: Store) -> None:
    web.sign_in(new_person(store, "shop"))
    assert web.client.get("/groups", follow_redirects=False).status_code == 200
    with store.write() as q:
        q.conn.execute(update(web_sessions).values(seen_ms=web_sessions.c.seen_ms - 12 * 3600_001))
    assert web.client.get("/groups", follow_redirects=False).status_code == 303


def test_a_session_ends_7_days_after_sign_in(web: Dashboard, store: Store) -> None:
    web.sign_in(new_person(store, "shop"))
    week = 7 * 24 * 3600_000 + 1
    with store.write() as q:
        q.conn.execute(update(web_sessions).values(created_ms=web_sessions.c.created_ms - week))
    assert web.client.get("/groups", follow_redirects=False).status_code == 303


def test_a_person_sees_only_their_account(web: Dashboard, store: Store, settings: Settings) -> None:
    web.sign_in(new_person(store, "shop"))
    web.form_post("/groups", "/groups", name="Shop clients")
    page = web.client.get("/groups").text
    group_id = page.split('href="/groups/')[1].split('"')[0]
    with TestClient(create_app(settings, store=store)) as client:
        other = Dashboard(client)
        other.sign_in(new_person(store, "club"))
        assert "Shop clients" not in client.get("/groups").text
        assert client.get(f"/groups/{group_id}").status_code == 404
        deleted = other.form_post("/groups", f"/groups/{group_id}/delete")
        assert deleted.status_code == 404
    assert "Shop clients" in web.client.get("/groups").text


def test_pages_carry_the_security_headers_and_docs_still_work(web: Dashboard, store: Store) -> None:
    for path in ("/signin", "/static/style.css"):
        headers = web.client.get(path).headers
        policy = headers["content-security-policy"]
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert "unsafe-inline" not in policy
        assert headers["referrer-policy"] == "same-origin"
    docs = web.client.get("/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()
