"""Groups: an account's named lists of contacts."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, Select, bindparam, delete, insert, select, update

from carnet.domain.records import GroupRecord
from carnet.storage.dialects import Dialect
from carnet.storage.schema import contact_gaps, contacts, groups
from carnet.storage.transaction import Transaction, may_exist

GROUP_COLUMNS = (
    groups.c.id,
    groups.c.public_id,
    groups.c.name,
    groups.c.created_at,
    groups.c.contact_count,
)
# Built once: most requests look a group up by its public id, within the account.
_GROUP = select(*GROUP_COLUMNS).where(
    groups.c.public_id == bindparam("public_id"), groups.c.account_id == bindparam("account_id")
)


def _group_locked(dialect: Dialect) -> Select[Any]:
    return dialect.for_update(_GROUP)


def group_from(row: Row[Any, *tuple[Any, ...]] | tuple[Any, ...]) -> GroupRecord:
    """The group of a row of :data:`GROUP_COLUMNS`, in their order."""
    group_id, public_id, name, created_at, contact_count = row
    return GroupRecord(
        id=group_id,
        public_id=public_id,
        name=name,
        created_at=created_at,
        contact_count=contact_count,
    )


class GroupQueries(Transaction):
    """Groups of one account, and the lock that orders writers into a group."""

    def insert_group(
        self, account_id: int, public_id: str, name: str, created_at: str
    ) -> GroupRecord:
        group_id = self.conn.execute(
            insert(groups)
            .values(account_id=account_id, public_id=public_id, name=name, created_at=created_at)
            .returning(groups.c.id)
        ).scalar_one()
        return GroupRecord(group_id, public_id, name, created_at, 0)

    def group(self, account_id: int, public_id: str) -> GroupRecord | None:
        """The account's group with this public id, or None."""
        return self._group(_GROUP, account_id, public_id)

    def lock_group(self, account_id: int, public_id: str) -> GroupRecord | None:
        """The group, locked until commit against other writers into it."""
        return self._group(self.dialect.built(_group_locked), account_id, public_id)

    def _group(self, query: Select[Any], account_id: int, public_id: str) -> GroupRecord | None:
        if not may_exist(public_id):
            return None
        rows = self.driver_rows(query, {"public_id": public_id, "account_id": account_id})
        return group_from(rows[0]) if rows else None

    def list_groups(self, account_id: int) -> list[GroupRecord]:
        rows = self.conn.execute(
            select(*GROUP_COLUMNS).where(groups.c.account_id == account_id).order_by(groups.c.id)
        )
        return [group_from(row) for row in rows]

    def rename_group(self, group_id: int, name: str) -> None:
        """Give the group a new name."""
        self.conn.execute(update(groups).where(groups.c.id == group_id).values(name=name))

    def delete_group(self, group_id: int) -> None:
        """Delete the group and its contacts; lock it first (:meth:`lock_group`)."""
        # Children first: PostgreSQL would cascade, but SQLite only does when
        # foreign keys are on for that connection, and explicit is clearer.
        self.conn.execute(delete(contacts).where(contacts.c.group_id == group_id))
        self.conn.execute(delete(contact_gaps).where(contact_gaps.c.group_id == group_id))
        self.conn.execute(delete(groups).where(groups.c.id == group_id))
