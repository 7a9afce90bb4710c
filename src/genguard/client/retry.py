"""When the client tries again, and how long it waits.

Retried: 429 and 503 (the server turned the request away before doing it: ``server_busy``
comes before any screening), and transport failures where nothing can have been done twice:
a connection that never opened always; a connection lost mid-request only for a GET or a POST
carrying an ``Idempotency-Key`` (re-screening a request would record it twice in the audit
trail and the session). The wait is the server's ``Retry-After`` when it gives one (capped),
otherwise exponential backoff with full jitter, so many clients that failed together do not
come back together.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import httpx

from genguard.client.errors import GenguardAPIError

RETRY_STATUSES = frozenset({429, 503})


@dataclass(frozen=True)
class RetryPolicy:
    #: Tries in all, the first included (1: never retry).
    attempts: int = 4
    base_s: float = 0.5
    cap_s: float = 8.0
    #: The longest ``Retry-After`` honoured; a longer one ends the retries with the error.
    max_retry_after_s: float = 60.0

    def backoff(self, attempt: int) -> float:
        """Full jitter: uniform in [0, min(cap, base * 2^attempt)]."""
        return random.uniform(0.0, min(self.cap_s, self.base_s * 2**attempt))

    def after_error(self, attempt: int, error: GenguardAPIError) -> float | None:
        """Seconds to wait before retrying an error answer, or None to give up."""
        if error.status not in RETRY_STATUSES or attempt + 1 >= self.attempts:
            return None
        if error.retry_after_s is not None:
            return error.retry_after_s if error.retry_after_s <= self.max_retry_after_s else None
        return self.backoff(attempt)

    def after_failure(self, attempt: int, exc: httpx.TransportError, *, idempotent: bool) -> float | None:
        """Seconds to wait before retrying after no answer, or None to give up."""
        never_sent = isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)
        if attempt + 1 >= self.attempts or not (never_sent or idempotent):
            return None
        return self.backoff(attempt)
