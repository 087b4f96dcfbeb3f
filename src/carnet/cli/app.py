"""The root command and its sub-commands."""

from __future__ import annotations

from typing import Annotated

import typer

from carnet import __version__
from carnet.cli import (
    accounts,
    backups,
    dbcopy,
    groups,
    numbers,
    privacy,
    serve,
    server_imports,
    stops,
    transfer,
    users,
    webhooks,
)

app = typer.Typer(
    name="carnet",
    help=(
        "carnet: a self-hosted contact book for SMS campaigns. `serve` and `account` work "
        "on the database; the other commands talk to a server through its API "
        "(--url / CARNET_URL, --api-key / CARNET_API_KEY)."
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)


def _print_version(asked: bool) -> None:
    if asked:
        typer.echo(f"carnet {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", is_eager=True, callback=_print_version, help="Print the version and exit"
        ),
    ] = False,
) -> None:
    pass


app.command("serve")(serve.serve)
app.command("backup")(backups.backup)
app.command("restore")(backups.restore)
app.add_typer(accounts.app, name="account")
app.add_typer(groups.app, name="group")
app.add_typer(stops.app, name="stop")
app.command("import")(transfer.import_)
app.command("export")(transfer.export)
app.add_typer(server_imports.app, name="imports")
app.add_typer(users.app, name="user")
app.command("lookup")(numbers.lookup)
app.add_typer(numbers.app, name="contact")
app.add_typer(privacy.audit_app, name="audit")
app.add_typer(privacy.person_app, name="person")
app.add_typer(dbcopy.app, name="db")
app.add_typer(webhooks.app, name="webhook")
app.add_typer(webhooks.replies_app, name="reply")
