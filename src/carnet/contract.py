"""The contract's vocabulary, written once (SPEC.md §1 to §5).

Field names and limits, the batch size, the report's buckets and the order in
which checks answer are defined here and nowhere else: the domain's rules, the
wire shapes, the OpenAPI document, the client's models and the importer's
labels all read them from this module. It imports nothing beyond the standard
library, so that the client can use it without the server's dependencies.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "ACCOUNT_NAME_MAX",
    "API_KEY_MAX",
    "BATCH_MAX",
    "BUCKETS",
    "BUCKET_ORDER",
    "CHECK_ORDER",
    "CODES",
    "CONTACT_FIELDS",
    "FIELDS_BY_ATTRIBUTE",
    "FIELDS_BY_WIRE",
    "FIELD_CODE_ORDER",
    "GROUP_NAME_MAX",
    "PAGE_SIZE",
    "ContactField",
    "Rule",
    "field_code_rank",
]

Rule = Literal["phone", "text", "date", "url"]

# -- codes (SPEC §5) ----------------------------------------------------------

# code -> (HTTP status, what it means)
CODES: dict[int, tuple[int, str]] = {
    1: (400, "a required id or name is missing"),
    2: (400, "contact info is required"),
    3: (400, "a parameter has an invalid form"),
    9: (400, "the phone number is invalid"),
    10: (401, "API key is missing or incorrect"),
    14: (409, "the number is on the stop list"),
    15: (409, "the number is already in the group"),
    16: (400, "the date is invalid"),
    17: (400, "the url is invalid"),
    18: (400, "a field is too long"),
    50: (400, "more than 500 contacts in one batch"),
    90: (400, "the JSON is malformed, or not an object"),
    404: (404, "the group, contact, stop entry or path does not exist"),
    405: (405, "the method is not allowed on this path"),
    413: (413, "the request body is too large"),
    429: (429, "too many requests"),
    500: (500, "internal error"),
}

# The order in which checks run; the first that fails answers (SPEC §1).
CHECK_ORDER: tuple[int, ...] = (413, 90, 10, 1, 404, 50, 2, 9, 3, 18, 16, 17, 14, 15)

# Among the field rules, the code of the first failing field in this order
# answers; ``errors`` lists every field at fault.
FIELD_CODE_ORDER: tuple[int, ...] = tuple(c for c in CHECK_ORDER if c in (9, 3, 18, 16, 17))


def field_code_rank(code: int) -> int:
    """Where a field rule's code ranks among the field rules (lower answers first)."""
    return FIELD_CODE_ORDER.index(code)


# -- contact fields (SPEC §2) -------------------------------------------------


@dataclass(frozen=True, slots=True)
class ContactField:
    """One contact field, under each of the names the wire and the code give it."""

    wire: str  # in requests (contact/add, contact/update) and their answers
    detail: str  # in contact/detail and the items of contact/list
    attribute: str  # the attribute of domain records and client models
    rule: Rule
    code: int  # the contract's code when the value breaks its rule
    limit: int | None = None  # most characters, counted after trimming (code 18 past it)
    required: bool = False


CONTACT_FIELDS: tuple[ContactField, ...] = (
    ContactField("phoneNumber", "phone", "phone", "phone", 9, required=True),
    ContactField("firstname", "firstname", "firstname", "text", 18, 32),
    ContactField("lastname", "lastname", "lastname", "text", 18, 32),
    ContactField("date", "date", "date", "date", 16),
    ContactField("url", "url", "url", "url", 17, 2048),
    ContactField("shortUrlPartnr", "shortUrl", "short_url", "text", 18, 2048),
    ContactField("custom1", "custom1", "custom1", "text", 18, 255),
    ContactField("custom2", "custom2", "custom2", "text", 18, 255),
    ContactField("custom3", "custom3", "custom3", "text", 18, 255),
    ContactField("custom4", "custom4", "custom4", "text", 18, 255),
)
FIELDS_BY_WIRE: dict[str, ContactField] = {f.wire: f for f in CONTACT_FIELDS}
FIELDS_BY_ATTRIBUTE: dict[str, ContactField] = {f.attribute: f for f in CONTACT_FIELDS}

# Other limits of the contract and of carnet's own parameters.
GROUP_NAME_MAX = 255
ACCOUNT_NAME_MAX = 100
API_KEY_MAX = 256  # a longer key is not one of ours: refused before any hashing

# -- batches and pages (SPEC §3, §4) ---------------------------------------------

BATCH_MAX = 500
PAGE_SIZE = 100

# The report's buckets, in the order ``rapport.errors`` lists them (upstream's
# names, misspellings included).
BUCKETS: tuple[str, ...] = (
    "stopSms",
    "invalidePhone",
    "duplicatePhone",
    "allreadyInGroupe",
    "urlInvalide",
    "dateInvalide",
    "empty",
    "unactivated",
    "dateInvalid",
    "invalidField",
)

# The order in which a row is judged, with the code each bucket answers: a row
# lands in the first bucket that applies. ``dateInvalid`` repeats
# ``dateInvalide`` and ``unactivated`` stays 0, so neither is judged.
BUCKET_ORDER: tuple[tuple[str, int], ...] = (
    ("empty", 2),
    ("invalidePhone", 9),
    ("invalidField", 3),
    ("invalidField", 18),
    ("dateInvalide", 16),
    ("urlInvalide", 17),
    ("stopSms", 14),
    ("allreadyInGroupe", 15),
    ("duplicatePhone", 15),
)
