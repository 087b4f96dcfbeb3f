"""A request's parameters read into the domain's typed values: ids, pages, contacts.

The wire lets a parameter hold anything JSON or a form can spell; this module
says which forms each one takes and answers the contract's code for the others
(1 for a required id that is missing, 3 for one of the wrong form). What the
values mean is the domain's to judge.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from typing import Any, overload

from carnet.contract import CONTACT_FIELDS
from carnet.domain.batch_outcome import BatchOptions
from carnet.domain.records import ContactInput
from carnet.domain.text import is_unicode_text
from carnet.errors import InvalidParameter, MissingContactInfo, MissingParameter
from carnet.http.wire import Params, is_ascii_number

# More digits than any page the domain accepts: refused without converting.
_PAGE_DIGITS_MAX = 12


def required_id(params: Params, name: str) -> str:
    """A required id (or name) as trimmed text: code 1 when absent or blank, 3 when not text.

    A number is taken as its digits (stop-list ids travel as numbers).
    """
    value = params.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise MissingParameter(f"{name} is required", errors={name: "required"})
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise InvalidParameter(f"{name} must be a string", errors={name: "must be a string"})
    if not is_unicode_text(value):
        raise InvalidParameter(f"{name} is not valid Unicode text", errors={name: "invalid text"})
    return value.strip()


# More digits than any stop-list id (below 2^53, 16 digits): read as no entry.
_STOP_ID_DIGITS_MAX = 16


def stop_id(params: Params, name: str) -> int:
    """A stop-list id, sent as a number or a string of digits: code 1 when absent or
    blank, 3 when neither a number nor text.

    Text that is not digits (an id of another kind, a stale one) names no entry:
    it is read as 0, which the domain answers as unknown.
    """
    value = params.get(name)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if value is not None and not isinstance(value, str):
        reason = "must be a number or a string of digits"
        raise InvalidParameter(f"{name} {reason}", errors={name: reason})
    text = required_id(params, name)
    if is_ascii_number(text) and len(text) <= _STOP_ID_DIGITS_MAX:
        return int(text)
    return 0


def page_number(params: Params) -> int:
    """``page`` as a whole number, 1 when absent; code 3 for any other form.

    Text must be ASCII digits; whether the number is a page is the domain's to say.
    """
    value = params.get("page")
    if value is None or value == "":
        return 1
    if isinstance(value, str):
        text = value.strip()
        if is_ascii_number(text) and len(text) <= _PAGE_DIGITS_MAX:
            return int(text)
    elif isinstance(value, int) and not isinstance(value, bool):
        return value
    raise InvalidParameter("page must be a positive integer", errors={"page": "invalid"})


_TRUE = frozenset({"1", "true"})
_FALSE = frozenset({"0", "false", ""})


def flag(params: Params, name: str) -> bool:
    """A yes/no parameter: ``true``/``false`` in JSON, ``1``/``0`` (or the words) in a
    form or query string; absent is no. Code 3 naming it for any other value."""
    value = params.get(name)
    if value is None or isinstance(value, bool):
        return bool(value)
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise InvalidParameter(f"{name} must be true or false (1 or 0)", errors={name: "invalid"})


def batch_options(params: Params) -> BatchOptions:
    """``dryRun``, ``keepInvalidOptional`` and ``upsert`` (carnet's own), as the batch's
    options."""
    return BatchOptions(
        dry_run=flag(params, "dryRun"),
        keep_invalid_optional=flag(params, "keepInvalidOptional"),
        upsert=flag(params, "upsert"),
    )


# ContactInput's attributes are the contract's fields, in the contract's order: a row
# is read by position (a batch reads up to 500 of them per request).
_WIRE_NAMES = tuple(f.wire for f in CONTACT_FIELDS)
assert tuple(f.name for f in fields(ContactInput)) == tuple(f.attribute for f in CONTACT_FIELDS)


def contact_input(given: Mapping[str, Any]) -> ContactInput:
    """A contact object's fields under their contract names; unknown names are ignored."""
    return ContactInput(*map(given.get, _WIRE_NAMES))


def contact_object(params: Params) -> ContactInput | None:
    """``contact``: None when not given; code 3 when it is not an object."""
    raw = params.get("contact")
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        raise InvalidParameter("contact must be an object", errors={"contact": "must be an object"})
    return contact_input(raw)


@contextmanager
def stray_fields_hint(params: Params) -> Iterator[None]:
    """Add a hint to "contact info is required" (code 2) when contact fields were sent
    beside ``contact`` rather than inside it (``phoneNumber`` at the top level)."""
    try:
        yield
    except MissingContactInfo as exc:
        stray = [f.wire for f in CONTACT_FIELDS if f.wire in params]
        if not stray or isinstance(params.get("contact"), Mapping):
            raise
        example = stray[0]
        hint = (
            f"{', '.join(stray)} must be sent inside contact, not beside it: "
            f'{{"contact": {{"{example}": ...}}}} in JSON, contact[{example}]=... in a form '
            "or query string"
        )
        raise MissingContactInfo(f"{exc.message}. {hint}") from None


class Rows(Sequence[ContactInput | None]):
    """A batch's rows, each read off the wire when first asked for.

    A batch refused for its size (code 50) then costs no reading of its rows.
    """

    def __init__(self, count: int, row: Callable[[int], ContactInput | None]) -> None:
        self._count = count
        self._row = row

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> ContactInput | None: ...

    @overload
    def __getitem__(self, index: slice) -> list[ContactInput | None]: ...

    def __getitem__(self, index: int | slice) -> ContactInput | list[ContactInput | None] | None:
        if isinstance(index, slice):
            return [self._row(i) for i in range(*index.indices(self._count))]
        if not -self._count <= index < self._count:
            raise IndexError(index)
        return self._row(index % self._count)

    def __iter__(self) -> Iterator[ContactInput | None]:
        return map(self._row, range(self._count))


@dataclass(frozen=True, slots=True)
class OneContact:
    """``contact/add`` of one contact (None: no contact given)."""

    contact: ContactInput | None


@dataclass(frozen=True, slots=True)
class ManyContacts:
    """``contact/add`` of a batch; a row that is not an object is None."""

    rows: Sequence[ContactInput | None]


def contacts_to_add(params: Params) -> OneContact | ManyContacts:
    """What ``contact/add`` was given: one contact, or a batch (SPEC §3).

    ``contactsList`` wins over ``contact``; a ``phoneNumber`` holding
    comma-separated numbers is a batch of those numbers sharing the other
    fields. Code 3 for a ``contactsList`` that is not a list or a ``contact``
    that is not an object.
    """
    listed = params.get("contactsList")
    if listed is not None:
        if not isinstance(listed, list):
            raise InvalidParameter(
                "contactsList must be a list", errors={"contactsList": "must be a list"}
            )
        return ManyContacts(Rows(len(listed), lambda i: _row(listed[i])))
    contact = contact_object(params)
    if contact is not None and isinstance(contact.phone, str) and "," in contact.phone:
        numbers = [part.strip() for part in contact.phone.split(",")]
        shared = contact
        return ManyContacts(Rows(len(numbers), lambda i: replace(shared, phone=numbers[i])))
    return OneContact(contact)


def _row(raw: Any) -> ContactInput | None:
    return contact_input(raw) if isinstance(raw, Mapping) else None


def listed(params: Params, name: str) -> list[str]:
    """A list parameter: a JSON list, or text with its items separated by commas.

    Items are trimmed and blank ones left out (a trailing comma is harmless);
    numbers are taken as their digits. Absent gives ``[]``: whether that is code
    1 or 2 is the caller's to say. Code 3 naming it for any other form.
    """
    value = params.get(name)
    if value is None:
        return []
    items: list[Any]
    if isinstance(value, str):
        items = value.split(",")
    elif isinstance(value, list):
        items = value
    else:
        items = [value] if isinstance(value, int) and not isinstance(value, bool) else [None]
    found = []
    for item in items:
        if isinstance(item, int) and not isinstance(item, bool):
            item = str(item)
        if not isinstance(item, str) or not is_unicode_text(item):
            raise InvalidParameter(
                f"{name} must be a list of text, or text separated by commas",
                errors={name: "not a comma-separated list"},
            )
        if item.strip():
            found.append(item.strip())
    return found
