"""The one place where exceptions become responses, in the contract's envelope."""

from __future__ import annotations

import logging
import math

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from carnet.errors import (
    CarnetError,
    InvalidParameter,
    MethodNotAllowed,
    NotFoundError,
    RateLimited,
    RequestTooLarge,
    ServerError,
)
from carnet.http.wire import error_body, render, wants_xml

log = logging.getLogger("carnet.http")


def error_response(request: Request | None, error: CarnetError) -> Response:
    xml = request is not None and wants_xml(getattr(request.state, "params", None), request)
    response = render(error_body(error), status=error.http_status, xml=xml)
    if isinstance(error, RateLimited):
        response.headers["Retry-After"] = str(max(1, math.ceil(error.retry_after)))
    return response


def _from_http_exception(exc: HTTPException) -> CarnetError:
    if exc.status_code == 404:
        return NotFoundError("No such path")
    if exc.status_code == 405:
        return MethodNotAllowed("Method not allowed on this path")
    if exc.status_code == 413:
        return RequestTooLarge()
    if exc.status_code >= 500:
        return ServerError()
    return InvalidParameter(str(exc.detail), code=exc.status_code if exc.status_code < 500 else 3)


async def _carnet_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, CarnetError)
    return error_response(request, exc)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    response = error_response(request, _from_http_exception(exc))
    if exc.status_code == 405 and exc.headers:
        response.headers.update(exc.headers)
    return response


async def _validation_error(request: Request, exc: Exception) -> Response:
    return error_response(request, InvalidParameter("A parameter has an invalid form"))


async def _unexpected(request: Request, exc: Exception) -> Response:
    # Logged with the traceback for the operator; the client sees the envelope only.
    # The request itself (body, query) is not logged: it may carry an API key.
    log.error("internal error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(request, ServerError())


def install(app: FastAPI) -> None:
    app.add_exception_handler(CarnetError, _carnet_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _unexpected)
