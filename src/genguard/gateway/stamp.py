"""What the gateway does to an output it lets through: the :class:`Stamper` hook.

The default, :class:`ReceiptStamper`, leaves the pixels alone and attaches the output verdict's
signed receipt (``genguard.receipts``) to the response item, so the caller can hand it on and
anyone can check it offline. A C2PA stamper (``genguard.provenance``) embeds a manifest into the
bytes instead; both fit the same protocol. A stamper that raises fails the whole response
closed: an allowed image never leaves unstamped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from genguard.request import Request
from genguard.verdict import Verdict


@dataclass(frozen=True)
class Stamped:
    """The image to return (the same or re-encoded bytes) and fields for its response item."""

    image: bytes
    fields: dict[str, Any] = field(default_factory=dict)


class Stamper(Protocol):
    """Marks an allowed output. ``request`` is the output screen's request (prompt, sources,
    output bytes); ``verdict`` its allow verdict, with ``receipt`` when the Guard signs."""

    def stamp(self, image: bytes, *, verdict: Verdict, request: Request) -> Stamped: ...


class ReceiptStamper:
    """Attaches the output verdict's receipt; the bytes are returned unchanged (so the receipt's
    output hash is the hash of exactly what the caller receives)."""

    def stamp(self, image: bytes, *, verdict: Verdict, request: Request) -> Stamped:
        if verdict.receipt is None:
            raise RuntimeError("the Guard has no receipt signer: nothing to stamp with")
        return Stamped(image, {"receipt": verdict.receipt})
