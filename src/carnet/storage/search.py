"""Finding contacts in a group: by number (an index lookup) or by the start of a name."""

from __future__ import annotations

from sqlalchemy import func, or_

from carnet.domain.records import ContactRecord, GroupRecord
from carnet.storage.contacts import CONTACT_SELECT, stored_contact
from carnet.storage.schema import contacts
from carnet.storage.transaction import Transaction


def _escaped(prefix: str) -> str:
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


class SearchQueries(Transaction):
    """Searches within one group."""

    def group_contacts_with_phone(self, group: GroupRecord, phone: str) -> list[ContactRecord]:
        """The group's contact with this number (E.164), found by the (group, number) index."""
        rows = self.conn.execute(
            CONTACT_SELECT.where(contacts.c.group_id == group.id, contacts.c.phone == phone)
        )
        return [stored_contact(row) for row in rows]

    def contacts_named(self, group: GroupRecord, prefix: str, limit: int) -> list[ContactRecord]:
        """Up to ``limit`` contacts whose first or last name starts with ``prefix``
        (case-insensitive for ASCII letters), oldest first."""
        pattern = _escaped(prefix.lower())
        rows = self.conn.execute(
            CONTACT_SELECT.where(
                contacts.c.group_id == group.id,
                or_(
                    func.lower(contacts.c.firstname).like(pattern, escape="\\"),
                    func.lower(contacts.c.lastname).like(pattern, escape="\\"),
                ),
            )
            .order_by(contacts.c.seq)
            .limit(limit)
        )
        return [stored_contact(row) for row in rows]
