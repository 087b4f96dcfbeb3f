"""Contact fields under the client's names, every one derived from :mod:`carnet.contract`.

A field has four spellings: its wire name in requests (``shortUrlPartnr``), its
name in ``contact/detail`` (``shortUrl``), the attribute of
:class:`~carnet.client.models.Contact` (``short_url``), and the keyword the
client's methods take: the attribute, except for the number, which the methods
call ``phone_number`` as their positional argument does.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from carnet import contract

__all__ = [
    "OPTIONAL_KEYWORDS",
    "PHONE",
    "REQUEST_NAMES",
    "ROW_NAMES",
    "keyword",
    "wire_fields",
    "wire_row",
]

# The one field a contact cannot go without: its number.
PHONE: contract.ContactField = next(f for f in contract.CONTACT_FIELDS if f.required)


def keyword(field: contract.ContactField) -> str:
    """The keyword argument that carries ``field`` in the client's methods."""
    return "phone_number" if field is PHONE else field.attribute


# Keyword -> wire name, for the fields a request may send.
REQUEST_NAMES: dict[str, str] = {keyword(f): f.wire for f in contract.CONTACT_FIELDS}
OPTIONAL_KEYWORDS = frozenset(keyword(f) for f in contract.CONTACT_FIELDS if not f.required)

# Every spelling a row given to ``add_contacts`` may use -> the wire name.
ROW_NAMES: dict[str, str] = {
    name: f.wire
    for f in contract.CONTACT_FIELDS
    for name in (f.wire, f.detail, f.attribute, keyword(f))
}
_WIRE_NAMES = frozenset(f.wire for f in contract.CONTACT_FIELDS)


class HasRow(Protocol):
    """Anything that gives its fields under their wire names (a client ``Contact``)."""

    def as_row(self) -> dict[str, str]: ...


def wire_row(row: Mapping[str, object] | HasRow) -> dict[str, object]:
    """A row for ``contactsList``: any spelling of a field is accepted."""
    if not isinstance(row, Mapping):
        return dict(row.as_row())
    if row.keys() <= _WIRE_NAMES:
        return dict(row)  # already in wire names (the importer's rows)
    return {ROW_NAMES.get(key, key): value for key, value in row.items()}


def wire_fields(fields: Mapping[str, object], allowed: frozenset[str]) -> dict[str, object]:
    """Keyword arguments to wire names; an unknown name is a ``TypeError``, as in Python."""
    unknown = sorted(set(fields) - allowed)
    if unknown:
        raise TypeError(
            f"unknown contact field(s): {', '.join(unknown)}; "
            f"expected some of: {', '.join(sorted(allowed))}"
        )
    return {REQUEST_NAMES[name]: value for name, value in fields.items()}
