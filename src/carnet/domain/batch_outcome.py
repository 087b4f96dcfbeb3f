"""What became of a batch's rows: the report's buckets, each row's outcome, the options.

:mod:`carnet.domain.batch` judges and stores the rows; this module holds what
it answers, which the wire (``carnet.http.shapes``), the import jobs and moves
read as well.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from carnet.contract import BUCKET_ORDER, BUCKETS, FIELD_CODE_ORDER
from carnet.domain.records import GroupRecord, ValidContact


def _bucket(name: str) -> tuple[str, int]:
    """The contract's bucket ``name`` and the code its rows answer (KeyError if none)."""
    return name, dict(BUCKET_ORDER)[name]


EMPTY = _bucket("empty")
STOP_SMS = _bucket("stopSms")
IN_GROUP = _bucket("allreadyInGroupe")
DUPLICATE = _bucket("duplicatePhone")
# The bucket of a row refused by the field rules, by the refusal's code.
FIELD_BUCKETS = {code: name for name, code in BUCKET_ORDER if code in FIELD_CODE_ORDER}

_MESSAGES = {
    STOP_SMS: "The number is on the stop list",
    IN_GROUP: "The number is already in the group",
    DUPLICATE: "The number appears earlier in this batch",
}
ADDED = "Contact added"
WOULD_BE_ADDED = "Contact would be added (dry run)"
UPDATED = "Contact updated"
WOULD_BE_UPDATED = "Contact would be updated (dry run)"


@dataclass(frozen=True, slots=True)
class BatchOptions:
    """What a batch does with its rows once judged (carnet's own options).

    ``dry_run``: store nothing, report what storing would do. ``keep_invalid_optional``:
    store a row whose number is valid without its optional fields that break their
    rule, with a warning for each. ``upsert``: a number the group holds already is
    updated with the row's non-empty fields instead of refused (``nbline_updated``).
    """

    dry_run: bool = False
    keep_invalid_optional: bool = False
    upsert: bool = False


@dataclass(frozen=True, slots=True)
class FieldWarning:
    """An optional field left out of a stored row: its wire name, and why."""

    field: str
    message: str


@dataclass(slots=True)
class RowOutcome:
    """What became of one row: stored (``contact_id`` set) or refused (``bucket``)."""

    phone_number: str
    code: int = 200
    message: str = ADDED
    contact_id: str = ""
    bucket: str | None = None
    contact: ValidContact | None = None
    warnings: tuple[FieldWarning, ...] = ()
    updated: bool = False  # with upsert: the group's contact with this number, updated
    # A row refused for its fields: each field at fault and why (the contract's order).
    field_errors: tuple[FieldWarning, ...] = ()

    @property
    def success(self) -> bool:
        return self.bucket is None


@dataclass(slots=True)
class BatchOutcome:
    """What became of every row of a batch, in order, and the group they went to."""

    group: GroupRecord
    results: list[RowOutcome] = field(default_factory=list)
    options: BatchOptions = BatchOptions()

    @property
    def imported(self) -> int:
        return sum(1 for r in self.results if r.success and not r.updated)

    @property
    def updated(self) -> int:
        """Rows that updated a contact of the group (upsert)."""
        return sum(1 for r in self.results if r.success and r.updated)

    @property
    def warned(self) -> int:
        """Rows stored (or that would be) without some optional field."""
        return sum(1 for r in self.results if r.success and r.warnings)

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(BUCKETS, 0)
        for result in self.results:
            if result.bucket is not None:
                counts[result.bucket] += 1
        counts["dateInvalid"] = counts["dateInvalide"]
        return counts


def refuse(result: RowOutcome, bucket: tuple[str, int]) -> None:
    result.bucket, result.code = bucket
    result.message = _MESSAGES[bucket]
    result.warnings = ()
