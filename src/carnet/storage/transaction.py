"""What every family of queries works with: one transaction's connection, and its dialect."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import ColumnElement, Executable, Select, literal_column, select
from sqlalchemy.engine import Connection

from carnet.storage.dialects import Dialect

# Public ids are at most this long (the columns' width).
PUBLIC_ID_MAX = 32


def number_held(listed: Any, phone: Any, *where: Any) -> ColumnElement[bool]:
    """Whether a row matching ``where`` holds, in its column ``phone``, the number of
    ``listed`` (:meth:`Dialect.listed_phones`) it is asked of.

    Each number is looked up on its own, a subquery a number, which no plan turns
    into a join: with ``where`` and ``phone`` making a unique index, the database
    probes that index once a number, whatever it knows, or does not know yet, of
    how many rows ``where`` matches (a whole group is never read for 500 numbers).
    """
    held: Select[Any] = select(literal_column("1")).where(*where, phone == listed.c.value)
    return held.scalar_subquery().is_not(None)


def numbers_held(dialect: Dialect, phone: Any, *where: Any) -> Select[Any]:
    """Which of the numbers bound as ``phones`` rows matching ``where`` hold (see
    :func:`number_held`)."""
    listed = dialect.listed_phones()
    return select(listed.c.value).where(number_held(listed, phone, *where))


def may_exist(public_id: str) -> bool:
    """Whether ``public_id`` could name a row; when not, it is not sent to the database.

    The ids carnet gives out are at most ``PUBLIC_ID_MAX`` printable ASCII
    characters. Anything else names nothing, on either engine alike: a longer
    id, one holding NUL or another control character (PostgreSQL refuses NUL
    in text, SQLite would look it up), or one beyond ASCII (a lone surrogate
    cannot even be encoded for the driver).
    """
    return len(public_id) <= PUBLIC_ID_MAX and public_id.isascii() and public_id.isprintable()


class Transaction:
    """A connection inside a transaction, and the dialect of its engine.

    A write whose outcome nobody waits for (a change's record, an audit entry)
    may be put off (:meth:`defer`): it is made before the next statement of the
    transaction, or else with its commit (:meth:`finish`), in one round trip
    where the engine can, so that a writer holding a group's lock waits less.
    """

    def __init__(self, conn: Connection, dialect: Dialect) -> None:
        self._conn = conn
        self.dialect = dialect
        self._deferred: list[tuple[Executable, dict[str, Any]]] = []

    @property
    def conn(self) -> Connection:
        """The transaction's connection, the writes put off made first."""
        if self._deferred:
            deferred, self._deferred = self._deferred, []
            self.dialect.run_writes(self._conn, deferred)
        return self._conn

    def defer(self, statement: Executable, params: dict[str, Any]) -> None:
        """Run ``statement`` later in this transaction; its result is never read."""
        self._deferred.append((statement, params))

    def driver_rows(self, statement: Executable, params: dict[str, Any]) -> list[tuple[Any, ...]]:
        """``statement``'s rows, on the driver's own cursor (:meth:`Dialect.driver_rows`)."""
        return self.dialect.driver_rows(self.conn, statement, params)

    def finish(self) -> None:
        """The writes put off, then the commit (together where the engine can)."""
        deferred, self._deferred = self._deferred, []
        self.dialect.write_and_commit(self._conn, deferred)

    def _phones_found(
        self, build: Callable[[Dialect], Select[Any]], owner: int, phones: Iterable[str]
    ) -> set[str]:
        """Which of ``phones`` the query made by ``build`` finds for ``owner``.

        The query binds ``owner`` and the numbers as ``phones`` (see
        :func:`numbers_held`), one parameter whatever their number.
        """
        wanted = sorted(set(phones))
        if not wanted:
            return set()
        query = self.dialect.built(build)
        bound = {"owner": owner, "phones": self.dialect.bind_phones(wanted)}
        return set(self.conn.execute(query, bound).scalars())
