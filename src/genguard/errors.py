"""Errors with stable machine-readable codes, mapped to HTTP status by the API."""

from __future__ import annotations


class GenguardError(Exception):
    """Base error. ``code`` is stable (clients switch on it); ``status`` is the HTTP status."""

    code = "error"
    status = 400

    def __init__(self, message: str, *, code: str | None = None, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status


class MediaError(GenguardError):
    """An image could not be accepted: corrupt, truncated, too big, a bomb, an unknown type."""

    code = "media_invalid"
    status = 422


class RequestError(GenguardError):
    """A screening request is malformed (missing field, wrong kind, text too long)."""

    code = "request_invalid"
    status = 422


class NotFound(GenguardError):
    code = "not_found"
    status = 404


class Conflict(GenguardError):
    code = "conflict"
    status = 409
