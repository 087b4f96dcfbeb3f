"""``carnet audit`` and ``carnet person``: the audit trail, a person's data (carnet's own)."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from carnet.cli.output import print_json, print_records, timestamp
from carnet.cli.remote import DEFAULT, ApiKey, AsJson, Url, connect

audit_app = typer.Typer(help="Read the account's audit trail: who changed what, when.",
                        no_args_is_help=True)  # fmt: skip
person_app = typer.Typer(help="Answer a person's request: export or erase their data.",
                         no_args_is_help=True)  # fmt: skip

Phone = Annotated[str, typer.Argument(metavar="PHONE", help="The number, in any spelling")]


@audit_app.command("list")
def list_(
    page: Annotated[int, typer.Option(min=1, help="Page, 20 entries each, newest first")] = 1,
    action: Annotated[
        str | None, typer.Option(help="Only this action, e.g. contact.deleted")
    ] = None,
    since: Annotated[str | None, typer.Option("--from", help="From this date or time")] = None,
    until: Annotated[str | None, typer.Option("--to", help="Up to this date or time")] = None,
    url: Url = DEFAULT,
    api_key: ApiKey = None,
    as_json: AsJson = False,
) -> None:
    """List the audit trail, newest first: time, who, action, ids and counts."""
    with connect(url, api_key) as client:
        found = client.list_audit(page, action=action, since=since, until=until)
    records = [
        {
            "at": timestamp(e.at),
            "who": e.who,
            "action": e.action,
            "ids": " ".join(e.ids) if not as_json else list(e.ids),
            "counts": (" ".join(f"{k}={v}" for k, v in e.counts.items()))
            if not as_json
            else e.counts,
        }
        for e in found.entries
    ]
    title = f"Audit trail, page {found.number} ({found.total} entries)"
    print_records(title, ["at", "who", "action", "ids", "counts"], records, as_json)


@person_app.command("export")
def export(phone_number: Phone, url: Url = DEFAULT, api_key: ApiKey = None) -> None:
    """Print, as JSON, everything the account holds about a number."""
    with connect(url, api_key) as client:
        document = client.export_person(phone_number)
    typer.echo(json.dumps(document, ensure_ascii=False, indent=2))


@person_app.command("erase")
def erase(
    phone_number: Phone, url: Url = DEFAULT, api_key: ApiKey = None, as_json: AsJson = False
) -> None:
    """Erase a number's contacts in every group and its kept import rows; the stop list keeps it."""
    with connect(url, api_key) as client:
        erasure = client.erase_person(phone_number)
    if as_json:
        print_json(
            {
                "phoneNumber": erasure.phone,
                "erased": erasure.erased,
                "keptOnStopList": erasure.kept_on_stop_list,
            }
        )
        return
    counts = ", ".join(f"{n} {kind}" for kind, n in erasure.erased.items())
    typer.echo(f"Erased {erasure.phone}: {counts}.")
    if erasure.kept_on_stop_list:
        typer.echo("The number stays on the stop list (the person asked not to be contacted).")
