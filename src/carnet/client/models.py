"""What the client answers with: typed values read off the wire (SPEC §3 and §4).

Contact fields keep the wire's convention: an unset optional field is ``""``.
Timestamps are :class:`datetime.datetime` with their offset, or ``None`` where
the answer does not carry one (``contact/add`` and ``contact/update`` do not).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from typing import Any, TypedDict

from carnet import contract

# The types below spell the contract's fields out one by one, as a type checker
# needs them written; the code reads and writes them through carnet.contract,
# and tests/test_client_contract.py fails when the two drift apart.


class ContactFields(TypedDict, total=False):
    """The optional fields of a contact, as keyword arguments."""

    firstname: str
    lastname: str
    date: str
    url: str
    short_url: str
    custom1: str
    custom2: str
    custom3: str
    custom4: str
    consent_at: str
    consent_source: str


class ContactChanges(ContactFields, total=False):
    """The fields ``update_contact`` may change; ``""`` clears an optional one."""

    phone_number: str


def _timestamp(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    return datetime.fromisoformat(value)


def _stop_list_time(value: object) -> datetime | None:
    # The stop list writes times as upstream does, 2015-07-20 10:19:45: carnet's are UTC.
    moment = _timestamp(value)
    return moment.replace(tzinfo=UTC) if moment and moment.tzinfo is None else moment


def _text(value: object) -> str:
    return "" if value is None else str(value)


@dataclass(frozen=True, slots=True)
class Group:
    """A group of contacts; ``created_at`` is ``None`` in the answer to ``add_group``."""

    id: str
    name: str
    created_at: datetime | None = None
    contact_count: int = 0

    @classmethod
    def from_wire(cls, body: Mapping[str, Any]) -> Group:
        return cls(
            id=str(body["id"]),
            name=_text(body.get("name")),
            created_at=_timestamp(body.get("createdAt")),
            contact_count=int(body.get("contactCount") or 0),
        )


@dataclass(frozen=True, slots=True)
class Contact:
    """A contact; ``phone`` is E.164. ``group_id`` and ``created_at`` may be ``None``
    when the answer did not carry them (the answer to ``update_contact``)."""

    id: str
    phone: str
    firstname: str = ""
    lastname: str = ""
    date: str = ""
    url: str = ""
    short_url: str = ""
    custom1: str = ""
    custom2: str = ""
    custom3: str = ""
    custom4: str = ""
    created_at: datetime | None = None
    stop_sms: bool = False
    group_id: str | None = None
    consent_at: str = ""  # carnet's own: when the person consented (ISO 8601, UTC)
    consent_source: str = ""  # carnet's own: how they consented

    @classmethod
    def from_detail(cls, body: Mapping[str, Any]) -> Contact:
        """From the shape of ``contact/detail`` and the items of ``contact/list``."""
        values: dict[str, Any] = {f.attribute: _text(body.get(f.detail)) for f in _FIELDS}
        return cls(
            id=str(body["contactId"]),
            created_at=_timestamp(body.get("createdAt")),
            stop_sms=bool(body.get("stopSms")),
            group_id=_text(body.get("groupId")) or None,
            **values,
        )

    @classmethod
    def from_sent(cls, body: Mapping[str, Any], group_id: str | None = None) -> Contact:
        """From the answer of ``contact/add`` or ``contact/update`` (the request's names)."""
        values: dict[str, Any] = {f.attribute: _text(body.get(f.wire)) for f in _FIELDS}
        return cls(id=str(body["contactId"]), group_id=group_id, **values)

    def as_row(self) -> dict[str, str]:
        """The contact's fields under the wire's request names, for ``add_contacts``."""
        return {f.wire: getattr(self, f.attribute) for f in _FIELDS}


_FIELDS = contract.CONTACT_FIELDS

# Every attribute of Contact, in order: the columns of an export.
CONTACT_ATTRIBUTES = tuple(f.name for f in fields(Contact))


@dataclass(frozen=True, slots=True)
class ContactPage:
    """One page of ``contact/list``: ``total`` counts the whole group."""

    number: int
    total: int
    contacts: list[Contact]

    @classmethod
    def from_wire(cls, body: Mapping[str, Any]) -> ContactPage:
        return cls(
            number=int(body.get("currentPage") or 1),
            total=int(body.get("total") or 0),
            contacts=[Contact.from_detail(item) for item in body.get("datas") or []],
        )


@dataclass(frozen=True, slots=True)
class StopEntry:
    """A number on the stop list (E.164); ``id`` is an integer, as upstream's."""

    id: int
    phone: str
    created_at: datetime | None = None

    @classmethod
    def from_wire(cls, body: Mapping[str, Any]) -> StopEntry:
        return cls(
            id=int(body["id"]),
            phone=_text(body.get("phoneNumber")),
            created_at=_stop_list_time(body.get("createdAt")),
        )


@dataclass(frozen=True, slots=True)
class FieldWarning:
    """An optional field a stored row went without (``keep_invalid_optional``), and why."""

    field: str
    message: str


def _warnings(items: object) -> tuple[FieldWarning, ...]:
    if not isinstance(items, list):
        return ()
    found = []
    for item in items:
        if isinstance(item, Mapping):
            element = _text(item.get("elementId"))
            match = _ELEMENT_ID.fullmatch(element)
            found.append(
                FieldWarning(match["name"] if match else element, _text(item.get("message")))
            )
    return tuple(found)


# Upstream's field errors (and carnet's warnings) name a field as ``children[<name>].data``.
_ELEMENT_ID = re.compile(r"children\[(?P<name>[^\]]+)\]\.data")


@dataclass(frozen=True, slots=True)
class RowResult:
    """What became of one row of a batch: stored (``contact_id``) or refused.

    ``warnings`` names the optional fields a stored row went without (asked
    with ``keep_invalid_optional``); ``errors`` the fields a refused row was
    refused for. A dry run's stored rows have no ``contact_id``.
    """

    success: bool
    code: int
    phone_number: str
    message: str
    contact_id: str = ""
    warnings: tuple[FieldWarning, ...] = ()
    # A row refused for its fields: each field at fault and why (upstream's list shape).
    errors: tuple[FieldWarning, ...] = ()

    @classmethod
    def from_wire(cls, body: Mapping[str, Any]) -> RowResult:
        # Positional: one of these is built for every row of every batch.
        return cls(
            bool(body.get("success")),
            int(body.get("code") or 0),
            _text(body.get("phoneNumber")),
            _text(body.get("message")),
            _text(body.get("contactId")),
            _warnings(body["warnings"]) if "warnings" in body else (),
            _warnings(body["errors"]) if "errors" in body else (),
        )


@dataclass(slots=True)
class BatchReport:
    """The report of one or more batches, merged: counts, and one result per row.

    ``errors`` holds the contract's buckets under their wire names
    (``invalidePhone``, ``allreadyInGroupe`` ...); ``dateInvalid`` repeats
    ``dateInvalide``, so ``refused`` is computed from the rows, not summed.
    """

    group_id: str
    rows: int = 0
    imported: int = 0
    updated: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    results: list[RowResult] = field(default_factory=list)
    warned: int = 0  # rows stored without some optional field (keep_invalid_optional)

    @property
    def refused(self) -> int:
        return self.rows - self.imported - self.updated

    @classmethod
    def from_wire(
        cls, body: Mapping[str, Any], group_id: str, *, results: bool = True
    ) -> BatchReport:
        """The answer of a batch; without ``results``, its counts only (no :class:`RowResult`
        is built, which is most of the reading's cost)."""
        report = body.get("rapport") or {}
        groupe = body.get("groupe") or {}
        return cls(
            group_id=_text(groupe.get("token")) or group_id,
            rows=int(report.get("nbline") or 0),
            imported=int(report.get("nbline_imported") or 0),
            updated=int(report.get("nbline_updated") or 0),
            errors={str(k): int(v) for k, v in (report.get("errors") or {}).items()},
            results=[RowResult.from_wire(r) for r in body.get("results") or []] if results else [],
            warned=int(report.get("nbline_warnings") or 0),
        )

    def merge(self, other: BatchReport) -> None:
        """Add ``other``'s counts and results to this report."""
        self.rows += other.rows
        self.imported += other.imported
        self.updated += other.updated
        self.warned += other.warned
        for bucket, count in other.errors.items():
            self.errors[bucket] = self.errors.get(bucket, 0) + count
        self.results.extend(other.results)
