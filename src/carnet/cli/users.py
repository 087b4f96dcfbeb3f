"""``carnet user``: the people who sign in to the dashboard (add, list, remove, reset-password).

Like ``carnet account``, these work on the database itself (``--database-url``).
A password comes from a prompt (asked twice, not echoed) or, with
``--password-stdin``, from the first line of standard input.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer

from carnet.cli.database import describe, opened_store, read_settings
from carnet.cli.options import DatabaseUrl
from carnet.cli.output import print_records

if TYPE_CHECKING:
    from carnet.storage import Store

app = typer.Typer(help="Manage the people who sign in to the dashboard.", no_args_is_help=True)

Email = Annotated[str, typer.Argument(help="The person's email, which they sign in with")]
PasswordStdin = Annotated[
    bool,
    typer.Option("--password-stdin", help="Read the password from standard input's first line"),
]


@contextmanager
def _people(database_url: str | None) -> Iterator[Store]:
    url = read_settings(database_url=database_url).database_url
    typer.echo(f"Database: {describe(url)}", err=True)
    with opened_store(url, if_missing="no people") as store:
        yield store


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    password: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return password


@app.command("add")
def add(
    email: Email,
    account: Annotated[str, typer.Option("--account", help="The account the person acts for")],
    password_stdin: PasswordStdin = False,
    database_url: DatabaseUrl = None,
) -> None:
    """Add a person who signs in with EMAIL and acts for the account."""
    from carnet.domain import people

    password = _password(password_stdin)
    with _people(database_url) as store:
        person = people.add_person(store, email, account, password)
    typer.echo(f"Added {person.email} to account {person.account.name!r}.")


@app.command("list")
def list_(
    database_url: DatabaseUrl = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """List people: email, account, created (never a password)."""
    from carnet.domain import people

    with _people(database_url) as store:
        found = people.list_people(store)
    records = [
        {"email": p.email, "account": p.account.name, "createdAt": p.created_at} for p in found
    ]
    print_records("People", ["email", "account", "createdAt"], records, as_json)


@app.command("remove")
def remove(email: Email, database_url: DatabaseUrl = None) -> None:
    """Remove a person; their sessions end at once."""
    from carnet.domain import people

    with _people(database_url) as store:
        people.remove_person(store, email)
    typer.echo(f"Removed {email.strip().lower()}.")


@app.command("reset-password")
def reset_password(
    email: Email, password_stdin: PasswordStdin = False, database_url: DatabaseUrl = None
) -> None:
    """Give a person a new password; their sessions end at once."""
    from carnet.domain import people

    password = _password(password_stdin)
    with _people(database_url) as store:
        people.reset_password(store, email, password)
    typer.echo(f"New password set for {email.strip().lower()}; their sessions ended.")
