"""Contacts: storing them at the end of a group, reading, changing and deleting one."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from operator import attrgetter
from typing import Any

from sqlalchemy import (
    BigInteger,
    Row,
    Select,
    and_,
    bindparam,
    delete,
    insert,
    or_,
    select,
    update,
)

from carnet.domain.records import CONTACT_COLUMNS, ContactRecord, GroupRecord, ValidContact
from carnet.storage.dialects import BulkInsert, Dialect, UniqueViolation
from carnet.storage.errors import GroupGone, PhoneTaken
from carnet.storage.schema import contact_gaps, contacts, groups, stop_entries
from carnet.storage.transaction import Transaction, may_exist, number_held, numbers_held

# A contact as the domain reads it: its group's public id, and whether its
# number is on the account's stop list.
CONTACT_SELECT = (
    select(
        contacts.c.id,
        contacts.c.public_id,
        groups.c.public_id.label("group_public_id"),
        contacts.c.seq,
        *(contacts.c[name] for name in CONTACT_COLUMNS),
        contacts.c.created_at,
        stop_entries.c.id.is_not(None).label("stop_sms"),
    )
    .select_from(contacts)
    .join(groups, groups.c.id == contacts.c.group_id)
    .outerjoin(
        stop_entries,
        and_(
            stop_entries.c.account_id == contacts.c.account_id,
            stop_entries.c.phone == contacts.c.phone,
        ),
    )
)


def stored_contact(row: Row[Any, *tuple[Any, ...]]) -> ContactRecord:
    m = row._mapping
    return ContactRecord(
        id=m["id"],
        public_id=m["public_id"],
        group_public_id=m["group_public_id"],
        seq=m["seq"],
        fields=ValidContact(**{name: m[name] for name in CONTACT_COLUMNS}),
        created_at=m["created_at"],
        stop_sms=bool(m["stop_sms"]),
    )


# The statements of the hot paths, built once: building a statement costs more
# than running it on SQLite. Values travel as bound parameters.
_CONTACT_BY_ID = CONTACT_SELECT.where(
    contacts.c.public_id == bindparam("public_id"),
    contacts.c.account_id == bindparam("account_id"),
)
# Every contact of an account holding one number, oldest first (ix_contacts_account_phone).
_CONTACTS_WITH_PHONE = CONTACT_SELECT.where(
    contacts.c.account_id == bindparam("account_id"), contacts.c.phone == bindparam("phone")
).order_by(contacts.c.id)
_RESERVE_SEQS = (
    update(groups)
    .where(groups.c.id == bindparam("group_id"))
    .values(
        next_seq=groups.c.next_seq + bindparam("n", type_=BigInteger),
        contact_count=groups.c.contact_count + bindparam("n", type_=BigInteger),
    )
    .returning(groups.c.next_seq)
)
_NEW_CONTACTS = BulkInsert(
    "contacts", ("public_id", "account_id", "group_id", "seq", "created_at", *CONTACT_COLUMNS)
)
_fields = attrgetter(*CONTACT_COLUMNS)
# The (group, number) uniqueness: one number once per group.
_GROUP_PHONE = "uq_contacts_group_phone"
_DELETE_CONTACT = delete(contacts).where(contacts.c.id == bindparam("contact_id"))


def _group_of_contact_locked(dialect: Dialect) -> Select[Any]:
    # The contact is read in a subquery: only the group's row is locked.
    group_of_contact = select(contacts.c.group_id).where(contacts.c.id == bindparam("contact_id"))
    return dialect.for_update(
        select(groups.c.id).where(groups.c.id == group_of_contact.scalar_subquery())
    )


def _phones_in_group(dialect: Dialect) -> Select[Any]:
    return numbers_held(dialect, contacts.c.phone, contacts.c.group_id == bindparam("owner"))


def _stopped_or_in_group(dialect: Dialect) -> Select[Any]:
    # Each number found, and whether it is on the account's stop list (else it is
    # in the group), each looked up in the unique indexes on its own.
    listed = dialect.listed_phones()
    stopped = number_held(
        listed, stop_entries.c.phone, stop_entries.c.account_id == bindparam("owner")
    )
    present = number_held(listed, contacts.c.phone, contacts.c.group_id == bindparam("group_id"))
    return select(listed.c.value, stopped).where(or_(stopped, present))


class ContactQueries(Transaction):
    """Contacts of one account's groups."""

    def stopped_and_in_group(
        self, account_id: int, group_id: int, phones: Iterable[str]
    ) -> tuple[set[str], set[str]]:
        """Which of ``phones`` are on the account's stop list, and which the group holds.

        One statement for both (a batch asks them together).
        """
        wanted = sorted(set(phones))
        stopped: set[str] = set()
        present: set[str] = set()
        if not wanted:
            return stopped, present
        bound = {
            "owner": account_id,
            "group_id": group_id,
            "phones": self.dialect.bind_phones(wanted),
        }
        for phone, is_stopped in self.driver_rows(self.dialect.built(_stopped_or_in_group), bound):
            (stopped if is_stopped else present).add(phone)
        return stopped, present

    def phones_in_group(self, group_id: int, phones: Iterable[str]) -> set[str]:
        """Which of ``phones`` the group holds."""
        return self._phones_found(_phones_in_group, group_id, phones)

    def insert_contacts(
        self,
        account_id: int,
        group: GroupRecord,
        rows: Sequence[tuple[str, ValidContact]],
        created_at: str,
    ) -> int:
        """Store ``(public_id, contact)`` pairs at the end of the group.

        Reserving their positions locks the group's row until commit, if
        :meth:`lock_group` has not already. Returns the position (``seq``) of
        the first; the others follow it. Raises :class:`PhoneTaken` when a
        number is already in the group (the transaction is then unusable) and
        :class:`GroupGone` when the group no longer exists.
        """
        if not rows:
            return 0
        reserved = self.driver_rows(_RESERVE_SEQS, {"group_id": group.id, "n": len(rows)})
        if not reserved:
            raise GroupGone()
        first_seq = int(reserved[0][0]) - len(rows)
        values = [
            (public_id, account_id, group.id, first_seq + offset, created_at, *_fields(contact))
            for offset, (public_id, contact) in enumerate(rows)
        ]
        try:
            self.dialect.insert_rows(self.conn, _NEW_CONTACTS, values)
        except UniqueViolation as exc:
            if exc.constraint == _GROUP_PHONE:
                raise PhoneTaken() from None
            raise
        return first_seq

    def contact(self, account_id: int, public_id: str) -> ContactRecord | None:
        """The account's contact with this public id, or None."""
        if not may_exist(public_id):
            return None
        row = self.conn.execute(
            _CONTACT_BY_ID, {"public_id": public_id, "account_id": account_id}
        ).first()
        return stored_contact(row) if row else None

    def contacts_with_phone(self, account_id: int, phone: str) -> list[ContactRecord]:
        """The account's contacts holding ``phone`` (E.164), in every group, oldest first."""
        rows = self.conn.execute(_CONTACTS_WITH_PHONE, {"account_id": account_id, "phone": phone})
        return [stored_contact(row) for row in rows]

    def contact_ids_of_phones(
        self, group_id: int, phones: Iterable[str]
    ) -> dict[str, tuple[int, str]]:
        """The group's contacts among ``phones``: number -> (id, public id)."""
        wanted = sorted(set(phones))
        if not wanted:
            return {}
        rows = self.conn.execute(
            select(contacts.c.phone, contacts.c.id, contacts.c.public_id).where(
                contacts.c.group_id == group_id, contacts.c.phone.in_(wanted)
            )
        )
        return {phone: (contact_id, public_id) for phone, contact_id, public_id in rows}

    def update_contact(self, contact_id: int, changes: dict[str, str]) -> bool:
        """Change the contact's fields; False when it is gone (deleted meanwhile).

        A new number must be checked under the group's lock (:meth:`lock_group`).
        """
        result = self.conn.execute(
            update(contacts).where(contacts.c.id == contact_id).values(**changes)
        )
        return bool(result.rowcount)

    def delete_contact(self, contact: ContactRecord) -> bool:
        """Delete one contact, leaving its position as a gap for paging.

        Locks the contact's group first, as a group's deletion and every write
        into a group do: writers meet in one order, so none waits for another
        that waits for it. False when the contact or its group is gone already
        (another writer deleted it first).
        """
        group_id = self.conn.execute(
            self.dialect.built(_group_of_contact_locked), {"contact_id": contact.id}
        ).scalar_one_or_none()
        if group_id is None:
            return False
        if not self.conn.execute(_DELETE_CONTACT, {"contact_id": contact.id}).rowcount:
            return False
        self.conn.execute(insert(contact_gaps).values(group_id=group_id, seq=contact.seq))
        self.conn.execute(
            update(groups)
            .where(groups.c.id == group_id)
            .values(contact_count=groups.c.contact_count - 1)
        )
        return True
