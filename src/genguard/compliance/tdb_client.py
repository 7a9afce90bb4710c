"""Submission client for the DSA Transparency Database's batch endpoint.

``POST {base}/api/v1/statements`` with ``{"statements": [...]}`` (1 to 100), ``Authorization:
Bearer <token>``. The database answers (per its API documentation and source):

* ``201`` with ``{"statements": [...]}``, each created statement with its ``uuid``;
* ``422`` with ``{"errors": {"statement_N": {field: [messages]}}}`` when any statement is
  invalid: then **none** was created, and retrying the same body cannot help;
* ``422`` with ``{"errors": {"puid": [...], "existing_puids": [...]}}`` when puids were already
  used: again none of the batch was created;
* ``401`` for a bad token; other 4xx are the caller's to fix; 5xx and ``429`` are transient.

Idempotency is through the puid: a batch whose response was lost (timeout, dropped connection)
is simply sent again; if the first attempt had been stored, the database answers with the
existing puids, which this client counts as already submitted and sends the rest without them.
Statements are validated locally first, so a schema error never costs a request.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Self

import httpx

from genguard.compliance import dsa_schema
from genguard.errors import GenguardError

BATCH_LIMIT = 100
PATH = "/api/v1/statements"
_TRANSIENT = {429, 500, 502, 503, 504}


class SubmissionError(GenguardError):
    """The database refused a batch (or kept failing); ``detail`` is its answer."""

    code = "dsa_submission_failed"
    status = 502

    def __init__(self, message: str, *, status_code: int | None = None, detail: Any = None) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.detail = detail


@dataclass
class SubmitResult:
    """``created``: puid -> the database's uuid; ``already_present``: puids it had already."""

    created: dict[str, str] = field(default_factory=dict)
    already_present: list[str] = field(default_factory=list)
    requests: int = 0


class TransparencyDatabaseClient:
    """Sends validated statements in batches, retrying transient failures with backoff.

    The token is held only in the request header; it is never logged or put in an error.
    """

    def __init__(self, base_url: str, token: str, *, version: str = dsa_schema.LATEST, attempts: int = 5,
                 backoff_s: float = 0.5, timeout_s: float = 30.0, transport: httpx.BaseTransport | None = None,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        if attempts < 1:
            raise ValueError("attempts must be at least 1")
        self.version = version
        self.attempts = attempts
        self.backoff_s = backoff_s
        self._sleep = sleep
        self._http = httpx.Client(base_url=base_url.rstrip("/"), timeout=timeout_s, transport=transport,
                                  follow_redirects=False,
                                  headers={"Authorization": f"Bearer {token}", "Accept": "application/json"})

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def submit(self, statements: Sequence[dict[str, Any]]) -> SubmitResult:
        """Validate all, then send in batches of at most 100; stops at the first refused batch."""
        dsa_schema.check(statements, self.version)
        result = SubmitResult()
        for i in range(0, len(statements), BATCH_LIMIT):
            self._send(list(statements[i:i + BATCH_LIMIT]), result)
        return result

    def _send(self, batch: list[dict[str, Any]], result: SubmitResult) -> None:
        failures = 0
        while batch:
            result.requests += 1
            try:
                response = self._http.post(PATH, json={"statements": batch})
            except httpx.TransportError as exc:  # the batch may or may not have been stored
                failures += 1
                self._wait_or_raise(failures, f"transport error: {type(exc).__name__}", None, None)
                continue
            if response.status_code == 201:
                for created in response.json()["statements"]:
                    result.created[created["puid"]] = created["uuid"]
                return
            body = _json(response)
            existing = (body.get("errors") or {}).get("existing_puids") if isinstance(body, dict) else None
            if response.status_code == 422 and existing:
                # Nothing of this batch was stored: drop what the database already has and resend.
                known = set(existing)
                result.already_present.extend(s["puid"] for s in batch if s["puid"] in known)
                batch = [s for s in batch if s["puid"] not in known]
                continue
            if response.status_code in _TRANSIENT:
                failures += 1
                self._wait_or_raise(failures, f"HTTP {response.status_code}", response, body)
                continue
            raise SubmissionError(f"the Transparency Database refused the batch (HTTP {response.status_code})",
                                  status_code=response.status_code, detail=body)

    def _wait_or_raise(self, failures: int, what: str, response: httpx.Response | None, body: Any) -> None:
        if failures >= self.attempts:
            raise SubmissionError(f"giving up after {failures} attempts ({what})",
                                  status_code=response.status_code if response is not None else None, detail=body)
        delay = self.backoff_s * 2 ** (failures - 1) * (1 + random.random() / 2)
        retry_after = response.headers.get("Retry-After") if response is not None else None
        if retry_after and retry_after.isdigit():
            delay = max(delay, float(retry_after))
        self._sleep(delay)


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return response.text[:2000]
