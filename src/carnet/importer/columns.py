"""Which column of a spreadsheet holds which contact field, and tidying its cells.

Header names are compared case-insensitively, without accents, spaces or
punctuation, so ``Prénom``, ``first name`` and ``FIRST_NAME`` are one name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from carnet import contract
from carnet.client.fields import PHONE

# Header names that mean a field besides its own names (already normalised, see
# `header_key`), by the field's attribute in carnet.contract.
OTHER_NAMES: dict[str, tuple[str, ...]] = {
    "phone": (
        "mobile",
        "mobilephone",
        "mobilenumber",
        "cellphone",
        "cell",
        "tel",
        "telephone",
        "telportable",
        "telephoneportable",
        "portable",
        "numero",
        "numerodetelephone",
        "gsm",
        "msisdn",
    ),
    "firstname": ("prenom", "givenname"),
    "lastname": ("nom", "surname", "familyname", "nomdefamille"),
    "date": ("birthday", "birthdate", "dateofbirth", "anniversaire", "datedenaissance"),
    "url": ("link", "lien", "website"),
}

# Longer than any field may be: a longer cell is cut to this, which keeps it
# refused for its length while keeping requests small.
MAX_CELL = 2 * max(f.limit or 0 for f in contract.CONTACT_FIELDS) + 1


def header_key(name: str) -> str:
    """``"Prénom "`` -> ``"prenom"``: lower case, no accents, letters and digits only."""
    decomposed = unicodedata.normalize("NFKD", name.strip().lower())
    return "".join(c for c in decomposed if c.isascii() and c.isalnum())


def _aliases() -> dict[str, tuple[str, ...]]:
    """Wire name -> the header names that mean it: its own names, then the others."""
    aliases = {}
    for f in contract.CONTACT_FIELDS:
        own = (header_key(name) for name in (f.wire, f.detail, f.attribute))
        aliases[f.wire] = tuple(dict.fromkeys([*own, *OTHER_NAMES.get(f.attribute, ())]))
    return aliases


ALIASES = _aliases()
_BY_KEY = {alias: wire for wire, aliases in ALIASES.items() for alias in aliases}


def field_for(name: str) -> str | None:
    """The wire name a header means, or None when it is not a contact field."""
    return _BY_KEY.get(header_key(name))


class HeaderError(ValueError):
    """The header row names no phone column; ``str()`` says what to do."""


def map_columns(header: Sequence[str]) -> tuple[dict[int, str], list[str]]:
    """Column index -> wire name, and the header names left unused.

    When two columns mean the same field, the leftmost is used.
    """
    columns: dict[int, str] = {}
    ignored: list[str] = []
    for index, name in enumerate(header):
        wire = field_for(name)
        if wire is None or wire in columns.values():
            if name.strip():
                ignored.append(name.strip())
            continue
        columns[index] = wire
    if PHONE.wire not in columns.values():
        raise HeaderError(_no_phone_message(header))
    return columns, ignored


def _no_phone_message(header: Sequence[str]) -> str:
    names = ", ".join(ALIASES[PHONE.wire][:8])
    if any(sum(c.isdigit() for c in cell) >= 6 for cell in header):
        return (
            "the first line looks like data, not a header: add a header row naming "
            f"the phone column ({names} ...)"
        )
    shown = ", ".join(repr(h) for h in header[:10]) or "(empty)"
    return f"no phone number column in the header {shown}: name one of {names} ..."


_DATES = frozenset(f.wire for f in contract.CONTACT_FIELDS if f.rule == "date")
_DAY_FIRST = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})")
_YEAR_FIRST = re.compile(r"(\d{4})[/.\-](\d{1,2})[/.\-](\d{1,2})(?:[ T]00:00(?::00)?)?")


def tidy_date(value: str) -> str:
    """Spreadsheet dates to ``YYYY-MM-DD``: ``28/02/1990``, ``28.02.1990``,
    ``1990/2/28``, ``1990-02-28 00:00:00``. Anything else is left for the server
    to judge."""
    if match := _DAY_FIRST.fullmatch(value):
        day, month, year = match.groups()
    elif match := _YEAR_FIRST.fullmatch(value):
        year, month, day = match.groups()
    else:
        return value
    return f"{year}-{int(month):02d}-{int(day):02d}"


def contact_from_cells(cells: Sequence[str], columns: dict[int, str]) -> dict[str, str]:
    """The contact a row holds: wire name -> text, empty cells left out (unset)."""
    contact: dict[str, str] = {}
    width = len(cells)
    for index, wire in columns.items():
        if index < width and (value := cells[index].strip()):
            value = value[:MAX_CELL]
            contact[wire] = tidy_date(value) if wire in _DATES else value
    return contact
