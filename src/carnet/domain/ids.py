"""Opaque ids and timestamps, as the wire shows them."""

from __future__ import annotations

import base64
import re
import secrets
import time
from datetime import UTC, datetime

from carnet.contract import STOP_ID_LIMIT

_RANDOM_BYTES = 12

# Every id carnet makes is URL-safe base64, and fits the columns' width.
_POSSIBLE_ID = re.compile(r"[A-Za-z0-9_-]{1,32}")


def is_possible_id(public_id: str) -> bool:
    """Whether ``public_id`` could name anything: ids that cannot are answered as unknown.

    Such an id (one holding a NUL, say) never reaches the database, so both
    engines answer it alike; no id of any account fails this test, so it tells
    no one's ids apart.
    """
    return _POSSIBLE_ID.fullmatch(public_id) is not None


def new_public_ids(count: int) -> list[str]:
    """``count`` unguessable ids: 96 random bits behind the time in milliseconds, URL-safe.

    The time in front keeps ids made together next to each other in the
    database's index of ids, so storing a batch touches a few index pages
    instead of one page per row; the random part makes it unguessable. The
    random bytes of all of them come from one read of the system's source.
    """
    now = (time.time_ns() // 1_000_000).to_bytes(6, "big")
    noise = secrets.token_bytes(_RANDOM_BYTES * count)
    encode = base64.urlsafe_b64encode
    return [
        encode(now + noise[start : start + _RANDOM_BYTES]).decode()
        for start in range(0, len(noise), _RANDOM_BYTES)
    ]


def new_public_id() -> str:
    """One id, as :func:`new_public_ids` makes them."""
    return new_public_ids(1)[0]


def new_stop_id() -> int:
    """A stop-list id: a positive integer drawn at random below 2^53."""
    return secrets.randbelow(STOP_ID_LIMIT - 1) + 1


def is_possible_stop_id(stop_id: int) -> bool:
    """Whether ``stop_id`` could name a stop-list entry (others are answered as unknown)."""
    return 0 < stop_id < STOP_ID_LIMIT


# The last second written out, and how: adds in one second share it.
_second_shown: tuple[int, str] = (0, "")


def now_iso() -> str:
    """The current time as ISO 8601 with offset, e.g. 2025-03-12T13:49:22+00:00."""
    global _second_shown
    second = int(time.time())
    shown = _second_shown
    if shown[0] != second:
        shown = _second_shown = (second, datetime.fromtimestamp(second, UTC).isoformat())
    return shown[1]
