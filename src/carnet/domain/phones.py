"""Phone numbers: parse, validate and normalise to E.164.

Numbers are read the way SMS Partner reads them: French national format
(``0612345678``, with spaces, dots or dashes between digits), or international
with ``+`` or ``00``. Validity is libphonenumber's, through the ``phonenumbers``
package; the default region is France. Plain numbers take a fast path over the
same metadata (:mod:`carnet.domain.numbering`); the rest go through
``phonenumbers.parse``.

France's numbering plan also covers its overseas departments and
collectivities: ``0692 12 34 56`` is a mobile in Réunion, ``+262 692 12 34 56``.
A national number (``0`` and nine digits, no ``+`` or ``00``) is therefore read
in the plans of the territories of :data:`FRENCH_OVERSEAS` that libphonenumber
dials with France's national prefix, as ``phonenumbers`` parses it in each of
those regions, and the reading is chosen so:

1. France's metadata does not know the number: the first overseas calling
   code (in the order of :data:`FRENCH_OVERSEAS`) that does
   (``0692123456`` → ``+262692123456``, ``0590…`` → ``+590590…``);
2. France's metadata knows it too: it stays ``+33`` unless exactly one
   overseas calling code knows it and, there, it is a fixed line or a mobile,
   a range of that territory's own (``0596 61 23 45``, a line in Martinique,
   becomes ``+596596612345``; ``0269…`` in Mayotte ``+262269…``). The national
   services the territories' metadata repeat (``0800…``, ``089…``, VoIP
   ``09…``) stay ``+33``, as do all numbers of metropolitan France; ``0508…``
   too, which libphonenumber knows only as a fixed line of France.

Numbers written with a calling code (``+33 692…``, ``0033…``, ``33…``) are
read as written: only the national form is ambiguous.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers
from phonenumbers.phonemetadata import PhoneMetadata
from phonenumbers.re_util import enable_pattern_cache

from carnet.domain.numbering import UNDECIDED, CallingCode, calling_code, fast_e164

DEFAULT_REGION = "FR"

# The French overseas departments and collectivities with an ISO region code.
# Which of them French national numbers reach is read from the metadata: those
# dialled with France's national prefix and France's number length. Wallis and
# Futuna, French Polynesia and New Caledonia have plans of their own without a
# national prefix (reached from France as +681, +689, +687 only), and
# libphonenumber has no metadata for the Southern Territories.
FRENCH_OVERSEAS = ("RE", "YT", "GP", "BL", "MF", "MQ", "GF", "PM", "WF", "PF", "NC", "TF")

# phonenumbers otherwise leans on the re module's cache of 512 patterns, which
# numbers from many countries overflow: each is then recompiled, ~300 µs a number.
enable_pattern_cache()

# Longest raw input worth parsing. E.164 allows 15 digits; this leaves room for
# separators, a "00" prefix and spaces a spreadsheet may add.
MAX_RAW_LENGTH = 40

# Digits with the separators people type; a "+" only in front. Letters (vanity
# numbers), extensions and anything else are refused before parsing.
_ALLOWED = re.compile(r"\+?[0-9 .\-()/]+")


class InvalidPhone(ValueError):
    """The text is not a valid phone number; ``str()`` says why."""


def normalise_phone(raw: str, region: str = DEFAULT_REGION) -> str:
    """Return ``raw`` as an E.164 string, or raise :class:`InvalidPhone`."""
    text = raw.strip()
    if not text:
        raise InvalidPhone("phone number is empty")
    if len(text) > MAX_RAW_LENGTH:
        raise InvalidPhone("phone number is too long")
    if _ALLOWED.fullmatch(text) is None:
        raise InvalidPhone(
            "phone number may hold only digits, spaces, dots, dashes, parentheses and "
            "slashes, and a leading +"
        )
    result = fast_e164(text, region)
    if result is UNDECIDED:
        result = _parse(text, region)
    if text[0] != "+" and region == "FR" and _OVERSEAS is not None:
        digits = text if text.isdigit() else _without_separators(text)
        # Most national numbers (every mobile of metropolitan France) stop at the heads.
        if digits[: _OVERSEAS.head_end] in _OVERSEAS.heads:
            result = _OVERSEAS.choose(digits, result)
    if result is None:
        raise InvalidPhone("not a valid phone number")
    return result


def _without_separators(text: str) -> str:
    # Chained replaces: str.translate costs as much as the fast path's look-ups.
    return (
        text.replace(" ", "")
        .replace(".", "")
        .replace("-", "")
        .replace("(", "")
        .replace(")", "")
        .replace("/", "")
    )


@lru_cache(maxsize=65536)
def _parse(text: str, region: str) -> str | None:
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


_HEAD = 3  # digits of a national significant number looked up before any pattern


@dataclass(frozen=True, slots=True)
class OverseasPlans:
    """The overseas calling codes a national number of the home region may belong to."""

    length: int  # digits of a national number, prefix included
    codes: tuple[CallingCode, ...]
    # The national prefix and first digits of every national number valid
    # under one of the codes, each with the codes (in order) it may be valid
    # under; head_end is their length.
    heads: dict[str, tuple[CallingCode, ...]]
    head_end: int

    def choose(self, digits: str, home: str | None) -> str | None:
        """The E.164 form of national ``digits`` by the module's rule; ``home`` is +33's."""
        codes = self.heads.get(digits[: self.head_end])
        if len(digits) != self.length or codes is None:
            return home
        readings = []
        for code in codes:
            nsn, plan = code.read(digits)
            if plan is not None:
                readings.append((f"+{code.code}{nsn}", plan.is_line(nsn)))
        if home is None:
            return readings[0][0] if readings else None
        if len(readings) == 1 and readings[0][1]:
            return readings[0][0]
        return home


def french_overseas_plans() -> OverseasPlans | None:
    """The overseas plans French national numbers reach; None if France's plan changed shape."""
    home = PhoneMetadata.metadata_for_region("FR", None)
    if home is None or not home.national_prefix or len(_lengths(home)) != 1:
        return None
    prefix = home.national_prefix
    (nsn_length,) = _lengths(home)
    codes: list[CallingCode] = []
    heads: dict[str, tuple[CallingCode, ...]] = {}
    for territory in FRENCH_OVERSEAS:
        metadata = PhoneMetadata.metadata_for_region(territory, None)
        if (
            metadata is None
            or metadata.country_code is None
            or metadata.national_prefix != prefix
            or nsn_length not in _lengths(metadata)
        ):
            continue
        # A territory whose metadata the fast path cannot compile is left out
        # (the tests name the calling codes expected).
        code = calling_code(metadata.country_code)
        if code is None or code in codes:
            continue
        codes.append(code)
        for plan in code.plans:
            types = plan.types_by_length.get(nsn_length)
            if types is not None:
                for head in _heads(types.pattern, nsn_length):
                    known = heads.get(prefix + head, ())
                    if code not in known:
                        heads[prefix + head] = (*known, code)
    end = len(prefix) + _HEAD
    return OverseasPlans(len(prefix) + nsn_length, tuple(codes), heads, end)


def _lengths(metadata: PhoneMetadata) -> tuple[int, ...]:
    general = metadata.general_desc
    return tuple(general.possible_length) if general is not None else ()


_ALL_HEADS = frozenset(f"{n:0{_HEAD}d}" for n in range(10**_HEAD))
# libphonenumber's patterns: digits, \d, classes of digits and ranges, (?:…),
# alternatives and quantifiers. Anything else gives every head (no filtering).
_GRAMMAR = re.compile(r"(?:\\d|\[(?:\\d|[0-9\-])*\]|\{\d+(?:,\d*)?\}|\(\?:|[0-9()|?*+])*")
_DIGIT_READER = re.compile(r"\\d|\[[^\]]*\]|\{[^}]*\}|\(\?:|[0-9]")


def _with_wildcard(match: re.Match[str]) -> str:
    token = match.group()
    if token == r"\d":
        return r"[\d_]"
    if token[0] == "[":
        return token[:-1] + "_]"
    if token[0] in "{(":
        return token
    return f"[{token}_]"


def _heads(pattern: str, length: int) -> frozenset[str]:
    """The first digits of every ``length``-digit string ``pattern`` matches.

    Every digit the pattern reads also reads ``_``, so ``"614" + "_" * 6``
    matches exactly when some digits in place of the ``_`` would.
    """
    if _GRAMMAR.fullmatch(pattern) is None:
        return _ALL_HEADS
    wild = re.compile(_DIGIT_READER.sub(_with_wildcard, pattern))
    tail = "_" * (length - _HEAD)
    return frozenset(head for head in _ALL_HEADS if wild.fullmatch(head + tail))


# Built once: the numbers of every import and request meet it.
_OVERSEAS = french_overseas_plans()
