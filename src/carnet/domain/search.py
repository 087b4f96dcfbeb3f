"""Finding a person: every contact of an account holding one number, across its groups."""

from __future__ import annotations

from carnet.domain.contact_rules import check_phone
from carnet.domain.records import Account, FieldValue, NumberFound
from carnet.storage import Store


def find_number(store: Store, account: Account, phone_number: FieldValue) -> NumberFound:
    """The account's contacts with this number, any spelling, and its stop-list entry.

    The number is judged by the contact's rule for it (code 2 without one, 9
    when invalid) and looked up in E.164, so every spelling finds the same
    contacts. One snapshot: the contacts and the stop entry agree.
    """
    phone = check_phone(phone_number)
    with store.read() as q:
        return NumberFound(
            phone, q.contacts_with_phone(account.id, phone), q.stop_of_phone(account.id, phone)
        )
