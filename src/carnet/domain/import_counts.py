"""An import job's report: counts that add up to the rows read, kept as JSON with the job.

The counts are those of the batch report (SPEC §4) summed over the whole file:
every row read lands in ``imported``, ``skipped`` (already in the group, when
the job was asked to skip those) or one bucket of ``refused``; ``warnings``
counts the imported rows stored without some optional field. Beside them, what
the file turned out to be (its format, encoding, delimiter, header and columns),
so that a report of the job reads like a local import's.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from carnet.contract import BUCKETS
from carnet.domain.batch_outcome import RowOutcome
from carnet.domain.changes import Change, record
from carnet.domain.import_records import REFUSED, WARNING, KeptRow
from carnet.importer.source import Source, SourceRow
from carnet.storage import Queries

_IN_GROUP = "allreadyInGroupe"


@dataclass(slots=True)
class ImportCounts:
    """What a job has done so far, and what its file is."""

    rows: int = 0
    imported: int = 0
    skipped: int = 0
    warnings: int = 0
    refused: dict[str, int] = field(default_factory=dict)
    blank_lines: int = 0
    format: str = ""
    encoding: str = ""
    delimiter: str = ""
    sheet: str = ""
    columns: dict[str, str] = field(default_factory=dict)
    ignored_columns: list[str] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    rejects_encoding: str = "utf-8"
    rejects_delimiter: str = ","

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ImportCounts:
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})

    def as_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def describe(self, source: Source) -> None:
        """Take note of what the file is, as far as it has been read."""
        self.format = source.kind
        self.encoding = source.encoding
        self.delimiter = source.delimiter
        self.sheet = source.sheet
        self.columns = source.used_columns()
        self.ignored_columns = list(source.ignored)
        self.header = list(source.header)
        chosen = source.rejects_format()
        self.rejects_encoding, self.rejects_delimiter = chosen.encoding, chosen.delimiter

    def count(
        self, rows: list[SourceRow], results: list[RowOutcome], *, skip_existing: bool
    ) -> list[KeptRow]:
        """Count one batch's rows by what became of them; the rows to keep aside."""
        kept: list[KeptRow] = []
        self.rows += len(results)
        for row, result in zip(rows, results, strict=True):
            if result.success:
                self.imported += 1
                if result.warnings:
                    self.warnings += 1
                    kept.append(_warned(row, result))
            elif skip_existing and result.bucket == _IN_GROUP:
                self.skipped += 1
            else:
                bucket = result.bucket or ""
                self.refused[bucket] = self.refused.get(bucket, 0) + 1
                kept.append(KeptRow(REFUSED, row.line, result.code, "", result.message, row.cells))
        return kept

    def rapport(self) -> dict[str, Any]:
        """The counts in the batch report's shape (SPEC §4), for the whole file."""
        errors = {bucket: self.refused.get(bucket, 0) for bucket in BUCKETS}
        errors["dateInvalid"] = errors["dateInvalide"]
        return {
            "nbline": self.rows,
            "nbline_imported": self.imported,
            "nbline_updated": 0,
            "nbline_skipped": self.skipped,
            "nbline_warnings": self.warnings,
            "errors": errors,
        }


def _warned(row: SourceRow, result: RowOutcome) -> KeptRow:
    fields = ", ".join(w.field for w in result.warnings)
    reason = "; ".join(f"{w.field}: {w.message}" for w in result.warnings)
    return KeptRow(WARNING, row.line, result.code, fields, reason, row.cells)


def record_finished(q: Queries, job_id: int) -> None:
    """Record the end of job ``job_id`` (its final state) as an ``import.finished`` change."""
    job = q.lock_job(job_id)
    if job is None:
        return
    data = {
        "importId": job.public_id,
        "groupId": job.group_public_id,
        "status": job.status,
        "error": job.error,
        "rapport": ImportCounts.from_json(job.report).rapport(),
    }
    record(q, Change(job.account_id, "import.finished", data, (job.public_id,), "import"))
