"""``carnet group``: add, list and delete groups on a server."""

from __future__ import annotations

from typing import Annotated

import typer

from carnet.cli.output import print_json, print_records, timestamp
from carnet.cli.remote import DEFAULT, ApiKey, AsJson, Url, connect

app = typer.Typer(help="Manage the groups of contacts on a carnet server.", no_args_is_help=True)


@app.command("add")
def add(
    name: Annotated[str, typer.Argument(metavar="NAME", help="Name of the new group")],
    url: Url = DEFAULT,
    api_key: ApiKey = None,
    as_json: AsJson = False,
) -> None:
    """Create a group; its id is printed alone on standard output."""
    with connect(url, api_key) as client:
        group = client.add_group(name)
    if as_json:
        print_json({"id": group.id, "name": group.name})
        return
    typer.echo(f"Created group {group.name!r}.", err=True)
    typer.echo(group.id)


@app.command("list")
def list_(url: Url = DEFAULT, api_key: ApiKey = None, as_json: AsJson = False) -> None:
    """List the groups, oldest first, with their contact counts."""
    with connect(url, api_key) as client:
        groups = client.list_groups()
    records = [
        {
            "id": g.id,
            "name": g.name,
            "contactCount": g.contact_count,
            "createdAt": timestamp(g.created_at),
        }
        for g in groups
    ]
    print_records("Groups", ["id", "name", "contactCount", "createdAt"], records, as_json)


@app.command("rename")
def rename(
    group_id: Annotated[str, typer.Argument(metavar="GROUP_ID", help="Id of the group")],
    name: Annotated[str, typer.Argument(metavar="NAME", help="Its new name")],
    url: Url = DEFAULT,
    api_key: ApiKey = None,
) -> None:
    """Give a group a new name."""
    with connect(url, api_key) as client:
        group = client.rename_group(group_id, name)
    typer.echo(f"Renamed group {group.id} to {group.name!r}.")


@app.command("delete")
def delete(
    group_id: Annotated[str, typer.Argument(metavar="GROUP_ID", help="Id of the group")],
    url: Url = DEFAULT,
    api_key: ApiKey = None,
) -> None:
    """Delete a group and every contact in it."""
    with connect(url, api_key) as client:
        client.delete_group(group_id)
    typer.echo(f"Deleted group {group_id} and its contacts.")
