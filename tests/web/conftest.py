"""Fixtures of the browser tests: one Chromium and one server per engine per test process."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from carnet.storage import Store
from carnet.storage.database import normalise_url
from support.browser import POSTGRES_URL, Site
from support.servers import start_server


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
