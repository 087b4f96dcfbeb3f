"""Group commit: work that arrives while a transaction is writing goes into the next one.

Requests run in threads. The first to :meth:`GroupCommit.submit` when nothing
is being written becomes the writer: it takes every item queued so far (its
own among them) and hands them to ``flush``, which writes them in one
transaction and returns each item's own outcome. Items submitted meanwhile
queue; when the flush is over, the writer hands the turn to the oldest of
them, which writes all that queued, and so on. A thread writes at most one
flush, and returns only once the flush holding its item has committed; so
each request is still answered after its own row is stored, and a burst of
requests costs a few transactions instead of one each.

An outcome is a value or the :class:`Exception` meant for that item alone; if
``flush`` itself raises, every item of that flush gets the exception.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class _Waiting(Generic[T, R]):
    """One submitted item: woken when its outcome is known, or when its turn to write comes."""

    __slots__ = ("done", "error", "item", "result", "wake")

    def __init__(self, item: T) -> None:
        self.item = item
        self.wake = threading.Event()
        self.done = False
        self.result: R | None = None
        self.error: BaseException | None = None


class GroupCommit(Generic[T, R]):
    """Items submitted by many threads, written by ``flush`` a group at a time.

    ``flush(items)`` returns one outcome per item, in order: the item's result,
    or an :class:`Exception` that :meth:`submit` raises for that item only.
    At most ``most`` items go into one flush.
    """

    def __init__(self, flush: Callable[[list[T]], Sequence[R | Exception]], most: int) -> None:
        self._flush = flush
        self._most = most
        self._lock = threading.Lock()
        self._queued: list[_Waiting[T, R]] = []
        self._writing = False

    def submit(self, item: T) -> R:
        """``item``'s outcome, once the transaction that wrote it has committed."""
        waiting: _Waiting[T, R] = _Waiting(item)
        with self._lock:
            self._queued.append(waiting)
            writer = not self._writing
            self._writing = True
        if not writer:
            waiting.wake.wait()
        if not waiting.done:  # the turn to write came to this thread
            self._write_queued()
        if waiting.error is not None:
            raise waiting.error
        return waiting.result  # type: ignore[return-value]  # set with done

    def _write_queued(self) -> None:
        with self._lock:
            batch = self._queued[: self._most]
            del self._queued[: self._most]
        outcomes: Sequence[R | BaseException]
        try:
            outcomes = self._flush([waiting.item for waiting in batch])
            if len(outcomes) != len(batch):
                raise RuntimeError("a flush must answer each item once")
        except BaseException as exc:  # nothing of it was committed: all fail alike
            outcomes = [exc] * len(batch)
        finally:
            self._next_writer()
        for waiting, outcome in zip(batch, outcomes, strict=True):
            if isinstance(outcome, BaseException):
                waiting.error = outcome
            else:
                waiting.result = outcome
            waiting.done = True
            waiting.wake.set()

    def _next_writer(self) -> None:
        # The oldest queued item's thread writes next; with none, the next submit.
        with self._lock:
            if self._queued:
                self._queued[0].wake.set()
            else:
                self._writing = False
