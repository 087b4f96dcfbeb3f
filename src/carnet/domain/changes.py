"""Changes: what happened to an account's data, written in the change's own transaction.

This is carnet's one record of changes (an *outbox*). A domain operation that
changes an account's data calls :func:`record` with the transaction it changes
the data in, so the change and its record are committed together or not at
all: no change goes unrecorded, and nothing is recorded that did not happen.

What follows a change reads it from there, never from the operation itself:

- webhooks: :func:`record` queues one delivery per webhook of the account that
  takes the change's event, in the same transaction; a background sender
  (:mod:`carnet.delivery.sender`) delivers them at least once, in order;
- an audit trail can read the ``changes`` table, in order of ``id``.

A change is one event whatever the number of rows it touched: a batch of 500
contacts is one ``contact.added`` whose data holds the 500 ids.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from carnet.contract import WEBHOOK_EVENTS
from carnet.domain.ids import new_public_ids, now_iso
from carnet.storage import Queries

# Who made a change: the API (an API key), the replies URL, an import job, a command.
ACTORS = ("api", "replies", "import", "cli", "erasure")


@dataclass(frozen=True, slots=True)
class Change:
    """One change to an account's data.

    ``event`` is one of :data:`carnet.contract.WEBHOOK_EVENTS`; ``ids`` the public
    ids of what changed (contacts, a stop entry, an import job); ``data`` the
    event's data as webhooks send it (it holds the ids under the event's own name).
    """

    account_id: int
    event: str
    data: Mapping[str, Any]
    ids: Sequence[str] = ()
    actor: str = "api"
    created_at: str = field(default_factory=now_iso)

    def __post_init__(self) -> None:
        if self.event not in WEBHOOK_EVENTS:
            raise ValueError(f"unknown event {self.event!r}")
        if self.actor not in ACTORS:
            raise ValueError(f"unknown actor {self.actor!r}")


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def record(q: Queries, change: Change) -> str:
    """Write ``change`` in ``q``'s transaction and queue its webhook deliveries; its id."""
    return record_all(q, [change])[0]


def record_all(q: Queries, made: Sequence[Change]) -> list[str]:
    """Write several changes, in order, in ``q``'s transaction, and queue their webhook
    deliveries: as many statements as for one. Their ids."""
    public_ids = new_public_ids(len(made))
    rows = [
        {
            "account_id": change.account_id,
            "public_id": public_id,
            "event": change.event,
            "actor": change.actor,
            "data": json.dumps(dict(change.data), ensure_ascii=False),
            "created_at": change.created_at,
        }
        for public_id, change in zip(public_ids, made, strict=True)
    ]
    if rows:
        q.record_changes(rows, now_ms())
    return public_ids


def contact_change(
    account_id: int, event: str, group_id: str, contact_ids: Sequence[str], actor: str = "api"
) -> Change:
    """The change of these contacts of a group being added, updated or deleted."""
    ids = list(contact_ids)
    data = {"groupId": group_id, "contactIds": ids, "count": len(ids)}
    return Change(account_id, event, data, ids, actor)


def contacts_changed(
    q: Queries,
    account_id: int,
    event: str,
    group_id: str,
    contact_ids: Sequence[str],
    actor: str = "api",
) -> None:
    """Record that these contacts of a group were added, updated or deleted (if any)."""
    if not contact_ids:
        return
    record(q, contact_change(account_id, event, group_id, contact_ids, actor))
