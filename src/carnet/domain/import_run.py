"""One server's run of one import job: from its checkpoint, batch by batch, to its end.

See :mod:`carnet.domain.import_runner` for how jobs are claimed and why each
batch is committed with the checkpoint.
"""

from __future__ import annotations

import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from carnet import metrics
from carnet.contract import BATCH_MAX, CONTACT_FIELDS
from carnet.domain.batch import RowOutcome, judge_rows, place_rows
from carnet.domain.groups import find_group
from carnet.domain.ids import now_iso
from carnet.domain.import_audit import record_end
from carnet.domain.import_counts import ImportCounts, record_finished
from carnet.domain.import_records import ImportJobRecord
from carnet.domain.imports import batch_options, read_options
from carnet.domain.records import Account, ContactInput
from carnet.errors import NotFoundError
from carnet.importer.opening import open_source
from carnet.importer.problems import SourceError
from carnet.importer.source import Source, SourceRow
from carnet.storage import Queries, Store

# Rows skipped (when resuming) between two renewals of the lease.
_SKIP_RENEWAL_ROWS = 50_000


def now_ms() -> int:
    """Milliseconds since the epoch, as leases are kept."""
    return time.time_ns() // 1_000_000


@dataclass(frozen=True, slots=True)
class Lease:
    """A server's claim on the jobs it runs: who it is, how long a renewal holds, and
    whether the server is stopping (its jobs are then let go after their batch)."""

    owner: str
    ms: int
    stopping: threading.Event

    def holds(self, job: ImportJobRecord | None) -> bool:
        """Whether ``job`` (as just read, locked) is still this server's to work on."""
        return job is not None and job.status == "running" and job.lease_owner == self.owner


def contact_of(row: SourceRow) -> ContactInput:
    """A file's row as the contact rules take it."""
    return ContactInput(**{f.attribute: row.contact.get(f.wire) for f in CONTACT_FIELDS})


def _batches(rows: Iterator[SourceRow]) -> Iterator[list[SourceRow]]:
    batch: list[SourceRow] = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH_MAX:
            yield batch
            batch = []
    if batch:
        yield batch


def end_job(
    q: Queries, job: ImportJobRecord, status: str, *, error: str = "", **values: Any
) -> None:
    """The job ends: its status, its end time, its file deleted, an entry in the audit trail."""
    q.update_job(
        job.id, status=status, error=error, finished_at=now_iso(), lease_owner="", **values
    )
    q.delete_chunks(job.id)
    record_finished(q, job.id)
    record_end(q, job, status, values.get("report", job.report))
    metrics.IMPORT_JOBS.labels(status).inc()


class JobRun:
    """One server's run of one job, from its checkpoint to its end (or until it lets go)."""

    def __init__(self, store: Store, job: ImportJobRecord, lease: Lease, pause: float) -> None:
        self.store = store
        self.lease = lease
        self.pause = pause
        self.job = job
        self.account = Account(job.account_id, "", "")  # only its id scopes the queries
        self.options = batch_options(job)
        self.skip_existing = bool(job.options.get("skipExisting"))
        self.position = job.position
        self.counts = ImportCounts.from_json(job.report)
        # A dry run's numbers "stored" by earlier batches (see the module's docstring).
        self.stored_before: set[str] = set()

    def run(self) -> None:
        with tempfile.TemporaryFile() as local:
            if not self._download(local):
                return
            local.seek(0)
            try:
                source = open_source(local, self.job.file_name, read_options(self.job))
            except SourceError as exc:
                self._end("failed", str(exc))
                return
            with source:
                self._import(source)

    def _download(self, local: IO[bytes]) -> bool:
        """Copy the job's file from the database, a chunk per read (memory stays flat)."""
        seq = 0
        while True:
            with self.store.read() as q:
                data = q.chunk(self.job.id, seq)
            if data is None:
                return self._renew()
            local.write(data)
            seq += 1
            if seq % 32 == 0 and not self._renew():
                return False

    def _import(self, source: Source) -> None:
        rows = iter(source)
        restarting = self.options.dry_run and self.position
        if restarting and not self._restart_dry_run(source):
            return
        for done in range(self.position):
            if next(rows, None) is None:
                break
            if done % _SKIP_RENEWAL_ROWS == _SKIP_RENEWAL_ROWS - 1 and not self._renew():
                return
        for batch in _batches(rows):
            if self.lease.stopping.is_set():
                self._let_go()
                return
            results = judge_rows([contact_of(row) for row in batch], self.options)
            if not self._commit(source, batch, results):
                return
            if self.pause:
                time.sleep(self.pause)
        self._finish(source)

    def _commit(self, source: Source, batch: list[SourceRow], results: list[RowOutcome]) -> bool:
        """Store one batch with the job's checkpoint, in one transaction; False: stop here."""
        with self.store.write() as q:
            current = q.lock_job(self.job.id)
            if not self.lease.holds(current):
                return False
            assert current is not None
            try:
                group = find_group(
                    q, self.account, self.job.group_public_id, lock=not self.options.dry_run
                )
            except NotFoundError:
                end_job(q, self.job, "failed", error="The group was deleted during the import")
                return False
            placed = place_rows(
                q, self.account, group, results, self.options, self.stored_before, actor="import"
            )
            q.insert_kept_rows(
                self.job.id, self.counts.count(batch, results, skip_existing=self.skip_existing)
            )
            self.position += len(batch)
            self._note(source)
            values = self._checkpoint(source)
            if current.cancel_requested:
                end_job(q, self.job, "cancelled", **values)
                return False
            q.update_job(self.job.id, lease_until=now_ms() + self.lease.ms, **values)
        if self.options.dry_run:
            self.stored_before.update(r.phone_number for r in placed)
        return True

    def _finish(self, source: Source) -> None:
        with self.store.write() as q:
            current = q.lock_job(self.job.id)
            if not self.lease.holds(current):
                return
            assert current is not None
            self._note(source)
            values = self._checkpoint(source) | {"bytes_done": self.job.bytes_total}
            end_job(q, self.job, "cancelled" if current.cancel_requested else "done", **values)

    def _note(self, source: Source) -> None:
        # The encoding and blank lines are known as far as the file has been read.
        self.counts.describe(source)
        self.counts.blank_lines = source.blank_lines

    def _checkpoint(self, source: Source) -> dict[str, Any]:
        return {
            "position": self.position,
            "bytes_done": min(source.bytes_read, self.job.bytes_total),
            "report": self.counts.as_json(),
        }

    def _restart_dry_run(self, source: Source) -> bool:
        with self.store.write() as q:
            if not self.lease.holds(q.lock_job(self.job.id)):
                return False
            self.position = 0
            self.counts = ImportCounts()
            self._note(source)
            q.delete_kept_rows(self.job.id)
            q.update_job(self.job.id, **self._checkpoint(source) | {"bytes_done": 0})
        return True

    def _renew(self) -> bool:
        """Renew the lease; False when the job is no longer this server's (cancelled meanwhile:
        a queued job's cancel ends it at once)."""
        with self.store.write() as q:
            current = q.lock_job(self.job.id)
            if not self.lease.holds(current):
                return False
            q.update_job(self.job.id, lease_until=now_ms() + self.lease.ms)
        return True

    def _let_go(self) -> None:
        with self.store.write() as q:
            if self.lease.holds(q.lock_job(self.job.id)):
                q.update_job(self.job.id, lease_owner="", lease_until=0)

    def _end(self, status: str, error: str) -> None:
        with self.store.write() as q:
            if self.lease.holds(q.lock_job(self.job.id)):
                end_job(q, self.job, status, error=error)
