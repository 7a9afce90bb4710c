"""Typed errors for the API's error codes (docs/api.md): catch a class, not a string.

Every error answer has ``{"error": {"code", "message", ...}}``; :func:`from_response` picks the
class by ``code`` first (stable, specific) and by HTTP status otherwise, so a code added to the
server later still lands in the right family.
"""

from __future__ import annotations

from typing import Any

import httpx


class GenguardAPIError(Exception):
    """An error answer from a genguard server. ``code`` is the server's stable code."""

    def __init__(self, status: int, code: str, message: str, body: dict[str, Any] | None = None,
                 retry_after_s: float | None = None) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status, self.code, self.message = status, code, message
        #: The whole ``error`` object: some codes carry ``details``, ``missing``, ``problems``.
        self.body = body or {}
        self.retry_after_s = retry_after_s


class InvalidRequest(GenguardAPIError):
    """400/422: the request or its media is malformed (``request_invalid``, ``media_*``, ``text_*``)."""


class Unauthenticated(GenguardAPIError):
    """401: no API key or not a live one."""


class Forbidden(GenguardAPIError):
    """403: the key's role may not do this."""


class NotFound(GenguardAPIError):
    """404: no such resource (``not_found``, ``case_not_found``...)."""


class Conflict(GenguardAPIError):
    """409: conflicts with the current state."""


class IdempotencyKeyReused(Conflict):
    """409 ``idempotency_key_reused``: this key was sent with a different body."""


class PayloadTooLarge(GenguardAPIError):
    """413: the body or one image is over its limit."""


class UnsupportedCharset(GenguardAPIError):
    """415 ``charset_unsupported``: text must be UTF-8."""


class RateLimited(GenguardAPIError):
    """429: too many requests; ``retry_after_s`` says when to try again."""


class ServerBusy(GenguardAPIError):
    """503 ``server_busy``: every screening slot was taken; retried by the client first."""


class ServiceUnavailable(GenguardAPIError):
    """503 (other codes): a dependency is down (``store_unavailable``...)."""


class InternalError(GenguardAPIError):
    """500 ``internal_error``: the message carries the reference the server logged."""


class ConnectionFailed(GenguardAPIError):
    """No answer at all (refused, DNS, timeout) after the retries; ``status`` is 0."""


_BY_CODE: dict[str, type[GenguardAPIError]] = {
    "idempotency_key_reused": IdempotencyKeyReused,
    "server_busy": ServerBusy,
    "charset_unsupported": UnsupportedCharset,
    "unauthenticated": Unauthenticated,
    "forbidden": Forbidden,
    "internal_error": InternalError,
}
_BY_STATUS: dict[int, type[GenguardAPIError]] = {
    400: InvalidRequest, 401: Unauthenticated, 403: Forbidden, 404: NotFound, 409: Conflict,
    413: PayloadTooLarge, 415: UnsupportedCharset, 422: InvalidRequest, 429: RateLimited,
    500: InternalError, 503: ServiceUnavailable,
}


def retry_after(response: httpx.Response) -> float | None:
    """``Retry-After`` in seconds (delta-seconds or an HTTP date), or None."""
    value = response.headers.get("retry-after")
    if not value:
        return None
    if value.strip().isdigit():
        return float(value)
    from email.utils import parsedate_to_datetime
    from datetime import UTC, datetime

    try:
        return max(0.0, (parsedate_to_datetime(value) - datetime.now(UTC)).total_seconds())
    except (TypeError, ValueError):
        return None


def from_response(response: httpx.Response) -> GenguardAPIError:
    """The typed error for an error answer (any body: a proxy's HTML page still becomes one)."""
    try:
        error = response.json()["error"]
        code, message = str(error["code"]), str(error["message"])
    except (ValueError, KeyError, TypeError):
        error, code, message = {}, f"http_{response.status_code}", response.text[:200] or response.reason_phrase
    cls = _BY_CODE.get(code) or _BY_STATUS.get(response.status_code) or GenguardAPIError
    return cls(response.status_code, code, message, error, retry_after(response))
