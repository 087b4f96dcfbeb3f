"""Browser tests: one Chromium for the whole run (Debian's, driven by Playwright), one real
``carnet serve`` per engine shared by the tests of a process, each test its own account.

The fixtures (``browser``, ``site``) live in ``tests/web/conftest.py``, defined once so
that a test process starts one browser and one server per engine.
Every page a test opens can be checked with axe-core (:func:`assert_accessible`),
injected through the DevTools protocol, which the page's CSP does not govern.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from carnet.storage import Store
from support.servers import Server
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
    """Save the page for the README (from the SQLite, English run only), when asked:
    ``make screenshots`` sets ``CARNET_SCREENSHOTS=1``; other runs leave the
    checkout as they found it."""
    if os.environ.get("CARNET_SCREENSHOTS") == "1" and site.engine == "sqlite" and language == "en":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
