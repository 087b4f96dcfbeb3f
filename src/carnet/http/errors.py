"""The one place where exceptions become responses, in the contract's envelope."""

from __future__ import annotations

import logging
import math
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from carnet.errors import CarnetError, RateLimited, ServerError, error_for_status
from carnet.http.wire import error_body, render, wants_xml

log = logging.getLogger("carnet.http")

# What the router's own refusals say.
_PATH_MESSAGES = {404: "No such path", 405: "Method not allowed on this path"}


def error_response(request: Request | None, error: CarnetError) -> Response:
    """``error`` in the envelope, as XML when the request asked for it.

    ``request`` may be one built from the ASGI scope alone (in middleware):
    the query string then says whether XML was asked for.
    """
    params = getattr(request.state, "params", None) if request is not None else None
    xml = request is not None and wants_xml(params, request)
    response = render(error_body(error), status=error.http_status, xml=xml)
    if isinstance(error, RateLimited):
        response.headers["Retry-After"] = str(max(1, math.ceil(error.retry_after)))
    return response


async def _carnet_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, CarnetError)
    return error_response(request, exc)


async def _http_error(request: Request, exc: Exception) -> Response:
    # The router's 404 (no such path) and 405 (wrong method), and the like.
    assert isinstance(exc, HTTPException)
    message = _PATH_MESSAGES.get(exc.status_code, str(exc.detail))
    response = error_response(request, error_for_status(exc.status_code, message))
    if exc.status_code == 405 and exc.headers:
        response.headers.update(exc.headers)
    return response


async def unexpected_error(request: Request, exc: Exception) -> Response:
    # Logged with the traceback for the operator; the client sees the envelope only.
    # The request itself (body, query) is not logged: it may carry an API key.
    log.error("internal error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(request, ServerError())


EXCEPTION_HANDLERS: dict[Any, Callable[[Request, Exception], Awaitable[Response]]] = {
    CarnetError: _carnet_error,
    HTTPException: _http_error,
    Exception: unexpected_error,
}
