"""The values that pass between the domain and storage: plain, immutable, no I/O."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Contact:
    """A valid contact's fields; unset optional fields are ``""``."""

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

    def replace(self, **changes: str) -> Contact:
        return dataclasses.replace(self, **changes)


CONTACT_COLUMNS = tuple(f.name for f in dataclasses.fields(Contact))


@dataclass(frozen=True, slots=True)
class Account:
    id: int
    name: str
    created_at: str


@dataclass(frozen=True, slots=True)
class Group:
    id: int
    public_id: str
    name: str
    created_at: str
    contact_count: int = 0


@dataclass(frozen=True, slots=True)
class StoredContact:
    """A contact as stored: its fields, ids, and whether its number is stopped."""

    id: int
    public_id: str
    group_public_id: str
    seq: int
    fields: Contact
    created_at: str
    stop_sms: bool = False


@dataclass(frozen=True, slots=True)
class StopEntry:
    public_id: str
    phone: str
    created_at: str
