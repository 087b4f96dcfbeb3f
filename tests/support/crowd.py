"""Many clients at once: requests released together, each over its own connection."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import httpx

T = TypeVar("T")


def all_at_once(count: int, call: Callable[[httpx.Client, int], T]) -> list[T]:
    """Run ``call(client, i)`` for i in range(count), every call released at the same moment.

    Each call has a client (a connection) of its own, so that a server with
    several workers really does run them side by side.
    """
    barrier = threading.Barrier(count)

    def run(i: int) -> T:
        with httpx.Client(timeout=120) as http:
            barrier.wait()
            return call(http, i)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))
