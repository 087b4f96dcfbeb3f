"""The audit trail: who changed what in an account, and when.

Every domain operation that changes something calls :func:`record` inside its
own write transaction, so an entry exists exactly when its change was
committed: a change that fails or rolls back leaves no entry. An entry holds
the time, the account, who acted (``Account.who``: a key's prefix, a person's
email, ``command line``), the action (one of ``contract.AUDIT_ACTIONS``), the
public ids concerned and counts, never a phone number, a name or a key. A
batch is one entry with its counts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from carnet.contract import AUDIT_ACTIONS
from carnet.domain.ids import now_iso
from carnet.domain.records import Account, AuditEntry
from carnet.errors import InvalidParameter
from carnet.storage import Queries, Store

# How many characters of an API key an entry shows to tell keys apart.
KEY_PREFIX_CHARS = 6
# Who acts when no key or person does.
COMMAND_LINE = "command line"
AUDIT_PAGE_SIZE = 20


def key_prefix(key: str) -> str:
    """How an entry names the key that acted: ``key:`` and its first characters."""
    return f"key:{key[:KEY_PREFIX_CHARS]}"


def record(
    q: Queries, account: Account, action: str, ids: Sequence[str] = (), **counts: int
) -> None:
    """Write the entry of a change in the change's own transaction ``q``."""
    q.insert_audit_entries([entry(account, action, ids, **counts)])


def entry(account: Account, action: str, ids: Sequence[str] = (), **counts: int) -> AuditEntry:
    """The entry of a change, to write with :meth:`Queries.insert_audit_entries`."""
    assert action in AUDIT_ACTIONS, action
    who = account.who or COMMAND_LINE
    return AuditEntry(now_iso(), account.id, who, action, tuple(ids), counts)


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """Which entries ``audit/list`` shows: an action, a range of time (ISO 8601, inclusive)."""

    action: str | None = None
    since: str | None = None
    until: str | None = None


_MOMENT = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
    r"(?:[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2})?(?:Z|[+-][0-9]{2}:?[0-9]{2})?)?"
)


def moment(text: str, name: str, *, end_of_day: bool = False) -> str:
    """A bound of a range of time (a date, or a date-time; UTC without an offset) in UTC,
    as entries are written; a date alone is its first second, or with ``end_of_day``
    its last. Code 3 naming ``name`` for anything else."""
    text = text.strip()
    try:
        if len(text) > 40 or _MOMENT.fullmatch(text) is None:
            raise ValueError(text)
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidParameter(
            f"{name} must be a date (YYYY-MM-DD) or an ISO 8601 date-time",
            errors={name: "invalid"},
        ) from None
    if len(text) == 10 and end_of_day:
        when = when.replace(hour=23, minute=59, second=59)
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).isoformat(timespec="seconds")


def audit_filter(action: str | None, since: str | None, until: str | None) -> AuditFilter:
    """The filter of ``audit/list`` from its parameters as given (None: not given)."""
    if action is not None and action not in AUDIT_ACTIONS:
        raise InvalidParameter(
            f"action must be one of {', '.join(AUDIT_ACTIONS)}", errors={"action": "unknown"}
        )
    return AuditFilter(
        action,
        moment(since, "from") if since else None,
        moment(until, "to", end_of_day=True) if until else None,
    )


@dataclass(frozen=True, slots=True)
class AuditPage:
    number: int
    total: int
    entries: list[AuditEntry]


def _days_ago(days: int) -> str:
    return (datetime.now(UTC) - timedelta(days=days)).isoformat(timespec="seconds")


def list_audit(
    store: Store,
    account: Account,
    page: int = 1,
    wanted: AuditFilter = AuditFilter(),
) -> AuditPage:
    """Page ``page`` of the account's entries, newest first, those ``wanted`` only."""
    if not 1 <= page <= 10**12:
        raise InvalidParameter("page must be a positive integer", errors={"page": "invalid"})
    with store.read() as q:
        entries, total = q.audit_page(
            account.id,
            wanted.action,
            wanted.since or "",
            wanted.until,
            (page - 1) * AUDIT_PAGE_SIZE,
            AUDIT_PAGE_SIZE,
        )
    return AuditPage(page, total, entries)


def purge_audit(store: Store, keep_days: int) -> int:
    """Delete the entries older than ``keep_days`` days, every account's; answer how many."""
    with store.write() as q:
        return q.purge_audit(_days_ago(keep_days))
