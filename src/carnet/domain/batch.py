"""Adding many contacts at once, and the report that answers it (SPEC §4).

Every row is judged by the same rules as a single add; the rows that pass are
stored in one transaction; every row lands in exactly one bucket of the report.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from carnet import contract
from carnet.domain.contacts import check_contact
from carnet.domain.ids import new_public_ids, now_iso
from carnet.domain.phones import normalise_phone
from carnet.domain.records import Account, Contact, Group
from carnet.errors import (
    BatchTooLarge,
    InvalidFields,
    InvalidParameter,
    MissingContactInfo,
    NotFoundError,
)
from carnet.storage import Store

MAX_ROWS = contract.BATCH_MAX

# The report's buckets, under the upstream API's names (misspellings included).
BUCKETS = (
    "stopSms",
    "invalidePhone",
    "duplicatePhone",
    "allreadyInGroupe",
    "urlInvalide",
    "dateInvalide",
    "empty",
    "unactivated",
    "dateInvalid",
    "invalidField",
)

# A row's field problems, in the order the contract judges them: the first
# that applies names the bucket.
_BUCKET_BY_CODE = (
    (9, "invalidePhone"),
    (3, "invalidField"),
    (18, "invalidField"),
    (16, "dateInvalide"),
    (17, "urlInvalide"),
)

_MESSAGES = {
    "stopSms": "The number is on the stop list",
    "allreadyInGroupe": "The number is already in the group",
    "duplicatePhone": "The number appears earlier in this batch",
}


@dataclass(slots=True)
class RowResult:
    """What became of one row: stored (``contact_id`` set) or refused (``bucket``)."""

    phone_number: str
    code: int = 200
    message: str = "Contact added"
    contact_id: str = ""
    bucket: str | None = None
    contact: Contact | None = None

    @property
    def success(self) -> bool:
        return self.bucket is None


@dataclass(slots=True)
class BatchReport:
    group: Group
    results: list[RowResult] = field(default_factory=list)

    @property
    def imported(self) -> int:
        return sum(1 for r in self.results if r.success)

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(BUCKETS, 0)
        for result in self.results:
            if result.bucket is not None:
                counts[result.bucket] += 1
        counts["dateInvalid"] = counts["dateInvalide"]
        return counts


def _raw_phone(row: Mapping[str, object]) -> str:
    value = row.get("phoneNumber")
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return ""


def judge_row(row: object) -> RowResult:
    """Apply the contact rules to one row; no storage involved."""
    if not isinstance(row, Mapping):
        return RowResult("", 2, "Contact info is required", bucket="empty")
    try:
        contact = check_contact(row)
    except MissingContactInfo as exc:
        return RowResult(_raw_phone(row), exc.code, exc.message, bucket="empty")
    except InvalidFields as exc:
        codes = set(exc.codes.values())
        code, bucket = next((c, b) for c, b in _BUCKET_BY_CODE if c in codes)
        raw_phone = _raw_phone(row)
        if "phoneNumber" not in exc.codes:
            # The number itself passed: report it in E.164 like a stored row's.
            raw_phone = normalise_phone(raw_phone)
        return RowResult(raw_phone, code, exc.message, bucket=bucket)
    return RowResult(contact.phone, contact=contact)


def add_batch(store: Store, account: Account, group_public_id: str, rows: object) -> BatchReport:
    """Judge every row, store the valid ones in one transaction, report on all."""
    if not isinstance(rows, list) or not 0 < len(rows) <= MAX_ROWS:
        # Whole-request errors, answered after the group's own check (404 first).
        with store.read() as q:
            if q.group(account.id, group_public_id) is None:
                raise NotFoundError("Group not found")
        if not isinstance(rows, list):
            raise InvalidParameter(
                "contactsList must be a list", errors={"contactsList": "must be a list"}
            )
        if rows:
            raise BatchTooLarge(f"A batch holds at most {MAX_ROWS} contacts, got {len(rows)}")
        raise MissingContactInfo("contactsList is empty")

    results = [judge_row(row) for row in rows]
    candidates = [r.phone_number for r in results if r.success]
    with store.write() as q:
        group = q.lock_group(account.id, group_public_id)
        if group is None:
            raise NotFoundError("Group not found")
        stopped = q.stopped_phones(account.id, candidates)
        present = q.phones_in_group(group.id, candidates)
        accepted: dict[str, RowResult] = {}
        for result in results:
            if not result.success:
                continue
            phone = result.phone_number
            if phone in stopped:
                _refuse(result, 14, "stopSms")
            elif phone in present:
                _refuse(result, 15, "allreadyInGroupe")
            elif phone in accepted:
                _refuse(result, 15, "duplicatePhone")
            else:
                accepted[phone] = result
        for result, public_id in zip(accepted.values(), new_public_ids(len(accepted)), strict=True):
            result.contact_id = public_id
        q.insert_contacts(
            account.id,
            group,
            [(r.contact_id, r.contact) for r in accepted.values() if r.contact is not None],
            now_iso(),
        )
    return BatchReport(group, results)


def _refuse(result: RowResult, code: int, bucket: str) -> None:
    result.code = code
    result.bucket = bucket
    result.message = _MESSAGES[bucket]
