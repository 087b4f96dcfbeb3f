"""The root command and its sub-commands."""

from __future__ import annotations

import typer

from carnet.cli import accounts, serve

app = typer.Typer(
    name="carnet",
    help="carnet: a self-hosted contact book for SMS campaigns.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
app.command("serve")(serve.serve)
app.add_typer(accounts.app, name="account")
