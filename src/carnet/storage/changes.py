"""The outbox: changes to an account's data, and the webhook deliveries each one queues."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Row, bindparam, insert, select

from carnet.domain.hook_records import ChangeRecord
from carnet.storage.schema import changes, webhook_deliveries, webhooks
from carnet.storage.transaction import Transaction

CHANGE_COLUMNS = tuple(changes.c)
_CHANGE_VALUES = ("account_id", "public_id", "event", "actor", "data", "created_at")
# Built once: every write records a change.
_INSERT_CHANGE = (
    insert(changes)
    .values({name: bindparam(name) for name in _CHANGE_VALUES})
    .returning(changes.c.id)
)
_WEBHOOKS_OF = select(webhooks.c.id, webhooks.c.events).where(
    webhooks.c.account_id == bindparam("account_id")
)


def change_record(row: Row[Any, *tuple[Any, ...]] | Any) -> ChangeRecord:
    m = row._mapping
    return ChangeRecord(
        id=m["id"],
        public_id=m["public_id"],
        account_id=m["account_id"],
        event=m["event"],
        actor=m["actor"],
        data=json.loads(m["data"]),
        created_at=m["created_at"],
    )


class ChangeQueries(Transaction):
    """Changes, written in the transaction of the change they record."""

    def insert_change(
        self, *, account_id: int, public_id: str, event: str, actor: str, data: str, created_at: str
    ) -> int:
        """Store one change (``data`` is JSON text); its id, in order of changes."""
        values = {
            "account_id": account_id,
            "public_id": public_id,
            "event": event,
            "actor": actor,
            "data": data,
            "created_at": created_at,
        }
        change_id = self.conn.execute(_INSERT_CHANGE, values).scalar_one()
        return int(change_id)

    def record_change(
        self,
        *,
        account_id: int,
        public_id: str,
        event: str,
        actor: str,
        data: str,
        created_at: str,
        now_ms: int,
    ) -> None:
        """Store one change and queue its deliveries (:meth:`queue_deliveries`).

        In one statement where the engine has one, put off until the next
        statement or the commit (:meth:`defer`).
        """
        together = self.dialect.change_and_deliveries()
        if together is not None:
            values = {
                "account_id": account_id,
                "public_id": public_id,
                "event": event,
                "actor": actor,
                "data": data,
                "created_at": created_at,
                "now_ms": now_ms,
            }
            self.defer(together, values)
            return
        change_id = self.insert_change(
            account_id=account_id,
            public_id=public_id,
            event=event,
            actor=actor,
            data=data,
            created_at=created_at,
        )
        self.queue_deliveries(account_id, change_id, event, now_ms)

    def queue_deliveries(self, account_id: int, change_id: int, event: str, now_ms: int) -> int:
        """A pending delivery of the change for each of the account's webhooks taking
        ``event``; how many."""
        rows = self.conn.execute(_WEBHOOKS_OF, {"account_id": account_id}).all()
        wanted = [
            {
                "webhook_id": webhook_id,
                "change_id": change_id,
                "status": "pending",
                "created_ms": now_ms,
            }
            for webhook_id, events in rows
            if event in events.split(",")
        ]
        if wanted:
            self.conn.execute(insert(webhook_deliveries), wanted)
        return len(wanted)

    def changes_after(self, account_id: int, after_id: int, limit: int) -> list[ChangeRecord]:
        """The account's changes after ``after_id``, oldest first (an audit trail's read)."""
        rows = self.conn.execute(
            select(*CHANGE_COLUMNS)
            .where(changes.c.account_id == account_id, changes.c.id > after_id)
            .order_by(changes.c.id)
            .limit(limit)
        )
        return [change_record(r) for r in rows]

    def changes_naming(self, account_id: int, text: str) -> list[tuple[ChangeRecord, bool]]:
        """The account's changes whose data holds ``text``, oldest first, each with
        whether a delivery of it is still pending (a person's export and erasure)."""
        pending = (
            select(webhook_deliveries.c.id)
            .where(
                webhook_deliveries.c.change_id == changes.c.id,
                webhook_deliveries.c.status == "pending",
            )
            .exists()
        )
        rows = self.conn.execute(
            select(*CHANGE_COLUMNS, pending.label("pending"))
            .where(changes.c.account_id == account_id, changes.c.data.contains(text))
            .order_by(changes.c.id)
        )
        return [(change_record(r), bool(r.pending)) for r in rows]

    def redact_change(self, change_id: int, data: dict[str, Any]) -> None:
        """Write a change's data again, a person's number taken out of it."""
        self.conn.execute(
            changes.update().where(changes.c.id == change_id).values(data=json.dumps(data))
        )
