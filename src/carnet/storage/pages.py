"""A group's contacts a page at a time, oldest first."""

from __future__ import annotations

from sqlalchemy import func, select

from carnet.domain.records import ContactRecord, GroupRecord
from carnet.storage.contacts import CONTACT_SELECT, stored_contact
from carnet.storage.schema import contact_gaps, contacts
from carnet.storage.transaction import Transaction


class PageQueries(Transaction):
    """Pages of a group, read by ranges of position rather than by OFFSET."""

    def contacts_page(self, group: GroupRecord, skip: int, limit: int) -> list[ContactRecord]:
        """``limit`` contacts of the group from the ``skip``-th on, oldest first.

        Positions run 1, 2, 3 ... in order of arrival, with a gap left by each
        deleted contact. The i-th gap (in order) has ``seq - i`` live contacts
        before it, a number that never decreases with i; so the gaps before the
        page's first contact are those where it is at most ``skip``, counted in
        one indexed pass over the group's gaps. The page itself is then an index
        range: its cost does not grow with how deep the page is.
        """
        live_before = (
            contact_gaps.c.seq - func.row_number().over(order_by=contact_gaps.c.seq)
        ).label("live_before")
        gaps = select(live_before).where(contact_gaps.c.group_id == group.id).subquery()
        gaps_before = self.conn.execute(
            select(func.count()).select_from(gaps).where(gaps.c.live_before <= skip)
        ).scalar_one()
        first = skip + 1 + int(gaps_before)
        rows = self.conn.execute(
            CONTACT_SELECT.where(contacts.c.group_id == group.id, contacts.c.seq >= first)
            .order_by(contacts.c.seq)
            .limit(limit)
        )
        return [stored_contact(row) for row in rows]

    def contacts_after(self, group: GroupRecord, after_seq: int, limit: int) -> list[ContactRecord]:
        """``limit`` contacts of the group placed after position ``after_seq``, oldest first.

        A keyset page: an index range from where the last one ended, however far
        into the group (a whole group is read this way by the export).
        """
        rows = self.conn.execute(
            CONTACT_SELECT.where(contacts.c.group_id == group.id, contacts.c.seq > after_seq)
            .order_by(contacts.c.seq)
            .limit(limit)
        )
        return [stored_contact(row) for row in rows]
