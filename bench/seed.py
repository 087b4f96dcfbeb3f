"""A big group, seeded straight through the storage layer in large transactions."""

from __future__ import annotations

import time

from carnet.domain.accounts import ensure_default_account
from carnet.domain.groups import add_group
from carnet.domain.ids import new_public_id, now_iso
from carnet.domain.records import Account, ValidContact
from carnet.storage import Store

CHUNK = 50_000


def seed_group(database_url: str, api_key: str, rows: int) -> tuple[str, list[str], float]:
    """Create the default account and a group of ``rows`` contacts.

    Returns the group's id, a few contact ids spread over the group, and the
    seconds it took.
    """
    started = time.perf_counter()
    store = Store.open(database_url, pool_size=1)
    try:
        ensure_default_account(store, api_key)
        with store.read() as q:
            account: Account = q.list_accounts()[0]
        group = add_group(store, account, "million")
        sample: list[str] = []
        created = now_iso()
        for start in range(0, rows, CHUNK):
            batch = []
            for n in range(start, min(rows, start + CHUNK)):
                public_id = new_public_id()
                batch.append((public_id, ValidContact(phone=f"+336{n:08d}", firstname="Seed")))
                if n % 9973 == 0:
                    sample.append(public_id)
            with store.write() as q:
                locked = q.lock_group(account.id, group.public_id)
                assert locked is not None
                q.insert_contacts(account.id, locked, batch, created)
    finally:
        store.close()
    return group.public_id, sample, time.perf_counter() - started
