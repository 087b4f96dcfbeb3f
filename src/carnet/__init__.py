"""carnet: a self-hosted contact book for SMS campaigns.

The package's top level is the client library (``carnet.Client``,
``carnet.AsyncClient``, their results and the error tree). It imports httpx
and nothing of the server, which lives in ``carnet.http``, ``carnet.domain``
and ``carnet.storage``.
"""

__version__ = "0.1.0"

from carnet.client import (
    AsyncClient,
    BatchReport,
    Client,
    Contact,
    ContactPage,
    Delivery,
    Group,
    ImportJob,
    Lookup,
    NumberMatches,
    Reply,
    Retry,
    RowResult,
    StopEntry,
    Webhook,
)
from carnet.errors import (
    AuthenticationError,
    BatchTooLarge,
    CarnetError,
    ConflictError,
    DuplicateContact,
    InvalidFields,
    InvalidParameter,
    MalformedJson,
    MethodNotAllowed,
    MissingContactInfo,
    MissingParameter,
    NetworkError,
    NotFoundError,
    RateLimited,
    RequestTooLarge,
    ServerError,
    StopListed,
    ValidationError,
)

__all__ = [
    "AsyncClient",
    "AuthenticationError",
    "BatchReport",
    "BatchTooLarge",
    "CarnetError",
    "Client",
    "ConflictError",
    "Contact",
    "ContactPage",
    "Delivery",
    "DuplicateContact",
    "Group",
    "ImportJob",
    "InvalidFields",
    "InvalidParameter",
    "Lookup",
    "MalformedJson",
    "MethodNotAllowed",
    "MissingContactInfo",
    "MissingParameter",
    "NetworkError",
    "NotFoundError",
    "NumberMatches",
    "RateLimited",
    "Reply",
    "RequestTooLarge",
    "Retry",
    "RowResult",
    "ServerError",
    "StopEntry",
    "StopListed",
    "ValidationError",
    "Webhook",
    "__version__",
]
