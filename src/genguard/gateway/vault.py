"""Screened images held briefly for callers that asked for ``response_format=url``.

The gateway never hands back the upstream's URL: what sits behind it could change after the
gateway screened it. It serves the bytes it screened itself, at an unguessable URL that expires
(OpenAI's own image URLs last 60 minutes). Held in this process's memory, bounded in bytes,
oldest evicted first: run one worker per gateway, or ask for ``b64_json``.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass


@dataclass(frozen=True)
class Held:
    data: bytes
    content_type: str
    expires: float


class ImageVault:
    """Token -> screened image, with a TTL and a total-bytes bound."""

    def __init__(self, *, ttl_s: float = 3600.0, max_bytes: int = 256 * 1024 * 1024) -> None:
        self.ttl_s = ttl_s
        self.max_bytes = max_bytes
        self._items: OrderedDict[str, Held] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def put(self, data: bytes, content_type: str) -> str:
        """Keep ``data`` and return its token (32 random bytes, URL-safe)."""
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._items[token] = Held(data, content_type, time.monotonic() + self.ttl_s)
            self._bytes += len(data)
            while self._bytes > self.max_bytes and self._items:
                _, old = self._items.popitem(last=False)
                self._bytes -= len(old.data)
        return token

    def get(self, token: str) -> Held | None:
        with self._lock:
            held = self._items.get(token)
            if held is not None and held.expires < time.monotonic():
                del self._items[token]
                self._bytes -= len(held.data)
                return None
            return held
