"""Threads a server process runs beside the API (import jobs, webhook deliveries).

:class:`Background` holds what they share: a name that tells this process from
every other server's (the owner of its leases), ``concurrency`` daemon threads
started together, a way to wake them before their next idle check, and a stop
that lets each finish the step in flight.
"""

from __future__ import annotations

import os
import socket
import threading
import uuid
from abc import ABC, abstractmethod


def process_owner() -> str:
    """A name no other server process shares: host, process id, random part."""
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


class Background(ABC):
    """``concurrency`` threads named ``<name>-<n>``, each running :meth:`_work`."""

    name = "carnet-background"

    def __init__(self, concurrency: int) -> None:
        self.concurrency = max(0, concurrency)
        self.owner = process_owner()
        self.stopping = threading.Event()
        self._woken = threading.Event()
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        """Start the threads (none when ``concurrency`` is 0)."""
        for n in range(self.concurrency):
            thread = threading.Thread(target=self._work, name=f"{self.name}-{n}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def wake(self) -> None:
        """There is work: look for it now rather than at the next idle check."""
        self._woken.set()

    def stop(self, timeout: float = 30.0) -> None:
        """Let each thread go after the step in flight (another server may go on at once)."""
        self.stopping.set()
        self._woken.set()
        for thread in self._threads:
            thread.join(timeout)
        self._threads.clear()

    @abstractmethod
    def _work(self) -> None:
        """One thread's loop, until :attr:`stopping` is set."""
