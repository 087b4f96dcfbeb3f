"""The ceiling: a bare ASGI endpoint that parses the JSON body and answers a small document.

Served by the same stack as carnet (uvicorn, its default loop and HTTP parser,
access log on, 2 workers), it shows what a Python HTTP service can do on this
machine before any of carnet's own work.
"""

from __future__ import annotations

import json
from typing import Any

_ANSWER = json.dumps({"success": True, "code": 200, "contact": {"contactId": "x"}}).encode()
_HEADERS = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(_ANSWER))]


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    body = b""
    more = True
    while more:
        message = await receive()
        body += message.get("body", b"")
        more = message.get("more_body", False)
    status = 200
    if scope["path"] != "/healthz":
        try:
            json.loads(body or b"{}")
        except ValueError:
            status = 400
    await send({"type": "http.response.start", "status": status, "headers": _HEADERS})
    await send({"type": "http.response.body", "body": _ANSWER})
