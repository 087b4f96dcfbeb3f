"""A whole group read out in one go (``contact/export``, carnet's own), in flat memory."""

from __future__ import annotations

from collections.abc import Iterator

from carnet.domain.groups import find_group
from carnet.domain.records import Account, ContactRecord, GroupRecord
from carnet.errors import NotFoundError
from carnet.storage import Store

# Contacts read in one query: a chunk is all the export holds at once.
EXPORT_CHUNK = 1000


def export_group(
    store: Store, account: Account, group_id: str, *, chunk: int | None = None
) -> tuple[GroupRecord, Iterator[list[ContactRecord]]]:
    """The account's group (or :class:`NotFoundError`, before anything is read), and its
    contacts oldest first, ``chunk`` at a time (:data:`EXPORT_CHUNK` unless given).

    Each chunk is its own short read, taken up where the last ended by position in
    the group: no transaction stays open while a slow client reads, and contacts
    added meanwhile come at the end. A group deleted half-way ends the stream with
    :class:`NotFoundError`, so that a truncated export is not taken for a whole one.
    """
    with store.read() as q:
        group = find_group(q, account, group_id)
    return group, _chunks(store, account, group, chunk or EXPORT_CHUNK)


def _chunks(
    store: Store, account: Account, group: GroupRecord, chunk: int
) -> Iterator[list[ContactRecord]]:
    after = 0
    while True:
        with store.read() as q:
            if q.group(account.id, group.public_id) is None:
                raise NotFoundError("The group was deleted during the export")
            contacts = q.contacts_after(group, after, chunk)
        if not contacts:
            return
        yield contacts
        after = contacts[-1].seq
