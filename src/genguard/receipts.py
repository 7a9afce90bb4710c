"""Signed verdict receipts: a compact Ed25519 JWS over what genguard decided about which input.

A generator that says "this output was screened and allowed" can prove it to a platform
downstream without that platform calling genguard: the receipt is a JWS (RFC 7515, compact form,
``alg: EdDSA``, RFC 8037) whose payload names the verdict (request id and audit sequence), the
decision, the policy version, the SHA-256 of the prompt text and of every image, and the time.
Anyone with the service's public key (``GET /v1/receipts/jwks``, or the PEM file) checks it
offline with :func:`verify` or ``genguard verify-receipt``.

Keys: an operator's Ed25519 private key in PEM (``GENGUARD_RECEIPT_KEY``, a path); without one,
a development key is generated once under ``GENGUARD_HOME/receipts/`` and every receipt it signs
says ``"dev": true`` in both header and payload, so a development receipt is never mistaken for
a production one. ``cryptography`` does the signing; the JWS framing is small enough to write
here, so no JOSE library (and its algorithm-confusion surface) is needed: :func:`verify` accepts
exactly one algorithm.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from genguard.config import Settings
from genguard.errors import GenguardError
from genguard.request import ScreenRequest
from genguard.verdict import Verdict

#: The JWS ``typ`` of a receipt: a verifier refuses any other token signed by the same key.
RECEIPT_TYP = "genguard-receipt+jws"
#: How long a receipt is valid by default (``GENGUARD_RECEIPT_TTL_DAYS``).
DEFAULT_TTL_DAYS = 365
#: A receipt is a few hundred bytes; anything far larger is not one (and is not parsed).
MAX_RECEIPT_CHARS = 16_384
DEV_KEY_NAME = "dev-ed25519.pem"


class ReceiptInvalid(GenguardError):
    """A receipt that does not verify: malformed, wrong key, altered, expired or not a receipt."""

    code = "receipt_invalid"
    status = 422


class ReceiptKeyError(GenguardError):
    """The configured signing or verification key cannot be read or is not Ed25519."""

    code = "receipt_key_invalid"
    status = 500


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str, what: str) -> bytes:
    if not text or any(c not in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_" for c in text):
        raise ReceiptInvalid(f"the receipt's {what} is not base64url", code="receipt_malformed")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except ValueError as exc:
        raise ReceiptInvalid(f"the receipt's {what} is not base64url", code="receipt_malformed") from exc


def _json(obj: dict[str, Any]) -> bytes:
    return json.dumps(obj, separators=(",", ":"), sort_keys=True, ensure_ascii=False).encode("utf-8")


def _raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(key: Ed25519PublicKey) -> str:
    """The RFC 7638 JWK thumbprint: a stable id a verifier can pick the right key by."""
    canonical = _json({"crv": "Ed25519", "kty": "OKP", "x": _b64(_raw_public(key))})
    return _b64(hashlib.sha256(canonical).digest())


def jwk(key: Ed25519PublicKey, *, development: bool = False) -> dict[str, Any]:
    """The public key as a JWK (what the JWKS route publishes)."""
    out: dict[str, Any] = {"kty": "OKP", "crv": "Ed25519", "x": _b64(_raw_public(key)), "kid": key_id(key),
                           "use": "sig", "alg": "EdDSA"}
    if development:
        out["dev"] = True
    return out


def prompt_sha256(request: ScreenRequest) -> str:
    """SHA-256 of the earlier turns and the prompt: what the audit record keeps instead of text."""
    text = "\x1e".join([*request.history, request.prompt])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def input_hashes(request: ScreenRequest) -> dict[str, Any]:
    """SHA-256 of the prompt text (as in the audit record, so a receipt links to the audit
    entry) and of each image's bytes as received."""
    return {
        "prompt": prompt_sha256(request) if (request.prompt or request.history) else None,
        "sources": [hashlib.sha256(s.data).hexdigest() for s in request.sources],
        "output": hashlib.sha256(request.output.data).hexdigest() if request.output is not None else None,
    }


@dataclass(frozen=True)
class ReceiptSigner:
    """Signs receipts with one Ed25519 key. Thread-safe (the key object is immutable)."""

    private_key: Ed25519PrivateKey
    development: bool = False
    ttl_s: int = DEFAULT_TTL_DAYS * 86400
    issuer: str = "genguard"

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self.private_key.public_key()

    def jwks(self) -> dict[str, Any]:
        return {"keys": [jwk(self.public_key, development=self.development)]}

    def public_pem(self) -> bytes:
        return self.public_key.public_bytes(serialization.Encoding.PEM,
                                            serialization.PublicFormat.SubjectPublicKeyInfo)

    def sign_claims(self, claims: dict[str, Any], *, now: float | None = None) -> str:
        """Sign ``claims`` (plus iss, iat, exp and, for a development key, dev) as a compact JWS."""
        issued = int(now if now is not None else time.time())
        header: dict[str, Any] = {"alg": "EdDSA", "typ": RECEIPT_TYP, "kid": key_id(self.public_key)}
        payload = {"iss": self.issuer, "iat": issued, "exp": issued + self.ttl_s, **claims}
        if self.development:
            header["dev"] = payload["dev"] = True
        signing_input = f"{_b64(_json(header))}.{_b64(_json(payload))}"
        return f"{signing_input}.{_b64(self.private_key.sign(signing_input.encode('ascii')))}"

    def sign(self, request: ScreenRequest, verdict: Verdict, *, now: float | None = None) -> str:
        """The receipt of one verdict: what was decided about which inputs, under which policy."""
        return self.sign_claims({
            "vid": verdict.id,
            "seq": verdict.audit_seq,
            "kind": verdict.kind,
            "decision": verdict.decision.value,
            "reasons": verdict.reasons,
            "policy": verdict.policy,
            "inputs": input_hashes(request),
        }, now=now)

    @classmethod
    def from_settings(cls, settings: Settings) -> ReceiptSigner:
        """The operator's key (``GENGUARD_RECEIPT_KEY``), else the development key under home."""
        ttl = int(settings.receipt_ttl_days * 86400)
        if settings.receipt_key is not None:
            return cls(load_private_key(settings.receipt_key), development=False, ttl_s=ttl)
        return cls(development_key(settings.home), development=True, ttl_s=ttl)


def load_private_key(path: Path) -> Ed25519PrivateKey:
    """An unencrypted Ed25519 private key in PEM (PKCS#8), or a clear error naming the file."""
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise ReceiptKeyError(f"cannot read the receipt signing key {path}: {exc}") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise ReceiptKeyError(f"{path} is not an Ed25519 private key")
    return key


def development_key(home: Path) -> Ed25519PrivateKey:
    """The development key under ``home/receipts/``, generated (mode 0600) on first use."""
    path = home / "receipts" / DEV_KEY_NAME
    if path.exists():
        return load_private_key(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    try:  # O_EXCL: two processes starting at once keep one key, not two
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return load_private_key(path)
    with os.fdopen(fd, "wb") as out:
        out.write(pem)
    return key


def load_public_key(data: bytes) -> Ed25519PublicKey:
    """A verification key from a PEM public key, a JWK or a JWKS (its first Ed25519 key)."""
    text = data.strip()
    if text.startswith(b"{"):
        try:
            doc = json.loads(text)
            keys = doc["keys"] if "keys" in doc else [doc]
            found = next(k for k in keys if k.get("kty") == "OKP" and k.get("crv") == "Ed25519")
            return Ed25519PublicKey.from_public_bytes(_unb64(found["x"], "key"))
        except (ValueError, KeyError, TypeError, StopIteration, ReceiptInvalid) as exc:
            raise ReceiptKeyError("the key is JSON but not an Ed25519 JWK or JWKS") from exc
    try:
        key = serialization.load_pem_public_key(text)
    except ValueError as exc:
        raise ReceiptKeyError(f"the key is neither a PEM public key nor a JWK/JWKS: {exc}") from exc
    if not isinstance(key, Ed25519PublicKey):
        raise ReceiptKeyError("the key is not an Ed25519 public key")
    return key


def verify(token: str, key: Ed25519PublicKey, *, now: float | None = None, leeway_s: int = 60) -> dict[str, Any]:
    """The payload of a valid receipt, or :class:`ReceiptInvalid` saying what is wrong.

    Checked, in order: three base64url parts; header ``alg`` EdDSA and ``typ`` a receipt (no
    other algorithm is ever tried); the signature under ``key``; then ``exp`` (with ``leeway_s``
    for clock skew). The payload is only parsed once the signature holds.
    """
    token = token.strip()
    if len(token) > MAX_RECEIPT_CHARS:
        raise ReceiptInvalid("this is too long to be a receipt", code="receipt_malformed")
    parts = token.split(".")
    if len(parts) != 3:
        raise ReceiptInvalid("a receipt has three dot-separated parts", code="receipt_malformed")
    try:
        header = json.loads(_unb64(parts[0], "header"))
    except ValueError as exc:
        raise ReceiptInvalid("the receipt's header is not JSON", code="receipt_malformed") from exc
    if not isinstance(header, dict) or header.get("alg") != "EdDSA" or header.get("typ") != RECEIPT_TYP:
        raise ReceiptInvalid("not a genguard receipt (alg must be EdDSA, typ " + RECEIPT_TYP + ")",
                             code="receipt_malformed")
    try:
        key.verify(_unb64(parts[2], "signature"), f"{parts[0]}.{parts[1]}".encode("ascii"))
    except InvalidSignature as exc:
        raise ReceiptInvalid("the signature does not verify: the receipt was altered or signed by another key",
                             code="receipt_signature_invalid") from exc
    try:
        payload = json.loads(_unb64(parts[1], "payload"))
    except ValueError as exc:
        raise ReceiptInvalid("the receipt's payload is not JSON", code="receipt_malformed") from exc
    if not isinstance(payload, dict):
        raise ReceiptInvalid("the receipt's payload is not a JSON object", code="receipt_malformed")
    current = now if now is not None else time.time()
    if not isinstance(payload.get("exp"), int) or payload["exp"] + leeway_s < current:
        raise ReceiptInvalid(f"the receipt expired at {payload.get('exp')} (unix time)", code="receipt_expired")
    return payload
