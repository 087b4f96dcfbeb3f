"""Groups: named lists of contacts, owned by one account."""

from __future__ import annotations

import dataclasses

from carnet.contract import GROUP_NAME_MAX
from carnet.domain import audit
from carnet.domain.changes import Change, record
from carnet.domain.ids import is_possible_id, new_public_id, now_iso
from carnet.domain.records import Account, GroupRecord
from carnet.domain.text import has_control_characters, is_unicode_text
from carnet.errors import InvalidParameter, MissingParameter, NotFoundError
from carnet.storage import Queries, Store


def find_group(q: Queries, account: Account, group_id: str, *, lock: bool = False) -> GroupRecord:
    """The account's group, in transaction ``q``, or :class:`NotFoundError`.

    One query scoped by the account, whoever owns the id. With ``lock``, the
    group stays locked against other writers into it until commit.
    """
    group = None
    if is_possible_id(group_id):
        find = q.lock_group if lock else q.group
        group = find(account.id, group_id)
    if group is None:
        raise NotFoundError("Group not found")
    return group


def get_group(store: Store, account: Account, group_id: str) -> GroupRecord:
    """The account's group, or :class:`NotFoundError`."""
    with store.read() as q:
        return find_group(q, account, group_id)


def _check_name(name: str) -> str:
    text = name.strip()
    if not text:
        raise MissingParameter("name is required", errors={"name": "required"})
    if not is_unicode_text(text):
        raise InvalidParameter("name is not valid Unicode text", errors={"name": "invalid text"})
    if has_control_characters(text):
        reason = "must not hold control characters"
        raise InvalidParameter(f"name {reason}", errors={"name": reason})
    if len(text) > GROUP_NAME_MAX:
        reason = f"at most {GROUP_NAME_MAX} characters"
        raise InvalidParameter(f"name is {reason}", errors={"name": reason})
    return text


def add_group(store: Store, account: Account, name: str) -> GroupRecord:
    """Create a group named ``name`` (trimmed; 1 to 255 characters, no control character)."""
    text = _check_name(name)
    with store.write() as q:
        group = q.insert_group(account.id, new_public_id(), text, now_iso())
        audit.record(q, account, "group.added", [group.public_id])
        return group


def list_groups(store: Store, account: Account) -> list[GroupRecord]:
    """The account's groups, oldest first, with their contact counts."""
    with store.read() as q:
        return q.list_groups(account.id)


def delete_group(store: Store, account: Account, group_id: str) -> None:
    """Delete the group and, in the same transaction, its contacts."""
    with store.write() as q:
        group = find_group(q, account, group_id, lock=True)
        q.delete_group(group.id)
        if group.contact_count:
            # The ids of a whole group may be millions: the change names the group.
            data = {"groupId": group.public_id, "contactIds": [], "count": group.contact_count}
            record(q, Change(account.id, "contact.deleted", {**data, "groupDeleted": True}))
        audit.record(q, account, "group.deleted", [group.public_id], contacts=group.contact_count)


def rename_group(store: Store, account: Account, group_id: str, name: str) -> GroupRecord:
    """Rename the account's group, by the rules of a new group's name; answers it renamed.

    The group's 404 answers before the name's form (the contract's order).
    """
    problem: InvalidParameter | MissingParameter | None = None
    try:
        text = _check_name(name)
    except (InvalidParameter, MissingParameter) as exc:
        problem = exc
    with store.write() as q:
        group = find_group(q, account, group_id, lock=True)
        if problem is not None:
            raise problem
        q.rename_group(group.id, text)
        audit.record(q, account, "group.renamed", [group.public_id])
    return dataclasses.replace(group, name=text)
