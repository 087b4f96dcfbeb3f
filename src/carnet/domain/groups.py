"""Groups: named lists of contacts, owned by one account."""

from __future__ import annotations

from carnet.contract import GROUP_NAME_MAX
from carnet.domain import audit
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
        audit.record(q, account, "group.deleted", [group.public_id], contacts=group.contact_count)
