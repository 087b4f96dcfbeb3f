"""The longest valid number of every region, drawn from libphonenumber's own metadata.

For each region (and each non-geographic code), every number type's national
pattern is read as a regular expression and spelled out at each length it
allows; the longest spelling that ``phonenumbers.is_valid_number`` accepts is
that region's longest valid number.
"""

from __future__ import annotations

from functools import cache
from re import _constants as sre  # the parsed form of a pattern (Python >= 3.11)
from re import _parser as sre_parse
from typing import Any

import phonenumbers
from phonenumbers import PhoneMetadata

# No national number is longer (phonenumbers._MAX_LENGTH_FOR_NSN is 17).
_LONGEST = 20
_TYPES = (
    "fixed_line",
    "mobile",
    "toll_free",
    "premium_rate",
    "shared_cost",
    "personal_number",
    "voip",
    "pager",
    "uan",
    "voicemail",
)

Spellings = dict[int, str]  # length -> one string of that length the pattern matches


def _joined(first: Spellings, then: Spellings) -> Spellings:
    out: Spellings = {}
    for length, text in first.items():
        for more, rest in then.items():
            if length + more <= _LONGEST:
                out.setdefault(length + more, text + rest)
    return out


def _sequence(items: Any) -> Spellings:
    spelled: Spellings = {0: ""}
    for op, value in items:
        spelled = _joined(spelled, _item(op, value))
    return spelled


def _one_of(members: Any) -> str:
    for op, value in members:
        if op is sre.LITERAL:
            return chr(value)
        if op is sre.RANGE:
            return chr(value[0])
        if op is sre.CATEGORY and value is sre.CATEGORY_DIGIT:
            return "0"
    raise ValueError(f"unexpected character class {members!r}")


def _item(op: Any, value: Any) -> Spellings:
    if op is sre.LITERAL:
        return {1: chr(value)}
    if op is sre.IN:
        return {1: _one_of(value)}
    if op is sre.SUBPATTERN:
        return _sequence(value[-1])
    if op is sre.BRANCH:
        spelled: Spellings = {}
        for branch in value[1]:
            for length, text in _sequence(branch).items():
                spelled.setdefault(length, text)
        return spelled
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
        least, most, body = value
        once, spelled, so_far = _sequence(body), {}, {0: ""}
        for count in range(min(most, _LONGEST) + 1):
            if count >= least:
                for length, text in so_far.items():
                    spelled.setdefault(length, text)
            so_far = _joined(so_far, once)
        return spelled
    raise ValueError(f"unexpected pattern element {op}")


def _longest(metadata: PhoneMetadata) -> str:
    found = ""
    for name in _TYPES:
        desc = getattr(metadata, name)
        if desc is None or desc.national_number_pattern is None:
            continue
        spelled = _sequence(sre_parse.parse(desc.national_number_pattern))
        lengths = desc.possible_length or metadata.general_desc.possible_length
        for length in sorted(lengths, reverse=True):
            if length not in spelled:
                continue
            number = phonenumbers.parse(f"+{metadata.country_code}{spelled[length]}")
            if phonenumbers.is_valid_number(number):
                e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
                found = max(found, e164, key=len)
                break
    return found


@cache
def longest_valid_numbers() -> dict[str, str]:
    """Each region's (or non-geographic code's) longest valid number, in E.164."""
    regions = {
        region: PhoneMetadata.metadata_for_region(region)
        for region in phonenumbers.SUPPORTED_REGIONS
    }
    for code in phonenumbers.COUNTRY_CODES_FOR_NON_GEO_REGIONS:
        regions[f"+{code}"] = PhoneMetadata.metadata_for_nongeo_region(code)
    return {region: _longest(metadata) for region, metadata in sorted(regions.items())}
