"""Running import jobs: claimed by one server at a time, committed batch by batch, resumed
after any crash.

Each server runs up to ``concurrency`` jobs, each in a thread of its own. A job is
claimed with a lease the server renews at every batch; a server that dies stops
renewing, and once the lease has run out another server (or the same one,
restarted) claims the job and resumes it. Exactly once: each batch of 500 rows
is judged by the batch path (:func:`carnet.domain.batch.place_rows`) and
committed in one transaction with the job's checkpoint (the rows of the file
judged, the bytes read, the counts, the rows kept aside), after checking that
the job is still this server's. A batch is thus stored with its checkpoint or
not at all, and a resumed job skips exactly the rows already counted.

A dry run stores nothing, so the numbers it would have stored live in memory
only: a dry run that is resumed starts again from the top.
"""

from __future__ import annotations

import logging
import time

from carnet.domain.audit import purge_audit
from carnet.domain.background import Background
from carnet.domain.ids import now_iso
from carnet.domain.import_records import ImportJobRecord
from carnet.domain.import_run import JobRun, Lease, end_job, now_ms
from carnet.domain.imports import days_ago
from carnet.storage import Store

log = logging.getLogger("carnet.imports")

# How often a server deletes the kept rows of jobs that ended long ago.
_PURGE_SECONDS = 600.0


class ImportRunner(Background):
    """The import jobs of one server: claims them, runs them, lets them go when stopping.

    ``lease_seconds``: how long a claim holds without renewal (another server
    takes a job over once it has run out); ``idle_seconds``: how often an idle
    server looks for jobs; ``pause_seconds``: rest between two batches, so that
    the API's own writers get the database in between.
    """

    name = "carnet-import"

    def __init__(
        self,
        store: Store,
        *,
        concurrency: int = 1,
        keep_days: int = 7,
        audit_keep_days: int = 365,
        lease_seconds: float = 15.0,
        idle_seconds: float = 1.0,
        pause_seconds: float = 0.002,
    ) -> None:
        super().__init__(concurrency)
        self.store = store
        self.keep_days = keep_days
        self.audit_keep_days = audit_keep_days
        self.idle_seconds = idle_seconds
        self.pause_seconds = pause_seconds
        self.lease = Lease(self.owner, int(lease_seconds * 1000), self.stopping)
        self._purged_at = 0.0

    def _work(self) -> None:
        while not self.stopping.is_set():
            job = None
            try:
                job = self._claim()
                if job is None:
                    self._purge_now_and_then()
                    self._woken.wait(self.idle_seconds)
                    self._woken.clear()
                    continue
                JobRun(self.store, job, self.lease, self.pause_seconds).run()
            except Exception:
                log.exception(
                    "import job %s stopped on an internal error", job.public_id if job else "-"
                )
                if job is not None:
                    self._fail(job)
                self.stopping.wait(self.idle_seconds)

    def _claim(self) -> ImportJobRecord | None:
        with self.store.read() as q:
            if not q.has_claimable_job(now_ms()):
                return None
        with self.store.write() as q:
            return q.claim_job(self.lease.owner, now_ms(), self.lease.ms, now_iso())

    def _fail(self, job: ImportJobRecord) -> None:
        try:
            with self.store.write() as q:
                current = q.lock_job(job.id)
                if self.lease.holds(current):
                    end_job(q, job, "failed", error="Internal error; the server's log says more")
        except Exception:
            log.exception("import job %s could not be marked failed", job.public_id)

    def _purge_now_and_then(self) -> None:
        if time.monotonic() - self._purged_at < _PURGE_SECONDS:
            return
        self._purged_at = time.monotonic()
        with self.store.write() as q:
            q.purge_kept_rows(days_ago(self.keep_days))
        purge_audit(self.store, self.audit_keep_days)
