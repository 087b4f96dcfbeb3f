"""The stop list: numbers an account must not add or send to."""

from __future__ import annotations

from carnet.domain import audit
from carnet.domain.contact_rules import check_phone
from carnet.domain.ids import is_possible_id, new_public_id, now_iso
from carnet.domain.records import Account, FieldValue, StopRecord
from carnet.errors import NotFoundError
from carnet.storage import Store


def add_stop(store: Store, account: Account, phone_number: FieldValue) -> StopRecord:
    """Stop a number; a number already stopped answers with its existing entry.

    The number is judged by the contact's rule for it: code 2 without one,
    code 9 when it is not a valid number.
    """
    phone = check_phone(phone_number)
    public_id = new_public_id()
    with store.write() as q:
        entry = q.insert_stop(account.id, public_id, phone, now_iso())
        if entry.public_id == public_id:  # not stopped already: a change
            audit.record(q, account, "stop.added", [str(entry.public_id)])
        return entry


def list_stops(store: Store, account: Account) -> list[StopRecord]:
    """The account's stop list, oldest first."""
    with store.read() as q:
        return q.list_stops(account.id)


def delete_stop(store: Store, account: Account, stop_id: str) -> None:
    """Take the account's entry ``stop_id`` off the list, or :class:`NotFoundError`."""
    if is_possible_id(stop_id):
        with store.write() as q:
            if q.delete_stop(account.id, stop_id):
                audit.record(q, account, "stop.deleted", [stop_id])
                return
    raise NotFoundError("Stop entry not found")
