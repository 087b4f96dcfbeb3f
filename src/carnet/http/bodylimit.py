"""Request bodies, as pure ASGI middleware: 413 before anything is parsed, and
every answer readable by a client that is still sending.

A body declared longer than the limit (``Content-Length``) is refused before
any of it is read; a body that grows past it (chunked) is refused as soon as it
does. Nothing of it is parsed or kept.

Clients such as urllib, requests and httpx send the whole body before they read
the answer. When the server answers before reading the body (a 413, a 429, an
unknown path) and then closes the connection, they meet "connection reset"
instead of the answer. So the answer goes out whole at once, and only ends once
the rest of the body is read and thrown away, within a bound in bytes and in
time, as a reverse proxy's lingering close does. A client that waits to be told
it may send (``Expect: 100-continue``) sends nothing, and is not waited for.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from carnet.errors import RequestTooLarge
from carnet.http.errors import error_response

# After an answer, at most this much of what is left of a body is read and
# thrown away; a body declared longer is not read (its client meets a closed
# connection, as it would behind a proxy).
LINGER_BYTES = 32 * 1024 * 1024
# At most this long in all, and this long waiting for the next piece of it.
LINGER_SECONDS = 30.0
LINGER_IDLE_SECONDS = 5.0


class RequestBody:
    """One request's body as the app reads it: counted against ``max_bytes``
    (0: no limit), and read to its end, within bounds, before the answer ends."""

    def __init__(self, scope: Scope, receive: Receive, send: Send, max_bytes: int = 0) -> None:
        self._receive = receive
        self._send = send
        self.max_bytes = max_bytes
        self.declared: int | None = None  # Content-Length
        chunked = waits = False
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    self.declared = int(value)
                except ValueError:
                    self.declared = None
            elif name == b"transfer-encoding":
                chunked = b"chunked" in value.lower()
            elif name == b"expect":
                waits = value.strip().lower() == b"100-continue"
        self.coming = chunked or bool(self.declared)
        self.waits_to_send = waits
        self.asked = False  # whether the app has asked for the body
        self.read_to_end = not self.coming
        self.received = 0
        self.started = False  # whether the answer has started

    @property
    def declared_too_large(self) -> bool:
        return 0 < self.max_bytes < (self.declared or 0)

    async def receive(self) -> Message:
        self.asked = True
        message = await self._receive()
        if message["type"] != "http.request":
            self.read_to_end = True  # the client went away
            return message
        self.received += len(message.get("body", b""))
        if not message.get("more_body", False):
            self.read_to_end = True
        if 0 < self.max_bytes < self.received:
            raise _TooLarge()
        return message

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.started = True
        elif message["type"] == "http.response.body" and not message.get("more_body", False):
            budget = self._linger_budget()
            if budget:
                # The whole answer goes out first, for clients that read while they
                # send; it ends (and a closing server closes) once the reading stops.
                await self._send({**message, "more_body": True})
                await _discard(self._receive, budget)
                message = {"type": "http.response.body", "body": b"", "more_body": False}
        await self._send(message)

    def _linger_budget(self) -> int:
        """How much of the body to read and drop before the answer ends; 0 for none."""
        if self.read_to_end or (self.waits_to_send and not self.asked):
            return 0
        if self.declared is None:
            return LINGER_BYTES
        return self.declared if self.declared <= LINGER_BYTES else 0


class BodyLimit:
    """Answer 413 when the declared or received body exceeds ``max_bytes`` (0: no limit),
    or the limit ``paths`` gives the request's path (an upload's)."""

    def __init__(
        self, app: ASGIApp, max_bytes: int, paths: Mapping[str, int] | None = None
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.paths = dict(paths or {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.paths.get(scope.get("path", ""), self.max_bytes)
        body = RequestBody(scope, receive, send, limit)
        if not body.coming:  # nothing to count, nothing left unread
            await self.app(scope, receive, send)
            return
        if body.declared_too_large:
            await self._refuse(scope, body)
            return
        try:
            await self.app(scope, body.receive, body.send)
        except _TooLarge:
            if not body.started:
                await self._refuse(scope, body)

    async def _refuse(self, scope: Scope, body: RequestBody) -> None:
        error = RequestTooLarge(f"The request body is larger than {body.max_bytes} bytes")
        # The query may ask for XML; the body is not read for that.
        response = error_response(Request(scope), error)
        # The rest of the body may not be read in full: the connection is not reused.
        response.headers["Connection"] = "close"
        await response(scope, body.receive, body.send)


async def _discard(receive: Receive, budget: int) -> None:
    """Read and drop what is left of the body, up to ``budget`` bytes and the linger time."""
    try:
        async with asyncio.timeout(LINGER_SECONDS):
            while budget > 0:
                async with asyncio.timeout(LINGER_IDLE_SECONDS):
                    message = await receive()
                if message["type"] != "http.request":
                    return  # the client went away
                budget -= len(message.get("body", b""))
                if not message.get("more_body", False):
                    return
    except TimeoutError:
        return


class _TooLarge(Exception):
    pass
