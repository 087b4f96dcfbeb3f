"""The contact rules: one validation path for add, batch, update, import and the stop list.

A :class:`ContactInput` holds the fields as given. :func:`check_contact` turns
it into a :class:`ValidContact` or raises an error naming every field at fault
(under the contract's names, ``phoneNumber``, ``shortUrlPartnr`` ...);
:func:`check_changes` does the same for the partial contact of an update, and
:func:`check_phone` for a number alone. Which rule a field follows, its limit
and its code come from :mod:`carnet.contract`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from datetime import date as _date
from operator import attrgetter
from urllib.parse import urlsplit

from carnet.contract import (
    CONSENT_FUTURE_TOLERANCE_SECONDS,
    CONTACT_FIELDS,
    INVALID_DATE,
    INVALID_FORM,
    INVALID_PHONE,
    INVALID_URL,
    TOO_LONG,
    ContactField,
    Rule,
)
from carnet.domain.phones import InvalidPhone, normalise_phone
from carnet.domain.records import ContactInput, FieldValue, ValidContact
from carnet.domain.text import has_control_characters, is_unicode_text
from carnet.errors import InvalidFields, MissingContactInfo


class FieldProblem(ValueError):
    """One field breaks its rule: the contract's code and the reason, in words."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


def _check_text(text: str, field: ContactField) -> str:
    # Printable text holds no control character: most names skip the search.
    if not text.isprintable() and has_control_characters(text):
        raise FieldProblem(INVALID_FORM, "must not hold control characters")
    if field.limit is not None and len(text) > field.limit:
        raise FieldProblem(TOO_LONG, f"at most {field.limit} characters")
    return text


# Digits in ASCII only: \d would accept any script's digits.
_DATE_FORM = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _check_date(text: str, field: ContactField) -> str:
    if len(text) > 10 or _DATE_FORM.fullmatch(text) is None:
        raise FieldProblem(INVALID_DATE, "must be a date in YYYY-MM-DD format")
    try:
        _date.fromisoformat(text)
    except ValueError:
        raise FieldProblem(INVALID_DATE, "is not a real calendar date") from None
    return text


# ISO 8601's extended calendar form, ASCII digits only: a date, optionally a time
# (T or a space between) and an offset.
_DATETIME_FORM = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
    r"(?:[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:[.,][0-9]{1,6})?)?(?:Z|[+-][0-9]{2}:?[0-9]{2})?)?"
)


def _check_datetime(text: str, field: ContactField) -> str:
    if len(text) > 40 or _DATETIME_FORM.fullmatch(text) is None:
        raise FieldProblem(INVALID_DATE, "must be an ISO 8601 date-time, e.g. 2026-03-02T10:15:00Z")
    try:
        moment = datetime.fromisoformat(text.replace(",", ".").replace("Z", "+00:00"))
    except ValueError:
        raise FieldProblem(INVALID_DATE, "is not a real date and time") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    moment = moment.astimezone(UTC)
    if moment > datetime.now(UTC) + timedelta(seconds=CONSENT_FUTURE_TOLERANCE_SECONDS):
        raise FieldProblem(INVALID_DATE, "must not be in the future")
    return moment.isoformat(timespec="seconds")


_URL_FORBIDDEN = re.compile(r"[\s\x00-\x1f\x7f]")


def _check_url(text: str, field: ContactField) -> str:
    if field.limit is not None and len(text) > field.limit:
        raise FieldProblem(TOO_LONG, f"at most {field.limit} characters")
    if not text.lower().startswith(("http://", "https://")):
        raise FieldProblem(INVALID_URL, "must start with http:// or https://")
    if _URL_FORBIDDEN.search(text):
        raise FieldProblem(INVALID_URL, "must not contain spaces or control characters")
    try:
        host = urlsplit(text).hostname
    except ValueError:
        host = None
    if not host:
        raise FieldProblem(INVALID_URL, "must have a host")
    return text


def _check_phone(text: str, field: ContactField) -> str:
    try:
        return normalise_phone(text)
    except InvalidPhone as exc:
        raise FieldProblem(INVALID_PHONE, str(exc)) from None


_RULES: dict[Rule, Callable[[str, ContactField], str]] = {
    "phone": _check_phone,
    "text": _check_text,
    "date": _check_date,
    "url": _check_url,
    "datetime": _check_datetime,
}


def _as_text(value: FieldValue, field: ContactField) -> str:
    """The value as text, untrimmed; numbers are taken as their digits.

    Anything else breaks the field's rule: the number is judged whole (code 9),
    any other field of the wrong type is code 3. So is text no database stores.
    """
    if isinstance(value, str):
        if field.rule != "phone" and not is_unicode_text(value):
            raise FieldProblem(INVALID_FORM, "is not valid Unicode text")
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise FieldProblem(INVALID_PHONE if field.rule == "phone" else INVALID_FORM, "must be a string")


_every_field = attrgetter(*(field.attribute for field in CONTACT_FIELDS))


def _check_fields(given: ContactInput, *, partial: bool) -> dict[str, str]:
    """Judge the fields given (not None); return attribute -> value.

    Problems are listed in the contract's order of fields; the error's code is
    the first of theirs in the contract's order of field rules.
    """
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    codes: dict[str, int] = {}
    for field, value in zip(CONTACT_FIELDS, _every_field(given), strict=True):
        if value is None:
            continue
        try:
            text = _as_text(value, field).strip()
            if text == "":
                if field.required and partial:
                    raise FieldProblem(INVALID_PHONE, "cannot be cleared")
                values[field.attribute] = ""
                continue
            values[field.attribute] = _RULES[field.rule](text, field)
        except FieldProblem as problem:
            errors[field.wire] = problem.reason
            codes[field.wire] = problem.code
    if errors:
        raise InvalidFields(errors=errors, codes=codes)
    return values


def has_phone(given: ContactInput) -> bool:
    """Whether a number was given at all (anything but nothing or blank text)."""
    value = given.phone
    return value is not None and not (isinstance(value, str) and value.strip() == "")


def check_contact(given: ContactInput) -> ValidContact:
    """Judge a whole contact (add, batch row, import row).

    Raises :class:`MissingContactInfo` (code 2) without a number, and
    :class:`InvalidFields` naming every field that breaks a rule.
    """
    if not has_phone(given):
        raise MissingContactInfo("Contact info is required: phoneNumber is missing")
    return ValidContact(**_check_fields(given, partial=False))


def check_changes(given: ContactInput) -> dict[str, str]:
    """Judge the fields of a partial contact (update): attribute -> new value.

    ``""`` clears an optional field; the number cannot be cleared.
    """
    return _check_fields(given, partial=True)


def check_phone(value: FieldValue) -> str:
    """A number alone (the stop list) in E.164, by the contact's rule for it.

    Raises :class:`MissingContactInfo` (code 2) without one, and
    :class:`InvalidFields` (code 9) when it is not a valid number.
    """
    given = ContactInput(phone=value)
    if not has_phone(given):
        raise MissingContactInfo("phoneNumber is required")
    return _check_fields(given, partial=True)["phone"]
