"""``carnet account``: create, list, rotate and revoke API keys."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer

from carnet.cli.options import DatabaseUrl
from carnet.errors import CarnetError
from carnet.settings import Settings

if TYPE_CHECKING:
    from carnet.storage import Store

app = typer.Typer(help="Manage accounts and their API keys.", no_args_is_help=True)


def _store(database_url: str | None) -> Store:
    # The database code is loaded here, not at start: the commands that talk
    # to a server through its API never need it.
    from carnet.storage import Store

    return Store.open(Settings.from_env(database_url=database_url).database_url)


def _fail(error: CarnetError) -> typer.Exit:
    typer.echo(f"error: {error.message}", err=True)
    return typer.Exit(1)


@app.command("create")
def create(
    name: Annotated[str, typer.Argument(help="Unique name of the account")],
    database_url: DatabaseUrl = None,
) -> None:
    """Create an account; its API key is printed once, alone on the last line."""
    from carnet.domain import accounts

    store = _store(database_url)
    try:
        account, key = accounts.create_account(store, name)
    except CarnetError as exc:
        raise _fail(exc) from None
    finally:
        store.close()
    typer.echo(f"Created account {account.name!r}. Its API key, shown only this once:")
    typer.echo(key)


@app.command("list")
def list_(
    database_url: DatabaseUrl = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """List accounts with their creation dates (never their keys)."""
    from carnet.domain import accounts

    store = _store(database_url)
    try:
        found = accounts.list_accounts(store)
    finally:
        store.close()
    if as_json:
        typer.echo(json.dumps([{"name": a.name, "createdAt": a.created_at} for a in found]))
        return
    for account in found:
        typer.echo(f"{account.name}\t{account.created_at}")


@app.command("rotate-key")
def rotate_key(
    name: Annotated[str, typer.Argument(help="Name of the account")],
    database_url: DatabaseUrl = None,
) -> None:
    """Revoke the account's keys and print a new one, alone on the last line."""
    from carnet.domain import accounts

    store = _store(database_url)
    try:
        key = accounts.rotate_key(store, name)
    except CarnetError as exc:
        raise _fail(exc) from None
    finally:
        store.close()
    typer.echo(f"New API key for {name!r}, shown only this once (the old ones no longer work):")
    typer.echo(key)


@app.command("revoke-key")
def revoke_key(
    name: Annotated[str, typer.Argument(help="Name of the account")],
    database_url: DatabaseUrl = None,
) -> None:
    """Revoke every key of the account at once; `rotate-key` gives it a new one."""
    from carnet.domain import accounts

    store = _store(database_url)
    try:
        count = accounts.revoke_keys(store, name)
    except CarnetError as exc:
        raise _fail(exc) from None
    finally:
        store.close()
    typer.echo(f"Revoked {count} key(s) of {name!r}.")
