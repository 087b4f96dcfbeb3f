"""What the commands that talk to a server share: --url, --api-key, errors, output."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from carnet.client.base import DEFAULT_SERVER_URL
from carnet.client.sync import Client
from carnet.errors import AuthenticationError, CarnetError, NetworkError

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


def fail(message: str) -> typer.Exit:
    """Print ``error: message`` on standard error; the caller raises the result."""
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(1)


def explain(error: CarnetError, url: str) -> str:
    """The error as a person at a terminal needs it."""
    if isinstance(error, NetworkError):
        detail = str(error.__cause__ or "") or error.message
        return f"cannot reach the carnet server at {url}: {detail}"
    if isinstance(error, AuthenticationError):
        return f"{error.message} (set --api-key or CARNET_API_KEY)"
    return error.message


@contextmanager
def errors_explained(url: str) -> Iterator[None]:
    """Turn a :class:`CarnetError` into a message and exit status 1."""
    try:
        yield
    except CarnetError as exc:
        raise fail(explain(exc, url)) from None


@contextmanager
def connect(url: str, api_key: str | None) -> Iterator[Client]:
    """A client for the command, its errors explained."""
    with errors_explained(url), Client(api_key=api_key or None, base_url=url) as client:
        yield client


def print_records(
    title: str, columns: Sequence[str], records: list[dict[str, Any]], as_json: bool
) -> None:
    """A table on a terminal, tab-separated lines on a pipe, JSON on request."""
    if as_json:
        typer.echo(json.dumps(records, ensure_ascii=False, indent=2))
        return
    rows = [["" if r.get(c) is None else str(r[c]) for c in columns] for r in records]
    console = Console()
    if not console.is_terminal:
        for row in rows:
            typer.echo("\t".join(row))
        return
    table = Table(*columns, title=title)
    for row in rows:
        table.add_row(*row)
    console.print(table)


def timestamp(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None
