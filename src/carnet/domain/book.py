"""The contact operations: add, update, delete, detail and list.

Each takes the account the request authenticated as; an id that belongs to
another account is answered exactly like one that does not exist.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from carnet.domain.batch import MAX_ROWS, BatchReport, add_batch
from carnet.domain.contacts import check_changes, check_contact, split_numbers
from carnet.domain.groups import require_id
from carnet.domain.ids import new_public_id, now_iso
from carnet.domain.records import Account, StoredContact
from carnet.errors import (
    CarnetError,
    DuplicateContact,
    InvalidParameter,
    MissingContactInfo,
    NotFoundError,
    StopListed,
)
from carnet.storage import GroupGone, PhoneTaken, Store

PAGE_SIZE = 100
# Far past any group's end, and small enough that positions fit a 64-bit column.
MAX_PAGE = 10**12 - 1


def _contact_mapping(raw: object, name: str = "contact") -> Mapping[str, object]:
    if raw is None:
        raise MissingContactInfo("Contact info is required")
    if not isinstance(raw, Mapping):
        raise InvalidParameter(f"{name} must be an object", errors={name: "must be an object"})
    return raw


def add_to_group(
    store: Store,
    account: Account,
    group_id: object,
    contact: object = None,
    contacts_list: object = None,
) -> StoredContact | BatchReport:
    """``contact/add``: one contact, or a batch when given a list or several numbers.

    ``contacts_list`` wins when both are given; a ``phoneNumber`` holding
    comma-separated numbers is a batch of those numbers sharing the other fields.
    """
    public_id = require_id(group_id, "groupId")
    if contacts_list is not None:
        return add_batch(store, account, public_id, contacts_list)
    if isinstance(contact, Mapping):
        numbers = split_numbers(contact.get("phoneNumber"))
        if numbers is not None:
            if len(numbers) > MAX_ROWS:
                # Refused whole (code 50) anyway: no need to build a row for each.
                return add_batch(store, account, public_id, numbers)
            rows = [{**contact, "phoneNumber": number} for number in numbers]
            return add_batch(store, account, public_id, rows)
    return add_contact(store, account, public_id, contact)


def add_contact(store: Store, account: Account, group_id: str, raw: object) -> StoredContact:
    """Store one contact; codes 2, 9/16/17/18, 14 and 15 in the contract's order.

    The checks run before the group is locked, so that concurrent adds into
    one group wait for each other only while storing: the (group, number)
    uniqueness catches a number another writer stored in between.
    """
    problem: CarnetError | None = None
    try:
        contact = check_contact(_contact_mapping(raw))
    except CarnetError as exc:
        problem = exc
    with store.write() as q:
        group = q.group(account.id, group_id)
        if group is None:
            raise NotFoundError("Group not found")
        if problem is not None:
            raise problem
        if q.stopped_phones(account.id, [contact.phone]):
            raise StopListed()
        if q.phones_in_group(group.id, [contact.phone]):
            raise DuplicateContact()
        public_id, created_at = new_public_id(), now_iso()
        try:
            seq = q.insert_contacts(account.id, group, [(public_id, contact)], created_at)
        except PhoneTaken:
            raise DuplicateContact() from None
        except GroupGone:
            raise NotFoundError("Group not found") from None
    return StoredContact(
        id=0,  # not read back: the answer needs only the public id
        public_id=public_id,
        group_public_id=group.public_id,
        seq=seq,
        fields=contact,
        created_at=created_at,
        stop_sms=False,  # it passed the stop-list check in this transaction
    )


def get_contact(store: Store, account: Account, contact_id: object) -> StoredContact:
    public_id = require_id(contact_id, "contactId")
    with store.read() as q:
        stored = q.contact(account.id, public_id)
    if stored is None:
        raise NotFoundError("Contact not found")
    return stored


def update_contact(
    store: Store, account: Account, contact_id: object, raw: object
) -> StoredContact:
    """Change the given fields; a new number passes the stop-list and duplicate checks."""
    public_id = require_id(contact_id, "contactId")
    problem: CarnetError | None = None
    changes: dict[str, str] = {}
    try:
        changes = check_changes(_contact_mapping(raw))
    except CarnetError as exc:
        problem = exc
    with store.write() as q:
        current = q.contact(account.id, public_id)
        if current is None:
            raise NotFoundError("Contact not found")
        if problem is not None:
            raise problem
        new_phone = changes.get("phone", current.fields.phone)
        if new_phone != current.fields.phone:
            group = q.lock_group(account.id, current.group_public_id)
            if group is None:  # deleted meanwhile, and the contact with it
                raise NotFoundError("Contact not found")
            if q.stopped_phones(account.id, [new_phone]):
                raise StopListed()
            if q.phones_in_group(group.id, [new_phone]):
                raise DuplicateContact()
        if changes:
            q.update_contact(current.id, changes)
        updated = q.contact(account.id, public_id)
    if updated is None:  # deleted meanwhile
        raise NotFoundError("Contact not found")
    return updated


def delete_contact(store: Store, account: Account, contact_id: object) -> None:
    public_id = require_id(contact_id, "contactId")
    with store.write() as q:
        current = q.contact(account.id, public_id)
        if current is None or not q.delete_contact(current):
            raise NotFoundError("Contact not found")


@dataclass(frozen=True, slots=True)
class Page:
    number: int
    total: int
    contacts: list[StoredContact]


def parse_page(value: object) -> int:
    """``page``: an integer from 1 to ``MAX_PAGE`` (code 3 otherwise); 1 when absent."""
    if value is None or value == "":
        return 1
    if isinstance(value, bool):
        value = None
    elif isinstance(value, str) and value.strip().isdigit() and len(value.strip()) <= 12:
        value = int(value.strip())
    if not isinstance(value, int) or not 1 <= value <= MAX_PAGE:
        raise InvalidParameter("page must be a positive integer", errors={"page": "invalid"})
    return value


def list_contacts(store: Store, account: Account, group_id: object, page: object = None) -> Page:
    """One page of a group, oldest first; a page past the end is empty."""
    public_id = require_id(group_id, "groupId")
    number = parse_page(page)
    with store.read() as q:
        group = q.group(account.id, public_id)
        if group is None:
            raise NotFoundError("Group not found")
        contacts = q.contacts_page(group, (number - 1) * PAGE_SIZE, PAGE_SIZE)
    return Page(number, group.contact_count, contacts)
