"""Sending webhooks: which webhook has deliveries due, claimed by one server at a time.

A server claims a webhook with a lease (its row's ``lease_owner`` and
``lease_until``) and sends that webhook's pending deliveries one at a time,
oldest first, so that one webhook receives its events in the order of the
changes. The claim skips the webhooks another server holds (PostgreSQL's ``FOR
UPDATE SKIP LOCKED``; SQLite has one writer at a time). A webhook whose oldest
delivery waits for its next attempt is let go with ``lease_until`` set to that
time, so that no server claims it before.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, bindparam, exists, select, update

from carnet.domain.hook_records import DeliveryRecord, WebhookRecord
from carnet.storage.dialects import Dialect
from carnet.storage.schema import webhook_deliveries, webhooks
from carnet.storage.transaction import Transaction
from carnet.storage.webhooks import (
    WEBHOOK_COLUMNS,
    deliveries_with_changes,
    delivery_record,
    webhook_record,
)

_PENDING = exists().where(
    webhook_deliveries.c.webhook_id == webhooks.c.id, webhook_deliveries.c.status == "pending"
)


def _claimable(dialect: Dialect) -> Select[Any]:
    waiting = select(*WEBHOOK_COLUMNS).where(webhooks.c.lease_until < bindparam("now"), _PENDING)
    return dialect.claim(waiting.order_by(webhooks.c.lease_until, webhooks.c.id).limit(1))


def _lease_of(dialect: Dialect) -> Select[Any]:
    query = select(webhooks.c.lease_owner).where(webhooks.c.id == bindparam("webhook_id"))
    return dialect.for_update(query)


class DeliveryQueries(Transaction):
    """The sender's queries: claim a webhook, read its next delivery, say how it went."""

    def has_due_webhook(self, now_ms: int) -> bool:
        """Whether some webhook has deliveries to send now (a read, before claiming)."""
        query = select(webhooks.c.id).where(webhooks.c.lease_until < now_ms, _PENDING)
        return self.conn.execute(query.limit(1)).first() is not None

    def claim_webhook(self, owner: str, now_ms: int, lease_ms: int) -> WebhookRecord | None:
        """Take a webhook with deliveries due, that no live lease holds, for ``owner``."""
        row = self.conn.execute(self.dialect.built(_claimable), {"now": now_ms}).first()
        if row is None:
            return None
        self.set_webhook_lease(row.id, owner, now_ms + lease_ms)
        return webhook_record(row)

    def webhook_lease_owner(self, webhook_id: int) -> str | None:
        """Who holds the webhook, its row locked until commit; None when it is gone."""
        found = self.conn.execute(self.dialect.built(_lease_of), {"webhook_id": webhook_id})
        return found.scalar_one_or_none()

    def set_webhook_lease(self, webhook_id: int, owner: str, until_ms: int) -> None:
        self.conn.execute(
            update(webhooks)
            .where(webhooks.c.id == webhook_id)
            .values(lease_owner=owner, lease_until=until_ms)
        )

    def next_delivery(self, webhook_id: int) -> DeliveryRecord | None:
        """The webhook's oldest pending delivery."""
        row = self.conn.execute(
            deliveries_with_changes()
            .where(
                webhook_deliveries.c.webhook_id == webhook_id,
                webhook_deliveries.c.status == "pending",
            )
            .order_by(webhook_deliveries.c.id)
            .limit(1)
        ).first()
        return delivery_record(row) if row else None

    def update_delivery(self, delivery_id: int, **values: Any) -> None:
        self.conn.execute(
            update(webhook_deliveries)
            .where(webhook_deliveries.c.id == delivery_id)
            .values(**values)
        )
