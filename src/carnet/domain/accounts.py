"""Accounts and their API keys. Keys are shown once and stored as hashes only."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import secrets
import threading
import time

from carnet.contract import ACCOUNT_NAME_MAX, API_KEY_MAX
from carnet.domain import audit
from carnet.domain.ids import now_iso
from carnet.domain.records import Account
from carnet.domain.text import has_control_characters
from carnet.errors import AuthenticationError, ConflictError, InvalidParameter, NotFoundError
from carnet.storage import Store

KEY_PREFIX_LENGTH = 6
# A key's "last used" is written at most once a minute per key and process, so
# that the API's requests do not each cost a write.
_USE_MARK_SECONDS = 60.0
_marked: dict[str, float] = {}
_marked_lock = threading.Lock()


def hash_key(key: str) -> str:
    """The SHA-256 of ``key``, hex: what is stored and looked up, never the key."""
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def key_prefix(key: str) -> str:
    """The first characters of a key, kept to tell keys apart in the dashboard."""
    return key[:KEY_PREFIX_LENGTH]


def new_key() -> str:
    """A fresh random API key."""
    return secrets.token_urlsafe(32)


def _check_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > ACCOUNT_NAME_MAX:
        raise InvalidParameter(
            f"account name must be 1 to {ACCOUNT_NAME_MAX} characters", errors={"name": "invalid"}
        )
    if has_control_characters(name):
        raise InvalidParameter(
            "account name must not hold control characters", errors={"name": "invalid"}
        )
    return name


def create_account(store: Store, name: str, key: str | None = None) -> tuple[Account, str]:
    """Create an account with a fresh key (or ``key``); return it and the key."""
    name = _check_name(name)
    key = key or new_key()
    with store.write() as q:
        if q.account_named(name) is not None:
            raise ConflictError(f"an account named {name!r} exists already")
        now = now_iso()
        account = q.insert_account(name, now)
        q.insert_key(account.id, hash_key(key), now, key_prefix(key))
        audit.record(q, account, "account.created")
        audit.record(q, account, "key.created")
    return account, key


def rotate_key(store: Store, name: str) -> str:
    """Revoke the account's keys and give it a new one, returned once."""
    key = new_key()
    with store.write() as q:
        account = q.account_named(name)
        if account is None:
            raise NotFoundError(f"no account named {name!r}")
        now = now_iso()
        revoked = q.revoke_keys(account.id, now)
        q.insert_key(account.id, hash_key(key), now, key_prefix(key))
        audit.record(q, account, "key.rotated", revoked=revoked)
    return key


def revoke_keys(store: Store, name: str) -> int:
    """Revoke every key of the account; return how many were revoked."""
    with store.write() as q:
        account = q.account_named(name)
        if account is None:
            raise NotFoundError(f"no account named {name!r}")
        revoked = q.revoke_keys(account.id, now_iso())
        audit.record(q, account, "key.revoked", revoked=revoked)
        return revoked


def list_accounts(store: Store) -> list[Account]:
    """Every account, oldest first."""
    with store.read() as q:
        return q.list_accounts()


def ensure_default_account(store: Store, key: str | None = None) -> str | None:
    """On a database with no account, create ``default``; return its new key.

    Returns None when an account exists already. ``key`` (from
    ``CARNET_BOOTSTRAP_API_KEY``) is used instead of a random key when given.
    """
    with store.read() as q:
        if q.count_accounts() > 0:
            return None
    try:
        _, created = create_account(store, "default", key)
    except ConflictError:  # another process created it first
        return None
    return created


def authenticate(store: Store, key: str | None) -> Account:
    """The account that owns ``key``, or :class:`AuthenticationError` (code 10)."""
    if not key:
        raise AuthenticationError("API key is required")
    if len(key) > API_KEY_MAX:
        raise AuthenticationError("Incorrect API key")
    # Looked up by its SHA-256: how long the index search takes depends on the
    # hash, never on how much of the key itself was right.
    with store.read() as q:
        account = q.account_for_key(hash_key(key))
    if account is None:
        raise AuthenticationError("Incorrect API key")
    _note_use(store, hash_key(key))
    return dataclasses.replace(account, who=audit.key_prefix(key))


def _note_use(store: Store, key_hash: str) -> None:
    now = time.monotonic()
    with _marked_lock:
        last = _marked.get(key_hash)
        if last is not None and now - last < _USE_MARK_SECONDS:
            return
        if len(_marked) > 10_000:
            _marked.clear()
        _marked[key_hash] = now
    # Bookkeeping only: a busy database must not fail the request it serves.
    with contextlib.suppress(Exception), store.write() as q:
        q.mark_key_used(key_hash, now_iso())
