"""The dashboard seen over HTTP, without a browser: sign in, read a form's CSRF token, post."""

from __future__ import annotations

import re
from typing import Any

from starlette.testclient import TestClient

from carnet.domain.accounts import create_account
from carnet.domain.people import add_person
from carnet.storage import Store

PASSWORD = "correct horse battery"
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')
_ERRORS = re.compile(r'class="error"[^>]*>([^<]*)<')


def new_person(store: Store, account: str, email: str | None = None) -> str:
    """An account and a person signing in for it (password :data:`PASSWORD`); the email."""
    create_account(store, account)
    email = email or f"{account}@example.org"
    add_person(store, email, account, PASSWORD)
    return email


def csrf_of(html: str) -> str:
    found = _CSRF.search(html)
    assert found, html
    return found.group(1)


def errors_of(html: str) -> list[str]:
    """The error messages a page shows beside fields, as a person reads them."""
    return [text.strip() for text in _ERRORS.findall(html)]


class Dashboard:
    """One browser's cookies on the dashboard, through a test client of the real app."""

    def __init__(self, client: TestClient) -> None:
        self.client = client

    def sign_in(self, email: str, password: str = PASSWORD) -> Any:
        page = self.client.get("/signin")
        return self.client.post(
            "/signin",
            data={"csrf": csrf_of(page.text), "email": email, "password": password},
            follow_redirects=False,
        )

    def form_post(self, page_path: str, action: str, **fields: str) -> Any:
        """Post ``fields`` to ``action`` with the CSRF token of the page at ``page_path``."""
        token = csrf_of(self.client.get(page_path).text)
        return self.client.post(action, data={"csrf": token, **fields}, follow_redirects=False)
