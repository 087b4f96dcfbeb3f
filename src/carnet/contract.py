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
    "API_KEY_REVOKED_WITHIN",
    "AUDIT_ACTIONS",
    "BATCH_MAX",
    "BUCKETS",
    "BUCKET_ORDER",
    "CHECK_ORDER",
    "CODES",
    "CONSENT_FUTURE_TOLERANCE_SECONDS",
    "CONTACT_DETAIL_KEYS",
    "CONTACT_FIELDS",
    "DELIVERY_STATUSES",
    "EXPORT_COLUMNS",
    "EXPORT_FORMATS",
    "FIELDS_BY_ATTRIBUTE",
    "FIELDS_BY_WIRE",
    "FIELD_CODE_ORDER",
    "GROUP_NAME_MAX",
    "INVALID_DATE",
    "INVALID_FORM",
    "INVALID_PHONE",
    "INVALID_URL",
    "LOOKUP_MAX",
    "MOVE_MAX",
    "NOT_FOUND_BUCKET",
    "NUMBER_TYPES",
    "PAGE_SIZE",
    "PASSWORD_MIN",
    "REPLY_MESSAGE_ID_MAX",
    "REPLY_NUMBER_MAX",
    "REPLY_STOP_WORDS",
    "SESSION_IDLE_SECONDS",
    "SESSION_MAX_SECONDS",
    "SIGN_IN_ATTEMPTS",
    "SIGN_IN_LOCK_SECONDS",
    "STOP_ID_LIMIT",
    "TOO_LONG",
    "WEBHOOK_EVENTS",
    "WEBHOOK_HEADERS",
    "WEBHOOK_URL_MAX",
    "WEB_PAGE_SIZE",
    "ContactField",
    "Rule",
    "field_code_rank",
    "http_status",
]

# How a field's value is judged (the domain's rules apply them):
#   phone  a number valid per libphonenumber; anything else is code 9
#   text   trimmed; no control character but tab and line ends (code 3); at most
#          ``limit`` (18)
#   date   YYYY-MM-DD, a real calendar date (16)
#   url    http:// or https:// with a host, no space or control character (17);
#          at most ``limit`` (18)
#   datetime  ISO 8601: YYYY-MM-DDTHH:MM[:SS[.ffffff]] with Z or an offset (none is
#          UTC), or a date alone (midnight UTC); a real one, not in the future (16).
#          Stored in UTC, to the second: 2026-03-02T10:15:00+00:00
# A value that is not text (a list, an object, a boolean) is code 3, except for
# the number, judged whole by its own rule (9). Numbers are taken as their digits.
Rule = Literal["phone", "text", "date", "url", "datetime"]

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

# The codes of the field rules, by name.
INVALID_FORM = 3  # a value of the wrong type, or text no field may hold
INVALID_PHONE = 9
INVALID_DATE = 16
INVALID_URL = 17
TOO_LONG = 18


def http_status(code: int, default: int = 400) -> int:
    """The HTTP status the contract gives ``code``; ``default`` for a code it does not list."""
    known = CODES.get(code)
    return known[0] if known is not None else default


# The order in which checks run; the first that fails answers (SPEC §1).
CHECK_ORDER: tuple[int, ...] = (413, 90, 10, 1, 404, 50, 2, 9, 3, 18, 16, 17, 14, 15)

# Among the field rules, the code of the first failing field in this order
# answers; ``errors`` lists every field at fault.
_FIELD_CODES = frozenset({INVALID_PHONE, INVALID_FORM, TOO_LONG, INVALID_DATE, INVALID_URL})
FIELD_CODE_ORDER: tuple[int, ...] = tuple(c for c in CHECK_ORDER if c in _FIELD_CODES)


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
    ContactField("phoneNumber", "phone", "phone", "phone", INVALID_PHONE, required=True),
    ContactField("firstname", "firstname", "firstname", "text", TOO_LONG, 32),
    ContactField("lastname", "lastname", "lastname", "text", TOO_LONG, 32),
    ContactField("date", "date", "date", "date", INVALID_DATE),
    ContactField("url", "url", "url", "url", INVALID_URL, 2048),
    ContactField("shortUrlPartnr", "shortUrl", "short_url", "text", TOO_LONG, 2048),
    ContactField("custom1", "custom1", "custom1", "text", TOO_LONG, 255),
    ContactField("custom2", "custom2", "custom2", "text", TOO_LONG, 255),
    ContactField("custom3", "custom3", "custom3", "text", TOO_LONG, 255),
    ContactField("custom4", "custom4", "custom4", "text", TOO_LONG, 255),
    # carnet's own (not upstream's): the proof of consent to marketing messages.
    ContactField("consentAt", "consentAt", "consent_at", "datetime", INVALID_DATE),
    ContactField("consentSource", "consentSource", "consent_source", "text", TOO_LONG, 255),
)
FIELDS_BY_WIRE: dict[str, ContactField] = {f.wire: f for f in CONTACT_FIELDS}
FIELDS_BY_ATTRIBUTE: dict[str, ContactField] = {f.attribute: f for f in CONTACT_FIELDS}

# The keys of a contact in ``contact/detail`` and the items of ``contact/list``,
# in upstream's order: the fields under their detail names, with ids and state.
CONTACT_DETAIL_KEYS: tuple[str, ...] = (
    "contactId",
    "phone",
    "firstname",
    "lastname",
    "url",
    "shortUrl",
    "date",
    "custom1",
    "custom2",
    "custom3",
    "custom4",
    "createdAt",
    "stopSms",
    "groupId",
    "consentAt",  # carnet's own, after upstream's keys
    "consentSource",
)

# ``contact/export`` (carnet's own): its formats, and the columns of its CSV, each
# with the key of ``contact/detail`` it holds. They are the client's names for a
# contact's attributes, so that ``carnet import`` reads an export back.
EXPORT_FORMATS: tuple[str, ...] = ("csv", "ndjson")
EXPORT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "contactId"),
    *((f.attribute, f.detail) for f in CONTACT_FIELDS),
    ("created_at", "createdAt"),
    ("stop_sms", "stopSms"),
    ("group_id", "groupId"),
)
# How far past the server's clock a consent time may be (a client's clock
# running slightly ahead); anything later is in the future (code 16).
CONSENT_FUTURE_TOLERANCE_SECONDS = 300

# Other limits of the contract and of carnet's own parameters.
# Stop-list ids are integers, as upstream's, drawn at random in [1, STOP_ID_LIMIT):
# unguessable, and exact in JavaScript (SPEC §1).
STOP_ID_LIMIT = 2**53
GROUP_NAME_MAX = 255
ACCOUNT_NAME_MAX = 100
API_KEY_MAX = 256  # a longer key is not one of ours: refused before any hashing
# Seconds within which a revoked or rotated key stops working on every worker.
API_KEY_REVOKED_WITHIN = 1.0

# -- batches and pages (SPEC §3, §4) ---------------------------------------------

BATCH_MAX = 500
PAGE_SIZE = 20  # contacts a page of contact/list, as upstream

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

# -- the dashboard (carnet's own, issue 15) ------------------------------------

PASSWORD_MIN = 10  # characters of a person's password, at least
SIGN_IN_ATTEMPTS = 5  # failed sign-ins for one email within SIGN_IN_LOCK_SECONDS lock it
SIGN_IN_LOCK_SECONDS = 60
SESSION_IDLE_SECONDS = 12 * 3600  # a session unused this long ends
SESSION_MAX_SECONDS = 7 * 24 * 3600  # and any session ends this long after sign-in
WEB_PAGE_SIZE = 20  # contacts on a page of the dashboard

# -- carnet's own and upstream's other calls (issue 16) -------------------------------

# ``lookup`` (upstream's format check): numbers a request, comma-separated (code 50 past it).
LOOKUP_MAX = 500

# ``lookup``'s ``type``: libphonenumber's number type (``PhoneNumberType``'s name)
# under the words the answer gives it.
NUMBER_TYPES: dict[str, str] = {
    "FIXED_LINE": "Fixed line",
    "MOBILE": "Mobile",
    "FIXED_LINE_OR_MOBILE": "Fixed line or mobile",
    "TOLL_FREE": "Toll free",
    "PREMIUM_RATE": "Premium rate",
    "SHARED_COST": "Shared cost",
    "VOIP": "VoIP",
    "PERSONAL_NUMBER": "Personal number",
    "PAGER": "Pager",
    "UAN": "UAN",
    "VOICEMAIL": "Voicemail",
    "UNKNOWN": "Unknown",
}

# ``contact/move`` and ``contact/copy`` (carnet's own): contact ids a request (code 50
# past it). Their report is the batch report's, with one more bucket: an id the
# account does not hold (code 404 in its row).
MOVE_MAX = BATCH_MAX
NOT_FOUND_BUCKET = "notFound"
# -- replies and webhooks (carnet's own) --------------------------------------------

# A reply whose first word is one of these (any case, accents and trailing
# punctuation ignored) puts its sender's number on the stop list.
REPLY_STOP_WORDS: tuple[str, ...] = ("STOP", "STOPSMS", "ARRET", "DESABONNER", "UNSUBSCRIBE")
REPLY_MESSAGE_ID_MAX = 128  # longer message ids are refused (code 3)
REPLY_NUMBER_MAX = 40  # as a contact's number: longer is refused before parsing (code 3)

# What a webhook may ask to be told of; one delivery per event (a batch is one event).
WEBHOOK_EVENTS: tuple[str, ...] = (
    "contact.added",
    "contact.updated",
    "contact.deleted",
    "stop.added",
    "stop.deleted",
    "import.finished",
)
WEBHOOK_URL_MAX = 2048
# The Standard Webhooks headers every delivery carries.
WEBHOOK_HEADERS: tuple[str, ...] = ("webhook-id", "webhook-timestamp", "webhook-signature")
# What ``webhook/deliveries`` says of a delivery.
DELIVERY_STATUSES: tuple[str, ...] = ("pending", "delivered", "failed")
# -- the audit trail (carnet's own) ----------------------------------------------

# Every change an account's audit trail records, by the action's name (the
# ``action`` filter of ``audit/list`` takes these). A batch is one entry with
# its counts; ``user.*`` are the people of the dashboard, ``person.erased`` the
# erasure of a person's data.
AUDIT_ACTIONS: tuple[str, ...] = (
    "account.created",
    "key.created",
    "key.rotated",
    "key.revoked",
    "user.signed_in",
    "user.added",
    "user.removed",
    "group.added",
    "group.renamed",
    "group.deleted",
    "contact.added",
    "contacts.added",
    "contact.updated",
    "contact.moved",
    "contact.deleted",
    "stop.added",
    "stop.deleted",
    "import.started",
    "import.finished",
    "person.erased",
)
