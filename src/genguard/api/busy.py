"""Bounded concurrency for heavy work: image decoding, screening, hashing.

Each such request holds a slot while it decodes and runs the detectors. With every slot taken a
request waits up to ``wait_s`` for one, then gets 503 ``server_busy`` with ``Retry-After``, so a
burst of large images (four 2000x2000 GIFs once took the process from 381 to 1,168 MB) queues or
is turned away instead of running all at once. Slots are per process; size them to the cores.
"""

from __future__ import annotations

import os
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager

from starlette.concurrency import run_in_threadpool

from genguard.web.errors import CodedHTTPException


def default_slots(configured: int | None = None) -> int:
    """``configured`` (``GENGUARD_MAX_CONCURRENT_HEAVY``), else one heavy request per core (at
    least two): the detectors use the cores they get."""
    return configured or max(2, os.cpu_count() or 2)


class HeavyWork:
    """The slots; :meth:`slot` for async routes, :meth:`hold` for sync ones (in a worker thread)."""

    def __init__(self, slots: int, *, wait_s: float, retry_after_s: int = 2) -> None:
        self.slots = slots
        self.wait_s = wait_s
        self.retry_after_s = retry_after_s
        self._free = threading.BoundedSemaphore(slots)

    def _busy(self) -> CodedHTTPException:
        return CodedHTTPException(503, "server_busy",
                                  f"all {self.slots} screening slots are busy; retry after {self.retry_after_s} s",
                                  headers={"Retry-After": str(self.retry_after_s)})

    def _acquire(self) -> bool:
        return self._free.acquire(timeout=self.wait_s) if self.wait_s > 0 else self._free.acquire(blocking=False)

    @contextmanager
    def hold(self) -> Iterator[None]:
        if not self._acquire():
            raise self._busy()
        try:
            yield
        finally:
            self._free.release()

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        # The wait happens in a worker thread, never on the event loop.
        if not await run_in_threadpool(self._acquire):
            raise self._busy()
        try:
            yield
        finally:
            self._free.release()
