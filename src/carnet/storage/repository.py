"""All of carnet's SQL, behind one interface shared by SQLite and PostgreSQL.

:class:`Store` opens transactions; each hands out a :class:`Queries` bound to
its connection. Write transactions on SQLite take the write lock up front
(``BEGIN IMMEDIATE``); on PostgreSQL, writers into one group serialise on that
group's row, taken by :meth:`Queries.lock_group` (checks made after it hold
until commit) or at the latest when :meth:`Queries.insert_contacts` reserves
the rows' positions, so positions are given out in the order of commits.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from operator import attrgetter
from typing import Any

from sqlalchemy import (
    BigInteger,
    Engine,
    Row,
    String,
    and_,
    any_,
    bindparam,
    delete,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from carnet.domain.records import (
    CONTACT_COLUMNS,
    Account,
    ContactRecord,
    GroupRecord,
    StopRecord,
    ValidContact,
)
from carnet.storage.database import make_engine, migrate, writer_lock
from carnet.storage.schema import (
    accounts,
    api_keys,
    contact_gaps,
    contacts,
    groups,
    stop_entries,
)

# Public ids are at most this long (the columns' width): a longer one names
# nothing and is not sent to the database at all.
_PUBLIC_ID_MAX = 32

# Fewer rows than this go in by INSERT on PostgreSQL: COPY costs more round trips.
_COPY_FROM_ROWS = 16


class PhoneTaken(Exception):
    """A number being stored is already in the group: another writer got there first."""


class GroupGone(Exception):
    """The group was deleted by another writer before the rows could be stored."""


class Store:
    """The database: open it with a URL, then read or write through transactions."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._writer_lock = writer_lock(engine)

    @classmethod
    def open(cls, url: str, *, pool_size: int = 10, migrate_schema: bool = True) -> Store:
        engine = make_engine(url, pool_size=pool_size)
        if migrate_schema:
            migrate(engine)
        return cls(engine)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def read(self) -> Iterator[Queries]:
        with self.engine.connect() as conn:
            conn = conn.execution_options(carnet_readonly=True)
            if conn.dialect.name == "postgresql":
                # One snapshot for the whole read, as SQLite gives: a page, its
                # total and the gaps it skips must agree under concurrent writes.
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                yield Queries(conn)

    @contextmanager
    def write(self) -> Iterator[Queries]:
        lock = self._writer_lock.held() if self._writer_lock is not None else nullcontext()
        with lock, self.engine.begin() as conn:
            yield Queries(conn)

    def ping(self) -> bool:
        with self.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True

    def close(self) -> None:
        self.engine.dispose()
        if self._writer_lock is not None:
            self._writer_lock.close()


_CONTACT_COLUMNS = [contacts.c[name] for name in CONTACT_COLUMNS]
_STOPPED = stop_entries.c.id.is_not(None).label("stop_sms")
_CONTACT_SELECT = (
    select(
        contacts.c.id,
        contacts.c.public_id,
        groups.c.public_id.label("group_public_id"),
        contacts.c.seq,
        *_CONTACT_COLUMNS,
        contacts.c.created_at,
        _STOPPED,
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


def _stored_contact(row: Row[Any, *tuple[Any, ...]]) -> ContactRecord:
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


def _group(row: Row[Any, *tuple[Any, ...]]) -> GroupRecord:
    m = row._mapping
    return GroupRecord(
        id=m["id"],
        public_id=m["public_id"],
        name=m["name"],
        created_at=m["created_at"],
        contact_count=m["contact_count"],
    )


_GROUP_COLUMNS = (
    groups.c.id,
    groups.c.public_id,
    groups.c.name,
    groups.c.created_at,
    groups.c.contact_count,
)


# The statements of the hot paths, built once: building a statement costs more
# than running it on SQLite. Values travel as bound parameters.
_ACCOUNT_FOR_KEY = (
    select(accounts.c.id, accounts.c.name, accounts.c.created_at)
    .join(api_keys, api_keys.c.account_id == accounts.c.id)
    .where(api_keys.c.key_hash == bindparam("key_hash"), api_keys.c.revoked_at.is_(None))
)
_GROUP = select(*_GROUP_COLUMNS).where(
    groups.c.public_id == bindparam("public_id"), groups.c.account_id == bindparam("account_id")
)
_GROUP_FOR_UPDATE = _GROUP.with_for_update()
_RESERVE_SEQS = (
    update(groups)
    .where(groups.c.id == bindparam("group_id"))
    .values(
        next_seq=groups.c.next_seq + bindparam("n", type_=BigInteger),
        contact_count=groups.c.contact_count + bindparam("n", type_=BigInteger),
    )
    .returning(groups.c.next_seq)
)
_INSERT_COLUMNS = ("public_id", "account_id", "group_id", "seq", "created_at", *CONTACT_COLUMNS)
_fields = attrgetter(*CONTACT_COLUMNS)
_INSERT_CONTACT_SQL = {
    dialect: "INSERT INTO contacts ({}) VALUES ({})".format(
        ", ".join(_INSERT_COLUMNS), ", ".join([marker] * len(_INSERT_COLUMNS))
    )
    for dialect, marker in (("sqlite", "?"), ("postgresql", "%s"))
}
_COPY_CONTACTS_SQL = "COPY contacts ({}) FROM STDIN".format(", ".join(_INSERT_COLUMNS))
_CONTACT_BY_ID = _CONTACT_SELECT.where(
    contacts.c.public_id == bindparam("public_id"),
    contacts.c.account_id == bindparam("account_id"),
)


def _phones_in(column: Any, dialect: str) -> Any:
    """``column`` is one of the bound ``phones``: one parameter whatever their number.

    An array on PostgreSQL; a JSON array read by ``json_each`` on SQLite, where
    an expanding IN list would be rendered and planned anew for each size.
    """
    if dialect == "postgresql":
        return column == any_(bindparam("phones", type_=ARRAY(String)))
    listed = func.json_each(bindparam("phones", type_=String)).table_valued("value")
    return column.in_(select(listed.c.value))


_PHONES_IN_GROUP = {
    dialect: select(contacts.c.phone).where(
        contacts.c.group_id == bindparam("owner"), _phones_in(contacts.c.phone, dialect)
    )
    for dialect in ("postgresql", "sqlite")
}
_STOPPED_PHONES = {
    dialect: select(stop_entries.c.phone).where(
        stop_entries.c.account_id == bindparam("owner"), _phones_in(stop_entries.c.phone, dialect)
    )
    for dialect in ("postgresql", "sqlite")
}


class Queries:
    """The queries of one transaction."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    # -- accounts and keys -------------------------------------------------

    def account_for_key(self, key_hash: str) -> Account | None:
        row = self.conn.execute(_ACCOUNT_FOR_KEY, {"key_hash": key_hash}).first()
        return Account(*row) if row else None

    def account_named(self, name: str) -> Account | None:
        row = self.conn.execute(
            select(accounts.c.id, accounts.c.name, accounts.c.created_at).where(
                accounts.c.name == name
            )
        ).first()
        return Account(*row) if row else None

    def list_accounts(self) -> list[Account]:
        rows = self.conn.execute(
            select(accounts.c.id, accounts.c.name, accounts.c.created_at).order_by(accounts.c.id)
        )
        return [Account(*row) for row in rows]

    def count_accounts(self) -> int:
        return int(self.conn.execute(select(func.count()).select_from(accounts)).scalar_one())

    def insert_account(self, name: str, created_at: str) -> Account:
        account_id = self.conn.execute(
            insert(accounts).values(name=name, created_at=created_at).returning(accounts.c.id)
        ).scalar_one()
        return Account(account_id, name, created_at)

    def insert_key(self, account_id: int, key_hash: str, created_at: str) -> None:
        self.conn.execute(
            insert(api_keys).values(account_id=account_id, key_hash=key_hash, created_at=created_at)
        )

    def revoke_keys(self, account_id: int, revoked_at: str) -> int:
        result = self.conn.execute(
            update(api_keys)
            .where(api_keys.c.account_id == account_id, api_keys.c.revoked_at.is_(None))
            .values(revoked_at=revoked_at)
        )
        return int(result.rowcount)

    # -- groups ------------------------------------------------------------

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
        if len(public_id) > _PUBLIC_ID_MAX:
            return None
        row = self.conn.execute(_GROUP, {"public_id": public_id, "account_id": account_id}).first()
        return _group(row) if row else None

    def lock_group(self, account_id: int, public_id: str) -> GroupRecord | None:
        """The group, locked until commit against other writers into it."""
        if len(public_id) > _PUBLIC_ID_MAX:
            return None
        query = _GROUP_FOR_UPDATE if self.conn.dialect.name == "postgresql" else _GROUP
        row = self.conn.execute(query, {"public_id": public_id, "account_id": account_id}).first()
        return _group(row) if row else None

    def list_groups(self, account_id: int) -> list[GroupRecord]:
        rows = self.conn.execute(
            select(*_GROUP_COLUMNS).where(groups.c.account_id == account_id).order_by(groups.c.id)
        )
        return [_group(row) for row in rows]

    def delete_group(self, group_id: int) -> None:
        # Children first: PostgreSQL would cascade, but SQLite only does when
        # foreign keys are on for that connection, and explicit is clearer.
        self.conn.execute(delete(contacts).where(contacts.c.group_id == group_id))
        self.conn.execute(delete(contact_gaps).where(contact_gaps.c.group_id == group_id))
        self.conn.execute(delete(groups).where(groups.c.id == group_id))

    # -- contacts ----------------------------------------------------------

    def phones_in_group(self, group_id: int, phones: Iterable[str]) -> set[str]:
        return self._phones_found(_PHONES_IN_GROUP, group_id, phones)

    def _phones_found(self, queries: dict[str, Any], owner: int, phones: Iterable[str]) -> set[str]:
        dialect = self.conn.dialect.name
        wanted = sorted(set(phones))
        if not wanted:
            return set()
        bound: Any = wanted if dialect == "postgresql" else json.dumps(wanted)
        return set(self.conn.execute(queries[dialect], {"owner": owner, "phones": bound}).scalars())

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
        reserved = self.conn.execute(
            _RESERVE_SEQS, {"group_id": group.id, "n": len(rows)}
        ).scalar_one_or_none()
        if reserved is None:
            raise GroupGone()
        first_seq = int(reserved) - len(rows)
        values = [
            (public_id, account_id, group.id, first_seq + offset, created_at, *_fields(contact))
            for offset, (public_id, contact) in enumerate(rows)
        ]
        dialect = self.conn.dialect.name
        try:
            if dialect == "postgresql" and len(values) >= _COPY_FROM_ROWS:
                self._copy_contacts(values)
            else:
                # Straight to the driver's executemany: SQLAlchemy's per-row parameter
                # processing cost as much as SQLite's own insert for a 500-row batch.
                self.conn.exec_driver_sql(_INSERT_CONTACT_SQL[dialect], values)
        except IntegrityError as exc:
            if _names_group_phone(exc.orig):
                raise PhoneTaken() from None
            raise
        return first_seq

    def _copy_contacts(self, values: list[tuple[Any, ...]]) -> None:
        """PostgreSQL: rows in by COPY, in this transaction (a third of an INSERT's time)."""
        from psycopg.errors import UniqueViolation  # loaded already by the engine

        driver = self.conn.connection.driver_connection
        assert driver is not None
        try:
            with driver.cursor() as cursor, cursor.copy(_COPY_CONTACTS_SQL) as copy:
                for row in values:
                    copy.write_row(row)
        except UniqueViolation as exc:
            if _names_group_phone(exc):
                raise PhoneTaken() from None
            raise

    def contact(self, account_id: int, public_id: str) -> ContactRecord | None:
        if len(public_id) > _PUBLIC_ID_MAX:
            return None
        row = self.conn.execute(
            _CONTACT_BY_ID, {"public_id": public_id, "account_id": account_id}
        ).first()
        return _stored_contact(row) if row else None

    # -- stop list ---------------------------------------------------------

    def stopped_phones(self, account_id: int, phones: Iterable[str]) -> set[str]:
        return self._phones_found(_STOPPED_PHONES, account_id, phones)

    def insert_stop(
        self, account_id: int, public_id: str, phone: str, created_at: str
    ) -> StopRecord:
        """Put ``phone`` on the stop list; an entry already there is returned as is."""
        insert_stmt = _dialect_insert(self.conn)(stop_entries).values(
            account_id=account_id, public_id=public_id, phone=phone, created_at=created_at
        )
        self.conn.execute(insert_stmt.on_conflict_do_nothing())
        entry = self.stop_by_phone(account_id, phone)
        assert entry is not None
        return entry

    def stop_by_phone(self, account_id: int, phone: str) -> StopRecord | None:
        row = self.conn.execute(
            select(stop_entries.c.public_id, stop_entries.c.phone, stop_entries.c.created_at).where(
                stop_entries.c.account_id == account_id, stop_entries.c.phone == phone
            )
        ).first()
        return StopRecord(*row) if row else None

    def list_stops(self, account_id: int) -> list[StopRecord]:
        rows = self.conn.execute(
            select(stop_entries.c.public_id, stop_entries.c.phone, stop_entries.c.created_at)
            .where(stop_entries.c.account_id == account_id)
            .order_by(stop_entries.c.id)
        )
        return [StopRecord(*row) for row in rows]

    def delete_stop(self, account_id: int, public_id: str) -> bool:
        if len(public_id) > _PUBLIC_ID_MAX:
            return False
        result = self.conn.execute(
            delete(stop_entries).where(
                stop_entries.c.account_id == account_id, stop_entries.c.public_id == public_id
            )
        )
        return bool(result.rowcount)

    # -- contact changes and pages -------------------------------------------

    def update_contact(self, contact_id: int, changes: dict[str, str]) -> None:
        self.conn.execute(update(contacts).where(contacts.c.id == contact_id).values(**changes))

    def delete_contact(self, contact: ContactRecord) -> None:
        """Delete one contact, remembering its position as a gap for paging."""
        group_id = self.conn.execute(
            delete(contacts).where(contacts.c.id == contact.id).returning(contacts.c.group_id)
        ).scalar_one()
        self.conn.execute(insert(contact_gaps).values(group_id=group_id, seq=contact.seq))
        self.conn.execute(
            update(groups)
            .where(groups.c.id == group_id)
            .values(contact_count=groups.c.contact_count - 1)
        )

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
            _CONTACT_SELECT.where(contacts.c.group_id == group.id, contacts.c.seq >= first)
            .order_by(contacts.c.seq)
            .limit(limit)
        )
        return [_stored_contact(row) for row in rows]


def _names_group_phone(error: BaseException | None) -> bool:
    """Whether the driver's ``error`` is the (group, phone) uniqueness refusing a row."""
    diag = getattr(error, "diag", None)  # PostgreSQL names the constraint
    if diag is not None:
        return bool(diag.constraint_name == "uq_contacts_group_phone")
    return "contacts.group_id, contacts.phone" in str(error)  # SQLite names the columns


def _dialect_insert(conn: Connection) -> Any:
    """INSERT with ON CONFLICT support, from the connection's dialect."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert
