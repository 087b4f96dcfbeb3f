"""Fixtures: a database of its own per test, on SQLite and on the real PostgreSQL.

PostgreSQL is reached at ``CARNET_TEST_POSTGRES_URL`` (default: the local
server, user postgres). When it does not answer, the PostgreSQL half is
skipped and the run says so at the end; with ``CARNET_REQUIRE_POSTGRES=1`` (CI)
that is a failure instead.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from starlette.testclient import TestClient

from carnet.domain.accounts import create_account
from carnet.http.app import create_app
from carnet.settings import Settings
from carnet.storage import Store
from carnet.storage.database import normalise_url
from support.api import Api
from support.databases import POSTGRES_URL, Templates, create_database, drop_database, url_of
from support.servers import BOOTSTRAP_KEY, Server, start_server

REQUIRE_POSTGRES = os.environ.get("CARNET_REQUIRE_POSTGRES") == "1"
_skipped_postgres: list[str] = []


@cache
def postgres_problem() -> str | None:
    """Why PostgreSQL cannot be used, or None when it answers."""
    try:
        engine = create_engine(normalise_url(POSTGRES_URL), connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as exc:
        return f"PostgreSQL at {make_url(POSTGRES_URL).render_as_string()} does not answer: {exc}"
    return None


def need_postgres(nodeid: str) -> None:
    problem = postgres_problem()
    if problem is None:
        return
    if REQUIRE_POSTGRES:
        pytest.fail(f"CARNET_REQUIRE_POSTGRES=1 but {problem}", pytrace=False)
    _skipped_postgres.append(nodeid)
    pytest.skip(f"PostgreSQL half skipped: {problem}")


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Templates]:
    made = Templates(tmp_path_factory.mktemp("templates"))
    yield made
    made.drop()


@pytest.fixture
def postgres_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """A fresh, empty PostgreSQL database, dropped afterwards."""
    need_postgres(request.node.nodeid)
    name = create_database()
    try:
        yield url_of(name)
    finally:
        drop_database(name)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path, templates: Templates) -> Iterator[str]:
    """Every test that uses this runs once per engine, on a database of its own.

    The database is at the newest schema, with no rows (see :mod:`support.databases`),
    or empty for a test marked ``empty_database``.
    """
    empty = request.node.get_closest_marker("empty_database") is not None
    if request.param == "sqlite":
        path = tmp_path / "carnet.db"
        yield f"sqlite:///{path}" if empty else templates.sqlite(path)
        return
    if empty:
        yield request.getfixturevalue("postgres_url")
        return
    need_postgres(request.node.nodeid)
    name = templates.postgres()
    try:
        yield url_of(name)
    finally:
        templates.done_with(name)


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    s = Store.open(db_url)
    yield s
    s.close()


@pytest.fixture
def settings(db_url: str) -> Settings:
    return Settings(database_url=db_url, rate_limit=0)


@pytest.fixture
def client(store: Store, settings: Settings) -> Iterator[TestClient]:
    app = create_app(settings, store=store)
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def key(store: Store) -> str:
    """API key of a fresh account named ``alice``."""
    _, api_key = create_account(store, "alice")
    return api_key


@pytest.fixture
def other_key(store: Store) -> str:
    """API key of a second account, ``bob``."""
    _, api_key = create_account(store, "bob")
    return api_key


@pytest.fixture
def api(client: TestClient, key: str) -> Api:
    return Api(client, key)


@pytest.fixture
def other_api(client: TestClient, other_key: str) -> Api:
    return Api(client, other_key)


@pytest.fixture
def server(db_url: str, tmp_path: Any) -> Iterator[Server]:
    """A real ``carnet serve`` process on a free port; its account's key is BOOTSTRAP_KEY."""
    srv = start_server(db_url, tmp_path, env={"CARNET_BOOTSTRAP_API_KEY": BOOTSTRAP_KEY})
    yield srv
    srv.stop()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _skipped_postgres:
        terminalreporter.write_line(
            f"NOTE: the PostgreSQL half was skipped ({len(_skipped_postgres)} tests): "
            f"{postgres_problem()}. Start PostgreSQL or set CARNET_TEST_POSTGRES_URL.",
            yellow=True,
        )
