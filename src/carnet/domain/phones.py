"""Phone numbers: parse, validate and normalise to E.164.

Numbers are read the way SMS Partner reads them: French national format
(``0612345678``, with spaces, dots or dashes between digits), or international
with ``+`` or ``00``. Validity is libphonenumber's, through the ``phonenumbers``
package; the default region is France. Plain numbers take a fast path over the
same metadata (:mod:`carnet.domain.numbering`); the rest go through
``phonenumbers.parse``.
"""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers
from phonenumbers.re_util import enable_pattern_cache

from carnet.domain.numbering import UNDECIDED, fast_e164

DEFAULT_REGION = "FR"

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
            "phone number may hold only digits, spaces, dots, dashes and a leading +"
        )
    result = fast_e164(text, region)
    if result is UNDECIDED:
        result = _parse(text, region)
    if result is None:
        raise InvalidPhone("not a valid phone number")
    return result


@lru_cache(maxsize=65536)
def _parse(text: str, region: str) -> str | None:
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))
