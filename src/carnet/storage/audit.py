"""The audit trail's entries: written in the change's transaction, read newest first."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select

from carnet.domain.records import AuditEntry
from carnet.storage.schema import audit_entries
from carnet.storage.transaction import Transaction

_INSERT_ENTRY = insert(audit_entries)


def _entry(m: Any) -> AuditEntry:
    return AuditEntry(
        at=m["at"],
        account_id=m["account_id"],
        who=m["who"],
        action=m["action"],
        ids=tuple(json.loads(m["ids"])),
        counts=json.loads(m["counts"]),
        id=m["id"],
    )


# Built once: every write records an entry.
_INSERT_ENTRY = insert(audit_entries).values(
    {name: bindparam(name) for name in ("account_id", "at", "who", "action", "ids", "counts")}
)


class AuditQueries(Transaction):
    """Entries of the audit trail."""

    def insert_audit_entries(self, entries: Sequence[AuditEntry]) -> None:
        """Write entries, in order, put off until the next statement or the commit
        (:meth:`defer`: consecutive ones go in one statement)."""
        for entry in entries:
            values = {
                "account_id": entry.account_id,
                "at": entry.at,
                "who": entry.who,
                "action": entry.action,
                "ids": json.dumps(list(entry.ids)),
                "counts": json.dumps(dict(entry.counts)),
            }
            self.defer(_INSERT_ENTRY, values)

    def audit_page(
        self,
        account_id: int,
        action: str | None,
        since: str,
        until: str | None,
        skip: int,
        limit: int,
    ) -> tuple[list[AuditEntry], int]:
        """A page of the account's entries, newest first, and how many match in all."""
        where = [audit_entries.c.account_id == account_id, audit_entries.c.at >= since]
        if action is not None:
            where.append(audit_entries.c.action == action)
        if until is not None:
            where.append(audit_entries.c.at <= until)
        rows = self.conn.execute(
            select(audit_entries)
            .where(*where)
            .order_by(audit_entries.c.id.desc())
            .offset(skip)
            .limit(limit)
        )
        total = self.conn.execute(
            select(func.count()).select_from(audit_entries).where(*where)
        ).scalar_one()
        return [_entry(r._mapping) for r in rows], int(total)

    def purge_audit(self, before: str) -> int:
        """Delete entries written before ``before``; answer how many."""
        return int(
            self.conn.execute(delete(audit_entries).where(audit_entries.c.at < before)).rowcount
        )
