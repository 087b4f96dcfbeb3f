"""The wire side the limit apps share: parsing a request, carnet's answers, ids, ASGI.

Nothing here validates or normalises: a contact's fields are taken as sent.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

# The contact's fields under the wire's names.
FIELDS = (
    "phoneNumber",
    "firstname",
    "lastname",
    "date",
    "url",
    "shortUrlPartnr",
    "custom1",
    "custom2",
    "custom3",
    "custom4",
)

Answer = tuple[int, bytes]


def _json(document: dict[str, Any]) -> bytes:
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode()


def error(status: int, code: int, message: str) -> Answer:
    return status, _json({"success": False, "code": code, "message": message})


BAD_REQUEST = error(400, 90, "The JSON is malformed")
BAD_KEY = error(401, 10, "Incorrect API key")
NO_GROUP = error(404, 404, "Group not found")
DUPLICATE = error(409, 15, "The number is already in the group")


def _fields(contact: dict[str, Any]) -> tuple[str, ...]:
    get = contact.get
    return tuple(get(name) or "" for name in FIELDS)


def parse_add(body: bytes) -> tuple[str, str, tuple[str, ...]] | None:
    """``(apiKey, groupId, the contact's ten fields)`` from a single add; None if malformed.

    The fields are as sent, ``""`` when absent, in ``FIELDS`` order.
    """
    try:
        request = json.loads(body)
        return request["apiKey"], request["groupId"], _fields(request["contact"])
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def parse_batch(body: bytes) -> tuple[str, str, list[tuple[str, ...]]] | None:
    """``(apiKey, groupId, each row's ten fields)`` from a batch; None if malformed."""
    try:
        request = json.loads(body)
        rows = [_fields(row) for row in request["contactsList"]]
        return request["apiKey"], request["groupId"], rows
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def added(fields: tuple[str, ...], contact_id: str) -> Answer:
    """A single add's answer: the fields as stored, under the request's names, and the id."""
    contact = dict(zip(FIELDS, fields, strict=True))
    contact["contactId"] = contact_id
    return 200, _json({"success": True, "code": 200, "contact": contact})


_NO_ERRORS = dict.fromkeys(
    (
        "stopSms",
        "invalidePhone",
        "duplicatePhone",
        "allreadyInGroupe",
        "urlInvalide",
        "dateInvalide",
        "empty",
        "unactivated",
        "dateInvalid",
        "invalidField",
    ),
    0,
)


def batch_report(name: str, group_id: str, phones: list[str], ids: list[str]) -> Answer:
    """A batch's answer when every row was stored: carnet's report, one result per row."""
    results = [
        {
            "success": True,
            "code": 200,
            "phoneNumber": phone,
            "message": "Contact added",
            "contactId": contact_id,
        }
        for phone, contact_id in zip(phones, ids, strict=True)
    ]
    rapport = {"nbline": len(ids), "nbline_imported": len(ids), "nbline_updated": 0}
    return 200, _json(
        {
            "success": True,
            "code": 200,
            "groupe": {"name": name, "token": group_id},
            "results": results,
            "rapport": {**rapport, "errors": _NO_ERRORS},
        }
    )


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def new_ids(count: int) -> list[str]:
    """Ids as carnet makes them: the time in milliseconds, then 96 random bits, URL-safe."""
    now = (time.time_ns() // 1_000_000).to_bytes(6, "big")
    noise = secrets.token_bytes(12 * count)
    return [
        base64.urlsafe_b64encode(now + noise[i : i + 12]).decode() for i in range(0, len(noise), 12)
    ]


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# -- ASGI -------------------------------------------------------------------------

_OK = b'{"success":true,"code":200}'
_NOT_FOUND = error(404, 404, "Not found")


def asgi_app(
    handle: Callable[[bytes], Awaitable[Answer]],
    startup: Callable[[], Awaitable[None]],
    shutdown: Callable[[], Awaitable[None]],
) -> Callable[..., Awaitable[None]]:
    """An ASGI app: ``handle(body)`` answers ``POST /v1/contact/add``; ``/healthz`` answers 200."""

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await startup()
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await shutdown()
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        body = b""
        more = True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        if scope["path"] == "/healthz":
            status, payload = 200, _OK
        elif scope["path"] == "/v1/contact/add" and scope["method"] == "POST":
            status, payload = await handle(body)
        else:
            status, payload = _NOT_FOUND
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", b"%d" % len(payload)),
        ]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": payload})

    return app
