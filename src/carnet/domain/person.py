"""A person's data: everything an account holds about one number, exported or erased.

Each kind of data a number leaves behind is one :class:`PersonData` of
:data:`KINDS`: its name (the key of the export's document and of the erasure's
counts), a function that finds it and one that erases it, both running in the
caller's transaction. Contacts (every group), import jobs' kept rows and the
stop list, replies received and the events sent to webhooks (exported while
a delivery is pending; the number redacted from every one on erasure) are the
kinds. The stop-list entry is exported but
never erased: the person asked not to be contacted, and keeping the opt-out is
the reason to keep it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from carnet.contract import CONTACT_DETAIL_KEYS, CONTACT_FIELDS
from carnet.domain import audit
from carnet.domain.changes import contacts_changed
from carnet.domain.contact_rules import check_phone
from carnet.domain.phones import InvalidPhone, normalise_phone
from carnet.domain.records import Account, ContactRecord, FieldValue
from carnet.storage import Queries, Store
from carnet.storage.person import KeptRowOfJob

# A kind's items in the export's document: plain values (text, numbers, lists, objects).
Item = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class PersonData:
    """One kind of data about a number: how to find it, and how to erase it (None: kept)."""

    name: str
    find: Callable[[Queries, Account, str], list[Item]]
    erase: Callable[[Queries, Account, str], Sequence[str]] | None


# -- contacts, in every group ------------------------------------------------------

_DETAIL_ATTRIBUTES = {f.detail: f.attribute for f in CONTACT_FIELDS}


def _contact_item(c: ContactRecord) -> Item:
    state = {
        "contactId": c.public_id,
        "createdAt": c.created_at,
        "stopSms": c.stop_sms,
        "groupId": c.group_public_id,
    }
    return {
        key: state[key] if key in state else getattr(c.fields, _DETAIL_ATTRIBUTES[key])
        for key in CONTACT_DETAIL_KEYS
    }


def _find_contacts(q: Queries, account: Account, phone: str) -> list[Item]:
    return [_contact_item(c) for c in q.contacts_with_phone(account.id, phone)]


def _erase_contacts(q: Queries, account: Account, phone: str) -> list[str]:
    """Delete the number's contacts from every group; the ids of those deleted.

    Webhooks hear of it as of any deletion (ids only, never the number)."""
    deleted = [c for c in q.contacts_with_phone(account.id, phone) if q.delete_contact(c)]
    for c in deleted:  # one event a contact, as a deletion through the API
        contacts_changed(
            q, account.id, "contact.deleted", c.group_public_id, [c.public_id], "erasure"
        )
    return [c.public_id for c in deleted]


# -- the stop list (kept) -----------------------------------------------------------


def _find_stop(q: Queries, account: Account, phone: str) -> list[Item]:
    entry = q.stop_entry_of(account.id, phone)
    if entry is None:
        return []
    return [{"id": entry.public_id, "phoneNumber": entry.phone, "createdAt": entry.created_at}]


# -- rows kept by import jobs (refused, or stored with warnings) ----------------------


def carries(cells: Sequence[str], phone: str) -> bool:
    """Whether any cell holds ``phone`` (E.164), in any spelling a file may use."""
    digits = phone.lstrip("+")
    for cell in cells:
        cell_digits = "".join(ch for ch in cell if "0" <= ch <= "9")
        # Cheap first: the last digits of the number must be there.
        if not cell_digits or digits[-6:] not in cell_digits:
            continue
        try:
            if normalise_phone(cell) == phone:
                return True
        except InvalidPhone:
            continue
    return False


def _kept_rows(q: Queries, account: Account, phone: str) -> list[KeptRowOfJob]:
    return [k for k in q.kept_rows_of_account(account.id) if carries(k.row.cells, phone)]


def _find_kept_rows(q: Queries, account: Account, phone: str) -> list[Item]:
    return [
        {
            "importId": k.import_id,
            "fileName": k.file_name,
            "kind": k.row.kind,
            "line": k.row.line,
            "code": k.row.code,
            "reason": k.row.reason,
            "columns": list(k.header),
            "cells": list(k.row.cells),
        }
        for k in _kept_rows(q, account, phone)
    ]


def _erase_kept_rows(q: Queries, account: Account, phone: str) -> list[str]:
    found = _kept_rows(q, account, phone)
    for k in found:
        q.delete_kept_row(k.job_id, k.row.kind, k.row.line)
    return [k.import_id for k in found]


# -- replies received, and the events webhooks are sent --------------------------------


def _find_replies(q: Queries, account: Account, phone: str) -> list[Item]:
    return [
        {"replyId": r.public_id, "messageId": r.message_id, "text": r.text}
        | {"receivedAt": r.received_at, "stopped": r.stopped}
        for r in q.replies_from(account.id, phone)
    ]


def _erase_replies(q: Queries, account: Account, phone: str) -> list[str]:
    found = [r.public_id for r in q.replies_from(account.id, phone)]
    q.delete_replies_from(account.id, phone)
    return found


def _find_events(q: Queries, account: Account, phone: str) -> list[Item]:
    """Events naming the number whose delivery to a webhook is still pending."""
    return [
        {"eventId": c.public_id, "type": c.event, "createdAt": c.created_at, "data": c.data}
        for c, pending in q.changes_naming(account.id, phone)
        if pending
    ]


def _erase_events(q: Queries, account: Account, phone: str) -> list[str]:
    """The number taken out of every event's data (sent or not): ``[erased]`` instead."""
    found = q.changes_naming(account.id, phone)
    for change, _ in found:
        q.redact_change(change.id, _without(change.data, phone))
    return [change.public_id for change, _ in found]


def _without(value: Any, phone: str) -> Any:
    if isinstance(value, str):
        return value.replace(phone, ERASED)
    if isinstance(value, list):
        return [_without(v, phone) for v in value]
    if isinstance(value, dict):
        return {k: _without(v, phone) for k, v in value.items()}
    return value


ERASED = "[erased]"

KINDS: tuple[PersonData, ...] = (
    PersonData("contacts", _find_contacts, _erase_contacts),
    PersonData("stopList", _find_stop, None),
    PersonData("importRows", _find_kept_rows, _erase_kept_rows),
    PersonData("replies", _find_replies, _erase_replies),
    PersonData("webhookEvents", _find_events, _erase_events),
)


# -- the operations -----------------------------------------------------------------


def export_person(store: Store, account: Account, phone_number: FieldValue) -> dict[str, Any]:
    """Everything the account holds about the number (any spelling), kind by kind.

    Code 2 without a number, 9 when it is not a valid one.
    """
    phone = check_phone(phone_number)
    with store.read() as q:
        return {"phoneNumber": phone, **{k.name: k.find(q, account, phone) for k in KINDS}}


@dataclass(frozen=True, slots=True)
class Erasure:
    """What an erasure removed, by kind, and whether the number stays on the stop list."""

    phone: str
    erased: dict[str, int]
    kept_on_stop_list: bool


def erase_person(store: Store, account: Account, phone_number: FieldValue) -> Erasure:
    """Erase the number from every kind that may be erased, in one transaction.

    Idempotent: a second erasure finds nothing and answers zeros. The audit
    trail's entry names the ids touched and the counts, never the number.
    """
    phone = check_phone(phone_number)
    erased: dict[str, int] = {}
    ids: list[str] = []
    with store.write() as q:
        for kind in KINDS:
            if kind.erase is not None:
                touched = kind.erase(q, account, phone)
                erased[kind.name] = len(touched)
                ids.extend(dict.fromkeys(touched))
        kept = q.stop_entry_of(account.id, phone) is not None
        audit.record(q, account, "person.erased", ids, **erased)
    return Erasure(phone, erased, kept)
