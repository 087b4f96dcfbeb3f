"""``carnet stop``: add, list and delete numbers on a server's stop list."""

from __future__ import annotations

from typing import Annotated

import typer

from carnet.cli.output import print_json, print_records, timestamp
from carnet.cli.remote import DEFAULT, ApiKey, AsJson, Url, connect

app = typer.Typer(
    help="Manage the stop list: numbers that must not be added or sent to.",
    no_args_is_help=True,
)


@app.command("add")
def add(
    phone_number: Annotated[
        str, typer.Argument(metavar="PHONE", help="Number to stop, e.g. 0612345678")
    ],
    url: Url = DEFAULT,
    api_key: ApiKey = None,
    as_json: AsJson = False,
) -> None:
    """Put a number on the stop list; the entry's id is printed alone on standard output."""
    with connect(url, api_key) as client:
        stop_id = client.add_stop(phone_number)
    if as_json:
        print_json({"id": stop_id})
        return
    typer.echo(f"Stopped {phone_number}.", err=True)
    typer.echo(stop_id)


@app.command("list")
def list_(url: Url = DEFAULT, api_key: ApiKey = None, as_json: AsJson = False) -> None:
    """List the stop list, oldest first."""
    with connect(url, api_key) as client:
        entries = client.list_stops()
    records = [
        {"id": e.id, "phoneNumber": e.phone, "createdAt": timestamp(e.created_at)} for e in entries
    ]
    print_records("Stop list", ["id", "phoneNumber", "createdAt"], records, as_json)


@app.command("delete")
def delete(
    stop_id: Annotated[str, typer.Argument(metavar="STOP_ID", help="Id of the stop list entry")],
    url: Url = DEFAULT,
    api_key: ApiKey = None,
) -> None:
    """Take an entry off the stop list."""
    with connect(url, api_key) as client:
        client.delete_stop(stop_id)
    typer.echo(f"Deleted stop list entry {stop_id}.")
