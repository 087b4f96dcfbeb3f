"""A webhook receiver of the test's own: an HTTP server on 127.0.0.1 that keeps what it gets.

It can be told to fail: answer 500 to the next ``n`` deliveries, or to every one
while ``failing`` is set, so that tests watch carnet retry and recover.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from standardwebhooks.webhooks import Webhook


@dataclass(frozen=True)
class Received:
    """One delivery as it arrived: its headers (lower-case names) and body."""

    headers: dict[str, str]
    body: bytes
    answered: int
    path: str = "/hook"

    @property
    def event(self) -> dict[str, Any]:
        parsed: dict[str, Any] = json.loads(self.body)
        return parsed

    def verified(self, secret: str) -> dict[str, Any]:
        """The body, once the Standard Webhooks library has verified its signature."""
        checked: dict[str, Any] = Webhook(secret).verify(self.body, self.headers)
        return checked


class Receiver:
    """Started with ``with Receiver() as r``; ``r.url`` is where to send."""

    def __init__(self, fail_first: int = 0) -> None:
        self.fail_next = fail_first
        self.failing = False
        self.received: list[Received] = []
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", "0"))
                body = self.rfile.read(length)
                with receiver._lock:
                    fail = receiver.failing or receiver.fail_next > 0
                    if receiver.fail_next > 0:
                        receiver.fail_next -= 1
                    status = 500 if fail else 200
                    headers = {k.lower(): v for k, v in self.headers.items()}
                    receiver.received.append(Received(headers, body, status, self.path))
                self.send_response(status)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/hook"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> Receiver:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def accepted(self) -> list[Received]:
        """The deliveries answered 200, in order of arrival."""
        with self._lock:
            return [r for r in self.received if r.answered == 200]

    def wait_for(
        self, ready: Callable[[list[Received]], bool], timeout: float = 60
    ) -> list[Received]:
        """The accepted deliveries, once ``ready`` says they are all there."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            got = self.accepted()
            if ready(got):
                return got
            time.sleep(0.05)
        raise AssertionError(f"deliveries did not arrive: {[r.event for r in self.accepted()]}")


def first_arrivals(received: list[Received]) -> list[Received]:
    """Each event once (by its webhook-id), in the order it first arrived."""
    seen: set[str] = set()
    kept = []
    for r in received:
        if r.headers["webhook-id"] not in seen:
            seen.add(r.headers["webhook-id"])
            kept.append(r)
    return kept
