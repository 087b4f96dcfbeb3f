"""Group commit: work that arrives while a transaction is writing goes into the next one.

Requests wait on the event loop. The first :meth:`GroupCommit.submit` when
nothing is being written starts the writer, a task of the loop: it takes every
item queued so far and hands them to ``flush``, which runs in the committer's
own thread, writes them in one transaction and returns each item's own
outcome. Items submitted meanwhile queue; when the flush is over, the writer
takes all that queued, and so on until none is left. Each request is still
answered only after the transaction holding its item has committed, and a
burst of requests costs a few transactions and a few thread hops instead of
one each.

An outcome is a value or the :class:`Exception` meant for that item alone; if
``flush`` itself raises, every item of that flush gets the exception.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class GroupCommit(Generic[T, R]):
    """Items submitted by many requests of one event loop, written by ``flush`` a group at a time.

    ``flush(items)`` returns one outcome per item, in order: the item's result,
    or an :class:`Exception` that :meth:`submit` raises for that item only.
    At most ``most`` items go into one flush. Flushes run one at a time, in a
    thread of the committer's own (:meth:`close` ends it), unless
    ``flush_at_once(items)`` writes them first, on the event loop: it returns
    the outcomes when it could write without waiting for anything, and None
    when it wrote nothing.
    """

    def __init__(
        self,
        flush: Callable[[list[T]], Sequence[R | Exception]],
        most: int,
        flush_at_once: Callable[[list[T]], Sequence[R | Exception] | None] | None = None,
    ) -> None:
        self._flush = flush
        self._flush_at_once = flush_at_once
        self._most = most
        self._queued: list[tuple[T, asyncio.Future[R]]] = []
        self._writer: asyncio.Task[None] | None = None
        self._thread = ThreadPoolExecutor(1, "carnet-commit")

    async def submit(self, item: T) -> R:
        """``item``'s outcome, once the transaction that wrote it has committed."""
        loop = asyncio.get_running_loop()
        waiting: asyncio.Future[R] = loop.create_future()
        self._queued.append((item, waiting))
        if self._writer is None:
            self._writer = loop.create_task(self._write_queued())
        return await waiting  # given up (the client gone), the item is written all the same

    def close(self) -> None:
        """End the committer's thread once the flush under way, if any, is over."""
        self._thread.shutdown(wait=True)

    async def _write_queued(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            while self._queued:
                batch = self._queued[: self._most]
                del self._queued[: self._most]
                outcomes: Sequence[R | BaseException]
                try:
                    items = [item for item, _ in batch]
                    done = self._flush_at_once(items) if self._flush_at_once else None
                    if done is None:
                        outcomes = await loop.run_in_executor(self._thread, self._flush, items)
                    else:
                        outcomes = done
                        await asyncio.sleep(0)  # the requests that came meanwhile are read
                    if len(outcomes) != len(batch):
                        raise RuntimeError("a flush must answer each item once")
                except Exception as exc:  # nothing of it was committed: all fail alike
                    outcomes = [exc] * len(batch)
                except BaseException:  # the loop is closing: nobody waits any more
                    self._queued[:0] = batch
                    raise
                for (_, waiting), outcome in zip(batch, outcomes, strict=True):
                    if waiting.done():  # its request was given up
                        continue
                    if isinstance(outcome, BaseException):
                        waiting.set_exception(outcome)
                    else:
                        waiting.set_result(outcome)
        finally:
            self._writer = None
            for _, waiting in self._queued:
                waiting.cancel()
            self._queued.clear()
