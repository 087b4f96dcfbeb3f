"""The stop list: numbers an account must not add or send to."""

from __future__ import annotations

from carnet.domain.contacts import BAD_PHONE
from carnet.domain.groups import require_id
from carnet.domain.ids import new_public_id, now_iso
from carnet.domain.phones import InvalidPhone, normalise_phone
from carnet.domain.records import Account, StopEntry
from carnet.errors import InvalidFields, MissingContactInfo, NotFoundError
from carnet.storage import Store


def add_stop(store: Store, account: Account, phone_number: object) -> StopEntry:
    """Stop a number; a number already stopped answers with its existing entry."""
    if phone_number is None or (isinstance(phone_number, str) and not phone_number.strip()):
        raise MissingContactInfo("phoneNumber is required")
    text = phone_number if isinstance(phone_number, str) else None
    if isinstance(phone_number, int) and not isinstance(phone_number, bool):
        text = str(phone_number)
    try:
        if text is None:
            raise InvalidPhone("must be a string")
        phone = normalise_phone(text)
    except InvalidPhone as exc:
        raise InvalidFields({"phoneNumber": str(exc)}, {"phoneNumber": BAD_PHONE}) from None
    with store.write() as q:
        return q.insert_stop(account.id, new_public_id(), phone, now_iso())


def list_stops(store: Store, account: Account) -> list[StopEntry]:
    with store.read() as q:
        return q.list_stops(account.id)


def delete_stop(store: Store, account: Account, stop_id: object) -> None:
    public_id = require_id(stop_id, "id")
    with store.write() as q:
        if not q.delete_stop(account.id, public_id):
            raise NotFoundError("Stop entry not found")
