"""Writers queueing for a SQLite file: one at a time, woken the moment it is free."""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class WriterLock:
    """No queue of carnet's own: the database orders its writers itself."""

    @contextmanager
    def held(self) -> Iterator[None]:
        yield

    @contextmanager
    def held_at_once(self) -> Iterator[bool]:
        """Whether the lock was taken without waiting (held until the block ends).

        Never, here: whether the database would make a writer wait is unknown.
        """
        yield False

    def close(self) -> None:
        pass


class FileWriterLock(WriterLock):
    """One writer at a time on a SQLite file, across threads and processes.

    SQLite lets one transaction write at a time; the others wait in its busy
    handler, which polls with sleeps growing to 100 ms, so that under load a
    writer may wait a second for a lock freed long before. Writers queue here
    instead, on a thread lock and then on ``flock`` of a file beside the
    database: the kernel wakes the next one the moment the lock is free.
    Other programs writing to the file are still covered by the busy timeout.
    """

    def __init__(self, path: str) -> None:
        self._threads = threading.Lock()
        self._path = path + ".write-lock"
        self._fd: int | None = None

    @contextmanager
    def held(self) -> Iterator[None]:
        with self._threads:
            fd = self._file()
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)

    @contextmanager
    def held_at_once(self) -> Iterator[bool]:
        if not self._threads.acquire(blocking=False):
            yield False
            return
        try:
            fd = self._file()
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:  # another process writes
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            self._threads.release()

    def _file(self) -> int:
        if self._fd is None:
            self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
        return self._fd

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
