"""Connections the database closed: the requests after it still get working ones.

PostgreSQL ends a server's connections when it restarts, or when an
administrator terminates them. The pool's check on lending a connection only
asks the server when the idle connection's socket has something to read (a
server that hung up); the requests after every connection was ended must all
be answered. (The pool also drops all its connections once any of them, the
background senders' included, finds the server gone.)
"""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from carnet.storage.database import normalise_url
from support.servers import BOOTSTRAP_KEY, Server


def _terminate_connections(db_url: str) -> int:
    """End every connection to the server's database but this one; how many."""
    engine = create_engine(normalise_url(db_url), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            return int(
                conn.execute(
                    text(
                        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                        " WHERE datname = :name AND pid <> pg_backend_pid()"
                    ),
                    {"name": make_url(db_url).database},
                ).scalar_one()
            )
    finally:
        engine.dispose()


# A SQLite file has no connections to end: PostgreSQL only.
@pytest.mark.parametrize(
    "db_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_requests_after_the_database_ended_every_connection(server: Server, db_url: str) -> None:
    group = httpx.post(
        server.url + "/v1/group/add", json={"apiKey": BOOTSTRAP_KEY, "name": "kept"}
    ).json()["groupId"]
    rows = [{"phoneNumber": f"+3361234{n:04d}"} for n in range(40)]
    # Every worker's pool holds connections: a few batches in parallel open several.
    for _ in range(3):
        answer = httpx.post(
            server.url + "/v1/contact/add",
            json={"apiKey": BOOTSTRAP_KEY, "groupId": group, "contactsList": rows},
        )
        assert answer.status_code == 200
    assert _terminate_connections(db_url) > 0
    for start in range(0, 10):
        answer = httpx.post(
            server.url + "/v1/contact/add",
            json={
                "apiKey": BOOTSTRAP_KEY,
                "groupId": group,
                "contactsList": [{"phoneNumber": f"+3361299{start:04d}"}],
            },
        )
        assert answer.status_code == 200, answer.text
        listed = httpx.get(
            server.url + "/v1/contact/list",
            params={"apiKey": BOOTSTRAP_KEY, "groupId": group, "page": 1},
        )
        assert listed.status_code == 200, listed.text
