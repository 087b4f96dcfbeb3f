"""The contact rules: one validation path for add, batch, update and import.

Fields arrive under the contract's names (``phoneNumber``, ``firstname``,
``shortUrlPartnr`` ...). :func:`check_contact` turns them into a
:class:`Contact` or raises an error that names every field at fault;
:func:`check_changes` does the same for the partial contact of an update.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date as _date
from urllib.parse import urlsplit

from carnet.domain.phones import InvalidPhone, normalise_phone
from carnet.domain.records import Contact
from carnet.errors import InvalidFields, MissingContactInfo

NAME_MAX = 32
CUSTOM_MAX = 255
URL_MAX = 2048

# Codes of the field rules (SPEC §5).
WRONG_TYPE = 3
BAD_PHONE = 9
TOO_LONG = 18
BAD_DATE = 16
BAD_URL = 17


class FieldProblem(ValueError):
    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


def _max_length(limit: int) -> Callable[[str], str]:
    def check(value: str) -> str:
        if len(value) > limit:
            raise FieldProblem(TOO_LONG, f"at most {limit} characters")
        return value

    return check


_DATE_FORM = re.compile(r"\d{4}-\d{2}-\d{2}")


def _check_date(value: str) -> str:
    if len(value) > 10 or _DATE_FORM.fullmatch(value) is None:
        raise FieldProblem(BAD_DATE, "must be a date in YYYY-MM-DD format")
    try:
        _date.fromisoformat(value)
    except ValueError:
        raise FieldProblem(BAD_DATE, "is not a real calendar date") from None
    return value


_URL_FORBIDDEN = re.compile(r"[\s\x00-\x1f\x7f]")


def _check_url(value: str) -> str:
    if len(value) > URL_MAX:
        raise FieldProblem(TOO_LONG, f"at most {URL_MAX} characters")
    if not value.lower().startswith(("http://", "https://")):
        raise FieldProblem(BAD_URL, "must start with http:// or https://")
    if _URL_FORBIDDEN.search(value):
        raise FieldProblem(BAD_URL, "must not contain spaces or control characters")
    try:
        host = urlsplit(value).hostname
    except ValueError:
        host = None
    if not host:
        raise FieldProblem(BAD_URL, "must have a host")
    return value


def _check_phone(value: str) -> str:
    try:
        return normalise_phone(value)
    except InvalidPhone as exc:
        raise FieldProblem(BAD_PHONE, str(exc)) from None


# wire name -> (attribute of Contact, rule). The phone is required; every other
# field is optional and "" means unset.
FIELDS: dict[str, tuple[str, Callable[[str], str]]] = {
    "phoneNumber": ("phone", _check_phone),
    "firstname": ("firstname", _max_length(NAME_MAX)),
    "lastname": ("lastname", _max_length(NAME_MAX)),
    "date": ("date", _check_date),
    "url": ("url", _check_url),
    "shortUrlPartnr": ("short_url", _max_length(URL_MAX)),
    "custom1": ("custom1", _max_length(CUSTOM_MAX)),
    "custom2": ("custom2", _max_length(CUSTOM_MAX)),
    "custom3": ("custom3", _max_length(CUSTOM_MAX)),
    "custom4": ("custom4", _max_length(CUSTOM_MAX)),
}


_SURROGATE = re.compile("[\ud800-\udfff]")


def is_unicode_text(text: str) -> bool:
    """False for text holding a lone surrogate (a JSON "\\ud800"), which no database stores."""
    return text.isascii() or _SURROGATE.search(text) is None


def _text(name: str, value: object) -> str:
    """The field as trimmed text; numbers are taken as their digits."""
    if isinstance(value, str):
        if not is_unicode_text(value):
            raise FieldProblem(WRONG_TYPE, "is not valid Unicode text")
        return value.strip()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    if name == "phoneNumber":
        raise FieldProblem(BAD_PHONE, "must be a string")
    raise FieldProblem(WRONG_TYPE, "must be a string")


def _check_fields(raw: Mapping[str, object], *, partial: bool) -> dict[str, str]:
    """Validate the known fields present in ``raw``; return attribute -> value.

    Unknown names are ignored. Problems are listed in the order of ``FIELDS``.
    """
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    codes: dict[str, int] = {}
    for name, value in raw.items():
        known = FIELDS.get(name)
        if known is None or value is None:
            continue
        attribute, rule = known
        try:
            text = _text(name, value)
            if text == "" and (name != "phoneNumber" or not partial):
                values[attribute] = ""
                continue
            if text == "":
                raise FieldProblem(BAD_PHONE, "cannot be cleared")
            values[attribute] = rule(text)
        except FieldProblem as problem:
            errors[name] = problem.reason
            codes[name] = problem.code
    if errors:
        ordered = {name: errors[name] for name in FIELDS if name in errors}
        raise InvalidFields(ordered, codes)
    return values


def has_phone(raw: Mapping[str, object]) -> bool:
    value = raw.get("phoneNumber")
    return value is not None and not (isinstance(value, str) and value.strip() == "")


def check_contact(raw: Mapping[str, object]) -> Contact:
    """Validate a whole contact (add, batch row, import row).

    Raises :class:`MissingContactInfo` (code 2) without a number, and
    :class:`InvalidFields` naming every field that breaks a rule.
    """
    if not has_phone(raw):
        raise MissingContactInfo("Contact info is required: phoneNumber is missing")
    return Contact(**_check_fields(raw, partial=False))


def check_changes(raw: Mapping[str, object]) -> dict[str, str]:
    """Validate the fields of a partial contact (update): attribute -> new value.

    ``""`` clears an optional field; the number cannot be cleared.
    """
    return _check_fields(raw, partial=True)


def split_numbers(value: object) -> list[str] | None:
    """The numbers of a comma-separated ``phoneNumber``, or None for a single one."""
    if isinstance(value, str) and "," in value:
        return [part.strip() for part in value.split(",")]
    return None
