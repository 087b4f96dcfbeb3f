"""What every family of queries works with: one transaction's connection, and its dialect."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import Select
from sqlalchemy.engine import Connection

from carnet.storage.dialects import Dialect

# Public ids are at most this long (the columns' width).
PUBLIC_ID_MAX = 32


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
    """A connection inside a transaction, and the dialect of its engine."""

    def __init__(self, conn: Connection, dialect: Dialect) -> None:
        self.conn = conn
        self.dialect = dialect

    def _phones_found(
        self, build: Callable[[Dialect], Select[Any]], owner: int, phones: Iterable[str]
    ) -> set[str]:
        """Which of ``phones`` the query made by ``build`` finds for ``owner``.

        The query binds ``owner`` and the numbers as ``phones`` (see
        :meth:`Dialect.phones_in`), one parameter whatever their number.
        """
        wanted = sorted(set(phones))
        if not wanted:
            return set()
        query = self.dialect.built(build)
        bound = {"owner": owner, "phones": self.dialect.bind_phones(wanted)}
        return set(self.conn.execute(query, bound).scalars())
