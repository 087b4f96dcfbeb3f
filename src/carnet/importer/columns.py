"""Which column of a spreadsheet holds which contact field.

Header names are compared by their words, without case, accents or
punctuation, leaving out little words (``de``, ``du``, ``of`` ...) and a
leading number sign (``N°``, ``No``): ``N° de téléphone``, ``Telephone`` and
``TÉLÉPHONE`` are one name, and ``Date de naissance`` is ``Date naissance``.
A field's own names come from :mod:`carnet.contract` (wire name, detail name,
attribute); :data:`OTHER_NAMES` adds the ones people use. ``--map`` and
``--phone-column`` name the rest.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence

from carnet import contract
from carnet.client.fields import PHONE
from carnet.importer.problems import HeaderError

# Header names that mean a field besides its own names, by the field's
# attribute in carnet.contract, as people write them.
OTHER_NAMES: dict[str, tuple[str, ...]] = {
    "phone": (
        "mobile", "mobile phone", "mobile number", "cell phone", "cell", "cellular",
        "tel", "telephone", "tel portable", "telephone portable", "telephone mobile",
        "tel mobile", "portable", "numero", "numero de telephone", "numero de portable",
        "numero de mobile", "numero mobile", "gsm", "msisdn",
        "phone 1", "phone 1 - value", "tel 1", "telephone 1", "mobile 1", "portable 1",
    ),
    "firstname": ("prenom", "given name"),
    "lastname": ("nom", "surname", "family name", "nom de famille"),
    "date": (
        "birthday", "birth date", "date of birth", "dob", "anniversaire",
        "date de naissance", "date anniversaire", "ne le", "nee le",
    ),
    "url": ("link", "lien", "website", "site web"),
    "consent_at": (
        "date consentement", "consentement", "date du consentement", "consent date",
        "consented at", "opt in date", "date opt in",
    ),
    "consent_source": ("source", "source consentement", "source du consentement",
                       "consent source"),
}  # fmt: skip

# Words that do not change what a header means.
_LITTLE_WORDS = frozenset({"de", "du", "des", "d", "l", "la", "le", "les", "of", "the"})
# A leading number sign: "N°", "Nº", "No.", "Nr".
_NUMBER_SIGNS = frozenset({"n", "no", "nr", "num"})
# Words that only French headers use; with them, dates are read day first.
_FRENCH_WORDS = frozenset(
    {"prenom", "nom", "portable", "numero", "naissance", "anniversaire", "societe",
     "adresse", "ville", "civilite", "courriel", "entreprise", "telephone", "consentement"}
)  # fmt: skip

# Longer than any field may be: a longer cell is cut to this, which keeps it
# refused for its length while keeping requests small.
MAX_CELL = 2 * max(f.limit or 0 for f in contract.CONTACT_FIELDS) + 1

IGNORE = "-"  # ``--map "Column=-"``: leave that column out


def _words(name: str) -> list[str]:
    decomposed = unicodedata.normalize("NFKD", name.strip().lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.findall(r"[a-z0-9]+", plain)


def header_key(name: str) -> str:
    """``"N° de Téléphone "`` -> ``"telephone"``: the words that matter, run together."""
    words = _words(name)
    if len(words) > 1 and words[0] in _NUMBER_SIGNS:
        words = words[1:]
    kept = [w for w in words if w not in _LITTLE_WORDS]
    return "".join(kept or words)


def looks_french(header: Sequence[str]) -> bool:
    """Whether a header row is French (``Prénom``, ``Téléphone``, ``Date de naissance``)."""
    return any(w in _FRENCH_WORDS for name in header for w in _words(name))


def _aliases() -> dict[str, tuple[str, ...]]:
    """Wire name -> the header keys that mean it: its own names, then the others."""
    aliases = {}
    for f in contract.CONTACT_FIELDS:
        names = (f.wire, f.detail, f.attribute, *OTHER_NAMES.get(f.attribute, ()))
        aliases[f.wire] = tuple(dict.fromkeys(header_key(name) for name in names))
    return aliases


ALIASES = _aliases()
_BY_KEY = {alias: wire for wire, aliases in ALIASES.items() for alias in aliases}
# A field as --map may name it: its wire name or its attribute, in any case.
_FIELD_NAMES = {
    name.lower(): f.wire for f in contract.CONTACT_FIELDS for name in (f.wire, f.attribute)
}


def field_for(name: str) -> str | None:
    """The wire name a header means, or None when it is not a contact field."""
    return _BY_KEY.get(header_key(name))


def field_named(name: str) -> str:
    """The wire name of a field named by its wire name or attribute (any case), or
    :data:`IGNORE` for ``-``; ``HeaderError`` for anything else."""
    name = name.strip()
    wire = IGNORE if name == IGNORE else _FIELD_NAMES.get(name.lower())
    if wire is None:
        fields = ", ".join(f.wire for f in contract.CONTACT_FIELDS)
        raise HeaderError(f"{name!r} is not a field; use one of {fields}, or -")
    return wire


def mapping_from(pairs: Mapping[str, str]) -> dict[str, str]:
    """Column name -> field name (as :func:`field_named` takes it) to column -> wire name,
    as :class:`~carnet.importer.source.ReadOptions` takes it (a JSON ``map``, say)."""
    return {column.strip(): field_named(name) for column, name in pairs.items()}


def parse_map(items: Sequence[str]) -> dict[str, str]:
    """``["Portable=phone", "Tel 2=-"]`` -> column name -> wire name (or :data:`IGNORE`)."""
    mapping: dict[str, str] = {}
    for item in items:
        column, equals, name = item.rpartition("=")
        if not equals or not column.strip():
            raise HeaderError(f'--map {item!r}: write it "Column=field", e.g. "Portable=phone"')
        try:
            mapping[column.strip()] = field_named(name)
        except HeaderError as exc:
            raise HeaderError(f"--map {item!r}: {exc}") from None
    return mapping


def _find(header: Sequence[str], column: str) -> int:
    """The index of the column ``--map`` names: its exact name, else compared as headers."""
    names = [h.strip() for h in header]
    if column in names:
        return names.index(column)
    keys = [header_key(h) for h in header]
    if header_key(column) in keys:
        return keys.index(header_key(column))
    shown = ", ".join(repr(h) for h in names[:20])
    raise HeaderError(f"no column {column!r} in the header ({shown})")


def map_columns(
    header: Sequence[str], mapping: Mapping[str, str] | None = None
) -> tuple[dict[int, str], list[str]]:
    """Column index -> wire name, and the header names left unused.

    ``mapping`` (column name -> wire name or :data:`IGNORE`, see :func:`parse_map`)
    comes first; other columns are found by their names. When two columns
    mean the same field, the leftmost is used.
    """
    chosen: dict[int, str] = {}
    for column, target in (mapping or {}).items():
        at = _find(header, column)
        if target != IGNORE and target in chosen.values():
            raise HeaderError(f"--map gives {target} two columns")
        chosen[at] = target
    columns: dict[int, str] = {}
    ignored: list[str] = []
    taken = set(chosen.values())
    for index, name in enumerate(header):
        wire: str | None = chosen.get(index, field_for(name))
        if index not in chosen and wire in taken:
            wire = None
        if wire is None or wire == IGNORE:
            if name.strip():
                ignored.append(name.strip())
            continue
        columns[index] = wire
        taken.add(wire)
    if PHONE.wire not in columns.values():
        raise HeaderError(_no_phone_message(header))
    return columns, ignored


def _no_phone_message(header: Sequence[str]) -> str:
    names = "phone, mobile, tel, telephone, portable, numero"
    if any(sum(c.isdigit() for c in cell) >= 6 for cell in header):
        return (
            "the first line looks like data, not a header: add a header row naming "
            f"the phone column ({names} ...)"
        )
    shown = ", ".join(repr(h.strip()) for h in header[:10]) or "(empty)"
    return (
        f"no phone number column in the header {shown}: name it {names} ..., "
        'or say which with --phone-column NAME or --map "NAME=phone"'
    )
