"""Opaque ids and timestamps, as the wire shows them."""

from __future__ import annotations

import base64
import secrets
import time
from datetime import UTC, datetime


def new_public_id() -> str:
    """An unguessable id: 96 random bits behind the time in milliseconds, URL-safe.

    The time in front keeps ids made together next to each other in the
    database's index of ids, so storing a batch touches a few index pages
    instead of one page per row; the random part makes it unguessable.
    """
    now = time.time_ns() // 1_000_000
    return base64.urlsafe_b64encode(now.to_bytes(6, "big") + secrets.token_bytes(12)).decode()


def now_iso() -> str:
    """The current time as ISO 8601 with offset, e.g. 2025-03-12T13:49:22+00:00."""
    return datetime.now(UTC).isoformat(timespec="seconds")
