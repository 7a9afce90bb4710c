"""Read an image's C2PA manifest into a :class:`ProvenanceReport`.

What a manifest claims is only as good as its state: ``trusted`` claims come from a signer the
operator trusts, ``untrusted`` ones from anyone, ``invalid`` ones from a file that was altered
after signing. Screening uses every state's claims only to *raise* risk (a claimed parent that
is a registered likeness counts even from an invalid manifest: the pixels may have been changed
precisely to hide it), never to lower it.
"""

from __future__ import annotations

from typing import Any, Final

from genguard.config import MediaLimits
from genguard.errors import MediaError
from genguard.media.header import is_complete
from genguard.media.sniff import ACCEPTED, check_declared_type, sniff_format
from genguard.provenance import c2pa_api, softbinding
from genguard.provenance.devcert import DEV_MARKER
from genguard.provenance.model import (
    AI_SOURCE_TYPES,
    SCREENING_LABEL,
    ParentRecord,
    ProvenanceError,
    ProvenanceReport,
    ProvenanceState,
)

#: The largest active manifest read (its JSON form): a manifest is kilobytes; megabytes of
#: assertions are an attack on every reader downstream, refused rather than parsed further.
MAX_MANIFEST_CHARS: Final = 1_000_000
_STATES = {"Trusted": ProvenanceState.TRUSTED, "Valid": ProvenanceState.UNTRUSTED}


def read_provenance(
    data: bytes, mime: str | None = None, *, trust_anchors: bytes | None = None,
    limits: MediaLimits = MediaLimits(),
) -> ProvenanceReport:
    """The manifest of ``data`` and how far to believe it (validated by the C2PA library).

    ``trust_anchors`` are the PEM root certificates whose signers count as ``trusted`` (the
    operator's list; genguard ships none). Raises :class:`~genguard.errors.MediaError` for
    bytes that are not a complete JPEG, PNG or WebP, and :class:`ProvenanceError` for a manifest
    over :data:`MAX_MANIFEST_CHARS`; a tampered manifest is not an error but ``invalid``.
    """
    if len(data) > limits.max_bytes:
        raise MediaError(f"the image is over {limits.max_bytes} bytes", code="media_too_large")
    fmt = sniff_format(data, mime)
    check_declared_type(mime, fmt)
    if not is_complete(data, fmt):
        raise MediaError(f"the {fmt.upper()} file is truncated (its end marker is missing)", code="media_truncated")
    raw = c2pa_api.read_asset(data, ACCEPTED[fmt][1], trust_anchors)
    if raw is None:
        return ProvenanceReport(state=ProvenanceState.ABSENT)
    if raw.size > MAX_MANIFEST_CHARS:
        raise ProvenanceError(f"the manifest is {raw.size} characters; at most {MAX_MANIFEST_CHARS} are read",
                              code="provenance_manifest_too_large")
    return _report(raw)


def _report(raw: c2pa_api.RawManifest) -> ProvenanceReport:
    manifest = raw.manifest
    failures = [f for f in raw.failures if f != "signingCredential.untrusted"]
    state = ProvenanceState.INVALID if failures else _STATES.get(raw.validation_state, ProvenanceState.INVALID)
    assertions = {a.get("label"): a.get("data") for a in manifest.get("assertions", []) if isinstance(a, dict)}
    actions = [a for a in _dict(assertions.get("c2pa.actions.v2") or assertions.get("c2pa.actions")).get("actions", [])
               if isinstance(a, dict)]
    source_types = sorted({str(a["digitalSourceType"]) for a in actions if a.get("digitalSourceType")})
    screening = _dict(assertions.get(SCREENING_LABEL))
    recorded = [p for p in screening.get("parents", []) if isinstance(p, dict)]
    ingredients = [i for i in manifest.get("ingredients", []) if isinstance(i, dict)]
    # genguard records its parents in ingredient order; another signer's ingredients have no PDQ.
    parents = [
        ParentRecord(title=str(ing.get("title", "")), relationship=str(ing.get("relationship", "")),
                     pdq=_hex(rec.get("pdq"), 64), sha256=_hex(rec.get("sha256"), 64))
        for ing, rec in ((ing, recorded[i] if i < len(recorded) else {}) for i, ing in enumerate(ingredients))
    ]
    signature = _dict(manifest.get("signature_info"))
    generators = [g for g in manifest.get("claim_generator_info", []) if isinstance(g, dict)]
    development = DEV_MARKER in str(signature.get("common_name", "")) or DEV_MARKER in str(signature.get("issuer", ""))
    warnings = []
    if development:
        warnings.append("signed with genguard's DEVELOPMENT certificate chain: not an operator's identity")
    if state is ProvenanceState.UNTRUSTED:
        warnings.append("the signer is not in the configured trust anchors: its claims are unverified")
    return ProvenanceReport(
        state=state,
        ai_generated=bool(AI_SOURCE_TYPES & set(source_types)),
        actions=[str(a.get("action", "")) for a in actions],
        source_types=source_types,
        generator=_generator(generators[0]) if generators else None,
        signer=_str(signature.get("common_name")),
        issuer=_str(signature.get("issuer")),
        development=development,
        verdict_id=_str(screening.get("verdict_id")),
        policy=_str(screening.get("policy")),
        soft_binding=softbinding.pdq_of(_dict(assertions.get("c2pa.soft-binding"))),
        parents=parents,
        failures=raw.failures if state is ProvenanceState.INVALID else [],
        warnings=warnings,
    )


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _str(value: Any) -> str | None:
    return str(value)[:500] if value is not None else None


def _hex(value: Any, length: int) -> str | None:
    text = str(value).lower() if value is not None else ""
    return text if len(text) == length and all(c in "0123456789abcdef" for c in text) else None


def _generator(info: dict[str, Any]) -> str:
    return f"{info.get('name')} {info.get('version', '')}".strip()[:500]
