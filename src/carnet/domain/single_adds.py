"""Single adds written together: the adds waiting in a process share one transaction.

:meth:`SingleAdds.add` queues an add whose fields passed the rules; the adds
that arrive while another transaction of the process writes go into the next
one (:class:`~carnet.domain.group_commit.GroupCommit`). In that transaction
each group is locked before it is judged, in the order of the groups' public
ids so that two processes' flushes never wait for each other in a circle, and each
add is judged as it would be alone: 404 when its group is gone, then the stop
list (14), then the numbers in the group and those stored earlier in the same
flush (15). The rows that pass go in together, one insert per group. An add
refused never undoes another's row.

Should the transaction fail all the same (a number stored by a writer that does
not lock the group, a value the database refuses), nothing of it is committed
and each add is written again in a transaction of its own, answered exactly as
if it had come alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from carnet.contract import BATCH_MAX
from carnet.domain import audit
from carnet.domain.changes import Change, contact_change, record_all
from carnet.domain.group_commit import GroupCommit
from carnet.domain.ids import is_possible_id, new_public_ids, now_iso
from carnet.domain.records import Account, AuditEntry, ContactRecord, ValidContact
from carnet.errors import CarnetError, DuplicateContact, NotFoundError, StopListed
from carnet.storage import GroupGone, PhoneTaken, Queries, Store


@dataclass(frozen=True, slots=True)
class SingleAdd:
    """One add whose fields passed the rules: into which group, for which account."""

    account: Account
    group_id: str
    contact: ValidContact


Outcome = ContactRecord | CarnetError


class SingleAdds:
    """A process's single adds to ``store``: those waiting on its event loop share transactions.

    Made when the server starts, closed when it stops.
    """

    def __init__(self, store: Store) -> None:
        self._store = store
        self._commits: GroupCommit[SingleAdd, ContactRecord] = GroupCommit(
            self._flush, BATCH_MAX, self._flush_at_once
        )

    async def add(self, add: SingleAdd) -> ContactRecord:
        """Store ``add`` with the adds waiting beside it; its own record, or its own error."""
        return await self._commits.submit(add)

    def close(self) -> None:
        self._commits.close()

    def _flush_at_once(self, adds: list[SingleAdd]) -> Sequence[Outcome | Exception] | None:
        """The flush, written where it is asked for (the event loop) when that takes no
        wait: on SQLite with its writer lock free, the transaction is work on a local
        file, cheaper than a hop to the committer's thread. None when it cannot, or
        when anything fails (rolled back: the committer's thread then does it all)."""
        try:
            with self._store.write_at_once() as q:
                return None if q is None else _write(q, adds)
        except Exception:
            return None

    def _flush(self, adds: list[SingleAdd]) -> Sequence[Outcome | Exception]:
        if len(adds) == 1:
            return [_alone(self._store, adds[0])]
        try:
            with self._store.write() as q:
                return _write(q, adds)
        except Exception:  # rolled back: each add again, alone, answered as if it came alone
            return [_alone(self._store, add) for add in adds]


def store_contact(store: Store, add: SingleAdd) -> ContactRecord:
    """Store ``add`` in a transaction of its own (a caller with no event loop to wait on)."""
    outcome = _alone(store, add)
    if isinstance(outcome, Exception):
        raise outcome
    return outcome


def _alone(store: Store, add: SingleAdd) -> Outcome | Exception:
    try:
        with store.write() as q:
            return _write(q, [add])[0]
    except (PhoneTaken, GroupGone):
        # A number stored meanwhile by a writer that did not lock the group
        # (15), or the group deleted (404): which one, the group says.
        with store.read() as q:
            if q.group(add.account.id, add.group_id) is None:
                return NotFoundError("Group not found")
        return DuplicateContact()
    except Exception as exc:  # this add's alone, not its neighbours'
        return exc


def _write(q: Queries, adds: list[SingleAdd]) -> list[Outcome]:
    outcomes: list[Outcome | None] = [None] * len(adds)
    made: list[Change] = []  # written together once every group is done
    entries: list[AuditEntry] = []
    by_group: dict[tuple[str, int], list[int]] = {}
    for index, add in enumerate(adds):
        by_group.setdefault((add.group_id, add.account.id), []).append(index)
    # Each group is read and checked before it is locked: its lock is taken when its
    # rows' positions are reserved (insert_contacts), held for as short a time as
    # can be. A number stored, or the group deleted, by another writer in between
    # fails the flush (PhoneTaken, GroupGone): each add is then written alone.
    # Every flush reserves in one order of groups: none waits for another in a circle.
    for (group_id, account_id), indexes in sorted(by_group.items()):
        group = q.group(account_id, group_id) if is_possible_id(group_id) else None
        if group is None:
            for index in indexes:
                outcomes[index] = NotFoundError("Group not found")
            continue
        phones = [adds[index].contact.phone for index in indexes]
        stopped, taken = q.stopped_and_in_group(account_id, group.id, phones)
        storing: list[int] = []
        for index in indexes:
            phone = adds[index].contact.phone
            if phone in stopped:
                outcomes[index] = StopListed()
            elif phone in taken:
                outcomes[index] = DuplicateContact()
            else:
                taken.add(phone)
                storing.append(index)
        if not storing:
            continue
        ids, created_at = new_public_ids(len(storing)), now_iso()
        pairs = list(zip(ids, storing, strict=True))
        rows = [(public_id, adds[index].contact) for public_id, index in pairs]
        first_seq = q.insert_contacts(account_id, group, rows, created_at)
        for public_id, index in pairs:  # one event and entry an add, as if each came alone
            made.append(contact_change(account_id, "contact.added", group.public_id, [public_id]))
            entries.append(
                audit.entry(adds[index].account, "contact.added", [public_id, group.public_id])
            )
        for offset, (public_id, index) in enumerate(pairs):
            outcomes[index] = ContactRecord(
                id=0,  # not read back: the answer needs only the public id
                public_id=public_id,
                group_public_id=group.public_id,
                seq=first_seq + offset,
                fields=adds[index].contact,
                created_at=created_at,
                stop_sms=False,  # it passed the stop-list check in this transaction
            )
    if made:
        record_all(q, made)
        q.insert_audit_entries(entries)
    judged = [outcome for outcome in outcomes if outcome is not None]
    assert len(judged) == len(adds)
    return judged
