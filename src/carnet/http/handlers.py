"""One handler per endpoint: read the parameters, make one domain call, shape the answer.

A handler runs off the event loop with the account the request authenticated
as; what it returns goes into the success envelope.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from carnet import metrics
from carnet.domain import batch, contacts, groups, lookup, moves, search, stoplist
from carnet.domain.records import Account
from carnet.domain.single_adds import SingleAdds
from carnet.errors import CarnetError, InvalidParameter
from carnet.http import shapes
from carnet.http.params import (
    ManyContacts,
    batch_options,
    contact_object,
    contacts_to_add,
    listed,
    page_number,
    required_id,
    stop_id,
    stray_fields_hint,
)
from carnet.http.wire import Params
from carnet.storage import Store


@dataclass(frozen=True, slots=True)
class Call:
    """One authenticated request, as a handler needs it."""

    store: Store
    account: Account
    params: Params


Handler = Callable[[Call], Mapping[str, Any]]
# Answers on the event loop what needs no wait there; None leaves it to the Handler.
LoopHandler = Callable[[Call, SingleAdds], Awaitable[Mapping[str, Any] | None]]


# -- groups --------------------------------------------------------------------


def add_group(call: Call) -> dict[str, Any]:
    """``POST /v1/group/add``: the new group's name and id."""
    group = groups.add_group(call.store, call.account, required_id(call.params, "name"))
    return {"name": group.name, "groupId": group.public_id}


def list_groups(call: Call) -> dict[str, Any]:
    """``GET /v1/group/list``: the account's groups."""
    return {"groups": [shapes.group(g) for g in groups.list_groups(call.store, call.account)]}


def update_group(call: Call) -> dict[str, Any]:
    """``POST /v1/group/update`` (carnet's own): rename; the group's name and id."""
    group_id = required_id(call.params, "groupId")
    try:
        name = required_id(call.params, "name")
    except InvalidParameter:
        # The contract answers an unknown group (404) before the name's form.
        groups.get_group(call.store, call.account, group_id)
        raise
    group = groups.rename_group(call.store, call.account, group_id, name)
    return {"name": group.name, "groupId": group.public_id}


def delete_group(call: Call) -> dict[str, Any]:
    """``/v1/group/delete``: the group and its contacts go."""
    groups.delete_group(call.store, call.account, required_id(call.params, "groupId"))
    return {}


# -- contacts ------------------------------------------------------------------


def add_contacts(call: Call) -> dict[str, Any]:
    """``POST /v1/contact/add``: one contact as stored, or a batch's report."""
    group_id = required_id(call.params, "groupId")
    try:
        given = contacts_to_add(call.params)
        options = batch_options(call.params)
        if options != batch.BatchOptions() and not isinstance(given, ManyContacts):
            raise InvalidParameter(
                "dryRun, keepInvalidOptional and upsert apply to a batch (contactsList, or "
                "several numbers in phoneNumber)",
                errors={"contactsList": "required with dryRun, keepInvalidOptional or upsert"},
            )
    except InvalidParameter:
        # The contract answers an unknown group (404) before the contacts' form.
        groups.get_group(call.store, call.account, group_id)
        raise
    if isinstance(given, ManyContacts):
        report = batch.add_batch(call.store, call.account, group_id, given.rows, options)
        metrics.contacts_added("batch", 0 if options.dry_run else report.imported, report.counts())
        return shapes.batch_report(report)
    with stray_fields_hint(call.params):
        added = contacts.add_contact(call.store, call.account, group_id, given.contact)
    metrics.contacts_added("single", 1)
    return {"contact": shapes.contact_as_sent(added)}


async def add_one_contact(call: Call, adds: SingleAdds) -> dict[str, Any] | None:
    """``POST /v1/contact/add`` of one contact whose fields pass, awaited on the event
    loop while it is stored with the adds beside it; None for anything else.

    What this leaves (a batch, an error in the parameters or the fields) is
    answered by :func:`add_contacts`, in the contract's order of checks.
    """
    try:
        group_id = required_id(call.params, "groupId")
        given = contacts_to_add(call.params)
        if isinstance(given, ManyContacts) or batch_options(call.params) != batch.BatchOptions():
            return None
        add = contacts.single_add(call.account, group_id, given.contact)
    except CarnetError:
        return None
    added = await adds.add(add)
    metrics.contacts_added("single", 1)
    return {"contact": shapes.contact_as_sent(added)}


def update_contact(call: Call) -> dict[str, Any]:
    """``POST /v1/contact/update``: the whole contact after the change."""
    contact_id = required_id(call.params, "contactId")
    try:
        changes = contact_object(call.params)
    except InvalidParameter:
        # The contract answers an unknown contact (404) before the contact's form.
        contacts.get_contact(call.store, call.account, contact_id)
        raise
    with stray_fields_hint(call.params):
        updated = contacts.update_contact(call.store, call.account, contact_id, changes)
    return {"contact": shapes.contact_as_sent(updated)}


def delete_contact(call: Call) -> dict[str, Any]:
    """``POST /v1/contact/delete``."""
    contacts.delete_contact(call.store, call.account, required_id(call.params, "contactId"))
    return {}


def contact_detail(call: Call) -> dict[str, Any]:
    """``GET /v1/contact/detail``: one contact."""
    contact_id = required_id(call.params, "contactId")
    stored = contacts.get_contact(call.store, call.account, contact_id)
    return {"contact": shapes.contact_detail(stored)}


def list_contacts(call: Call) -> dict[str, Any]:
    """``/v1/contact/list``: a page of a group's contacts."""
    group_id = required_id(call.params, "groupId")
    page = contacts.list_contacts(call.store, call.account, group_id, page_number(call.params))
    return {
        "currentPage": page.number,
        "total": str(page.total),  # a string of digits, as upstream
        "datas": [shapes.contact_detail(c) for c in page.contacts],
    }


# -- stop list -----------------------------------------------------------------


def list_stops(call: Call) -> dict[str, Any]:
    """``GET /v1/stop-sms/list``: the account's stop list."""
    entries = stoplist.list_stops(call.store, call.account)
    return {"nbData": len(entries), "data": [shapes.stop_entry(e) for e in entries]}


def add_stop(call: Call) -> dict[str, Any]:
    """``POST /v1/stop-sms/add``: the entry's id (the existing one if stopped already)."""
    entry = stoplist.add_stop(call.store, call.account, call.params.get("phoneNumber"))
    return {"stopId": entry.public_id}


def delete_stop(call: Call) -> dict[str, Any]:
    """``/v1/stop-sms/delete``."""
    stoplist.delete_stop(call.store, call.account, stop_id(call.params, "id"))
    return {}


# -- carnet's own: finding a number --------------------------------------------


def search_contacts(call: Call) -> dict[str, Any]:
    """``GET /v1/contact/search``: the account's contacts with a number, in every group."""
    found = search.find_number(call.store, call.account, call.params.get("phoneNumber"))
    body: dict[str, Any] = {
        "phoneNumber": found.phone,
        "contacts": [shapes.contact_detail(c) for c in found.contacts],
        "stopSms": found.stop is not None,
    }
    if found.stop is not None:
        body["stopId"] = found.stop.public_id
    return body


def lookup_numbers(call: Call) -> dict[str, Any]:
    """``POST /v1/lookup`` (upstream's): one description a number, in order."""
    found = lookup.lookup_numbers(listed(call.params, "phoneNumbers"))
    return {"lookup": [shapes.number_lookup(n) for n in found]}


# -- carnet's own: moving and copying ------------------------------------------


def _transfer(call: Call, *, copy: bool) -> dict[str, Any]:
    group_id = required_id(call.params, "groupId")
    try:
        contact_ids = listed(call.params, "contactIds")
    except InvalidParameter:
        # The contract answers an unknown group (404) before the ids' form.
        groups.get_group(call.store, call.account, group_id)
        raise
    outcome = moves.transfer_contacts(call.store, call.account, contact_ids, group_id, copy=copy)
    return shapes.transfer_report(outcome)


def move_contacts(call: Call) -> dict[str, Any]:
    """``POST /v1/contact/move``: each contact into the group, keeping its id; a report."""
    return _transfer(call, copy=False)


def copy_contacts(call: Call) -> dict[str, Any]:
    """``POST /v1/contact/copy``: a copy of each contact in the group, with a new id; a report."""
    return _transfer(call, copy=True)
