"""Accounts and their API keys. Keys are shown once and stored as hashes only."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import secrets
import threading
import time
import weakref

from carnet.contract import ACCOUNT_NAME_MAX, API_KEY_MAX, API_KEY_REVOKED_WITHIN
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
# A key found is trusted this long without another read: half the time within
# which the contract says a revoked key stops working on every worker.
KEY_CACHE_SECONDS = API_KEY_REVOKED_WITHIN / 2


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
    forget_cached_keys(store)
    return key


def revoke_keys(store: Store, name: str) -> int:
    """Revoke every key of the account; return how many were revoked."""
    with store.write() as q:
        account = q.account_named(name)
        if account is None:
            raise NotFoundError(f"no account named {name!r}")
        revoked = q.revoke_keys(account.id, now_iso())
        audit.record(q, account, "key.revoked", revoked=revoked)
    forget_cached_keys(store)
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


class KeyCache:
    """The accounts of keys found lately (each as its key acts for it), for at most
    ``ttl`` seconds each.

    Each request authenticates; most carry a key seen a moment ago. A key found
    is trusted again without a read for ``ttl`` seconds, so that a key revoked
    or rotated (by ``carnet account`` in another process, say) stops working on
    every worker within that time. Keys not found are not kept: each is read
    again. At most ``size`` keys are kept, by their hash, never in clear.
    """

    def __init__(self, ttl: float = KEY_CACHE_SECONDS, size: int = 1024) -> None:
        self.ttl = ttl
        self.size = size
        self._found: dict[str, tuple[Account, float]] = {}

    def get(self, key_hash: str) -> Account | None:
        found = self._found.get(key_hash)
        if found is None or found[1] <= time.monotonic():
            return None
        return found[0]

    def put(self, key_hash: str, account: Account) -> None:
        if len(self._found) >= self.size:
            self._found.clear()
        self._found[key_hash] = (account, time.monotonic() + self.ttl)


_caches: weakref.WeakKeyDictionary[Store, KeyCache] = weakref.WeakKeyDictionary()


def forget_cached_keys(store: Store) -> None:
    """After a revocation: this process reads every key again (others within the time)."""
    _caches.pop(store, None)


def authenticate(store: Store, key: str | None) -> Account:
    """The account that owns ``key``, or :class:`AuthenticationError` (code 10).

    A key found is trusted for :data:`KEY_CACHE_SECONDS` without another read
    (:class:`KeyCache`): a revoked key stops working within that time.
    """
    if not key:
        raise AuthenticationError("API key is required")
    if len(key) > API_KEY_MAX:
        raise AuthenticationError("Incorrect API key")
    # Looked up by its SHA-256: how long the index search takes depends on the
    # hash, never on how much of the key itself was right.
    key_hash = hash_key(key)
    cache = _caches.get(store)
    if cache is None:
        cache = _caches.setdefault(store, KeyCache())
    account = cache.get(key_hash)
    if account is None:
        with store.read() as q:
            found = q.account_for_key(key_hash)
        if found is None:
            raise AuthenticationError("Incorrect API key")
        # Kept as the key acts for it: the hash names one key, so one ``who``.
        account = _acting(found, key)
        cache.put(key_hash, account)
    _note_use(store, key_hash)
    return account


def known_account(store: Store, key: str | None) -> Account | None:
    """What :func:`authenticate` answers for ``key`` when it needs no database: a key
    found lately (:class:`KeyCache`) whose use was noted lately; else None.

    For a caller on an event loop, which must not wait for the database.
    """
    if not key or len(key) > API_KEY_MAX:
        return None
    key_hash = hash_key(key)
    cache = _caches.get(store)
    account = cache.get(key_hash) if cache is not None else None
    if account is None:
        return None
    with _marked_lock:
        last = _marked.get(key_hash)
    if last is None or time.monotonic() - last >= _USE_MARK_SECONDS:
        return None
    return account


def _acting(account: Account, key: str) -> Account:
    """The account as ``key`` acts for it: the audit trail's ``who`` is the key's prefix."""
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
