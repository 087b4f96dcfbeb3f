"""``carnet lookup`` and ``carnet contact``: describe numbers, find, move and copy contacts."""

from __future__ import annotations

from typing import Annotated

import typer

from carnet.cli.output import print_json, print_records, timestamp
from carnet.cli.remote import DEFAULT, ApiKey, AsJson, Url, connect
from carnet.client.models import BatchReport

app = typer.Typer(help="Find, move and copy contacts on a carnet server.", no_args_is_help=True)

Numbers = Annotated[
    list[str], typer.Argument(metavar="NUMBER...", help="Phone numbers (up to 500)")
]
ContactIds = Annotated[list[str], typer.Argument(metavar="CONTACT_ID...", help="Contact ids")]
Target = Annotated[
    str, typer.Option("--group", "-g", metavar="GROUP_ID", help="Id of the group they go to")
]


def lookup(
    numbers: Numbers, url: Url = DEFAULT, api_key: ApiKey = None, as_json: AsJson = False
) -> None:
    """Describe numbers: valid or not, country, calling code, type, network, formats."""
    with connect(url, api_key) as client:
        found = client.lookup(numbers)
    records = [
        {
            "request": n.request,
            "success": n.success,
            "phoneNumber": n.phone,
            "countryCode": n.country,
            "prefixCode": n.prefix_code,
            "type": n.type,
            "network": n.network,
            "international": n.formats.international,
            "national": n.formats.national,
        }
        for n in found
    ]
    columns = ["request", "success", "phoneNumber", "countryCode", "type", "network"]
    print_records("Numbers", columns, records, as_json)


@app.command("find")
def find(
    number: Annotated[str, typer.Argument(metavar="NUMBER", help="A phone number, any spelling")],
    url: Url = DEFAULT,
    api_key: ApiKey = None,
    as_json: AsJson = False,
) -> None:
    """List every contact with this number, in every group, and say if it is stopped."""
    with connect(url, api_key) as client:
        found = client.search_contacts(number)
    records = [
        {
            "id": c.id,
            "groupId": c.group_id,
            "phone": c.phone,
            "firstname": c.firstname,
            "lastname": c.lastname,
            "createdAt": timestamp(c.created_at),
        }
        for c in found.contacts
    ]
    if as_json:
        print_json(
            {"phone": found.phone, "stopSms": found.stop_sms, "stopId": found.stop_id}
            | {"contacts": records}
        )
        return
    stopped = f"on the stop list (entry {found.stop_id})" if found.stop_sms else "not stopped"
    typer.echo(f"{found.phone}: {len(records)} contact(s), {stopped}", err=True)
    print_records("Contacts", ["id", "groupId", "phone", "firstname", "lastname"], records, False)


def _print_report(report: BatchReport, done: str, as_json: bool) -> None:
    if as_json:
        rows = [
            {"success": r.success, "code": r.code, "phone": r.phone_number,
             "message": r.message, "contactId": r.contact_id}
            for r in report.results
        ]  # fmt: skip
        print_json(
            {"groupId": report.group_id, "rows": report.rows, done: report.imported}
            | {"refused": report.refused, "errors": report.errors, "results": rows}
        )
        return
    typer.echo(f"{report.rows} contact(s): {report.imported} {done}, {report.refused} refused")
    for bucket, count in report.errors.items():
        if count and bucket != "dateInvalid":
            typer.echo(f"  {count} {bucket}")


@app.command("move")
def move(
    contact_ids: ContactIds,
    group: Target,
    url: Url = DEFAULT,
    api_key: ApiKey = None,
    as_json: AsJson = False,
) -> None:
    """Move contacts into a group; they keep their ids. The group's stop list and
    numbers apply to each (refused: stopSms, allreadyInGroupe, duplicatePhone, notFound)."""
    with connect(url, api_key) as client:
        report = client.move_contacts(contact_ids, group)
    _print_report(report, "moved", as_json)


@app.command("copy")
def copy(
    contact_ids: ContactIds,
    group: Target,
    url: Url = DEFAULT,
    api_key: ApiKey = None,
    as_json: AsJson = False,
) -> None:
    """Copy contacts into a group, as new contacts (the JSON report gives their ids)."""
    with connect(url, api_key) as client:
        report = client.copy_contacts(contact_ids, group)
    _print_report(report, "copied", as_json)
