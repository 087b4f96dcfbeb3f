"""Moving and copying contacts into another group, row by row (carnet's own).

Each contact id is one row of a report shaped like a batch's (SPEC §4): an id
the account does not hold lands in ``notFound`` (code 404); then the target's
rules apply as to a batch row: a number on the stop list is ``stopSms`` (14),
a number the target holds already (the contact's own group, when it is the
target, included) is ``allreadyInGroupe`` (15), and a number an earlier row
of this request brought in is ``duplicatePhone`` (15). The other rows are
moved (a moved contact keeps its id, fields and creation time, and leaves its
old group) or copied (a copy gets a new id and creation time), all in one
transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from carnet.contract import BUCKET_ORDER, BUCKETS, MOVE_MAX, NOT_FOUND_BUCKET
from carnet.domain import audit
from carnet.domain.batch_outcome import RowOutcome
from carnet.domain.changes import contacts_changed
from carnet.domain.groups import find_group, get_group
from carnet.domain.ids import new_public_ids, now_iso
from carnet.domain.records import Account, ContactRecord, GroupRecord
from carnet.errors import BatchTooLarge, MissingParameter, NotFoundError
from carnet.storage import GroupGone, Queries, Store

_CODES = dict(BUCKET_ORDER)
_REFUSALS = {
    NOT_FOUND_BUCKET: (404, "Contact not found"),
    "stopSms": (_CODES["stopSms"], "The number is on the stop list"),
    "allreadyInGroupe": (_CODES["allreadyInGroupe"], "The number is already in the group"),
    "duplicatePhone": (_CODES["duplicatePhone"], "The number appears earlier in this request"),
}
MOVED = "Contact moved"
COPIED = "Contact copied"


@dataclass(slots=True)
class TransferOutcome:
    """What became of every contact id, in order, and the group they were sent to."""

    group: GroupRecord
    results: list[RowOutcome] = field(default_factory=list)

    @property
    def done(self) -> int:
        return sum(1 for r in self.results if r.success)

    def counts(self) -> dict[str, int]:
        """The batch report's buckets, then ``notFound``."""
        counts = dict.fromkeys((*BUCKETS, NOT_FOUND_BUCKET), 0)
        for result in self.results:
            if result.bucket is not None:
                counts[result.bucket] += 1
        counts["dateInvalid"] = counts["dateInvalide"]
        return counts


def transfer_contacts(
    store: Store, account: Account, contact_ids: Sequence[str], group_id: str, *, copy: bool
) -> TransferOutcome:
    """Move (or with ``copy``, copy) the account's contacts into its group ``group_id``.

    Code 1 without ids, then the target's 404, then code 50 past ``MOVE_MAX`` ids.
    """
    if not contact_ids:
        raise MissingParameter("contactIds is required", errors={"contactIds": "required"})
    if len(contact_ids) > MOVE_MAX:
        get_group(store, account, group_id)
        raise BatchTooLarge(f"At most {MOVE_MAX} contacts at once, got {len(contact_ids)}")
    with store.write() as q:
        target = find_group(q, account, group_id, lock=copy)
        if copy:
            found = q.contacts_by_ids(account.id, contact_ids)
            sources: dict[str, GroupRecord] = {}
        else:
            found, sources, target = _locked_for_move(q, account, contact_ids, target)
        results = _judge(q, account, target, contact_ids, found)
        accepted = [
            (r, found[cid]) for r, cid in zip(results, contact_ids, strict=True) if r.success
        ]
        try:
            if copy:
                _copy(q, account, target, accepted)
            else:
                q.move_contacts(target, [(c, sources[c.group_public_id]) for _, c in accepted])
        except GroupGone:
            raise NotFoundError("Group not found") from None
        if accepted:
            ids = [c.public_id for _, c in accepted]
            action = "contacts.added" if copy else "contact.moved"
            audit.record(q, account, action, [target.public_id, *ids], contacts=len(ids))
            # Webhooks: a copy adds new contacts; a move updates each contact's group.
            event, changed = (
                ("contact.added", [r.contact_id for r, _ in accepted])
                if copy
                else ("contact.updated", ids)
            )
            contacts_changed(q, account.id, event, target.public_id, changed)
    return TransferOutcome(target, results)


def _locked_for_move(
    q: Queries, account: Account, contact_ids: Sequence[str], target: GroupRecord
) -> tuple[dict[str, ContactRecord], dict[str, GroupRecord], GroupRecord]:
    """The contacts, with every group involved locked, in one order for every mover.

    Groups are locked by public id, so two moves wait for each other rather than
    in a circle; the contacts are read again once their groups are locked, and a
    group one of them reached in between is locked too.
    """
    locked: dict[str, GroupRecord] = {}
    found = q.contacts_by_ids(account.id, contact_ids)
    while True:
        wanted = {c.group_public_id for c in found.values()} | {target.public_id}
        for public_id in sorted(wanted - locked.keys()):
            group = q.lock_group(account.id, public_id)
            if group is not None:
                locked[public_id] = group
        if target.public_id not in locked:
            raise NotFoundError("Group not found")
        found = q.contacts_by_ids(account.id, contact_ids)
        if all(c.group_public_id in locked for c in found.values()):
            return found, locked, locked[target.public_id]


def _judge(
    q: Queries,
    account: Account,
    target: GroupRecord,
    contact_ids: Sequence[str],
    found: dict[str, ContactRecord],
) -> list[RowOutcome]:
    phones = [c.fields.phone for c in found.values()]
    stopped = q.stopped_phones(account.id, phones)
    present = q.phones_in_group(target.id, phones)
    accepted: set[str] = set()
    results = []
    for contact_id in contact_ids:
        contact = found.get(contact_id)
        if contact is None:
            results.append(_refused("", NOT_FOUND_BUCKET))
            continue
        phone = contact.fields.phone
        if phone in stopped:
            results.append(_refused(phone, "stopSms"))
        elif phone in present:
            results.append(_refused(phone, "allreadyInGroupe"))
        elif phone in accepted:
            results.append(_refused(phone, "duplicatePhone"))
        else:
            accepted.add(phone)
            results.append(RowOutcome(phone, message=MOVED, contact_id=contact.public_id))
    return results


def _refused(phone: str, bucket: str) -> RowOutcome:
    code, message = _REFUSALS[bucket]
    return RowOutcome(phone, code, message, bucket=bucket)


def _copy(
    q: Queries,
    account: Account,
    target: GroupRecord,
    accepted: list[tuple[RowOutcome, ContactRecord]],
) -> None:
    for (result, _), public_id in zip(accepted, new_public_ids(len(accepted)), strict=True):
        result.contact_id = public_id
        result.message = COPIED
    q.insert_contacts(
        account.id, target, [(r.contact_id, c.fields) for r, c in accepted], now_iso()
    )
