"""Upstream's number lookup: country, type, offline network and formats of each number.

Every number is read as everywhere else in carnet (:func:`normalise_phone`:
national numbers are French, overseas territories included), then described
from libphonenumber's metadata: the country's English name, the calling code,
the number's type, the carrier the number range was allocated to (offline data,
"" when unknown) and four ways of writing it. An invalid number is a result
with ``success`` False, never a failure of the request.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType, carrier

from carnet.contract import LOOKUP_MAX, NUMBER_TYPES
from carnet.domain.phones import InvalidPhone, normalise_phone
from carnet.errors import BatchTooLarge, MissingContactInfo

_LANGUAGE = "en"


@dataclass(frozen=True, slots=True)
class NumberLookup:
    """What is known of one number; every text is "" when ``success`` is False."""

    request: str
    success: bool
    country: str = ""
    prefix_code: int = 0
    e164: str = ""
    type: str = ""
    network: str = ""
    international: str = ""
    national: str = ""
    rfc3966: str = ""


def lookup_number(request: str) -> NumberLookup:
    """Describe one number as sent; ``success`` False when it is not a valid one."""
    try:
        e164 = normalise_phone(request)
    except InvalidPhone:
        return NumberLookup(request, False)
    # Imported at the first lookup: its data holds about 100 MiB, which a worker
    # that never answers a lookup (most of them, an import's) need not carry.
    from phonenumbers import geocoder

    number = phonenumbers.parse(e164)
    kind = PhoneNumberType.to_string(phonenumbers.number_type(number))
    return NumberLookup(
        request=request,
        success=True,
        country=geocoder.country_name_for_number(number, _LANGUAGE),
        prefix_code=int(number.country_code or 0),
        e164=e164,
        type=NUMBER_TYPES.get(kind, NUMBER_TYPES["UNKNOWN"]),
        network=carrier.name_for_number(number, _LANGUAGE),
        international=phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL),
        national=phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL),
        rfc3966=phonenumbers.format_number(number, PhoneNumberFormat.RFC3966),
    )


def lookup_numbers(requests: Sequence[str]) -> list[NumberLookup]:
    """Describe each number, in order: code 2 for none, code 50 past ``LOOKUP_MAX``."""
    if len(requests) > LOOKUP_MAX:
        raise BatchTooLarge(f"A lookup holds at most {LOOKUP_MAX} numbers, got {len(requests)}")
    if not requests:
        raise MissingContactInfo("phoneNumbers is required")
    return [lookup_number(request) for request in requests]
