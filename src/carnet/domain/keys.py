"""An account's API keys as the dashboard manages them: list, make one, revoke one."""

from __future__ import annotations

from carnet.domain import audit
from carnet.domain.accounts import forget_cached_keys, hash_key, key_prefix, new_key
from carnet.domain.ids import now_iso
from carnet.domain.records import Account, KeyRecord
from carnet.errors import NotFoundError
from carnet.storage import Store


def list_keys(store: Store, account: Account) -> list[KeyRecord]:
    """The account's keys, newest first, revoked ones included."""
    with store.read() as q:
        return q.list_keys(account.id)


def add_key(store: Store, account: Account) -> str:
    """A new key for the account, returned once; the others keep working."""
    key = new_key()
    with store.write() as q:
        q.insert_key(account.id, hash_key(key), now_iso(), key_prefix(key))
        audit.record(q, account, "key.created")
    return key


def revoke_key(store: Store, account: Account, key_id: int) -> None:
    """Revoke one of the account's live keys, or :class:`NotFoundError`."""
    with store.write() as q:
        if not q.revoke_key(account.id, key_id, now_iso()):
            raise NotFoundError("API key not found")
        audit.record(q, account, "key.revoked", revoked=1)
    forget_cached_keys(store)
