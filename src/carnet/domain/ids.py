"""Opaque ids and timestamps, as the wire shows them."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime


def new_public_id() -> str:
    """A random, unguessable id (96 bits, URL-safe)."""
    return secrets.token_urlsafe(12)


def now_iso() -> str:
    """The current time as ISO 8601 with offset, e.g. 2025-03-12T13:49:22+00:00."""
    return datetime.now(UTC).isoformat(timespec="seconds")
