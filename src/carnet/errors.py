"""The errors of carnet, each carrying the code the contract gives it.

The same tree serves the server (the domain raises these, one HTTP module turns
them into the wire envelope) and the client library (an error envelope read
off the wire becomes the matching class).

    CarnetError                       any error answered in the envelope
    ├── ValidationError               HTTP 400
    │   ├── MissingParameter          code 1: an id or name is required
    │   ├── MissingContactInfo        code 2: contact info is required
    │   ├── InvalidParameter          code 3: a parameter has an invalid form
    │   ├── InvalidFields             codes 9, 3, 18, 16, 17: contact field rules, all listed
    │   ├── BatchTooLarge             code 50
    │   └── MalformedJson             code 90
    ├── AuthenticationError           code 10, HTTP 401
    ├── NotFoundError                 code 404, HTTP 404
    ├── MethodNotAllowed              code 405, HTTP 405
    ├── ConflictError                 HTTP 409
    │   ├── StopListed                code 14
    │   └── DuplicateContact          code 15
    ├── RequestTooLarge               code 413, HTTP 413
    ├── RateLimited                   code 429, HTTP 429 (``retry_after`` in seconds)
    ├── ServerError                   code 500 (and any unknown code), HTTP 5xx
    └── NetworkError                  code 0, no HTTP status: the client could not
                                      reach the server or got no answer in time

Every class takes the same arguments: an optional message, then keyword-only
``errors`` (field -> reason), ``code`` and ``http_status`` overriding the
class's own, and the few extras a class adds (``retry_after``, ``codes``).
A class's HTTP status is the one :mod:`carnet.contract` gives its code.

A client maps an envelope with :func:`error_for_code`, and an answer that is
not an envelope (a proxy's error page, say) with :func:`error_for_status`.
This module imports nothing beyond the standard library, so that the client
can use it without the server's dependencies.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from carnet import contract

__all__ = [
    "AuthenticationError",
    "BatchTooLarge",
    "CarnetError",
    "ConflictError",
    "DuplicateContact",
    "InvalidFields",
    "InvalidParameter",
    "MalformedJson",
    "MethodNotAllowed",
    "MissingContactInfo",
    "MissingParameter",
    "NetworkError",
    "NotFoundError",
    "RateLimited",
    "RequestTooLarge",
    "ServerError",
    "StopListed",
    "ValidationError",
    "error_for_code",
    "error_for_status",
]


class CarnetError(Exception):
    """An error answered as ``{"success": false, "code": N, "message": ...}``."""

    code: int = 500
    http_status: int = 500
    default_message: str = "Internal error"

    def __init__(
        self,
        message: str | None = None,
        *,
        errors: Mapping[str, str] | None = None,
        code: int | None = None,
        http_status: int | None = None,
    ) -> None:
        self.message = message or self.default_message
        self.errors: dict[str, str] = dict(errors or {})
        if code is not None:
            self.code = code
            if http_status is None:
                http_status = contract.http_status(code, self.http_status)
        if http_status is not None:
            self.http_status = http_status
        super().__init__(self.message)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # A class naming a code of the contract answers with that code's status.
        if "code" in cls.__dict__ and "http_status" not in cls.__dict__:
            cls.http_status = contract.http_status(cls.code, cls.http_status)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code}, message={self.message!r})"


class ValidationError(CarnetError):
    code = contract.INVALID_FORM
    default_message = "Invalid request"


class MissingParameter(ValidationError):
    code = 1
    default_message = "A required parameter is missing"


class MissingContactInfo(ValidationError):
    code = 2
    default_message = "Contact info is required"


class InvalidParameter(ValidationError):
    code = contract.INVALID_FORM
    default_message = "A parameter has an invalid form"


class InvalidFields(ValidationError):
    """One or more contact fields break their rules; ``errors`` names each.

    ``codes`` gives each field's code; the error's own code is the first of
    them in the contract's order of field rules (9, 3, 18, 16, 17).
    """

    default_message = "A contact field breaks its rule"

    def __init__(
        self,
        message: str | None = None,
        *,
        errors: Mapping[str, str] | None = None,
        codes: Mapping[str, int] | None = None,
        code: int | None = None,
        http_status: int | None = None,
    ) -> None:
        self.codes: dict[str, int] = dict(codes or {})
        if code is None and self.codes:
            present = set(self.codes.values())
            code = next((c for c in contract.FIELD_CODE_ORDER if c in present), None)
        if message is None and errors:
            message = "; ".join(f"{field}: {reason}" for field, reason in errors.items())
        super().__init__(message, errors=errors, code=code, http_status=http_status)


class BatchTooLarge(ValidationError):
    code = 50
    default_message = f"A batch holds at most {contract.BATCH_MAX} contacts"


class MalformedJson(ValidationError):
    code = 90
    default_message = "The JSON body is malformed"


class AuthenticationError(CarnetError):
    code = 10
    default_message = "API key is missing or incorrect"


class NotFoundError(CarnetError):
    code = 404
    default_message = "Not found"


class MethodNotAllowed(CarnetError):
    code = 405
    default_message = "Method not allowed"


class ConflictError(CarnetError):
    code = 409
    http_status = 409
    default_message = "Conflict"


class StopListed(ConflictError):
    code = 14
    default_message = "The number is on the stop list"


class DuplicateContact(ConflictError):
    code = 15
    default_message = "The number is already in the group"


class RequestTooLarge(CarnetError):
    code = 413
    default_message = "The request body is too large"


class RateLimited(CarnetError):
    """Too many requests; ``retry_after`` says how many seconds to wait."""

    code = 429
    default_message = "Too many requests"

    def __init__(
        self,
        message: str | None = None,
        *,
        retry_after: float = 1.0,
        errors: Mapping[str, str] | None = None,
        code: int | None = None,
        http_status: int | None = None,
    ) -> None:
        super().__init__(message, errors=errors, code=code, http_status=http_status)
        self.retry_after = retry_after


class ServerError(CarnetError):
    code = 500
    default_message = "Internal error"


class NetworkError(CarnetError):
    """Client side only: the server could not be reached, or did not answer in time."""

    code = 0
    http_status = 0
    default_message = "The server could not be reached"


_BY_CODE: dict[int, type[CarnetError]] = {
    1: MissingParameter,
    2: MissingContactInfo,
    contract.INVALID_FORM: InvalidParameter,
    contract.INVALID_PHONE: InvalidFields,
    contract.TOO_LONG: InvalidFields,
    contract.INVALID_DATE: InvalidFields,
    contract.INVALID_URL: InvalidFields,
    10: AuthenticationError,
    14: StopListed,
    15: DuplicateContact,
    50: BatchTooLarge,
    90: MalformedJson,
    404: NotFoundError,
    405: MethodNotAllowed,
    413: RequestTooLarge,
    429: RateLimited,
    500: ServerError,
}


def error_for_code(
    code: int,
    message: str,
    *,
    errors: Mapping[str, str] | None = None,
    http_status: int | None = None,
) -> CarnetError:
    """Build the error a client should raise for an envelope read off the wire."""
    cls = _BY_CODE.get(code)
    if cls is None:
        cls = ValidationError
        if http_status is not None and http_status >= 500:
            cls = ServerError
        elif http_status == 409:
            cls = ConflictError
    if cls is InvalidFields and not errors:
        errors = {"contact": message}
    return cls(message, errors=errors, code=code, http_status=http_status)


_BY_STATUS: dict[int, type[CarnetError]] = {
    400: ValidationError,
    401: AuthenticationError,
    404: NotFoundError,
    405: MethodNotAllowed,
    409: ConflictError,
    413: RequestTooLarge,
    429: RateLimited,
}


def error_for_status(http_status: int, message: str) -> CarnetError:
    """Build the error for an answer that is not an envelope, from its HTTP status alone."""
    cls = _BY_STATUS.get(http_status)
    if cls is None:
        cls = ServerError if http_status >= 500 or http_status < 400 else ValidationError
    return cls(message, http_status=http_status)
