"""Webhooks: an account's URLs told of its changes, and what became of each delivery.

What a webhook is told comes from the record of changes
(:mod:`carnet.domain.changes`); this module adds, lists and deletes webhooks
and pages through their deliveries. Sending is :mod:`carnet.delivery.sender`'s.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from carnet.contract import PAGE_SIZE, WEBHOOK_EVENTS
from carnet.delivery.messages import new_secret
from carnet.delivery.targets import TargetRefused, check_target
from carnet.domain.hook_records import DeliveryRecord, WebhookRecord
from carnet.domain.ids import is_possible_id, new_public_id, now_iso
from carnet.domain.records import Account
from carnet.errors import InvalidParameter, MissingParameter, NotFoundError
from carnet.storage import Queries, Store


def _events(events: Sequence[str]) -> tuple[str, ...]:
    """The events asked, each once, in the contract's order; code 1 or 3 otherwise."""
    asked = {e.strip() for e in events if e.strip()}
    if not asked:
        raise MissingParameter("events is required", errors={"events": "required"})
    unknown = sorted(asked - set(WEBHOOK_EVENTS))
    if unknown:
        reason = f"unknown event {unknown[0]!r}; known: {', '.join(WEBHOOK_EVENTS)}"
        raise InvalidParameter(f"events: {reason}", errors={"events": reason})
    return tuple(e for e in WEBHOOK_EVENTS if e in asked)


def add_webhook(
    store: Store, account: Account, url: str, events: Sequence[str], *, allow_private: bool
) -> WebhookRecord:
    """A new webhook sending ``events`` to ``url``; its secret is in the record (shown once)."""
    try:
        target = check_target(url, allow_private=allow_private)
    except TargetRefused as exc:
        raise InvalidParameter(f"url {exc}", errors={"url": str(exc)}) from None
    wanted = _events(events)
    with store.write() as q:
        return q.insert_webhook(
            account.id, new_public_id(), target, wanted, new_secret(), now_iso()
        )


def list_webhooks(store: Store, account: Account) -> list[WebhookRecord]:
    """The account's webhooks, oldest first."""
    with store.read() as q:
        return q.list_webhooks(account.id)


def _find(q: Queries, account: Account, webhook_id: str) -> WebhookRecord:
    found = q.webhook(account.id, webhook_id) if is_possible_id(webhook_id) else None
    if found is None:
        raise NotFoundError("Webhook not found")
    return found


def delete_webhook(store: Store, account: Account, webhook_id: str) -> None:
    """Delete the account's webhook and its deliveries (pending ones are not sent)."""
    with store.write() as q:
        if not q.delete_webhook(_find(q, account, webhook_id).id):
            raise NotFoundError("Webhook not found")


@dataclass(frozen=True, slots=True)
class DeliveryPage:
    number: int
    total: int
    deliveries: list[DeliveryRecord]


def list_deliveries(store: Store, account: Account, webhook_id: str, page: int = 1) -> DeliveryPage:
    """Page ``page`` of the webhook's deliveries, newest first."""
    if page < 1:
        raise InvalidParameter("page must be a positive integer", errors={"page": "invalid"})
    with store.read() as q:
        webhook = _find(q, account, webhook_id)
        found = q.deliveries_page(webhook.id, (page - 1) * PAGE_SIZE, PAGE_SIZE)
        total = q.count_deliveries(webhook.id)
    return DeliveryPage(page, total, found)
