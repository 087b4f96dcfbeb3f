"""Import jobs: the job and its checkpoint, the uploaded file in chunks, the rows kept aside.

A job is claimed by one server at a time with a lease: the claim and every
checkpoint run under the job row's lock, and the dialect says how a claim skips
the jobs another server holds (PostgreSQL's ``FOR UPDATE SKIP LOCKED``; SQLite
has one writer at a time, so a plain read in the write transaction does).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Row, Select, and_, bindparam, delete, func, insert, or_, select, update

from carnet.domain.import_records import ImportJobRecord, KeptRow
from carnet.storage.dialects import Dialect
from carnet.storage.schema import import_chunks, import_jobs, import_rows
from carnet.storage.transaction import Transaction, may_exist

_JOB_COLUMNS = tuple(import_jobs.c)
_ROW_COLUMNS = (
    import_rows.c.kind,
    import_rows.c.line,
    import_rows.c.code,
    import_rows.c.fields,
    import_rows.c.reason,
    import_rows.c.cells,
)


def _job(row: Row[Any, *tuple[Any, ...]]) -> ImportJobRecord:
    m = dict(row._mapping)
    m["options"] = json.loads(m["options"])
    m["report"] = json.loads(m["report"])
    m["cancel_requested"] = bool(m["cancel_requested"])
    return ImportJobRecord(**m)


def _claimable(dialect: Dialect) -> Select[Any]:
    # Queued jobs, and running ones whose server stopped renewing its lease.
    waiting = or_(
        import_jobs.c.status == "queued",
        and_(import_jobs.c.status == "running", import_jobs.c.lease_until < bindparam("now")),
    )
    oldest = select(*_JOB_COLUMNS).where(waiting).order_by(import_jobs.c.id).limit(1)
    return dialect.claim(oldest)


def _job_locked(dialect: Dialect) -> Select[Any]:
    return dialect.for_update(select(*_JOB_COLUMNS).where(import_jobs.c.id == bindparam("job_id")))


class ImportQueries(Transaction):
    """Import jobs of every account (the runner's) and of one account (the API's)."""

    def insert_job(self, values: Mapping[str, Any]) -> int:
        """Store a new job; ``options`` and ``report`` are JSON-able objects. Its id."""
        row = {**values, "options": json.dumps(values["options"])}
        row["report"] = json.dumps(values["report"])
        job_id = self.conn.execute(
            insert(import_jobs).values(**row).returning(import_jobs.c.id)
        ).scalar_one()
        return int(job_id)

    def insert_chunk(self, job_id: int, seq: int, data: bytes) -> None:
        self.conn.execute(insert(import_chunks).values(job_id=job_id, seq=seq, data=data))

    def chunk(self, job_id: int, seq: int) -> bytes | None:
        """The ``seq``-th piece of the job's file (from 0), or None past its end."""
        query = select(import_chunks.c.data).where(
            import_chunks.c.job_id == job_id, import_chunks.c.seq == seq
        )
        data = self.conn.execute(query).scalar_one_or_none()
        return bytes(data) if data is not None else None

    def job(self, account_id: int, public_id: str) -> ImportJobRecord | None:
        """The account's job with this public id, or None."""
        if not may_exist(public_id):
            return None
        row = self.conn.execute(
            select(*_JOB_COLUMNS).where(
                import_jobs.c.account_id == account_id, import_jobs.c.public_id == public_id
            )
        ).first()
        return _job(row) if row else None

    def jobs_page(self, account_id: int, skip: int, limit: int) -> list[ImportJobRecord]:
        """The account's jobs, newest first."""
        rows = self.conn.execute(
            select(*_JOB_COLUMNS)
            .where(import_jobs.c.account_id == account_id)
            .order_by(import_jobs.c.id.desc())
            .offset(skip)
            .limit(limit)
        )
        return [_job(row) for row in rows]

    def count_jobs(self, account_id: int) -> int:
        query = select(func.count()).where(import_jobs.c.account_id == account_id)
        return int(self.conn.execute(query).scalar_one())

    def has_claimable_job(self, now_ms: int) -> bool:
        """Whether some job waits for a server: a read, before taking the write lock to claim."""
        query = select(import_jobs.c.id).where(
            or_(
                import_jobs.c.status == "queued",
                and_(import_jobs.c.status == "running", import_jobs.c.lease_until < now_ms),
            )
        )
        return self.conn.execute(query.limit(1)).first() is not None

    def claim_job(
        self, owner: str, now_ms: int, lease_ms: int, started_at: str
    ) -> ImportJobRecord | None:
        """Take the oldest job waiting for a server (or whose server died) for ``owner``."""
        row = self.conn.execute(self.dialect.built(_claimable), {"now": now_ms}).first()
        if row is None:
            return None
        job = _job(row)
        self.conn.execute(
            update(import_jobs)
            .where(import_jobs.c.id == job.id)
            .values(
                status="running",
                lease_owner=owner,
                lease_until=now_ms + lease_ms,
                started_at=job.started_at or started_at,
            )
        )
        return self.lock_job(job.id)

    def lock_job(self, job_id: int) -> ImportJobRecord | None:
        """The job, its row locked until commit (a checkpoint, a cancel, a claim)."""
        row = self.conn.execute(self.dialect.built(_job_locked), {"job_id": job_id}).first()
        return _job(row) if row else None

    def update_job(self, job_id: int, **values: Any) -> None:
        """Change the job's columns; ``report`` and ``options`` are JSON-able objects."""
        for name in ("report", "options"):
            if name in values:
                values[name] = json.dumps(values[name])
        self.conn.execute(update(import_jobs).where(import_jobs.c.id == job_id).values(**values))

    def delete_chunks(self, job_id: int) -> None:
        """The job's file: gone once the job has ended."""
        self.conn.execute(delete(import_chunks).where(import_chunks.c.job_id == job_id))

    def insert_kept_rows(self, job_id: int, rows: Iterable[KeptRow]) -> None:
        values = [
            {
                "job_id": job_id,
                "kind": r.kind,
                "line": r.line,
                "code": r.code,
                "fields": r.fields,
                "reason": r.reason,
                "cells": json.dumps(r.cells, ensure_ascii=False),
            }
            for r in rows
        ]
        if values:
            self.conn.execute(insert(import_rows), values)

    def kept_rows(self, job_id: int, kind: str, after_line: int, limit: int) -> list[KeptRow]:
        """The job's rows of ``kind`` after line ``after_line``, in the file's order."""
        rows = self.conn.execute(
            select(*_ROW_COLUMNS)
            .where(
                import_rows.c.job_id == job_id,
                import_rows.c.kind == kind,
                import_rows.c.line > after_line,
            )
            .order_by(import_rows.c.line)
            .limit(limit)
        )
        return [
            KeptRow(r.kind, r.line, r.code, r.fields, r.reason, json.loads(r.cells)) for r in rows
        ]

    def delete_kept_rows(self, job_id: int) -> None:
        self.conn.execute(delete(import_rows).where(import_rows.c.job_id == job_id))

    def purge_kept_rows(self, finished_before: str) -> int:
        """Delete the kept rows of jobs that ended before ``finished_before``; how many."""
        ended = select(import_jobs.c.id).where(
            import_jobs.c.finished_at != "", import_jobs.c.finished_at < finished_before
        )
        result = self.conn.execute(delete(import_rows).where(import_rows.c.job_id.in_(ended)))
        return int(result.rowcount)
