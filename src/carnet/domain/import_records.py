"""The values of an import job as storage holds them: plain, immutable, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

ImportStatus = Literal["queued", "running", "done", "failed", "cancelled"]
STATUSES: tuple[ImportStatus, ...] = ("queued", "running", "done", "failed", "cancelled")
# A job in one of these will not change any more.
ENDED: frozenset[str] = frozenset({"done", "failed", "cancelled"})

# The kinds of row an import keeps: refused, or stored without some optional field.
REFUSED = "refused"
WARNING = "warning"


@dataclass(frozen=True, slots=True)
class ImportJobRecord:
    """An import job: its file, options, checkpoint and counts so far.

    ``options`` and ``report`` are the JSON objects storage keeps (see
    :mod:`carnet.domain.import_counts` for ``report``). ``position`` counts the
    data rows of the file already judged and committed.
    """

    id: int
    public_id: str
    account_id: int
    group_public_id: str
    file_name: str
    status: str
    options: dict[str, Any]
    bytes_total: int
    bytes_done: int
    position: int
    report: dict[str, Any]
    error: str
    cancel_requested: bool
    lease_owner: str
    lease_until: int
    created_at: str
    started_at: str
    finished_at: str


@dataclass(frozen=True, slots=True)
class KeptRow:
    """A row an import kept aside: refused (its code) or stored with warnings (its fields)."""

    kind: str
    line: int
    code: int
    fields: str
    reason: str
    cells: list[str] = field(default_factory=list)
