"""Signals of source images screened moments ago, reused instead of recomputed.

An edit flow screens the same source photo several times: the edit request, every later turn of
the conversation, then the output screen (source + output). The image detectors are
deterministic in the image bytes, so their signals for a source seen within the last few minutes
are taken from here (by SHA-256 and detector version), which spares a face, nudity and hash
pass per repeat: on this 2-core machine an output screen otherwise costs about twice an upload
(docs/benchmarks.md). Only successful signals of images in the *source* role are kept, in
memory, for at most ``ttl_s`` seconds and ``max_items`` entries; a detector failure is never
cached, so a failing detector still fails closed.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable


class RecentSourceSignals:
    """A small LRU of detector signals by (slot, detector version, image SHA-256), with expiry."""

    def __init__(self, max_items: int = 512, ttl_s: float = 600.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.max_items = max_items
        self.ttl_s = ttl_s
        self._clock = clock
        self._items: OrderedDict[tuple[str, str, str], tuple[float, object]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, slot: str, version: str, sha256: str) -> object | None:
        key = (slot, version, sha256)
        with self._lock:
            found = self._items.get(key)
            if found is None:
                return None
            stored_at, value = found
            if self._clock() - stored_at > self.ttl_s:
                del self._items[key]
                return None
            self._items.move_to_end(key)
            return value

    def put(self, slot: str, version: str, sha256: str, value: object) -> None:
        with self._lock:
            self._items[(slot, version, sha256)] = (self._clock(), value)
            self._items.move_to_end((slot, version, sha256))
            while len(self._items) > self.max_items:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)
