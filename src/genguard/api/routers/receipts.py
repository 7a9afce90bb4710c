"""``GET /.well-known/jwks.json``: the public key that verifies this service's verdict receipts.

Open to anyone, like the probes: a platform downstream that holds a receipt needs the key and
has no API key of this service. A development key is published with ``"dev": true``.
"""

from __future__ import annotations

from fastapi import APIRouter, Request

router = APIRouter(tags=["receipts"])


@router.get("/.well-known/jwks.json", summary="The receipt verification key (JWKS)")
def jwks(request: Request) -> dict[str, object]:
    """An RFC 7517 key set with one Ed25519 key (``kid`` is its RFC 7638 thumbprint)."""
    return request.app.state.guard.signer.jwks()
