"""Groups: named lists of contacts, owned by one account."""

from __future__ import annotations

from carnet.domain.contacts import is_unicode_text
from carnet.domain.ids import new_public_id, now_iso
from carnet.domain.records import Account, Group
from carnet.errors import InvalidParameter, MissingParameter, NotFoundError
from carnet.storage import Store

NAME_MAX = 255


def require_id(value: object, name: str) -> str:
    """A required id parameter as text: code 1 when absent, 3 when not a string."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise MissingParameter(name)
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise InvalidParameter(f"{name} must be a string", errors={name: "must be a string"})
    if not is_unicode_text(value):
        raise InvalidParameter(f"{name} is not valid Unicode text", errors={name: "invalid text"})
    return value.strip()


def add_group(store: Store, account: Account, name: object) -> Group:
    text = require_id(name, "name")
    if len(text) > NAME_MAX:
        raise InvalidParameter(
            f"name is at most {NAME_MAX} characters",
            errors={"name": f"at most {NAME_MAX} characters"},
        )
    with store.write() as q:
        return q.insert_group(account.id, new_public_id(), text, now_iso())


def list_groups(store: Store, account: Account) -> list[Group]:
    with store.read() as q:
        return q.list_groups(account.id)


def get_group(store: Store, account: Account, group_id: object) -> Group:
    public_id = require_id(group_id, "groupId")
    with store.read() as q:
        group = q.group(account.id, public_id)
    if group is None:
        raise NotFoundError("Group not found")
    return group


def delete_group(store: Store, account: Account, group_id: object) -> None:
    """Delete the group and, in the same transaction, its contacts."""
    public_id = require_id(group_id, "groupId")
    with store.write() as q:
        group = q.lock_group(account.id, public_id)
        if group is None:
            raise NotFoundError("Group not found")
        q.delete_group(group.id)
