"""Webhooks of one account, and what became of their deliveries."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, insert, select

from carnet.domain.hook_records import DeliveryRecord, WebhookRecord
from carnet.storage.changes import CHANGE_COLUMNS, change_record
from carnet.storage.schema import changes, webhook_deliveries, webhooks
from carnet.storage.transaction import Transaction, may_exist

WEBHOOK_COLUMNS = (
    webhooks.c.id,
    webhooks.c.public_id,
    webhooks.c.account_id,
    webhooks.c.url,
    webhooks.c.events,
    webhooks.c.secret,
    webhooks.c.created_at,
)
_DELIVERY_COLUMNS = tuple(
    c.label(f"delivery_{c.name}") for c in webhook_deliveries.c if c.name != "change_id"
)


def webhook_record(row: Any) -> WebhookRecord:
    m = row._mapping
    return WebhookRecord(
        id=m["id"],
        public_id=m["public_id"],
        account_id=m["account_id"],
        url=m["url"],
        events=tuple(e for e in m["events"].split(",") if e),
        secret=m["secret"],
        created_at=m["created_at"],
    )


def delivery_record(row: Any) -> DeliveryRecord:
    m = row._mapping
    return DeliveryRecord(
        id=m["delivery_id"],
        webhook_id=m["delivery_webhook_id"],
        change=change_record(row),
        status=m["delivery_status"],
        attempts=m["delivery_attempts"],
        next_attempt_ms=m["delivery_next_attempt_ms"],
        created_ms=m["delivery_created_ms"],
        last_status=m["delivery_last_status"],
        last_error=m["delivery_last_error"],
        delivered_at=m["delivery_delivered_at"],
    )


def deliveries_with_changes() -> Any:
    """Deliveries joined to the change each sends."""
    return select(*_DELIVERY_COLUMNS, *CHANGE_COLUMNS).join_from(
        webhook_deliveries, changes, webhook_deliveries.c.change_id == changes.c.id
    )


class WebhookQueries(Transaction):
    """An account's webhooks: add, list, delete, and their deliveries."""

    def insert_webhook(
        self,
        account_id: int,
        public_id: str,
        url: str,
        events: tuple[str, ...],
        secret: str,
        created_at: str,
    ) -> WebhookRecord:
        webhook_id = self.conn.execute(
            insert(webhooks)
            .values(
                account_id=account_id,
                public_id=public_id,
                url=url,
                events=",".join(events),
                secret=secret,
                created_at=created_at,
            )
            .returning(webhooks.c.id)
        ).scalar_one()
        return WebhookRecord(webhook_id, public_id, account_id, url, events, secret, created_at)

    def list_webhooks(self, account_id: int) -> list[WebhookRecord]:
        rows = self.conn.execute(
            select(*WEBHOOK_COLUMNS)
            .where(webhooks.c.account_id == account_id)
            .order_by(webhooks.c.id)
        )
        return [webhook_record(r) for r in rows]

    def webhook(self, account_id: int, public_id: str) -> WebhookRecord | None:
        if not may_exist(public_id):
            return None
        row = self.conn.execute(
            select(*WEBHOOK_COLUMNS).where(
                webhooks.c.account_id == account_id, webhooks.c.public_id == public_id
            )
        ).first()
        return webhook_record(row) if row else None

    def delete_webhook(self, webhook_id: int) -> bool:
        """Delete the webhook and its deliveries, sent or not; False if already gone."""
        self.conn.execute(
            delete(webhook_deliveries).where(webhook_deliveries.c.webhook_id == webhook_id)
        )
        result = self.conn.execute(delete(webhooks).where(webhooks.c.id == webhook_id))
        return bool(result.rowcount)

    def deliveries_page(self, webhook_id: int, skip: int, limit: int) -> list[DeliveryRecord]:
        """The webhook's deliveries, newest first."""
        rows = self.conn.execute(
            deliveries_with_changes()
            .where(webhook_deliveries.c.webhook_id == webhook_id)
            .order_by(webhook_deliveries.c.id.desc())
            .offset(skip)
            .limit(limit)
        )
        return [delivery_record(r) for r in rows]

    def count_deliveries(self, webhook_id: int) -> int:
        query = select(func.count()).where(webhook_deliveries.c.webhook_id == webhook_id)
        return int(self.conn.execute(query).scalar_one())
