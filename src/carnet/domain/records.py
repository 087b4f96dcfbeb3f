"""The values that pass into the domain and between it and storage: plain, immutable, no I/O.

Their names end in ``Record`` where they are what storage holds, so that they
are not mistaken for the client library's models of the same things
(``carnet.Contact``, ``carnet.Group``), which are read off the wire.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeAlias

# A field's value as given, before the rules have judged it: text normally; a
# number is taken as its digits; a list, an object or a boolean (from a JSON
# body) breaks the field's rule, which says so with the contract's code.
FieldValue: TypeAlias = str | int | float | bool | list[Any] | dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class ContactInput:
    """A contact's fields as given (by a request, a page, a job), not yet judged.

    ``None`` is a field not given: unset in an add, left as it is in an update.
    The attributes are the contract's (``carnet.contract.CONTACT_FIELDS``).
    """

    phone: FieldValue = None
    firstname: FieldValue = None
    lastname: FieldValue = None
    date: FieldValue = None
    url: FieldValue = None
    short_url: FieldValue = None
    custom1: FieldValue = None
    custom2: FieldValue = None
    custom3: FieldValue = None
    custom4: FieldValue = None
    consent_at: FieldValue = None
    consent_source: FieldValue = None


@dataclass(frozen=True, slots=True)
class ValidContact:
    """A contact's fields once the rules accept them; unset optional fields are ``""``."""

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
    consent_at: str = ""  # when the person consented, UTC, to the second
    consent_source: str = ""  # how: "shop form", "paper, 2026-03-02"


CONTACT_COLUMNS = tuple(f.name for f in dataclasses.fields(ValidContact))


@dataclass(frozen=True, slots=True)
class Account:
    """An account; ``who`` is who acts for it in this call (a key's prefix, a person's
    email; ``""`` on the command line), as the audit trail names them."""

    id: int
    name: str
    created_at: str
    who: str = ""


@dataclass(frozen=True, slots=True)
class GroupRecord:
    """A group as stored, with how many contacts it holds."""

    id: int
    public_id: str
    name: str
    created_at: str
    contact_count: int = 0


@dataclass(frozen=True, slots=True)
class ContactRecord:
    """A contact as stored: its fields, ids, and whether its number is stopped."""

    id: int
    public_id: str
    group_public_id: str
    seq: int
    fields: ValidContact
    created_at: str
    stop_sms: bool = False


@dataclass(frozen=True, slots=True)
class StopRecord:
    """An entry of an account's stop list."""

    public_id: int
    phone: str
    created_at: str


@dataclass(frozen=True, slots=True)
class PersonRecord:
    """A person who signs in to the dashboard, and the account they act for."""

    id: int
    email: str
    password_hash: str
    account: Account
    created_at: str


@dataclass(frozen=True, slots=True)
class SessionRecord:
    """A dashboard session as stored (found by its token's hash)."""

    id: int
    person: PersonRecord
    csrf_token: str
    language: str
    created_ms: int
    seen_ms: int


@dataclass(frozen=True, slots=True)
class KeyRecord:
    """An API key as the dashboard lists it: never the key, only its first characters."""

    id: int
    prefix: str
    created_at: str
    last_used_at: str | None
    revoked_at: str | None


@dataclass(frozen=True, slots=True)
class NumberFound:
    """Where one number is in an account: its contacts in every group, its stop entry."""

    phone: str
    contacts: list[ContactRecord]
    stop: StopRecord | None = None


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One change: when, in which account, by whom, what, on which public ids, how many.

    Never a phone number, a name or a key (``carnet.domain.audit``).
    """

    at: str
    account_id: int
    who: str
    action: str
    ids: tuple[str, ...] = ()
    counts: Mapping[str, int] = dataclasses.field(default_factory=dict)
    id: int = 0  # the entry's own number, once stored
