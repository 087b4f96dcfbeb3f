"""Accounts and their API keys."""

from __future__ import annotations

from sqlalchemy import bindparam, func, insert, select, update

from carnet.domain.records import Account, KeyRecord
from carnet.storage.schema import accounts, api_keys
from carnet.storage.transaction import Transaction

_ACCOUNT_COLUMNS = (accounts.c.id, accounts.c.name, accounts.c.created_at)
# Built once: every request looks its key up.
_ACCOUNT_FOR_KEY = (
    select(*_ACCOUNT_COLUMNS)
    .join(api_keys, api_keys.c.account_id == accounts.c.id)
    .where(api_keys.c.key_hash == bindparam("key_hash"), api_keys.c.revoked_at.is_(None))
)


class AccountQueries(Transaction):
    """Accounts, and their keys stored as hashes."""

    def account_for_key(self, key_hash: str) -> Account | None:
        """The account owning the unrevoked key with this hash."""
        row = self.conn.execute(_ACCOUNT_FOR_KEY, {"key_hash": key_hash}).first()
        return Account(*row) if row else None

    def account_named(self, name: str) -> Account | None:
        row = self.conn.execute(select(*_ACCOUNT_COLUMNS).where(accounts.c.name == name)).first()
        return Account(*row) if row else None

    def list_accounts(self) -> list[Account]:
        rows = self.conn.execute(select(*_ACCOUNT_COLUMNS).order_by(accounts.c.id))
        return [Account(*row) for row in rows]

    def count_accounts(self) -> int:
        return int(self.conn.execute(select(func.count()).select_from(accounts)).scalar_one())

    def insert_account(self, name: str, created_at: str) -> Account:
        account_id = self.conn.execute(
            insert(accounts).values(name=name, created_at=created_at).returning(accounts.c.id)
        ).scalar_one()
        return Account(account_id, name, created_at)

    def insert_key(self, account_id: int, key_hash: str, created_at: str, prefix: str = "") -> None:
        self.conn.execute(
            insert(api_keys).values(
                account_id=account_id, key_hash=key_hash, created_at=created_at, prefix=prefix
            )
        )

    def list_keys(self, account_id: int) -> list[KeyRecord]:
        """The account's keys, live and revoked, newest first."""
        rows = self.conn.execute(
            select(
                api_keys.c.id,
                api_keys.c.prefix,
                api_keys.c.created_at,
                api_keys.c.last_used_at,
                api_keys.c.revoked_at,
            )
            .where(api_keys.c.account_id == account_id)
            .order_by(api_keys.c.id.desc())
        )
        return [KeyRecord(*row) for row in rows]

    def revoke_key(self, account_id: int, key_id: int, revoked_at: str) -> bool:
        """Revoke one live key of the account; False when there is none with that id."""
        result = self.conn.execute(
            update(api_keys)
            .where(
                api_keys.c.id == key_id,
                api_keys.c.account_id == account_id,
                api_keys.c.revoked_at.is_(None),
            )
            .values(revoked_at=revoked_at)
        )
        return bool(result.rowcount)

    def mark_key_used(self, key_hash: str, used_at: str) -> None:
        self.conn.execute(
            update(api_keys).where(api_keys.c.key_hash == key_hash).values(last_used_at=used_at)
        )

    def revoke_keys(self, account_id: int, revoked_at: str) -> int:
        """Revoke the account's live keys; how many there were."""
        result = self.conn.execute(
            update(api_keys)
            .where(api_keys.c.account_id == account_id, api_keys.c.revoked_at.is_(None))
            .values(revoked_at=revoked_at)
        )
        return int(result.rowcount)
