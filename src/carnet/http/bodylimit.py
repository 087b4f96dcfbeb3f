"""Request body limit, as pure ASGI middleware: 413 before anything is parsed.

A body declared longer than the limit (``Content-Length``) is refused before
any of it is read; a body that grows past it (chunked) is refused as soon as it
does. Nothing of it is parsed or kept. The answer goes out at once, then the
rest of the body is read and thrown away, within a bound in bytes and in time,
as a reverse proxy's lingering close does: clients that send the whole body
before they read the answer (urllib, requests, httpx) would otherwise meet a
reset connection instead of the 413. A client that waits to be told it may send
(``Expect: 100-continue``) sends nothing, and is not waited for.
"""

from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from carnet.errors import RequestTooLarge
from carnet.http.errors import error_response

# Past the refusal, at most this much of the body is read and thrown away; a
# body declared longer is not read at all (its client meets a closed connection,
# as it would behind a proxy).
LINGER_BYTES = 32 * 1024 * 1024
# At most this long in all, and this long waiting for the next piece of it.
LINGER_SECONDS = 30.0
LINGER_IDLE_SECONDS = 5.0


class BodyLimit:
    """Answer 413 when the declared or received body exceeds ``max_bytes``."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.max_bytes <= 0:
            await self.app(scope, receive, send)
            return
        declared, waits_to_send = _declared_length(scope)
        if declared > self.max_bytes:
            linger = 0 if waits_to_send or declared > LINGER_BYTES else declared
            await self._refuse(scope, receive, send, linger)
            return
        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _TooLarge(rest_unread=message.get("more_body", False))
            return message

        async def tracked_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, tracked_send)
        except _TooLarge as too_large:
            if not started:
                linger = LINGER_BYTES if too_large.rest_unread else 0
                await self._refuse(scope, receive, send, linger)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, linger: int) -> None:
        """Send the 413, then read and drop up to ``linger`` more bytes of the body."""
        error = RequestTooLarge(f"The request body is larger than {self.max_bytes} bytes")
        # The query may ask for XML; the body is not read for that.
        response = error_response(Request(scope), error)
        # The rest of the body may not be read in full: the connection is not reused.
        response.headers["Connection"] = "close"
        start = {"type": "http.response.start", "status": response.status_code}
        await send({**start, "headers": response.raw_headers})
        # The whole answer is sent before the body is read, for clients that read
        # while they send; it ends, and the server closes, once the reading stops.
        await send({"type": "http.response.body", "body": response.body, "more_body": True})
        if linger:
            await _discard(receive, linger)
        await send({"type": "http.response.body", "body": b"", "more_body": False})


def _declared_length(scope: Scope) -> tuple[int, bool]:
    """The ``Content-Length`` (0 when absent or unreadable), and whether the
    client waits for ``100 Continue`` before it sends the body."""
    declared, waits = 0, False
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                declared = int(value)
            except ValueError:
                declared = 0
        elif name == b"expect":
            waits = value.strip().lower() == b"100-continue"
    return declared, waits


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
    def __init__(self, rest_unread: bool) -> None:
        super().__init__()
        self.rest_unread = rest_unread  # whether the client is still sending the body
