"""Many clients at once: requests released together, each over its own connection."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from types import TracebackType
from typing import TypeVar

import httpx

T = TypeVar("T")


class Crowd:
    """``size`` clients, each with a connection and a thread of its own, kept between rounds."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._clients = [httpx.Client(timeout=120) for _ in range(size)]
        self._threads = ThreadPoolExecutor(max_workers=size)

    def all_at_once(self, call: Callable[[httpx.Client, int], T]) -> list[T]:
        """Run ``call(client, i)`` for each client i, every call released at the same moment."""
        barrier = threading.Barrier(self.size)

        def run(i: int) -> T:
            barrier.wait()
            return call(self._clients[i], i)

        return list(self._threads.map(run, range(self.size)))

    def __enter__(self) -> Crowd:
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        self._threads.shutdown()
        for client in self._clients:
            client.close()


def all_at_once(count: int, call: Callable[[httpx.Client, int], T]) -> list[T]:
    """One round of ``count`` clients: see :meth:`Crowd.all_at_once`."""
    with Crowd(count) as crowd:
        return crowd.all_at_once(call)
