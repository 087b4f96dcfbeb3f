"""The outbox: changes to an account's data, and the webhook deliveries each one queues."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
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
# A change whose id nobody reads: no webhook takes it.
_INSERT_CHANGE_ONLY = insert(changes).values({name: bindparam(name) for name in _CHANGE_VALUES})
_INSERT_CHANGES = insert(changes).returning(changes.c.id, sort_by_parameter_order=True)
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

    def insert_changes(self, rows: Sequence[Mapping[str, Any]]) -> list[int]:
        """Store changes (each ``account_id``, ``public_id``, ``event``, ``actor``, ``data``
        as JSON text, ``created_at``) in one statement; their ids, in the order given,
        which is their order of changes."""
        if len(rows) == 1:
            return [int(self.conn.execute(_INSERT_CHANGE, rows[0]).scalar_one())]
        found = self.conn.execute(_INSERT_CHANGES, list(rows))
        return [int(change_id) for change_id in found.scalars()]

    def record_changes(self, rows: Sequence[Mapping[str, Any]], now_ms: int) -> None:
        """Store changes (each ``account_id``, ``public_id``, ``event``, ``actor``, ``data``
        as JSON text, ``created_at``), in order, and queue their deliveries.

        Where the engine stores a change and its deliveries in one statement, each
        is put off until the next statement or the commit (:meth:`defer`). Elsewhere
        an account's webhooks are read first: changes none of them takes are put
        off the same way (nobody needs their ids); the others go in one statement
        and their deliveries in one.
        """
        together = self.dialect.change_and_deliveries()
        if together is not None:
            for row in rows:
                self.defer(together, {**row, "now_ms": now_ms})
            return
        by_account: dict[int, list[Mapping[str, Any]]] = {}
        for row in rows:
            by_account.setdefault(row["account_id"], []).append(row)
        for account_id, made in by_account.items():
            hooks = [
                (webhook_id, events.split(","))
                for webhook_id, events in self.driver_rows(_WEBHOOKS_OF, {"account_id": account_id})
            ]
            if not any(row["event"] in events for row in made for _, events in hooks):
                for row in made:
                    self.defer(_INSERT_CHANGE_ONLY, dict(row))
                continue
            events = [row["event"] for row in made]
            ids = self.insert_changes(made)
            self._queue_deliveries(hooks, zip(ids, events, strict=True), now_ms)

    def _queue_deliveries(
        self,
        hooks: Sequence[tuple[int, list[str]]],
        changes_made: Iterable[tuple[int, str]],
        now_ms: int,
    ) -> None:
        """A pending delivery of each ``(change id, event)`` for each of ``hooks``
        (``(webhook id, its events)``) taking that event."""
        wanted = [
            {
                "webhook_id": webhook_id,
                "change_id": change_id,
                "status": "pending",
                "created_ms": now_ms,
            }
            for change_id, event in changes_made
            for webhook_id, events in hooks
            if event in events
        ]
        if wanted:
            self.conn.execute(insert(webhook_deliveries), wanted)

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
