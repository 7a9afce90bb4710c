"""A typed Python client for genguard's HTTP API (docs/client.md)."""

from genguard.client.errors import (
    Conflict,
    ConnectionFailed,
    Forbidden,
    GenguardAPIError,
    IdempotencyKeyReused,
    InternalError,
    InvalidRequest,
    NotFound,
    PayloadTooLarge,
    RateLimited,
    ServerBusy,
    ServiceUnavailable,
    Unauthenticated,
    UnsupportedCharset,
)
from genguard.client.api import AsyncClient, Client
from genguard.client.retry import RetryPolicy

__all__ = [
    "AsyncClient", "Client", "Conflict", "ConnectionFailed", "Forbidden", "GenguardAPIError", "IdempotencyKeyReused",
    "InternalError", "InvalidRequest", "NotFound", "PayloadTooLarge", "RateLimited", "RetryPolicy", "ServerBusy",
    "ServiceUnavailable", "Unauthenticated", "UnsupportedCharset",
]
