"""The API keys page over HTTP: a key shown once, its first characters, last use, revoke."""

from __future__ import annotations

import re

from starlette.testclient import TestClient

from carnet.http.app import create_app
from carnet.settings import Settings
from carnet.storage import Store
from support.web import Dashboard, new_person


def test_a_new_key_is_shown_once_listed_by_prefix_with_its_last_use_and_revoked(
    store: Store, settings: Settings
) -> None:
    with TestClient(create_app(settings, store=store)) as client:
        web = Dashboard(client)
        web.sign_in(new_person(store, "shop"))
        made = web.form_post("/keys", "/keys")
        found = re.search(r'<code id="new-key">([^<]+)</code>', made.text)
        assert made.status_code == 200 and found
        key = found.group(1)
        page = client.get("/keys").text
        assert key not in page and f"<code>{key[:6]}…</code>" in page
        assert "Never" in page  # the account's first key, made by new_person, is unused too
        used = client.get("/v1/group/list", headers={"X-Api-Key": key})
        assert used.status_code == 200
        row = client.get("/keys").text.split(f"<code>{key[:6]}…</code>")[1].split("</tr>")[0]
        assert "Never" not in row and "Active" in row
        key_id = re.search(r'action="/keys/(\d+)/revoke"', row)
        assert key_id
        revoked = web.form_post("/keys", f"/keys/{key_id.group(1)}/revoke")
        assert revoked.status_code == 303
        assert client.get("/v1/group/list", headers={"X-Api-Key": key}).status_code == 401
        assert "Revoked" in client.get("/keys").text


def test_the_keys_page_shows_the_replies_url_that_stops_numbers(
    store: Store, settings: Settings
) -> None:
    with TestClient(create_app(settings, store=store)) as client:
        web = Dashboard(client)
        web.sign_in(new_person(store, "shop"))
        page = client.get("/keys").text
        found = re.search(r'<code aria-labelledby="replies-url">([^<]+)</code>', page)
        assert found, page
        url = found.group(1)
        assert url.startswith("http://testserver/v1/hooks/replies/")
        assert client.get("/keys").text.count(url) == 1  # the same URL on every visit
        reply = {
            "type": "response",
            "phone_number": "+33612345678",
            "text": "STOP",
            "message_id": "1",
        }
        assert client.post(url.removeprefix("http://testserver"), json=reply).status_code == 200
        assert (
            "+33612345678" in client.get("/stops").text
            or "06 12 34 56 78" in client.get("/stops").text
        )


def test_the_audit_page_shows_the_accounts_changes_and_who_made_them(
    store: Store, settings: Settings
) -> None:
    with TestClient(create_app(settings, store=store)) as client:
        web = Dashboard(client)
        email = new_person(store, "shop")
        web.sign_in(email)
        web.form_post("/keys", "/keys")
        page = client.get("/audit")
        assert page.status_code == 200 and "<h1>Audit trail</h1>" in page.text
        rows = page.text.split("<tbody>")[1].split("</tbody>")[0]
        assert "key.created" in rows and "user.signed_in" in rows and email in rows
        assert client.get("/audit?page=x").status_code == 200  # a bad page number: the first
