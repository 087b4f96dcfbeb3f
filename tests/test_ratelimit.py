"""Rate limiting: per client address and per API key; shared through Redis when set.

The in-process tests run on SQLite only: the limiter never touches the database.
The cross-process tests start real servers and talk to the real Redis.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import redis
from starlette.applications import Starlette
from starlette.testclient import TestClient

from carnet.contract import API_KEY_MAX
from carnet.domain.accounts import create_account
from carnet.http.app import create_app
from carnet.settings import Settings
from carnet.storage import Store
from support.servers import (
    PrivateRedis,
    Server,
    need_redis,
    new_account,
    start_server,
    unique_prefix,
)
from support.xmldoc import as_xml_text, xml_envelope


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Store]:
    store = Store.open(f"sqlite:///{tmp_path / 'carnet.db'}")
    yield store
    store.close()


def limited_app(store: Store, limit: int, **settings: object) -> Starlette:
    return create_app(Settings(database_url="sqlite://", rate_limit=limit, **settings), store=store)  # type: ignore[arg-type]


def from_address(app: Starlette, address: str) -> TestClient:
    return TestClient(app, raise_server_exceptions=False, client=(address, 40000))


def assert_limited(response: httpx.Response) -> None:
    assert response.status_code == 429
    assert response.json()["success"] is False
    assert response.json()["code"] == 429
    assert 1 <= int(response.headers["Retry-After"]) <= 60


def test_over_the_limit_per_address_is_429_with_retry_after(sqlite_store: Store) -> None:
    _, key = create_account(sqlite_store, "alice")
    with from_address(limited_app(sqlite_store, 3), "10.0.0.1") as http:
        answers = [http.get("/v1/group/list", params={"apiKey": key}) for _ in range(3)]
        assert [a.status_code for a in answers] == [200, 200, 200]
        # Any path counts, with or without a key, whatever the method.
        assert_limited(http.post("/v1/group/add", json={"name": "g"}))
        assert_limited(http.get("/v1/no/such/path"))
        as_json = http.get("/v1/group/list", params={"apiKey": key})
        as_xml = http.get("/v1/group/list", params={"apiKey": key, "_format": "xml"})
    assert_limited(as_json)
    # Asked as XML, the answer is the same document, in XML.
    assert as_xml.status_code == 429
    assert 1 <= int(as_xml.headers["Retry-After"]) <= 60
    assert xml_envelope(as_xml) == as_xml_text(as_json.json())


def test_healthz_is_exempt_and_not_counted(sqlite_store: Store) -> None:
    _, key = create_account(sqlite_store, "alice")
    with from_address(limited_app(sqlite_store, 2), "10.0.0.1") as http:
        assert {http.get("/healthz").status_code for _ in range(10)} == {200}
        assert http.get("/v1/group/list", params={"apiKey": key}).status_code == 200
        assert http.get("/v1/group/list", params={"apiKey": key}).status_code == 200
        assert_limited(http.get("/v1/group/list", params={"apiKey": key}))
        assert http.get("/healthz").status_code == 200


def test_a_key_is_limited_whatever_address_it_comes_from(sqlite_store: Store) -> None:
    _, key = create_account(sqlite_store, "alice")
    _, other_key = create_account(sqlite_store, "bob")
    app = limited_app(sqlite_store, 3)
    with from_address(app, "10.0.0.1") as first, from_address(app, "10.0.0.2") as second:
        # One key, sent three ways from the first address.
        assert first.get("/v1/group/list", params={"apiKey": key}).status_code == 200
        assert first.get("/v1/group/list", headers={"X-Api-Key": key}).status_code == 200
        auth = {"Authorization": f"Bearer {key}"}
        assert first.get("/v1/group/list", headers=auth).status_code == 200
        # The second address is fresh, the key is not.
        over = second.post("/v1/group/add", json={"apiKey": key, "name": "g"})
        assert_limited(over)
        assert "key" in over.json()["message"]
        assert second.get("/v1/group/list", params={"apiKey": other_key}).status_code == 200
        assert [
            g["name"]
            for g in second.get("/v1/group/list", params={"apiKey": other_key}).json()["groups"]
        ] == []


def test_a_limit_of_zero_turns_limiting_off(sqlite_store: Store) -> None:
    _, key = create_account(sqlite_store, "alice")
    settings = Settings.from_env({"CARNET_RATE_LIMIT": "0", "CARNET_DATABASE_URL": "sqlite://"})
    with from_address(create_app(settings, store=sqlite_store), "10.0.0.1") as http:
        answers = {
            http.get("/v1/group/list", params={"apiKey": key}).status_code for _ in range(50)
        }
    assert answers == {200}


def test_the_description_documents_429_and_retry_after(sqlite_store: Store) -> None:
    with from_address(limited_app(sqlite_store, 3), "10.0.0.1") as http:
        paths = http.get("/openapi.json").json()["paths"]
    for path, item in paths.items():
        if path.startswith("/v1/"):
            for operation in item.values():
                assert "Retry-After" in operation["responses"]["429"]["headers"], path


def test_the_default_is_2000_a_minute() -> None:
    assert Settings.from_env({}).rate_limit == 2000


# -- across processes, through Redis -----------------------------------------


def _account(tmp_path: Path) -> tuple[str, str]:
    db_url = f"sqlite:///{tmp_path / 'carnet.db'}"
    return db_url, new_account(db_url)


def _codes(servers: list[Server], key: str, count: int) -> list[int]:
    """Statuses of ``count`` requests spread over ``servers``, each on a new connection."""
    return [
        httpx.get(
            servers[i % len(servers)].url + "/v1/group/list", params={"apiKey": key}
        ).status_code
        for i in range(count)
    ]


def test_redis_shares_the_limit_between_servers_and_holds_no_key(tmp_path: Path) -> None:
    redis_url = need_redis()
    prefix = unique_prefix()
    db_url, key = _account(tmp_path)
    env = {"CARNET_REDIS_URL": redis_url, "CARNET_REDIS_PREFIX": prefix, "CARNET_RATE_LIMIT": "8"}
    servers = [start_server(db_url, tmp_path, "--workers", "2", env=env) for _ in range(2)]
    try:
        # Per process the limit would let 4 x 8 through; shared, it is 8 in all.
        codes = _codes(servers, key, 12)
        assert codes == [200] * 8 + [429] * 4
        stored = redis.Redis.from_url(redis_url)
        names = [name.decode() for name in stored.scan_iter(f"{prefix}*")]
        assert names, "the counters are in Redis under the prefix"
        assert not any(key in name for name in names)
        assert any(hashlib.sha256(key.encode()).hexdigest() in name for name in names)
        for name in names:
            assert key.encode() not in b"".join(stored.lrange(name, 0, -1))
        stored.delete(*names)
    finally:
        for server in servers:
            server.stop()


def test_requests_go_through_when_redis_goes_down(tmp_path: Path) -> None:
    private = PrivateRedis(tmp_path)
    db_url, key = _account(tmp_path)
    env = {"CARNET_REDIS_URL": private.url, "CARNET_RATE_LIMIT": "3"}
    server = start_server(db_url, tmp_path, env=env)
    try:
        assert _codes([server], key, 4) == [200, 200, 200, 429]
        private.stop()
        # Fail open: the API keeps answering, and the operator is told once.
        assert _codes([server], key, 5) == [200] * 5
        private = PrivateRedis(tmp_path, port=private.port)
        # Redis is back (empty): limiting resumes.
        assert _codes([server], key, 4) == [200, 200, 200, 429]
    finally:
        server.stop()
        private.stop()
    log = server.output()
    assert log.count("rate limiting is off: its Redis does not answer") == 1
    assert "rate limiting is back on" in log
    assert key not in log


def test_an_over_long_key_is_refused_before_it_becomes_a_counter(sqlite_store: Store) -> None:
    redis_url = need_redis()
    prefix = unique_prefix()
    app = limited_app(sqlite_store, 50, redis_url=redis_url, redis_prefix=prefix)
    longest, over_long = "k" * API_KEY_MAX, "o" * (API_KEY_MAX + 1)
    with from_address(app, "10.0.0.1") as http:
        answers = [
            http.get("/v1/group/list", params={"apiKey": "x" * 300}),
            http.get("/v1/group/list", params={"apiKey": over_long}),
            http.get("/v1/group/list", headers={"X-Api-Key": over_long}),
            http.get("/v1/group/list", headers={"Authorization": f"Bearer {over_long}"}),
            http.post("/v1/group/add", json={"apiKey": over_long, "name": "g"}),
            http.post("/v1/group/add", data={"apiKey": over_long, "name": "g"}),
            # The longest a key may be: unknown, but counted like any presented key.
            http.get("/v1/group/list", params={"apiKey": longest}),
        ]
    assert [(a.status_code, a.json()["code"]) for a in answers] == [(401, 10)] * 7
    stored = redis.Redis.from_url(redis_url)
    names = [name.decode() for name in stored.scan_iter(f"{prefix}*")]
    try:
        counted = {name for name in names if "/key/" in name}
        assert counted == {n for n in names if hashlib.sha256(longest.encode()).hexdigest() in n}
        assert len(counted) == 1
        assert any("/address/10.0.0.1/" in name for name in names)
    finally:
        if names:
            stored.delete(*names)
