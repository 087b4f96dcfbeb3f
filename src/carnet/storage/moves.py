"""Contacts read by the hundred, and moved from their groups into another."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import BigInteger, bindparam, insert, update

from carnet.domain.records import ContactRecord, GroupRecord
from carnet.storage.contacts import CONTACT_SELECT, stored_contact
from carnet.storage.errors import GroupGone
from carnet.storage.schema import contact_gaps, contacts, groups
from carnet.storage.transaction import Transaction, may_exist

_RESERVE_SEQS = (
    update(groups)
    .where(groups.c.id == bindparam("group_id"))
    .values(
        next_seq=groups.c.next_seq + bindparam("n", type_=BigInteger),
        contact_count=groups.c.contact_count + bindparam("n", type_=BigInteger),
    )
    .returning(groups.c.next_seq)
)
_LEAVE = (
    update(groups)
    .where(groups.c.id == bindparam("group_id"))
    .values(contact_count=groups.c.contact_count - bindparam("n", type_=BigInteger))
)
_MOVE = (
    update(contacts)
    .where(contacts.c.id == bindparam("contact_id"))
    .values(group_id=bindparam("new_group"), seq=bindparam("new_seq"))
)


class MoveQueries(Transaction):
    """Several contacts of one account at once, and moving them between groups."""

    def contacts_by_ids(
        self, account_id: int, public_ids: Iterable[str]
    ) -> dict[str, ContactRecord]:
        """The account's contacts among ``public_ids``, by public id (unknown ones absent)."""
        wanted = sorted({p for p in public_ids if may_exist(p)})
        if not wanted:
            return {}
        rows = self.conn.execute(
            CONTACT_SELECT.where(
                contacts.c.account_id == account_id, contacts.c.public_id.in_(wanted)
            )
        )
        found = (stored_contact(row) for row in rows)
        return {contact.public_id: contact for contact in found}

    def move_contacts(
        self, target: GroupRecord, moved: Sequence[tuple[ContactRecord, GroupRecord]]
    ) -> None:
        """Move ``(contact, its group)`` pairs to the end of ``target``, in order.

        Each keeps its id and fields and leaves a gap at its old position, as a
        deleted contact does. Every group involved must be locked
        (:meth:`lock_group`) and the numbers checked against ``target`` under
        that lock. Raises :class:`GroupGone` when ``target`` no longer exists.
        """
        if not moved:
            return
        reserved = self.conn.execute(
            _RESERVE_SEQS, {"group_id": target.id, "n": len(moved)}
        ).scalar_one_or_none()
        if reserved is None:
            raise GroupGone()
        first_seq = int(reserved) - len(moved)
        self.conn.execute(
            _MOVE,
            [
                {"contact_id": contact.id, "new_group": target.id, "new_seq": first_seq + offset}
                for offset, (contact, _) in enumerate(moved)
            ],
        )
        self.conn.execute(
            insert(contact_gaps),
            [{"group_id": source.id, "seq": contact.seq} for contact, source in moved],
        )
        left: dict[int, int] = {}
        for _, source in moved:
            left[source.id] = left.get(source.id, 0) + 1
        self.conn.execute(_LEAVE, [{"group_id": gid, "n": n} for gid, n in sorted(left.items())])
