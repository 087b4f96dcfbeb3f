"""nginx (the README's site) in front of two carnet servers on one PostgreSQL and one Redis.

The second server is started as the README's systemd unit starts it (its
``ExecStart`` arguments and ``Environment`` settings). Clients connect to nginx
from addresses of their own (127.0.0.x), so each is a distinct client to
carnet, which sees it only through the ``X-Forwarded-For`` of its trusted proxy.
"""

from __future__ import annotations

import json
import shlex
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from support.databases import create_database, drop_database, url_of
from support.nginx import Nginx, readme_block
from support.servers import Server, free_port, need_redis, new_account, start_server, unique_prefix

LIMIT = 60


def unit() -> tuple[list[str], dict[str, str]]:
    """The README's systemd unit: ``carnet serve``'s arguments and the environment it sets."""
    text = readme_block("[Unit]")
    [exec_start] = [line for line in text.splitlines() if line.startswith("ExecStart=")]
    command = shlex.split(exec_start.removeprefix("ExecStart="))
    assert command[0].endswith("/carnet") and command[1] == "serve"
    args = command[2:]
    port = args.index("--port")
    del args[port : port + 2]  # the test's server listens on a free port
    environment = dict(
        line.removeprefix("Environment=").split("=", 1)
        for line in text.splitlines()
        if line.startswith("Environment=")
    )
    return args, environment


def client(address: str, **kwargs: object) -> httpx.Client:
    """A client whose connections come from ``address`` (any 127.0.0.x is this machine)."""
    transport = httpx.HTTPTransport(local_address=address)
    return httpx.Client(transport=transport, timeout=60, **kwargs)  # type: ignore[arg-type]


def access_lines(server: Server) -> list[dict[str, object]]:
    """The server's access lines written so far (a line still being written is left out)."""
    text = server.output()
    complete = text[: text.rfind("\n") + 1]
    return [
        line
        for line in map(json.loads, (t for t in complete.splitlines() if t[:1] == "{"))
        if line.get("logger") == "carnet.access"
    ]


def clients_of(servers: list[Server], request_ids: set[str]) -> dict[object, object]:
    """The client address each request id's access line names, once every one is written.

    A server writes a request's line just after sending its answer: wait for it.
    """
    deadline = time.monotonic() + 10
    while True:
        seen = {
            line["request_id"]: line["client"]
            for server in servers
            for line in access_lines(server)
        }
        if request_ids <= seen.keys() or time.monotonic() > deadline:
            return seen
        time.sleep(0.05)


@pytest.fixture(scope="module")
def servers(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Nginx, list[Server], str]]:
    """nginx and two servers for the tests of this module, each test a client address of
    its own (the rate limit is counted per client) and request ids of its own."""
    from conftest import need_postgres  # the one place that decides skip or fail

    need_postgres("behind a proxy")
    redis_url = need_redis()
    tmp_path = tmp_path_factory.mktemp("proxy")
    database = create_database()
    try:
        yield from _started(url_of(database), redis_url, tmp_path)
    finally:
        drop_database(database)


def _started(
    postgres_url: str, redis_url: str, tmp_path: Path
) -> Iterator[tuple[Nginx, list[Server], str]]:
    key = new_account(postgres_url)
    args, environment = unit()
    assert "--proxy-headers" in args and environment["CARNET_LOG_FORMAT"] == "json"
    environment.update(
        CARNET_DATABASE_URL=postgres_url,
        CARNET_REDIS_URL=redis_url,
        CARNET_REDIS_PREFIX=unique_prefix(),
        CARNET_RATE_LIMIT=str(LIMIT),
    )
    started = []
    try:
        for _ in range(2):
            started.append(start_server(postgres_url, tmp_path, *args, env=environment))
        proxy = Nginx(tmp_path, [s.url.removeprefix("http://") for s in started], free_port())
        try:
            yield proxy, started, key
        finally:
            proxy.stop()
    finally:
        for server in started:
            server.stop()


def test_two_servers_behind_nginx_share_the_limit_and_the_database(
    servers: tuple[Nginx, list[Server], str],
) -> None:
    proxy, (first, second), key = servers
    # 50 adds of one number at once, spread over both servers: exactly one is stored.
    with client("127.0.0.6", base_url=proxy.url) as http:
        group = http.post("/v1/group/add", json={"apiKey": key, "name": "g"}).json()["groupId"]
    start = threading.Barrier(50)

    def add(_: int) -> int:
        with client("127.0.0.6", base_url=proxy.url) as http:
            start.wait()
            body = {"apiKey": key, "groupId": group, "contact": {"phoneNumber": "0612345678"}}
            return http.post("/v1/contact/add", json=body).status_code

    with ThreadPoolExecutor(50) as pool:
        statuses = list(pool.map(add, range(50)))
    assert statuses.count(200) == 1 and 429 not in statuses and 500 not in statuses
    with client("127.0.0.6", base_url=proxy.url) as http:
        listed = http.get("/v1/contact/list", params={"apiKey": key, "groupId": group})
    assert int(listed.json()["total"]) == 1
    # Both servers answered some of them, and saw the client's own address.
    for server in (first, second):
        deadline = time.monotonic() + 10  # a line is written just after its answer
        while True:
            adds = [a for a in access_lines(server) if a["route"] == "/v1/contact/add"]
            if adds or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        assert adds and {a["client"] for a in adds} == {"127.0.0.6"}

    # One limit for a client, counted across both servers through Redis.
    with client("127.0.0.3", base_url=proxy.url) as http:
        answers = [http.get("/v1/group/list").status_code for _ in range(LIMIT + 10)]
    assert answers.count(401) == LIMIT and answers.count(429) == 10
    assert answers[:LIMIT] == [401] * LIMIT


def test_a_client_cannot_spoof_its_address(servers: tuple[Nginx, list[Server], str]) -> None:
    proxy, (first, second), _ = servers
    forged = {"X-Forwarded-For": "10.1.2.3", "X-Request-Id": "spoof-via-proxy"}
    with client("127.0.0.4", base_url=proxy.url) as http:
        for _ in range(4):  # both servers get one
            assert http.get("/v1/group/list", headers=forged).status_code == 401
    # Straight to a server, from an address that is not a trusted proxy.
    direct = {"X-Forwarded-For": "10.9.9.9", "X-Request-Id": "spoof-direct"}
    with client("127.0.0.5", base_url=first.url) as http:
        assert http.get("/v1/group/list", headers=direct).status_code == 401
    seen = clients_of([first, second], {"spoof-via-proxy", "spoof-direct"})
    assert seen["spoof-via-proxy"] == "127.0.0.4"
    assert seen["spoof-direct"] == "127.0.0.5"
    assert "10.1.2.3" not in first.output() + second.output()
    assert "10.9.9.9" not in first.output() + second.output()
