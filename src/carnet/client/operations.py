"""The calls of the API as data: method, path, parameters, and how to read the answer.

Each function builds one :class:`Operation` and sends nothing; ``Client`` and
``AsyncClient`` hand operations to their I/O loop. The API key is not part of
an operation: the client adds it when it builds the request.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import islice
from typing import Any, Generic, TypeVar

from carnet import contract
from carnet.client.fields import OPTIONAL_KEYWORDS, PHONE, REQUEST_NAMES, HasRow, wire_fields
from carnet.client.fields import wire_row as _wire_row
from carnet.client.finding import Lookup, NumberMatches
from carnet.client.models import BatchReport, Contact, ContactPage, Group, StopEntry
from carnet.client.privacy import AuditPage, Erasure

T = TypeVar("T")
Item = TypeVar("Item")

# Rows a single ``contact/add`` may carry.
BATCH_SIZE = contract.BATCH_MAX

_CHANGEABLE = frozenset(REQUEST_NAMES)


@dataclass(frozen=True, slots=True)
class Operation(Generic[T]):
    """One request of the API and how to read its answer.

    ``idempotent``: sending it twice does no more than sending it once, so the
    retry policy may send it again after a 429 or 503.
    """

    method: str
    path: str
    params: dict[str, Any]
    read: Callable[[dict[str, Any]], T]
    idempotent: bool
    # Files sent as multipart/form-data with the parameters (an upload).
    files: Mapping[str, Any] | None = None
    # The answer is a file (CSV), read as {"content": bytes}; errors stay envelopes.
    raw: bool = False
    # The answer is a file read as it arrives, handed over as {"response": httpx.Response}
    # (open: the caller reads and closes it); errors stay envelopes.
    stream: bool = False


def batched(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    """Lists of ``size`` items (the last one shorter), read lazily from ``items``."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _nothing(body: dict[str, Any]) -> None:
    return None


# -- groups --------------------------------------------------------------------


def add_group(name: str) -> Operation[Group]:
    def read(body: dict[str, Any]) -> Group:
        return Group(id=str(body["groupId"]), name=str(body.get("name", name)))

    return Operation("POST", "/v1/group/add", {"name": name}, read, idempotent=False)


def list_groups() -> Operation[list[Group]]:
    def read(body: dict[str, Any]) -> list[Group]:
        return [Group.from_wire(g) for g in body["groups"]]

    return Operation("GET", "/v1/group/list", {}, read, idempotent=True)


def delete_group(group_id: str) -> Operation[None]:
    return Operation("POST", "/v1/group/delete", {"groupId": group_id}, _nothing, True)


# -- contacts ------------------------------------------------------------------


def add_contact(
    group_id: str, phone_number: str, fields: Mapping[str, object]
) -> Operation[Contact]:
    contact = {PHONE.wire: phone_number, **wire_fields(fields, OPTIONAL_KEYWORDS)}

    def read(body: dict[str, Any]) -> Contact:
        return Contact.from_sent(body["contact"], group_id)

    params = {"groupId": group_id, "contact": contact}
    return Operation("POST", "/v1/contact/add", params, read, idempotent=False)


def batch_options(
    *, dry_run: bool = False, keep_invalid_optional: bool = False, upsert: bool = False
) -> dict[str, Any]:
    """carnet's own options of a batch, as parameters (only those asked for)."""
    options: dict[str, Any] = {}
    if dry_run:
        options["dryRun"] = True
    if keep_invalid_optional:
        options["keepInvalidOptional"] = True
    if upsert:
        options["upsert"] = True
    return options


def add_batches(
    group_id: str,
    rows: Iterable[Mapping[str, object] | HasRow],
    options: Mapping[str, Any] | None = None,
    *,
    results: bool = True,
) -> Iterator[Operation[BatchReport]]:
    """One ``contact/add`` per :data:`BATCH_SIZE` rows, built lazily so any number fits.

    ``options`` (see :func:`batch_options`) go with every batch; without
    ``results``, each report holds the counts only.
    """

    def read(body: dict[str, Any]) -> BatchReport:
        return BatchReport.from_wire(body, group_id, results=results)

    for batch in batched((_wire_row(row) for row in rows), BATCH_SIZE):
        params = {"groupId": group_id, "contactsList": batch, **(options or {})}
        yield Operation("POST", "/v1/contact/add", params, read, idempotent=False)


def get_contact(contact_id: str) -> Operation[Contact]:
    def read(body: dict[str, Any]) -> Contact:
        return Contact.from_detail(body["contact"])

    params = {"contactId": contact_id}
    return Operation("GET", "/v1/contact/detail", params, read, idempotent=True)


def update_contact(contact_id: str, fields: Mapping[str, object]) -> Operation[Contact]:
    def read(body: dict[str, Any]) -> Contact:
        return Contact.from_sent(body["contact"])

    params = {"contactId": contact_id, "contact": wire_fields(fields, _CHANGEABLE)}
    return Operation("POST", "/v1/contact/update", params, read, idempotent=True)


def delete_contact(contact_id: str) -> Operation[None]:
    params = {"contactId": contact_id}
    return Operation("POST", "/v1/contact/delete", params, _nothing, idempotent=True)


def list_contacts(group_id: str, page: int) -> Operation[ContactPage]:
    params = {"groupId": group_id, "page": page}
    return Operation("GET", "/v1/contact/list", params, ContactPage.from_wire, True)


class PageCursor:
    """Which page of a group to ask for next, from the pages read so far.

    Both clients' page loops (and so the exporter) follow it: it stops at the
    first empty page or once ``total`` contacts have been read.
    """

    def __init__(self) -> None:
        self.next: int | None = 1
        self._seen = 0

    def read(self, page: ContactPage) -> None:
        """Take note of ``page``, the answer for :attr:`next`."""
        self._seen += len(page.contacts)
        done = not page.contacts or self._seen >= page.total
        self.next = None if done else page.number + 1


# -- the stop list ---------------------------------------------------------------


def add_stop(phone_number: str) -> Operation[int]:
    def read(body: dict[str, Any]) -> int:
        return int(body["stopId"])

    # Idempotent: a number already on the list answers with its existing id.
    params = {PHONE.wire: phone_number}
    return Operation("POST", "/v1/stop-sms/add", params, read, idempotent=True)


def list_stops() -> Operation[list[StopEntry]]:
    def read(body: dict[str, Any]) -> list[StopEntry]:
        return [StopEntry.from_wire(e) for e in body["data"]]

    return Operation("GET", "/v1/stop-sms/list", {}, read, idempotent=True)


def delete_stop(stop_id: int | str) -> Operation[None]:
    return Operation("GET", "/v1/stop-sms/delete", {"id": stop_id}, _nothing, True)


# -- carnet's own: finding a number ------------------------------------------------


def search_contacts(phone_number: str) -> Operation[NumberMatches]:
    params = {PHONE.wire: phone_number}
    return Operation("GET", "/v1/contact/search", params, NumberMatches.from_wire, True)


def lookup(phone_numbers: Iterable[str]) -> Operation[list[Lookup]]:
    def read(body: dict[str, Any]) -> list[Lookup]:
        return [Lookup.from_wire(item) for item in body.get("lookup") or []]

    # Upstream's form: the numbers comma-separated in one parameter.
    params = {"phoneNumbers": ",".join(phone_numbers)}
    return Operation("POST", "/v1/lookup", params, read, idempotent=True)


# -- carnet's own: renaming, moving and copying ----------------------------------------


def rename_group(group_id: str, name: str) -> Operation[Group]:
    def read(body: dict[str, Any]) -> Group:
        return Group(id=str(body["groupId"]), name=str(body.get("name", name)))

    params = {"groupId": group_id, "name": name}
    return Operation("POST", "/v1/group/update", params, read, idempotent=True)


def transfer_batches(
    path: str, contact_ids: Iterable[str], group_id: str
) -> Iterator[Operation[BatchReport]]:
    """One ``contact/move`` or ``contact/copy`` per ``MOVE_MAX`` ids, built lazily."""

    def read(body: dict[str, Any]) -> BatchReport:
        return BatchReport.from_wire(body, group_id)

    # A move sent twice finds its contacts in the group already: safe to repeat.
    idempotent = path == "/v1/contact/move"
    for batch in batched(contact_ids, contract.MOVE_MAX):
        params = {"groupId": group_id, "contactIds": batch}
        yield Operation("POST", path, params, read, idempotent=idempotent)


# -- a person's data and the audit trail (carnet's own) -------------------------


def export_person(phone_number: str) -> Operation[dict[str, Any]]:
    def read(body: dict[str, Any]) -> dict[str, Any]:
        person: dict[str, Any] = body["person"]
        return person

    params = {"phoneNumber": phone_number}
    return Operation("GET", "/v1/person/export", params, read, idempotent=True)


def erase_person(phone_number: str) -> Operation[Erasure]:
    params = {"phoneNumber": phone_number}
    return Operation("POST", "/v1/person/erase", params, Erasure.from_wire, idempotent=True)


def list_audit(
    page: int = 1, action: str | None = None, since: str | None = None, until: str | None = None
) -> Operation[AuditPage]:
    given = {"page": page, "action": action, "from": since, "to": until}
    params = {name: value for name, value in given.items() if value is not None}
    return Operation("GET", "/v1/audit/list", params, AuditPage.from_wire, idempotent=True)
