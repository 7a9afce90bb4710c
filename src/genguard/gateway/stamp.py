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

from genguard.config import MediaLimits
from genguard.media.sniff import ACCEPTED, sniff_format
from genguard.provenance import ManifestSigner, OutputClaim, sign_output
from genguard.request import ScreenRequest
from genguard.verdict import Verdict


@dataclass(frozen=True)
class Stamped:
    """The image to return (the same or re-encoded bytes) and fields for its response item."""

    image: bytes
    fields: dict[str, Any] = field(default_factory=dict)


class Stamper(Protocol):
    """Marks an allowed output. ``request`` is the output screen's request (prompt, sources,
    output bytes); ``verdict`` its allow verdict, with ``receipt`` when the Guard signs."""

    def stamp(self, image: bytes, *, verdict: Verdict, request: ScreenRequest) -> Stamped: ...


class ReceiptStamper:
    """Attaches the output verdict's receipt; the bytes are returned unchanged (so the receipt's
    output hash is the hash of exactly what the caller receives)."""

    def stamp(self, image: bytes, *, verdict: Verdict, request: ScreenRequest) -> Stamped:
        if verdict.receipt is None:
            raise RuntimeError("the Guard has no receipt signer: nothing to stamp with")
        return Stamped(image, {"receipt": verdict.receipt})


class C2paStamper:
    """Embeds a signed C2PA manifest (``genguard.provenance``): AI-generated source type, the
    generator, the sources as parent ingredients, genguard's verdict id and policy, and the PDQ
    soft binding; the verdict's receipt is attached as well. The receipt's output hash is of the
    screened bytes before the manifest went in; the manifest names the same verdict id."""

    def __init__(self, signer: ManifestSigner, *, generator: str, limits: MediaLimits | None = None) -> None:
        self.signer = signer
        self.generator = generator
        self.limits = limits or MediaLimits()

    def stamp(self, image: bytes, *, verdict: Verdict, request: ScreenRequest) -> Stamped:
        if verdict.id is None:
            raise RuntimeError("a C2PA manifest needs the verdict id")
        # The claim reads the PDQs from the verdict's own hash signals, so signing decodes and
        # hashes nothing again (~15 ms instead of ~170 ms at 1024 px, docs/benchmarks.md).
        sources = [(s.data, ACCEPTED[sniff_format(s.data, s.declared_type)][1]) for s in request.sources]
        claim = OutputClaim.from_verdict(verdict, generator=self.generator, sources=sources)
        signed = sign_output(image, None, claim, self.signer, limits=self.limits)
        fields: dict[str, Any] = {"c2pa": {"development": self.signer.development}}
        if verdict.receipt is not None:
            fields["receipt"] = verdict.receipt
        return Stamped(signed, fields)


def default_stamper(generator: str) -> Stamper:
    """C2PA when the operator configured a signing chain (``GENGUARD_C2PA_CERT``/``_KEY``),
    else the receipt alone."""
    signer = ManifestSigner.from_env()
    return C2paStamper(signer, generator=generator) if signer is not None else ReceiptStamper()
