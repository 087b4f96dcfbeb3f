"""``carnet webhook``: add, list and delete a server's webhooks, and see their deliveries;
``carnet reply list``: the replies received at the account's replies URL."""

from __future__ import annotations

from typing import Annotated

import typer

from carnet.cli.output import print_json, print_records, timestamp
from carnet.cli.remote import DEFAULT, ApiKey, AsJson, Url, connect
from carnet.contract import WEBHOOK_EVENTS

app = typer.Typer(
    help="Manage webhooks: URLs told of the account's changes (carnet's own).",
    no_args_is_help=True,
)
replies_app = typer.Typer(
    help="See the replies received at the account's replies URL (carnet's own).",
    no_args_is_help=True,
)

WebhookId = Annotated[str, typer.Argument(metavar="WEBHOOK_ID", help="Id of the webhook")]
Page = Annotated[int, typer.Option("--page", min=1, help="Page, from 1 (newest first)")]


@app.command("add")
def add(
    target: Annotated[str, typer.Argument(metavar="URL", help="http:// or https:// URL")],
    events: Annotated[
        str,
        typer.Option("--events", help=f"Events, separated by commas: {', '.join(WEBHOOK_EVENTS)}"),
    ] = ",".join(WEBHOOK_EVENTS),
    url: Url = DEFAULT,
    api_key: ApiKey = None,
    as_json: AsJson = False,
) -> None:
    """Add a webhook; its id, then its signing secret (shown only this once), are printed."""
    with connect(url, api_key) as client:
        webhook = client.add_webhook(target, [e.strip() for e in events.split(",")])
    if as_json:
        print_json({"id": webhook.id, "events": list(webhook.events), "secret": webhook.secret})
        return
    typer.echo(f"Added a webhook to {webhook.url} ({', '.join(webhook.events)}).", err=True)
    typer.echo("Its id, then its secret (shown only this once):", err=True)
    typer.echo(webhook.id)
    typer.echo(webhook.secret)


@app.command("list")
def list_(url: Url = DEFAULT, api_key: ApiKey = None, as_json: AsJson = False) -> None:
    """List the account's webhooks (never their secrets)."""
    with connect(url, api_key) as client:
        found = client.list_webhooks()
    records = [
        {
            "id": w.id,
            "url": w.url,
            "events": ",".join(w.events),
            "createdAt": timestamp(w.created_at),
        }
        for w in found
    ]
    print_records("Webhooks", ["id", "url", "events", "createdAt"], records, as_json)


@app.command("delete")
def delete(webhook_id: WebhookId, url: Url = DEFAULT, api_key: ApiKey = None) -> None:
    """Delete a webhook; its deliveries not yet made are dropped."""
    with connect(url, api_key) as client:
        client.delete_webhook(webhook_id)
    typer.echo(f"Deleted webhook {webhook_id}.")


@app.command("deliveries")
def deliveries(
    webhook_id: WebhookId,
    page: Page = 1,
    url: Url = DEFAULT,
    api_key: ApiKey = None,
    as_json: AsJson = False,
) -> None:
    """List a webhook's deliveries, newest first: status, attempts, last answer."""
    with connect(url, api_key) as client:
        found = client.list_deliveries(webhook_id, page)
    columns = ["messageId", "type", "status", "attempts", "lastStatus", "lastError", "createdAt"]
    records = [
        {
            "messageId": d.message_id,
            "type": d.type,
            "status": d.status,
            "attempts": d.attempts,
            "lastStatus": d.last_status,
            "lastError": d.last_error,
            "createdAt": timestamp(d.created_at),
        }
        for d in found
    ]
    print_records("Deliveries", columns, records, as_json)


@replies_app.command("list")
def list_replies(
    page: Page = 1, url: Url = DEFAULT, api_key: ApiKey = None, as_json: AsJson = False
) -> None:
    """List the replies received, newest first, and whether each stopped its number."""
    with connect(url, api_key) as client:
        found = client.list_replies(page)
    records = [
        {
            "phoneNumber": r.phone,
            "text": r.text,
            "stopped": r.stopped,
            "receivedAt": timestamp(r.received_at),
        }
        for r in found
    ]
    print_records("Replies", ["phoneNumber", "text", "stopped", "receivedAt"], records, as_json)
