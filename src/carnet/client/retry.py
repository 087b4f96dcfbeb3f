"""When to send a request again, and how long to wait first (no I/O here).

A ``429 Too Many Requests`` or ``503 Service Unavailable`` answer is tried again
after the server's ``Retry-After`` (seconds or an HTTP date), or else after an
exponential backoff. Calls that are not idempotent (adding a group or
contacts) are not retried unless the policy says so: a second ``contact/add``
after a 503 the server did act on would report the rows as already in the group.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

__all__ = ["Retry", "parse_retry_after"]


@dataclass(frozen=True, slots=True)
class Retry:
    """A retry policy.

    ``attempts``: how many times a request may be sent again (0 turns retries off).
    ``backoff``: the first wait in seconds when the server gives no ``Retry-After``;
    it doubles with every attempt. ``max_wait``: the longest wait; when the server
    asks for longer, the error is raised at once instead. ``non_idempotent``:
    retry calls that are not idempotent too.
    """

    attempts: int = 3
    backoff: float = 0.5
    max_wait: float = 60.0
    statuses: frozenset[int] = field(default_factory=lambda: frozenset({429, 503}))
    non_idempotent: bool = False

    def wait(
        self,
        *,
        attempt: int,
        status: int,
        retry_after: str | None,
        idempotent: bool,
        now: datetime | None = None,
    ) -> float | None:
        """Seconds to wait before sending again after ``attempt`` failed tries, or None."""
        if status not in self.statuses or attempt >= self.attempts:
            return None
        if not idempotent and not self.non_idempotent:
            return None
        asked = parse_retry_after(retry_after, now=now)
        delay = asked if asked is not None else self.backoff * (2**attempt)
        if delay > self.max_wait:
            return None if asked is not None else self.max_wait
        return delay


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """``Retry-After`` in seconds (never negative), from seconds or an HTTP date."""
    if not value:
        return None
    text = value.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
