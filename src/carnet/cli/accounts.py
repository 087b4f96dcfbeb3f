"""``carnet account``: create, list, rotate and revoke API keys.

These commands work on the database itself (``--database-url``, by default
``carnet.db`` in the working directory). Each says on standard error which
database it used; only ``create`` makes a new one, so that a command run in the
wrong directory does not leave an empty database there.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer

from carnet.cli.database import describe, opened_store, read_settings
from carnet.cli.options import DatabaseUrl
from carnet.cli.output import print_records

if TYPE_CHECKING:
    from carnet.storage import Store

app = typer.Typer(help="Manage accounts and their API keys.", no_args_is_help=True)

AccountName = Annotated[str, typer.Argument(help="Name of the account")]


@contextmanager
def _accounts(database_url: str | None, if_missing: str | None) -> Iterator[Store]:
    """The store the command works on, said on standard error."""
    url = read_settings(database_url=database_url).database_url
    typer.echo(f"Database: {describe(url)}", err=True)
    with opened_store(url, if_missing=if_missing) as store:
        yield store


@app.command("create")
def create(
    name: Annotated[str, typer.Argument(help="Unique name of the account")],
    database_url: DatabaseUrl = None,
) -> None:
    """Create an account; its API key is printed once, alone on the last line."""
    from carnet.domain import accounts

    with _accounts(database_url, if_missing=None) as store:
        account, key = accounts.create_account(store, name)
    typer.echo(f"Created account {account.name!r}. Its API key, shown only this once:")
    typer.echo(key)


@app.command("list")
def list_(
    database_url: DatabaseUrl = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """List accounts with their creation dates (never their keys)."""
    from carnet.domain import accounts

    with _accounts(database_url, if_missing="no accounts to list") as store:
        found = accounts.list_accounts(store)
    records = [{"name": a.name, "createdAt": a.created_at} for a in found]
    print_records("Accounts", ["name", "createdAt"], records, as_json)


@app.command("rotate-key")
def rotate_key(name: AccountName, database_url: DatabaseUrl = None) -> None:
    """Revoke the account's keys and print a new one, alone on the last line."""
    from carnet.domain import accounts

    with _accounts(database_url, if_missing=f"no account named {name!r}") as store:
        key = accounts.rotate_key(store, name)
    typer.echo(f"New API key for {name!r}, shown only this once (the old ones no longer work):")
    typer.echo(key)


@app.command("revoke-key")
def revoke_key(name: AccountName, database_url: DatabaseUrl = None) -> None:
    """Revoke every key of the account at once; `rotate-key` gives it a new one."""
    from carnet.domain import accounts

    with _accounts(database_url, if_missing=f"no account named {name!r}") as store:
        count = accounts.revoke_keys(store, name)
    typer.echo(f"Revoked {count} key(s) of {name!r}.")


@app.command("replies-url")
def replies_url(
    name: AccountName,
    database_url: DatabaseUrl = None,
    rotate: Annotated[
        bool, typer.Option("--rotate", help="Give the account a new URL; the old one stops working")
    ] = False,
    public_url: Annotated[
        str | None,
        typer.Option(
            "--public-url",
            envvar="CARNET_PUBLIC_URL",
            help="The server's address as the SMS provider reaches it [default: http://HOST:PORT]",
        ),
    ] = None,
) -> None:
    """Print the URL the SMS provider posts the account's replies to, alone on the last line."""
    from carnet.domain import replies

    settings = read_settings(database_url=database_url, public_url=public_url)
    base = settings.public_url or f"http://{settings.host}:{settings.port}"
    with _accounts(database_url, if_missing=f"no account named {name!r}") as store:
        token = replies.replies_token(store, name, rotate=rotate)
    said = "New replies URL" if rotate else "Replies URL"
    typer.echo(f"{said} of {name!r} (give it to the SMS provider; keep it private):")
    typer.echo(replies.replies_url(base, token))
