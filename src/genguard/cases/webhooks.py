"""Signed webhooks to the platform: takedown, reinstate, alerts and user notifications.

Each delivery is a JSON POST with

* ``Genguard-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>." + body)>`` — the
  timestamp is inside the MAC, so a captured request cannot be replayed later (receivers reject
  a ``t`` older than their tolerance, see :func:`verify`);
* ``Idempotency-Key``: the same for every retry of one event, so a receiver that saw an attempt
  whose response was lost does not act twice;
* ``Genguard-Event``: the event name.

Retries: connection errors, timeouts, 408, 429 and 5xx are retried with exponential backoff
(``base * 2**n``, capped); other 4xx are final (the receiver refused the content of the call).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx

from genguard.config import Settings
from genguard.errors import GenguardError
from genguard.store.base import utcnow

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "Genguard-Signature"


class WebhookConfigError(GenguardError):
    code = "webhook_config_invalid"
    status = 500

_RETRY_STATUS = {408, 425, 429}


def sign(secret: bytes, timestamp: int, body: bytes) -> str:
    """The ``v1`` signature of ``body`` sent at ``timestamp``."""
    return hmac.new(secret, str(timestamp).encode("ascii") + b"." + body, hashlib.sha256).hexdigest()


def verify(secret: bytes, header: str, body: bytes, *, now: float | None = None, tolerance_s: int = 300) -> bool:
    """What a receiver runs: a valid ``v1`` over this body, sent within ``tolerance_s``."""
    try:
        parts = dict(p.split("=", 1) for p in header.split(","))
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs((now if now is not None else time.time()) - timestamp) > tolerance_s:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), parts.get("v1", ""))


@dataclass(frozen=True)
class Delivery:
    """The outcome of one event's delivery, all attempts included (recorded in the audit trail)."""

    event: str
    idempotency_key: str
    delivered: bool
    attempts: int
    status: int | None
    error: str | None
    delivered_at: datetime | None

    def public(self) -> dict[str, Any]:
        return {"event": self.event, "idempotency_key": self.idempotency_key, "delivered": self.delivered,
                "attempts": self.attempts, "status": self.status, "error": self.error,
                "delivered_at": self.delivered_at.isoformat() if self.delivered_at else None}


@dataclass
class WebhookSender:
    """Delivers events to one platform endpoint. ``url`` None: nothing is sent, and every
    delivery reports ``delivered = False`` with error ``not_configured`` (never a silent success)."""

    url: str | None
    secret: bytes = field(repr=False, default=b"")
    attempts: int = 5
    backoff_s: float = 0.5
    max_backoff_s: float = 30.0
    timeout_s: float = 5.0
    clock: Callable[[], datetime] | None = None
    sleep: Callable[[float], None] = time.sleep
    #: One pooled client for every delivery: building one costs ~150 ms (its TLS context),
    #: which made a sweep of 1,000 copies take minutes. httpx clients are thread-safe.
    _client: httpx.Client | None = field(default=None, init=False, repr=False, compare=False)
    _client_lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False, compare=False)

    @classmethod
    def from_env(cls) -> WebhookSender:
        """Target and secret from the environment (:meth:`from_settings` of fresh settings)."""
        return cls.from_settings(Settings())

    @classmethod
    def from_settings(cls, settings: Settings) -> WebhookSender:
        """Target and secret from ``settings``; a target without a secret is refused
        (the platform could not tell genguard's takedowns from anyone else's)."""
        url, secret = settings.webhook_url, settings.webhook_secret
        if url and len(secret) < 16:
            raise WebhookConfigError("GENGUARD_WEBHOOK_SECRET must be set (16 characters or more) with GENGUARD_WEBHOOK_URL")
        return cls(url=url, secret=secret.encode("utf-8"))

    def send(self, event: str, payload: Mapping[str, Any], idempotency_key: str) -> Delivery:
        now = self.clock or utcnow
        if not self.url:
            return Delivery(event, idempotency_key, False, 0, None, "not_configured", None)
        body = json.dumps({"event": event, "idempotency_key": idempotency_key, "data": payload},
                          sort_keys=True, separators=(",", ":")).encode("utf-8")
        status: int | None = None
        error: str | None = None
        client = self._http()
        for attempt in range(1, self.attempts + 1):
            ts = int(time.time())
            headers = {
                "Content-Type": "application/json",
                SIGNATURE_HEADER: f"t={ts},v1={sign(self.secret, ts, body)}",
                "Idempotency-Key": idempotency_key,
                "Genguard-Event": event,
            }
            try:
                response = client.post(self.url, content=body, headers=headers)
                status, error = response.status_code, None
                if response.is_success:
                    return Delivery(event, idempotency_key, True, attempt, status, None, now())
                if status < 500 and status not in _RETRY_STATUS:
                    return Delivery(event, idempotency_key, False, attempt, status, "rejected", None)
                error = f"http_{status}"
            except httpx.HTTPError as exc:
                status, error = None, type(exc).__name__
            if attempt < self.attempts:
                self.sleep(min(self.max_backoff_s, self.backoff_s * 2 ** (attempt - 1)))
        log.warning("webhook %s (%s) not delivered after %d attempts: %s", event, idempotency_key,
                    self.attempts, error)
        return Delivery(event, idempotency_key, False, self.attempts, status, error, None)

    def _http(self) -> httpx.Client:
        with self._client_lock:
            if self._client is None:
                self._client = httpx.Client(timeout=self.timeout_s)
            return self._client

    def close(self) -> None:
        """Close the pooled connections (the next send opens new ones)."""
        with self._client_lock:
            if self._client is not None:
                self._client.close()
                self._client = None
