"""Browser tests: one Chromium for the whole run (Debian's, driven by Playwright), one real
``carnet serve`` per engine shared by the tests of a process, each test its own account.

Import the fixtures into a test module (``from support.browser import browser, site``).
Every page a test opens can be checked with axe-core (:func:`assert_accessible`),
injected through the DevTools protocol, which the page's CSP does not govern.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from carnet.storage import Store
from carnet.storage.database import normalise_url
from support.servers import Server, start_server
from support.web import PASSWORD, new_person

POSTGRES_URL = os.environ.get(
    "CARNET_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()
SCREENSHOTS = Path(__file__).parent.parent.parent / "docs" / "screenshots"
_RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map(n => n.target).join(" | ")}`);
}"""


@dataclass
class Site:
    """A running server, its database, and a way to make accounts with a person each."""

    server: Server
    store: Store
    engine: str

    @property
    def url(self) -> str:
        return self.server.url

    def person(self) -> str:
        """A fresh account and its person (password :data:`PASSWORD`); their email."""
        return new_person(self.store, f"acct-{uuid.uuid4().hex[:10]}")


def _postgres_database() -> tuple[str, Any]:
    from conftest import need_postgres  # the one place that decides skip or fail

    need_postgres("browser tests")
    name = f"carnet_web_{uuid.uuid4().hex[:12]}"
    admin = create_engine(normalise_url(POSTGRES_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(normalise_url(POSTGRES_URL)).set(database=name)

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url.render_as_string(hide_password=False), drop


@pytest.fixture(
    scope="session", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Site]:
    """One server per engine for the tests of this process."""
    tmp = tmp_path_factory.mktemp(f"site-{request.param}")
    drop = None
    if request.param == "sqlite":
        db_url = f"sqlite:///{tmp / 'carnet.db'}"
    else:
        db_url, drop = _postgres_database()
    server = start_server(db_url, tmp, env={"CARNET_RATE_LIMIT": "0"})
    store = Store.open(db_url, pool_size=2)
    try:
        yield Site(server, store, request.param)
    finally:
        server.stop()
        store.close()
        if drop is not None:
            drop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for every browser test of this process."""
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        yield launched
        launched.close()


def signed_in(browser: Any, site: Site, language: str = "en") -> Any:
    """A page of a new browser context (own cookies) whose person has signed in."""
    locale = "fr-FR" if language == "fr" else "en-GB"
    context = browser.new_context(base_url=site.url, locale=locale)
    context.set_default_timeout(30_000)
    page = context.new_page()
    email = site.person()
    page.goto("/signin")
    page.get_by_label(_t(language, "Email", "E-mail")).fill(email)
    page.get_by_label(_t(language, "Password", "Mot de passe")).fill(PASSWORD)
    page.get_by_role("button", name=_t(language, "Sign in", "Se connecter")).click()
    page.wait_for_url("**/groups")
    return page


def _t(language: str, english: str, french: str) -> str:
    return french if language == "fr" else english


def assert_accessible(page: Any) -> None:
    """No serious or critical axe-core violation on the page as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE)
    violations = page.evaluate(_RUN_AXE)
    assert violations == [], f"{page.url}: {violations}"


def screenshot(page: Any, site: Site, language: str, name: str) -> None:
    """Save the page for the README (from the SQLite, English run only)."""
    if site.engine == "sqlite" and language == "en":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
