"""What an import did: counts that add up to the rows read, and the refused rows.

The buckets are those of the batch report (SPEC §4) that a row can land in,
under their wire names and in the order the contract judges rows
(``contract.BUCKET_ORDER``): ``dateInvalid`` only repeats ``dateInvalide`` and
``unactivated`` stays 0, so neither is counted, and ``rows`` is always
``imported + updated + skipped + sum(refused)``. One bucket is the importer's
own: :data:`TOO_LARGE`, a row too large to send at all. ``skipped`` counts the
rows already in the group when the import was asked to skip them
(``--skip-existing``); they are then not refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from carnet import contract
from carnet.client.models import BatchReport
from carnet.importer.rejects import ALREADY_IN_GROUP

TOO_LARGE = "tooLarge"

# The buckets a row lands in, in the order the contract judges rows.
JUDGED_BUCKETS: tuple[str, ...] = tuple(dict.fromkeys(b for b, _ in contract.BUCKET_ORDER))

# Bucket -> how a person would say it, the labels in the order of JUDGED_BUCKETS.
BUCKET_LABELS: dict[str, str] = dict(
    zip(
        JUDGED_BUCKETS,
        (
            "no phone number",
            "invalid phone number",
            "a field too long or not text",
            "invalid date",
            "invalid url",
            "on the stop list",
            "already in the group",
            f"repeated in the same batch of {contract.BATCH_MAX}",
        ),
        strict=True,
    )
) | {TOO_LARGE: "row too large to send"}

# Buckets of the batch report no row lands in (a repeat, or one that stays 0).
_NOT_LANDED = frozenset(contract.BUCKETS) - frozenset(JUDGED_BUCKETS)


@dataclass(slots=True)
class ImportReport:
    """Counts of one import; ``refused`` by bucket."""

    file: str
    group_id: str
    kind: str = "CSV"
    encoding: str = ""
    delimiter: str = ""
    sheet: str = ""
    skip_existing: bool = False
    dry_run: bool = False
    columns: dict[str, str] = field(default_factory=dict)
    ignored_columns: list[str] = field(default_factory=list)
    rows: int = 0
    imported: int = 0
    updated: int = 0
    skipped: int = 0
    warnings: int = 0  # rows imported without some optional field (--keep-invalid-optional)
    refused: dict[str, int] = field(default_factory=dict)
    blank_lines: int = 0

    @property
    def refused_total(self) -> int:
        return sum(self.refused.values())

    def count_batch(self, rows: int, batch: BatchReport) -> None:
        """Add a batch of ``rows`` rows the server answered with ``batch``."""
        self.rows += rows
        self.imported += batch.imported
        self.updated += batch.updated
        self.warnings += batch.warned
        for bucket, count in batch.errors.items():
            if not count or bucket in _NOT_LANDED:
                continue
            if self.skip_existing and bucket == ALREADY_IN_GROUP:
                self.skipped += count
            else:
                self.refused[bucket] = self.refused.get(bucket, 0) + count

    def count_refused(self, bucket: str, rows: int = 1) -> None:
        """Rows refused before reaching the server."""
        self.rows += rows
        self.refused[bucket] = self.refused.get(bucket, 0) + rows

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "groupId": self.group_id,
            "format": self.kind,
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "sheet": self.sheet,
            "columns": self.columns,
            "ignoredColumns": self.ignored_columns,
            "rows": self.rows,
            "imported": self.imported,
            "updated": self.updated,
            "skipped": self.skipped,
            "warnings": self.warnings,
            "refused": self.refused_total,
            "errors": dict(self.refused),
            "blankLines": self.blank_lines,
            "dryRun": self.dry_run,
        }

    def lines(self) -> list[str]:
        """The report as a person reads it."""
        if self.sheet:
            read_as = f"sheet {self.sheet!r}"
        else:
            delimiter = {"\t": "tab"}.get(self.delimiter, repr(self.delimiter))
            read_as = f"{self.encoding}, delimiter {delimiter}"
        unit = "row" if self.sheet else "line"
        blank = f", {self.blank_lines} blank {unit}(s) skipped" if self.blank_lines else ""
        out = [f"{self.file}: {self.rows} row(s) read ({read_as}{blank})"]
        if self.dry_run:
            out.append("  dry run: nothing was stored; an import would give")
        out.append(f"  {self.imported} imported")
        if self.warnings:
            out.append(f"    {self.warnings} of them without an invalid optional field (warnings)")
        if self.updated:
            out.append(f"  {self.updated} updated")
        if self.skip_existing:
            out.append(f"  {self.skipped} skipped, already in the group")
        out.append(f"  {self.refused_total} refused")
        order = list(BUCKET_LABELS) + sorted(set(self.refused) - set(BUCKET_LABELS))
        for bucket in order:
            if self.refused.get(bucket):
                label = BUCKET_LABELS.get(bucket, bucket)
                out.append(f"    {self.refused[bucket]} {label} ({bucket})")
        used = ", ".join(f"{name} -> {wire}" for name, wire in self.columns.items())
        out.append(f"Columns used: {used}")
        if self.ignored_columns:
            out.append(f"Columns ignored: {', '.join(self.ignored_columns)}")
        return out
