"""The contact operations: add one, update, delete, detail and list (batches: ``batch``).

Each takes the account the caller acts for; an id that belongs to another
account is answered exactly like one that does not exist, after the same one
query scoped by account.
"""

from __future__ import annotations

from dataclasses import dataclass

from carnet.contract import PAGE_SIZE
from carnet.domain import audit
from carnet.domain.changes import contacts_changed
from carnet.domain.contact_rules import check_changes, check_contact
from carnet.domain.groups import find_group
from carnet.domain.ids import is_possible_id
from carnet.domain.records import Account, ContactInput, ContactRecord
from carnet.domain.single_adds import SingleAdd, store_contact
from carnet.errors import (
    CarnetError,
    DuplicateContact,
    InvalidParameter,
    MissingContactInfo,
    NotFoundError,
    StopListed,
)
from carnet.storage import Queries, Store

# Far past any group's end, and small enough that positions fit a 64-bit column.
MAX_PAGE = 10**12 - 1


def _find_contact(q: Queries, account: Account, contact_id: str) -> ContactRecord:
    contact = q.contact(account.id, contact_id) if is_possible_id(contact_id) else None
    if contact is None:
        raise NotFoundError("Contact not found")
    return contact


def single_add(account: Account, group_id: str, given: ContactInput | None) -> SingleAdd:
    """One add with its fields judged: codes 2, then 9/3/18/16/17; no lookup yet.

    ``given`` is None when no contact was given at all (code 2). What passes
    is stored by :meth:`~carnet.domain.single_adds.SingleAdds.add` (the server's
    adds, sharing transactions) or :func:`add_contact`.
    """
    if given is None:
        raise MissingContactInfo("Contact info is required")
    return SingleAdd(account, group_id, check_contact(given))


def add_contact(
    store: Store, account: Account, group_id: str, given: ContactInput | None
) -> ContactRecord:
    """Store one contact; codes 404, 2, 9/3/18/16/17, 14 and 15 in the contract's order.

    The fields are judged first, outside any transaction; a contact that passes
    is stored in a transaction of its own, which judges the stop list and the
    numbers of the group under the group's lock.
    """
    try:
        add = single_add(account, group_id, given)
    except CarnetError:
        # The contract answers an unknown group (404) before the contact's form.
        with store.read() as q:
            find_group(q, account, group_id)
        raise
    return store_contact(store, add)


def get_contact(store: Store, account: Account, contact_id: str) -> ContactRecord:
    """The account's contact, or :class:`NotFoundError`."""
    with store.read() as q:
        return _find_contact(q, account, contact_id)


def update_contact(
    store: Store, account: Account, contact_id: str, changes: ContactInput | None
) -> ContactRecord:
    """Change the given fields; a new number passes the stop-list and duplicate checks.

    ``changes`` is None when none were given at all (code 2, after the 404).
    """
    problem: CarnetError | None = None
    values: dict[str, str] = {}
    try:
        if changes is None:
            raise MissingContactInfo("Contact info is required")
        values = check_changes(changes)
    except CarnetError as exc:
        problem = exc
    with store.write() as q:
        current = _find_contact(q, account, contact_id)
        if problem is not None:
            raise problem
        new_phone = values.get("phone", current.fields.phone)
        if new_phone != current.fields.phone:
            group = q.lock_group(account.id, current.group_public_id)
            if group is None:  # deleted meanwhile, and the contact with it
                raise NotFoundError("Contact not found")
            if q.stopped_phones(account.id, [new_phone]):
                raise StopListed()
            if q.phones_in_group(group.id, [new_phone]):
                raise DuplicateContact()
        if values:
            q.update_contact(current.id, values)
            contacts_changed(
                q, account.id, "contact.updated", current.group_public_id, [contact_id]
            )
            audit.record(q, account, "contact.updated", [current.public_id], fields=len(values))
        updated = q.contact(account.id, contact_id)
    if updated is None:  # deleted meanwhile
        raise NotFoundError("Contact not found")
    return updated


def delete_contact(store: Store, account: Account, contact_id: str) -> None:
    """Delete the account's contact, or :class:`NotFoundError`."""
    with store.write() as q:
        current = _find_contact(q, account, contact_id)
        if not q.delete_contact(current):
            raise NotFoundError("Contact not found")  # deleted meanwhile
        contacts_changed(q, account.id, "contact.deleted", current.group_public_id, [contact_id])
        audit.record(q, account, "contact.deleted", [current.public_id, current.group_public_id])


@dataclass(frozen=True, slots=True)
class GroupPage:
    """One page of a group's contacts, and how many the group holds."""

    number: int
    total: int
    contacts: list[ContactRecord]


def list_contacts(store: Store, account: Account, group_id: str, page: int = 1) -> GroupPage:
    """Page ``page`` (from 1) of a group, oldest first; a page past the end is empty."""
    if not 1 <= page <= MAX_PAGE:
        raise InvalidParameter("page must be a positive integer", errors={"page": "invalid"})
    with store.read() as q:
        group = find_group(q, account, group_id)
        contacts = q.contacts_page(group, (page - 1) * PAGE_SIZE, PAGE_SIZE)
    return GroupPage(page, group.contact_count, contacts)
