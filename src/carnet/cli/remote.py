"""What the commands that talk to a server share: --url, --api-key, and their errors."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import httpx
import typer

from carnet.cli.failures import fail
from carnet.client.base import DEFAULT_SERVER_URL, root_url
from carnet.client.sync import Client
from carnet.errors import (
    AuthenticationError,
    CarnetError,
    NetworkError,
    NotFoundError,
    RateLimited,
)

Url = Annotated[
    str,
    typer.Option(
        "--url",
        envvar="CARNET_URL",
        metavar="URL",
        help="Base URL of the carnet server",
        show_default=True,
    ),
]
ApiKey = Annotated[
    str | None,
    typer.Option(
        "--api-key",
        envvar="CARNET_API_KEY",
        metavar="KEY",
        help="API key (prefer the environment variable: options show in process lists)",
        show_default=False,
    ),
]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table")]

DEFAULT = DEFAULT_SERVER_URL


def explain(error: CarnetError, url: str) -> str:
    """The error as a person at a terminal needs it."""
    if isinstance(error, NetworkError):
        detail = str(error.__cause__ or "") or error.message
        return f"cannot reach the carnet server at {url}: {detail}"
    if isinstance(error, AuthenticationError):
        return f"{error.message} (set CARNET_API_KEY or pass --api-key)"
    if isinstance(error, NotFoundError) and not answers_like_carnet(url):
        return (
            f"{url} is not a carnet server (it answered: {error.message}); give the "
            f"server's root URL, such as {DEFAULT_SERVER_URL}"
        )
    return error.message


def answers_like_carnet(url: str) -> bool:
    """Whether the API answers at ``url``: a call without a key gets the envelope of a
    refusal (code 10, or 429 when rate limited), not a 404 for an unknown path."""
    try:
        body = httpx.get(root_url(url) + "/v1/group/list", timeout=10).json()
    except (httpx.HTTPError, ValueError):
        return False
    return isinstance(body, dict) and body.get("code") in (
        AuthenticationError.code,
        RateLimited.code,
    )


@contextmanager
def errors_explained(url: str) -> Iterator[None]:
    """Turn a :class:`CarnetError` into a message and exit status 1."""
    try:
        yield
    except CarnetError as exc:
        raise fail(explain(exc, url)) from None


def require_key(api_key: str | None) -> str:
    """The key the command was given; none at all is an error line."""
    if not api_key:
        raise fail("No API key: set CARNET_API_KEY or pass --api-key")
    return api_key


@contextmanager
def connect(url: str, api_key: str | None) -> Iterator[Client]:
    """A client for the command, its errors explained."""
    key = require_key(api_key)
    with errors_explained(url), Client(api_key=key, base_url=url) as client:
        yield client
