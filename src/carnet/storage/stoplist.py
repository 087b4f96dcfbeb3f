"""The stop list: numbers an account must not add or send to."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Select, bindparam, delete, select

from carnet.domain.records import StopRecord
from carnet.storage.dialects import Dialect
from carnet.storage.schema import stop_entries
from carnet.storage.transaction import Transaction, numbers_held

_ENTRY_COLUMNS = (stop_entries.c.public_id, stop_entries.c.phone, stop_entries.c.created_at)


def _stopped_phones(dialect: Dialect) -> Select[Any]:
    return numbers_held(
        dialect, stop_entries.c.phone, stop_entries.c.account_id == bindparam("owner")
    )


def _insert_or_keep_stop(dialect: Dialect) -> Any:
    # A no-op update of the entry already there: unlike DO NOTHING, it returns
    # that entry, and locks it until commit.
    new = dialect.insert(stop_entries).values(
        account_id=bindparam("account_id"),
        public_id=bindparam("public_id"),
        phone=bindparam("phone"),
        created_at=bindparam("created_at"),
    )
    return new.on_conflict_do_update(
        index_elements=[stop_entries.c.account_id, stop_entries.c.phone],
        set_={"phone": new.excluded.phone},
    ).returning(*_ENTRY_COLUMNS)


class StopListQueries(Transaction):
    """One account's stop list."""

    def stopped_phones(self, account_id: int, phones: Iterable[str]) -> set[str]:
        """Which of ``phones`` are on the account's stop list."""
        return self._phones_found(_stopped_phones, account_id, phones)

    def insert_stop(
        self, account_id: int, public_id: int, phone: str, created_at: str
    ) -> StopRecord:
        """Put ``phone`` on the stop list; an entry already there is returned as is.

        One statement, so that the entry it answers with exists when it
        answers, even while another writer deletes the number.
        """
        row = self.conn.execute(
            self.dialect.built(_insert_or_keep_stop),
            {
                "account_id": account_id,
                "public_id": public_id,
                "phone": phone,
                "created_at": created_at,
            },
        ).one()
        return StopRecord(*row)

    def stop_of_phone(self, account_id: int, phone: str) -> StopRecord | None:
        """The account's entry for ``phone`` (E.164), or None when it is not stopped."""
        row = self.conn.execute(
            select(*_ENTRY_COLUMNS).where(
                stop_entries.c.account_id == account_id, stop_entries.c.phone == phone
            )
        ).first()
        return StopRecord(*row) if row else None

    def list_stops(self, account_id: int) -> list[StopRecord]:
        rows = self.conn.execute(
            select(*_ENTRY_COLUMNS)
            .where(stop_entries.c.account_id == account_id)
            .order_by(stop_entries.c.id)
        )
        return [StopRecord(*row) for row in rows]

    def delete_stop(self, account_id: int, public_id: int) -> bool:
        """Take the account's entry with this public id off the list; False if none."""
        result = self.conn.execute(
            delete(stop_entries).where(
                stop_entries.c.account_id == account_id, stop_entries.c.public_id == public_id
            )
        )
        return bool(result.rowcount)

    def stopped_phone(self, account_id: int, public_id: int) -> str | None:
        """The number of the account's entry with this public id, or None."""
        query = select(stop_entries.c.phone).where(
            stop_entries.c.account_id == account_id, stop_entries.c.public_id == public_id
        )
        return self.conn.execute(query).scalar_one_or_none()
