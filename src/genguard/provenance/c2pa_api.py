"""The one module that talks to the C2PA library (``c2pa-python``, pinned in pyproject.toml).

Its API has changed from release to release (readers and builders, contexts, signer objects),
so every call into it is here, behind two functions that take and return plain Python values.
A new release is adopted by changing this file alone.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import c2pa

from genguard.provenance.model import ProvenanceError
from genguard.provenance.signer import ManifestSigner

_ALGS = {"es256": c2pa.C2paSigningAlg.ES256, "es384": c2pa.C2paSigningAlg.ES384,
         "ed25519": c2pa.C2paSigningAlg.ED25519}


@dataclass(frozen=True)
class RawManifest:
    """An image's active manifest as the library reports it, validation included."""

    #: The library's validation state: ``Trusted``, ``Valid`` (intact, signer not trusted) or ``Invalid``.
    validation_state: str
    manifest: dict[str, Any]
    failures: list[str] = field(default_factory=list)
    #: Characters of the manifest store's JSON, for the reader's size bound.
    size: int = 0


def library_version() -> str:
    """``c2pa-python`` and the C2PA Rust SDK it binds, for reports and benchmarks."""
    return f"c2pa-python {c2pa.__version__} (c2pa-rs {c2pa.sdk_version()})"


def sign_asset(
    manifest: dict[str, Any],
    data: bytes,
    mime: str,
    signer: ManifestSigner,
    ingredients: list[tuple[dict[str, Any], bytes, str]],
) -> bytes:
    """``data`` with ``manifest`` embedded and signed; ``ingredients`` are (definition, bytes, mime)."""
    try:
        context = _context(None)
        builder = c2pa.Builder(manifest, context=context)
        for definition, ingredient, ingredient_mime in ingredients:
            builder.add_ingredient(definition, ingredient_mime, io.BytesIO(ingredient))
        lib_signer = c2pa.Signer.from_info(c2pa.C2paSignerInfo(
            alg=_ALGS[signer.alg], sign_cert=signer.chain_pem, private_key=signer.key_pem,
            ta_url=signer.tsa_url.encode() if signer.tsa_url else None,
        ))
        out = io.BytesIO()
        with builder, lib_signer:
            builder.sign(lib_signer, mime, io.BytesIO(data), out)
    except c2pa.C2paError as exc:
        raise ProvenanceError(f"signing failed: {_message(exc)}", code="provenance_sign_failed") from None
    return out.getvalue()


def read_asset(data: bytes, mime: str, trust_anchors: bytes | None) -> RawManifest | None:
    """The active manifest of ``data`` and its validation, or None when there is none.

    Validation is the library's own (the ``c2patool`` checks): claim signature, certificate
    chain against ``trust_anchors`` (PEM; none: every signer is untrusted), the hard binding
    of the manifest to the bytes, and every assertion's hash. Remote manifests and OCSP are not
    fetched: reading an upload must not make genguard call a URL the uploader chose.
    """
    try:
        reader = c2pa.Reader.try_create(mime, io.BytesIO(data), context=_context(trust_anchors))
        if reader is None:
            return None
        with reader:
            size = len(reader.json())
            results = reader.get_validation_results() or {}
            failures = [item.get("code", "") for item in (results.get("activeManifest") or {}).get("failure", [])]
            state = reader.get_validation_state() or "Invalid"
            active = reader.get_active_manifest()
            if active is None:
                # A store without an active manifest (or one whose claim could not be parsed).
                return RawManifest("Invalid", {}, failures or ["manifest.missing"], size)
            return RawManifest(state, active, failures, size)
    except c2pa.C2paError as exc:
        text = _message(exc)
        if "could not be parsed" in text:
            # The container itself (not a manifest in it) defeated the library's parser.
            raise ProvenanceError(f"the image could not be parsed for a manifest: {text}",
                                  code="provenance_unreadable") from None
        # Parsed image, broken manifest store (a truncated or corrupted JUMBF box): invalid.
        return RawManifest("Invalid", {}, [f"manifest.unreadable: {text}"[:300]])


@lru_cache(maxsize=8)
def _context(trust_anchors: bytes | None) -> c2pa.Context:
    settings: dict[str, Any] = {
        # No thumbnail: the output itself is the picture, and it costs an encode per signature.
        "builder": {"thumbnail": {"enabled": False}},
        "verify": {"remote_manifest_fetch": False, "ocsp_fetch": False},
    }
    if trust_anchors:
        settings["trust"] = {"trust_anchors": trust_anchors.decode("ascii", "replace")}
    return c2pa.Context(settings=c2pa.Settings.from_dict(settings))


def _message(exc: Exception) -> str:
    return str(exc).strip()[:500]
