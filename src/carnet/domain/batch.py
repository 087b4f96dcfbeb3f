"""Adding many contacts at once, and the report that answers it (SPEC §4).

Every row is judged by the same rules as a single add; the rows that pass are
stored in one transaction; every row lands in exactly one bucket of the report.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from carnet.contract import BATCH_MAX, BUCKET_ORDER, BUCKETS, FIELD_CODE_ORDER, FIELDS_BY_ATTRIBUTE
from carnet.domain.contact_rules import check_contact
from carnet.domain.groups import find_group, get_group
from carnet.domain.ids import new_public_ids, now_iso
from carnet.domain.phones import normalise_phone
from carnet.domain.records import Account, ContactInput, GroupRecord, ValidContact
from carnet.errors import BatchTooLarge, InvalidFields, MissingContactInfo
from carnet.storage import Store


def _bucket(name: str) -> tuple[str, int]:
    """The contract's bucket ``name`` and the code its rows answer (KeyError if none)."""
    return name, dict(BUCKET_ORDER)[name]


_EMPTY = _bucket("empty")
_STOP_SMS = _bucket("stopSms")
_IN_GROUP = _bucket("allreadyInGroupe")
_DUPLICATE = _bucket("duplicatePhone")
# The bucket of a row refused by the field rules, by the refusal's code.
_FIELD_BUCKETS = {code: name for name, code in BUCKET_ORDER if code in FIELD_CODE_ORDER}
_PHONE = FIELDS_BY_ATTRIBUTE["phone"].wire

_MESSAGES = {
    _STOP_SMS: "The number is on the stop list",
    _IN_GROUP: "The number is already in the group",
    _DUPLICATE: "The number appears earlier in this batch",
}


@dataclass(slots=True)
class RowOutcome:
    """What became of one row: stored (``contact_id`` set) or refused (``bucket``)."""

    phone_number: str
    code: int = 200
    message: str = "Contact added"
    contact_id: str = ""
    bucket: str | None = None
    contact: ValidContact | None = None

    @property
    def success(self) -> bool:
        return self.bucket is None


@dataclass(slots=True)
class BatchOutcome:
    """What became of every row of a batch, in order, and the group they went to."""

    group: GroupRecord
    results: list[RowOutcome] = field(default_factory=list)

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


def _raw_phone(row: ContactInput) -> str:
    value = row.phone
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return ""


def judge_row(row: ContactInput | None) -> RowOutcome:
    """Apply the contact rules to one row; no storage involved.

    ``None`` is a row that holds no contact at all (on the wire, one that is
    not an object): it lands in ``empty``.
    """
    if row is None:
        return RowOutcome("", _EMPTY[1], "Contact info is required", bucket=_EMPTY[0])
    try:
        contact = check_contact(row)
    except MissingContactInfo as exc:
        return RowOutcome(_raw_phone(row), exc.code, exc.message, bucket=_EMPTY[0])
    except InvalidFields as exc:
        raw_phone = _raw_phone(row)
        if _PHONE not in exc.codes:
            # The number itself passed: report it in E.164 like a stored row's.
            raw_phone = normalise_phone(raw_phone)
        return RowOutcome(raw_phone, exc.code, exc.message, bucket=_FIELD_BUCKETS[exc.code])
    return RowOutcome(contact.phone, contact=contact)


def add_batch(
    store: Store, account: Account, group_id: str, rows: Sequence[ContactInput | None]
) -> BatchOutcome:
    """Judge every row, store the valid ones in one transaction, report on all.

    The group's 404 answers first, then the batch's size (code 50 past
    ``BATCH_MAX`` rows, code 2 for none).
    """
    if not 0 < len(rows) <= BATCH_MAX:
        get_group(store, account, group_id)
        if rows:
            raise BatchTooLarge(f"A batch holds at most {BATCH_MAX} contacts, got {len(rows)}")
        raise MissingContactInfo("contactsList is empty")

    results = [judge_row(row) for row in rows]
    candidates = [r.phone_number for r in results if r.success]
    with store.write() as q:
        group = find_group(q, account, group_id, lock=True)
        stopped = q.stopped_phones(account.id, candidates)
        present = q.phones_in_group(group.id, candidates)
        accepted: dict[str, RowOutcome] = {}
        for result in results:
            if not result.success:
                continue
            phone = result.phone_number
            if phone in stopped:
                _refuse(result, _STOP_SMS)
            elif phone in present:
                _refuse(result, _IN_GROUP)
            elif phone in accepted:
                _refuse(result, _DUPLICATE)
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
    return BatchOutcome(group, results)


def _refuse(result: RowOutcome, bucket: tuple[str, int]) -> None:
    result.bucket, result.code = bucket
    result.message = _MESSAGES[bucket]
