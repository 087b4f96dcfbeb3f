"""One number's traces across an account: its contacts in every group, its stop-list
entry, the rows kept by import jobs (read whole; the domain tells which carry it)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import delete, select

from carnet.domain.import_records import KeptRow
from carnet.domain.records import ContactRecord, StopRecord
from carnet.storage.contacts import CONTACT_SELECT, stored_contact
from carnet.storage.schema import contacts, groups, import_jobs, import_rows, stop_entries
from carnet.storage.transaction import Transaction

# Kept rows read from the database at once while looking for a number.
_ROWS_AT_ONCE = 1000


@dataclass(frozen=True, slots=True)
class KeptRowOfJob:
    """A row an import job kept, with the job it came from and the file's header."""

    job_id: int
    import_id: str
    file_name: str
    header: list[str]
    row: KeptRow


class PersonQueries(Transaction):
    """What an account holds about one number."""

    def contacts_with_phone(self, account_id: int, phone: str) -> list[ContactRecord]:
        """The account's contacts with this number, one per group at most, oldest first.

        Found group by group through the (group, number) index.
        """
        own_groups = select(groups.c.id).where(groups.c.account_id == account_id)
        rows = self.conn.execute(
            CONTACT_SELECT.where(
                contacts.c.group_id.in_(own_groups), contacts.c.phone == phone
            ).order_by(contacts.c.id)
        )
        return [stored_contact(row) for row in rows]

    def stop_entry_of(self, account_id: int, phone: str) -> StopRecord | None:
        row = self.conn.execute(
            select(stop_entries.c.public_id, stop_entries.c.phone, stop_entries.c.created_at).where(
                stop_entries.c.account_id == account_id, stop_entries.c.phone == phone
            )
        ).first()
        return StopRecord(*row) if row else None

    def kept_rows_of_account(self, account_id: int) -> Iterator[KeptRowOfJob]:
        """Every row the account's import jobs keep, job by job, in the file's order."""
        jobs = self.conn.execute(
            select(import_jobs.c.id, import_jobs.c.public_id, import_jobs.c.file_name,
                   import_jobs.c.report)
            .where(import_jobs.c.account_id == account_id)
            .order_by(import_jobs.c.id)
        ).all()  # fmt: skip
        for job_id, import_id, file_name, report in jobs:
            header = list(json.loads(report).get("header") or [])
            after: tuple[str, int] = ("", -1)
            while True:
                batch = self.conn.execute(
                    select(import_rows)
                    .where(
                        import_rows.c.job_id == job_id,
                        (import_rows.c.kind > after[0])
                        | ((import_rows.c.kind == after[0]) & (import_rows.c.line > after[1])),
                    )
                    .order_by(import_rows.c.kind, import_rows.c.line)
                    .limit(_ROWS_AT_ONCE)
                ).all()
                for r in batch:
                    kept = KeptRow(r.kind, r.line, r.code, r.fields, r.reason, json.loads(r.cells))
                    yield KeptRowOfJob(job_id, import_id, file_name, header, kept)
                if len(batch) < _ROWS_AT_ONCE:
                    break
                after = (batch[-1].kind, batch[-1].line)

    def delete_kept_row(self, job_id: int, kind: str, line: int) -> None:
        self.conn.execute(
            delete(import_rows).where(
                import_rows.c.job_id == job_id,
                import_rows.c.kind == kind,
                import_rows.c.line == line,
            )
        )
