"""``--limit-rate``: pace the items handed to workers, for scans that share a production database."""

from __future__ import annotations

import time
from collections.abc import Callable


class RateLimit:
    """A token bucket: at most ``rate`` items a second on average, bursts of at most one second's worth.

    The clock and sleep are parameters so the pacing can be tested without waiting.
    """

    def __init__(self, rate: float, *, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        if rate <= 0:
            raise ValueError("the rate must be positive")
        self.rate = rate
        self._clock, self._sleep = clock, sleep
        self._tokens = 0.0
        self._last = clock()

    def acquire(self, count: int) -> None:
        """Block until ``count`` items may start: take them now, then sleep off any debt."""
        now = self._clock()
        self._tokens = min(max(self.rate, 1.0), self._tokens + (now - self._last) * self.rate) - count
        self._last = now
        if self._tokens < 0:
            # The time slept refills the bucket on the next call (``now - last`` includes it).
            self._sleep(-self._tokens / self.rate)
