"""The stop list: numbers an account must not add or send to."""

from __future__ import annotations

from carnet.domain import audit
from carnet.domain.changes import Change, record
from carnet.domain.contact_rules import check_phone
from carnet.domain.ids import is_possible_stop_id, new_stop_id, now_iso
from carnet.domain.records import Account, FieldValue, StopRecord
from carnet.errors import NotFoundError
from carnet.storage import Queries, Store


def stop_number(q: Queries, account: Account, phone: str, *, actor: str = "api") -> StopRecord:
    """Put ``phone`` (E.164) on the stop list in ``q``'s transaction; the entry, new or not.

    A new entry is recorded as a ``stop.added`` change and in the audit trail.
    """
    public_id = new_stop_id()
    entry = q.insert_stop(account.id, public_id, phone, now_iso())
    if entry.public_id == public_id:
        data = {"stopId": entry.public_id, "phoneNumber": entry.phone}
        record(q, Change(account.id, "stop.added", data, (str(entry.public_id),), actor))
        audit.record(q, account, "stop.added", [str(entry.public_id)])
    return entry


def add_stop(store: Store, account: Account, phone_number: FieldValue) -> StopRecord:
    """Stop a number; a number already stopped answers with its existing entry.

    The number is judged by the contact's rule for it: code 2 without one,
    code 9 when it is not a valid number.
    """
    phone = check_phone(phone_number)
    with store.write() as q:
        return stop_number(q, account, phone)


def list_stops(store: Store, account: Account) -> list[StopRecord]:
    """The account's stop list, oldest first."""
    with store.read() as q:
        return q.list_stops(account.id)


def delete_stop(store: Store, account: Account, stop_id: int) -> None:
    """Take the account's entry ``stop_id`` off the list, or :class:`NotFoundError`."""
    if is_possible_stop_id(stop_id):
        with store.write() as q:
            phone = q.stopped_phone(account.id, stop_id)
            if q.delete_stop(account.id, stop_id):
                data = {"stopId": stop_id, "phoneNumber": phone or ""}
                record(q, Change(account.id, "stop.deleted", data, (str(stop_id),)))
                audit.record(q, account, "stop.deleted", [str(stop_id)])
                return
    raise NotFoundError("Stop entry not found")
