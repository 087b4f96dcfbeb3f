"""The audit trail's entry for an import job that ended (started: :mod:`carnet.domain.imports`)."""

from __future__ import annotations

from typing import Any

from carnet.domain import audit
from carnet.domain.import_counts import ImportCounts
from carnet.domain.import_records import ImportJobRecord
from carnet.domain.records import Account
from carnet.storage import Queries


def record_end(q: Queries, job: ImportJobRecord, status: str, report: dict[str, Any]) -> None:
    """The audit trail's entry for a job that ended, in its counts; as who started it."""
    counts = ImportCounts.from_json(report)
    done = {
        "rows": counts.rows,
        "imported": counts.imported,
        "skipped": counts.skipped,
        "refused": sum(counts.refused.values()),
    }
    if status != "done":
        done[status] = 1
    starter = Account(job.account_id, "", "", who=str(job.options.get("startedBy") or "import"))
    audit.record(q, starter, "import.finished", [job.public_id, job.group_public_id], **done)
