"""The errors of carnet, each carrying the code the contract gives it.

The same tree serves the server (the domain raises these, one HTTP module turns
them into the wire envelope) and the client library (an error envelope read
off the wire becomes the matching class).

    CarnetError                       any error answered in the envelope
    ├── ValidationError               HTTP 400
    │   ├── MissingParameter          code 1: an id or name is required
    │   ├── MissingContactInfo        code 2: contact info is required
    │   ├── InvalidParameter          code 3: a parameter has an invalid form
    │   ├── InvalidFields             codes 9, 16, 17, 18: field rules, all listed
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

A client maps an envelope with :func:`error_for_code`, and an answer that is
not an envelope (a proxy's error page, say) with :func:`error_for_status`.
This module imports nothing beyond the standard library, so that the client
can use it without the server's dependencies.
"""

from __future__ import annotations

from collections.abc import Mapping

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
        if http_status is not None:
            self.http_status = http_status
        super().__init__(self.message)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code}, message={self.message!r})"


class ValidationError(CarnetError):
    http_status = 400
    code = 3
    default_message = "Invalid request"


class MissingParameter(ValidationError):
    code = 1
    default_message = "A required parameter is missing"

    def __init__(self, name: str) -> None:
        super().__init__(f"{name} is required", errors={name: "required"})


class MissingContactInfo(ValidationError):
    code = 2
    default_message = "Contact info is required"


class InvalidParameter(ValidationError):
    code = 3
    default_message = "A parameter has an invalid form"


# Field rule codes, in the order in which the contract ranks them when several
# fields fail at once: the first present gives the answer's code.
FIELD_CODE_ORDER = (3, 9, 18, 16, 17)


class InvalidFields(ValidationError):
    """One or more contact fields break their rules; ``errors`` names each."""

    def __init__(self, errors: Mapping[str, str], codes: Mapping[str, int]) -> None:
        present = set(codes.values())
        code = next((c for c in FIELD_CODE_ORDER if c in present), 3)
        super().__init__(_field_message(errors), errors=errors, code=code)
        self.codes = dict(codes)


def _field_message(errors: Mapping[str, str]) -> str:
    return "; ".join(f"{field}: {reason}" for field, reason in errors.items())


class BatchTooLarge(ValidationError):
    code = 50
    default_message = "A batch holds at most 500 contacts"


class MalformedJson(ValidationError):
    code = 90
    default_message = "The JSON body is malformed"


class AuthenticationError(CarnetError):
    code = 10
    http_status = 401
    default_message = "API key is missing or incorrect"


class NotFoundError(CarnetError):
    code = 404
    http_status = 404
    default_message = "Not found"


class MethodNotAllowed(CarnetError):
    code = 405
    http_status = 405
    default_message = "Method not allowed"


class ConflictError(CarnetError):
    http_status = 409
    code = 409
    default_message = "Conflict"


class StopListed(ConflictError):
    code = 14
    default_message = "The number is on the stop list"


class DuplicateContact(ConflictError):
    code = 15
    default_message = "The number is already in the group"


class RequestTooLarge(CarnetError):
    code = 413
    http_status = 413
    default_message = "The request body is too large"


class RateLimited(CarnetError):
    code = 429
    http_status = 429
    default_message = "Too many requests"

    def __init__(self, message: str | None = None, *, retry_after: float = 1.0, **kw: object):
        super().__init__(message, **kw)  # type: ignore[arg-type]
        self.retry_after = retry_after


class ServerError(CarnetError):
    code = 500
    http_status = 500
    default_message = "Internal error"


class NetworkError(CarnetError):
    """Client side only: the server could not be reached, or did not answer in time."""

    code = 0
    http_status = 0
    default_message = "The server could not be reached"


_BY_CODE: dict[int, type[CarnetError]] = {
    1: MissingParameter,
    2: MissingContactInfo,
    3: InvalidParameter,
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
    if code in (9, 16, 17, 18):
        err: CarnetError = InvalidFields(errors or {"contact": message}, {})
        err.code = code
        err.message = message
    else:
        cls = _BY_CODE.get(code)
        if cls is None:
            base: type[CarnetError] = ValidationError
            if http_status is not None and http_status >= 500:
                base = ServerError
            elif http_status == 409:
                base = ConflictError
            err = base(message, errors=errors, code=code)
        else:
            err = cls.__new__(cls)
            CarnetError.__init__(err, message, errors=errors)
            if isinstance(err, RateLimited):
                err.retry_after = 1.0
    if http_status is not None:
        err.http_status = http_status
    err.args = (message,)
    return err


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
    err = cls.__new__(cls)
    CarnetError.__init__(err, message, http_status=http_status)
    if isinstance(err, RateLimited):
        err.retry_after = 1.0
    return err
