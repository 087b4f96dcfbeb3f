"""Numbering plans read from libphonenumber's metadata: a fast path for plain numbers.

``phonenumbers.parse`` + ``is_valid_number`` + ``format_number`` cost about
30 µs a number, most of it in generic work (finding a number inside free
text, extensions, RFC 3966, alpha characters) that plain input never needs.
:func:`fast_e164` handles only plain input — digits with spaces, dots or
dashes, an optional leading ``+`` — and only the steps of ``phonenumbers``
that such input can reach, using the same metadata and the same regular
expressions, compiled once. Anything outside that shape, or any case whose
handling is not a plain table look-up (national prefixes that are patterns or
rewrite rules, non-geographic codes, leading zeros kept in the national
number), answers :data:`UNDECIDED`, and the caller asks ``phonenumbers``.

The answers must be exactly ``phonenumbers``' answers:
``tests/test_phones_differential.py`` compares them on over a million
generated numbers. The steps below name the ``phonenumbers`` function each
one mirrors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Final

import phonenumbers
from phonenumbers.phonemetadata import PhoneMetadata
from phonenumbers.phonenumberutil import ValidationResult, _test_number_length

# Returned when the fast path cannot decide; distinct from None ("invalid").
UNDECIDED: Final = "undecided"

_MIN_DIGITS = 6  # shorter input goes the slow way (phonenumbers' "too short" rules)
_MAX_NSN = 17  # phonenumbers._MAX_LENGTH_FOR_NSN
_MAX_INPUT = 64  # more digits than any input carnet lets through
_KEPT = (ValidationResult.IS_POSSIBLE, ValidationResult.TOO_LONG)
_TYPE_DESCS = (
    "premium_rate",
    "toll_free",
    "shared_cost",
    "voip",
    "personal_number",
    "pager",
    "uan",
    "voicemail",
    "fixed_line",
    "mobile",
)
_LINE_DESCS = ("fixed_line", "mobile")


@dataclass(frozen=True, slots=True)
class Plan:
    """One region's rules, compiled: enough to strip a national prefix and validate."""

    general: re.Pattern[str]
    general_lengths: frozenset[int]
    # Lengths at which parse keeps a stripped national number
    # (_test_number_length answers IS_POSSIBLE or TOO_LONG).
    keep_lengths: frozenset[int]
    # Lengths _test_number_length calls TOO_LONG.
    too_long_lengths: frozenset[int]
    national_prefix: str  # literal; "" when the region has none
    # Per national-number length: one pattern, the union of the number types
    # whose possible lengths include it (valid = general matches and one type does).
    types_by_length: dict[int, re.Pattern[str]]
    # The same for the types number_type tests before fixed line and mobile.
    others_by_length: dict[int, re.Pattern[str]]
    leading_digits: re.Pattern[str] | None

    def is_valid(self, nsn: str) -> bool:
        """_number_type_helper(nsn) != UNKNOWN."""
        if len(nsn) not in self.general_lengths or self.general.fullmatch(nsn) is None:
            return False
        types = self.types_by_length.get(len(nsn))
        return types is not None and types.fullmatch(nsn) is not None

    def is_line(self, nsn: str) -> bool:
        """For a valid ``nsn``: number_type is FIXED_LINE, MOBILE or FIXED_LINE_OR_MOBILE."""
        others = self.others_by_length.get(len(nsn))
        return others is None or others.fullmatch(nsn) is None

    def strip_prefix_only(self, number: str) -> str:
        """_maybe_strip_national_prefix_carrier_code (a literal prefix, no carrier code)."""
        prefix = self.national_prefix
        if not prefix or not number.startswith(prefix):
            return number
        stripped = number[len(prefix) :]
        viable = self.general.fullmatch(number) is not None
        if viable and self.general.fullmatch(stripped) is None:
            return number
        return stripped

    def strip_national_prefix(self, number: str) -> str:
        """_maybe_strip_national_prefix_carrier_code, then parse's length test."""
        stripped = self.strip_prefix_only(number)
        if stripped is number:
            return number
        return stripped if len(stripped) in self.keep_lengths else number

    def country_code_stripped(self, digits: str, code: str) -> str | None:
        """_maybe_extract_country_code for national input that begins with ``code``.

        The number without its calling code (and a national prefix after it),
        when phonenumbers would read it that way; None when it keeps the
        number whole as a national one.
        """
        potential = self.strip_prefix_only(digits[len(code) :])
        if (self.general.fullmatch(digits) is None and self.general.fullmatch(potential)) or len(
            digits
        ) in self.too_long_lengths:
            return potential
        return None


def _union_by_length(by_length: dict[int, list[str]]) -> dict[int, re.Pattern[str]]:
    return {
        length: re.compile("|".join(f"(?:{p})" for p in patterns))
        for length, patterns in by_length.items()
    }


def _compile_plan(metadata: PhoneMetadata) -> Plan | None:
    general = metadata.general_desc
    if general is None or not general.national_number_pattern:
        return None
    prefix = metadata.national_prefix_for_parsing or ""
    # Only a literal prefix strips the same way as phonenumbers' regex without
    # a carrier-code group; a pattern or a rewrite rule goes the slow way.
    if (prefix and not prefix.isdigit()) or metadata.national_prefix_transform_rule:
        return None
    lengths = tuple(general.possible_length)
    if not lengths or lengths[0] == -1:
        return None
    # The length test depends on the length alone: ask phonenumbers for each.
    tested = {
        length: _test_number_length("1" * length, metadata) for length in range(_MAX_INPUT + 1)
    }
    keep = frozenset(length for length, result in tested.items() if result in _KEPT)
    too_long = frozenset(
        length for length, result in tested.items() if result == ValidationResult.TOO_LONG
    )
    by_length: dict[int, list[str]] = {}
    others: dict[int, list[str]] = {}
    for name in _TYPE_DESCS:
        desc = getattr(metadata, name)
        if desc is None or not desc.national_number_pattern:
            continue
        # An empty list of lengths means "any length" in _is_number_matching_desc.
        for length in desc.possible_length or range(1, _MAX_NSN + 1):
            by_length.setdefault(length, []).append(desc.national_number_pattern)
            if name not in _LINE_DESCS:
                others.setdefault(length, []).append(desc.national_number_pattern)
    return Plan(
        general=re.compile(general.national_number_pattern),
        general_lengths=frozenset(lengths),
        keep_lengths=keep,
        too_long_lengths=too_long,
        national_prefix=prefix,
        types_by_length=_union_by_length(by_length),
        others_by_length=_union_by_length(others),
        leading_digits=(
            re.compile(metadata.leading_digits) if metadata.leading_digits is not None else None
        ),
    )


@dataclass(frozen=True, slots=True)
class CallingCode:
    """The regions sharing one country calling code, main region first."""

    code: str
    plans: tuple[Plan, ...]

    def e164(self, national: str) -> str | None:
        """Strip the main region's national prefix; validate as is_valid_number does."""
        nsn = self.plans[0].strip_national_prefix(national)
        if nsn[0] == "0" or len(nsn) > _MAX_NSN or len(nsn) < 2:
            # Leading zeros are kept apart by phonenumbers (Italian style); rare.
            raise _Undecided
        if len(self.plans) == 1:
            valid = self.plans[0].is_valid(nsn)
        else:
            valid = self.region_plan(nsn) is not None
        return f"+{self.code}{nsn}" if valid else None

    def read(self, national: str) -> tuple[str, Plan | None]:
        """Like :meth:`e164`: the national significant number and, when it is valid,
        the plan of its region (None too for a kept leading zero)."""
        nsn = self.plans[0].strip_national_prefix(national)
        if nsn[0] == "0" or len(nsn) > _MAX_NSN or len(nsn) < 2:
            return nsn, None
        return nsn, self.region_plan(nsn)

    def region_plan(self, nsn: str) -> Plan | None:
        """The plan of region_code_for_number's region, when the number is valid there."""
        if len(self.plans) == 1:
            return self.plans[0] if self.plans[0].is_valid(nsn) else None
        # The first region whose leading digits match, or (without leading
        # digits) for which the number has a type.
        for plan in self.plans:
            if plan.leading_digits is not None:
                if plan.leading_digits.match(nsn):
                    return plan if plan.is_valid(nsn) else None
            elif plan.is_valid(nsn):
                return plan
        return None


class _Undecided(Exception):
    pass


@cache
def calling_code(code: int) -> CallingCode | None:
    """The compiled plans for a calling code, or None when it must go the slow way."""
    regions = phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(code)
    if not regions or "001" in regions:
        return None
    plans = []
    for region in regions:
        metadata = PhoneMetadata.metadata_for_region(region, None)
        plan = _compile_plan(metadata) if metadata is not None else None
        if plan is None:
            return None
        plans.append(plan)
    return CallingCode(str(code), tuple(plans))


@cache
def _default(region: str) -> tuple[CallingCode | None, str, str]:
    """The default region's calling code, its international (IDD) prefix if literal."""
    metadata = PhoneMetadata.metadata_for_region(region, None)
    if metadata is None:
        return None, "", ""
    idd = metadata.international_prefix or ""
    code: int | None = metadata.country_code
    if code is None or not idd.isdigit():
        return None, "", ""
    if phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(code, ("",))[0] != region:
        return None, "", ""
    return calling_code(code), idd, str(code)


def _split_calling_code(digits: str) -> tuple[CallingCode | None, str]:
    """_extract_country_code: the shortest prefix (1 to 3 digits) that is a calling code."""
    for size in (1, 2, 3):
        code = int(digits[:size])
        if code in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
            return calling_code(code), digits[size:]
    return None, ""


def _without_separators(text: str) -> str:
    # str.translate would read better, but costs a quarter of the whole fast path.
    return text.replace(" ", "").replace(".", "").replace("-", "")


def fast_e164(text: str, region: str) -> str | None:
    """E.164 for a valid number, None for an invalid one, :data:`UNDECIDED` otherwise.

    ``text`` is stripped; ``region`` the default region for national numbers.
    """
    if not text or text[-1] not in "0123456789":
        return UNDECIDED
    plus = text[0] == "+"
    digits = _without_separators(text[1:] if plus else text)
    if len(digits) < _MIN_DIGITS or not (digits.isascii() and digits.isdigit()):
        return UNDECIDED
    default, idd, default_code = _default(region)
    if not plus and idd and digits.startswith(idd) and digits[len(idd)] != "0":
        # _parse_prefix_as_idd: an IDD followed by anything but 0 is stripped.
        digits, plus = digits[len(idd) :], True
    if plus:
        if digits[0] == "0":
            return UNDECIDED  # phonenumbers retries this without the "+"
        code, national = _split_calling_code(digits)
    else:
        if default is None or (idd and digits.startswith(idd)):
            # An IDD followed by 0 is kept in the number: the slow way.
            return UNDECIDED
        code, national = default, digits
        if digits.startswith(default_code):
            # Spreadsheets drop the "+": phonenumbers then reads the calling
            # code off the front when the rest looks like a better number.
            without_code = default.plans[0].country_code_stripped(digits, default_code)
            if without_code is not None:
                national = without_code
    if code is None or len(national) < 2:
        return UNDECIDED
    try:
        return code.e164(national)
    except _Undecided:
        return UNDECIDED
