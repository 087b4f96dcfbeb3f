"""Reading an answer off the wire: its value, or the :class:`CarnetError` it names.

No I/O here: a response that was already received goes in, a value or an
exception comes out.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

import httpx

from carnet.client.retry import parse_retry_after
from carnet.errors import CarnetError, RateLimited, ServerError, error_for_code, error_for_status

T = TypeVar("T")

# Upstream's field errors name a field as ``children[<wire name>].data``.
_ELEMENT_ID = re.compile(r"children\[(?P<name>[^\]]+)\]\.data")


def read_answer(path: str, read: Callable[[dict[str, Any]], T], response: httpx.Response) -> T:
    """The answer's value (``read`` of its body), or raise the error its envelope names."""
    body = _envelope(response)
    if body is None:
        raise _not_an_envelope(response)
    if response.status_code != 200 or body.get("success") is not True:
        raise _error(body, response)
    try:
        return read(body)
    except (KeyError, TypeError, ValueError) as exc:
        raise ServerError(
            f"Unexpected answer from {path}: {exc!r}", http_status=response.status_code
        ) from exc


def field_errors(errors: object) -> dict[str, str] | None:
    """The ``errors`` of an envelope as field -> reason, from either shape a server uses:
    upstream's list of ``{elementId, message}`` or an object of field -> reason."""
    if isinstance(errors, dict):
        return {str(k): str(v) for k, v in errors.items()}
    if not isinstance(errors, list):
        return None
    found: dict[str, str] = {}
    for item in errors:
        if not isinstance(item, dict):
            continue
        element = str(item.get("elementId", ""))
        match = _ELEMENT_ID.fullmatch(element)
        found[match["name"] if match else element] = str(item.get("message", ""))
    return found


def _envelope(response: httpx.Response) -> dict[str, Any] | None:
    try:
        body = response.json()
    except ValueError:
        return None
    if not isinstance(body, dict) or "success" not in body or "code" not in body:
        return None
    return body


def _error(body: dict[str, Any], response: httpx.Response) -> CarnetError:
    try:
        code = int(body["code"])
    except (TypeError, ValueError):
        code = response.status_code
    error = error_for_code(
        code,
        str(body.get("message") or response.reason_phrase),
        # Upstream documents ``errors``; the vendor's own SDK and test data say ``error``.
        errors=field_errors(body.get("errors", body.get("error"))),
        http_status=response.status_code,
    )
    _note_retry_after(error, response)
    return error


def _not_an_envelope(response: httpx.Response) -> CarnetError:
    status = response.status_code
    error = error_for_status(
        status if status != 200 else 502,
        f"HTTP {status} from {response.request.url.copy_with(query=None)}: not a carnet answer",
    )
    _note_retry_after(error, response)
    return error


def _note_retry_after(error: CarnetError, response: httpx.Response) -> None:
    if isinstance(error, RateLimited):
        seconds = parse_retry_after(response.headers.get("Retry-After"))
        if seconds is not None:
            error.retry_after = seconds
