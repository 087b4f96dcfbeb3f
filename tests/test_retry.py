"""Retries on 429 and 503, honouring Retry-After, against a real HTTP server.

The server here is a small ASGI app run by uvicorn on a socket: it answers 429
(or 503) a set number of times, then answers like carnet. It stands in for
carnet's rate limiter, which these tests do not depend on.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import httpx
import pytest
import uvicorn

import carnet
from carnet import AsyncClient, Client, Retry
from carnet.client.retry import parse_retry_after
from support.servers import free_port

ANSWERS: dict[str, dict[str, Any]] = {
    "/v1/group/list": {"success": True, "code": 200, "groups": []},
    "/v1/group/add": {"success": True, "code": 200, "name": "g", "groupId": "g-1"},
}


class Flaky:
    """Refuses the first ``failures`` requests with ``status``, then answers."""

    def __init__(self, failures: int, status: int = 429, retry_after: str | None = "1") -> None:
        self.failures = failures
        self.status = status
        self.retry_after = retry_after
        self.arrivals: list[float] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        assert scope["type"] == "http"
        while (await receive()).get("more_body"):
            pass
        self.arrivals.append(time.monotonic())
        if len(self.arrivals) <= self.failures:
            headers = [(b"content-type", b"application/json")]
            if self.retry_after is not None:
                headers.append((b"retry-after", self.retry_after.encode()))
            if self.status == 503:  # what a proxy in front of carnet would answer
                body = b"<html>Service Unavailable</html>"
                headers[0] = (b"content-type", b"text/html")
            else:
                body = json.dumps(
                    {"success": False, "code": 429, "message": "Too many requests"}
                ).encode()
            await send({"type": "http.response.start", "status": self.status, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        body = json.dumps(ANSWERS[scope["path"]]).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": body})


@contextmanager
def serve(app: Flaky) -> Iterator[str]:
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="off", log_level="error")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def limited() -> Iterator[tuple[Flaky, str]]:
    app = Flaky(failures=1)
    with serve(app) as url:
        yield app, url


def test_idempotent_call_waits_for_retry_after_then_succeeds(limited: tuple[Flaky, str]) -> None:
    app, url = limited
    with Client(api_key="k", base_url=url) as client:
        assert client.list_groups() == []
    assert len(app.arrivals) == 2
    # The second request came no sooner than the server asked.
    assert app.arrivals[1] - app.arrivals[0] >= 1.0


def test_adding_is_not_retried_unless_asked(limited: tuple[Flaky, str]) -> None:
    app, url = limited
    with Client(api_key="k", base_url=url) as client, pytest.raises(carnet.RateLimited) as raised:
        client.add_group("g")
    assert (raised.value.code, raised.value.http_status, raised.value.retry_after) == (429, 429, 1)
    assert len(app.arrivals) == 1
    with Client(api_key="k", base_url=url, retry=Retry(non_idempotent=True)) as client:
        assert client.add_group("g").id == "g-1"
    assert len(app.arrivals) == 2


def test_retry_after_as_an_http_date() -> None:
    app = Flaky(failures=1, retry_after=format_datetime(datetime.now(UTC), usegmt=True))
    with serve(app) as url, Client(api_key="k", base_url=url) as client:
        assert client.list_groups() == []
    assert len(app.arrivals) == 2


def test_a_longer_wait_than_allowed_raises_at_once() -> None:
    app = Flaky(failures=1, retry_after="120")
    with (
        serve(app) as url,
        Client(api_key="k", base_url=url, retry=Retry(max_wait=5)) as client,
        pytest.raises(carnet.RateLimited) as raised,
    ):
        client.list_groups()
    assert raised.value.retry_after == 120
    assert len(app.arrivals) == 1


def test_503_pages_are_retried_then_reported_as_server_errors() -> None:
    app = Flaky(failures=10, status=503, retry_after=None)
    with (
        serve(app) as url,
        Client(api_key="k", base_url=url, retry=Retry(attempts=2, backoff=0.01)) as client,
        pytest.raises(carnet.ServerError) as raised,
    ):
        client.list_groups()
    assert raised.value.http_status == 503
    assert "not a carnet answer" in raised.value.message
    assert len(app.arrivals) == 3


def test_async_client_retries_in_process() -> None:
    app = Flaky(failures=2, retry_after="0")
    transport = httpx.ASGITransport(app)

    async def scenario() -> list[carnet.Group]:
        async with AsyncClient(api_key="k", base_url="http://x", transport=transport) as client:
            return await client.list_groups()

    assert asyncio.run(scenario()) == []
    assert len(app.arrivals) == 3


def test_retries_can_be_turned_off() -> None:
    app = Flaky(failures=1, retry_after="0")
    transport = httpx.ASGITransport(app)

    async def scenario() -> None:
        retry = Retry(attempts=0)
        async with AsyncClient("k", "http://x", transport=transport, retry=retry) as client:
            await client.list_groups()

    with pytest.raises(carnet.RateLimited):
        asyncio.run(scenario())
    assert len(app.arrivals) == 1


# -- the policy alone ---------------------------------------------------------


def test_policy_prefers_retry_after_and_otherwise_doubles() -> None:
    policy = Retry(attempts=3, backoff=0.5, max_wait=10)
    wait = dict(status=429, idempotent=True)
    assert policy.wait(attempt=0, retry_after="7", **wait) == 7
    assert [policy.wait(attempt=n, retry_after=None, **wait) for n in range(4)] == [
        0.5,
        1.0,
        2.0,
        None,
    ]
    assert policy.wait(attempt=0, retry_after=None, status=500, idempotent=True) is None
    assert policy.wait(attempt=0, retry_after=None, status=503, idempotent=False) is None
    assert Retry(backoff=8, max_wait=10).wait(attempt=2, retry_after=None, **wait) == 10
    assert policy.wait(attempt=0, retry_after="11", **wait) is None


def test_retry_after_parsing() -> None:
    now = datetime(2025, 3, 12, 13, 49, 22, tzinfo=UTC)
    later = format_datetime(now + timedelta(seconds=30), usegmt=True)
    assert parse_retry_after(later, now=now) == 30
    assert parse_retry_after(format_datetime(now - timedelta(days=1), usegmt=True), now=now) == 0
    assert parse_retry_after(" 2 ") == 2
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None
