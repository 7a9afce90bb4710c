"""Sign an allowed output: a C2PA manifest saying it is AI-generated, by whom, from which
parents, under which genguard verdict, with its PDQ as a soft binding."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from genguard import __version__
from genguard.config import MediaLimits
from genguard.detectors.hashes import pdq
from genguard.errors import MediaError
from genguard.media.decode import decode_image
from genguard.media.header import is_complete
from genguard.media.sniff import ACCEPTED, check_declared_type, sniff_format
from genguard.provenance import c2pa_api, softbinding
from genguard.provenance.model import (
    COMPOSITE_WITH_TRAINED,
    SCREENING_LABEL,
    SUPPORTED_MIME,
    TRAINED_ALGORITHMIC_MEDIA,
    OutputClaim,
    ProvenanceError,
)
from genguard.provenance.signer import ManifestSigner


def sign_output(
    data: bytes, mime: str | None, claim: OutputClaim, signer: ManifestSigner, *,
    limits: MediaLimits = MediaLimits(),
) -> bytes:
    """``data`` (an output genguard allowed) with a signed C2PA manifest embedded.

    The image and every parent are decoded under ``limits`` first (only checked, when the claim
    carries the PDQs the screen computed: :meth:`OutputClaim.from_verdict`), so a truncated or
    foreign file is refused with :class:`~genguard.errors.MediaError` before anything is signed,
    and the soft binding is the PDQ the screen computes. ``mime`` is checked against the bytes
    (None: taken from them). Raises :class:`ProvenanceError` when signing fails; nothing is returned
    half-signed.
    """
    image = _checked(data, mime, claim.output_pdq, limits)
    mime = image.mime
    parents = [(p, _checked(p.data, p.mime, p.pdq, limits)) for p in claim.parents]
    edit = bool(parents)
    actions: list[dict[str, Any]] = []
    ingredients = []
    for i, (parent, decoded) in enumerate(parents):
        label = f"parent{i}"
        relationship = "parentOf" if i == 0 else "componentOf"
        ingredients.append(({"title": parent.title, "relationship": relationship, "label": label},
                            parent.data, decoded.mime))
        # C2PA: an edit opens its parent first; further sources are placed into it.
        actions.append({"action": "c2pa.opened" if i == 0 else "c2pa.placed",
                        "parameters": {"ingredientIds": [label]}})
    actions.append({
        "action": "c2pa.edited" if edit else "c2pa.created",
        "digitalSourceType": COMPOSITE_WITH_TRAINED if edit else TRAINED_ALGORITHMIC_MEDIA,
        "softwareAgent": {"name": claim.generator, **({"version": claim.generator_version} if claim.generator_version else {})},
    })
    manifest = {
        # C2PA 2 allows one claim generator: the generator; genguard signs as its screening
        # layer (the screening assertion names it).
        "claim_generator_info": [
            {"name": claim.generator, **({"version": claim.generator_version} if claim.generator_version else {})},
        ],
        "title": claim.title,
        "assertions": [
            {"label": "c2pa.actions.v2", "data": {"actions": actions}},
            {"label": SCREENING_LABEL, "data": {
                "verdict_id": claim.verdict_id,
                "decision": claim.decision,
                "policy": claim.policy,
                "screened_by": f"genguard {__version__}",
                "development_signer": signer.development,
                "parents": [{"title": p.title, "pdq": d.pdq, "sha256": d.sha256} for p, d in parents],
            }},
            softbinding.assertion(image.pdq),
        ],
    }
    return c2pa_api.sign_asset(manifest, data, mime, signer, ingredients)


@dataclass(frozen=True)
class _Checked:
    mime: str
    pdq: str
    sha256: str


def _checked(data: bytes, declared: str | None, known_pdq: str | None, limits: MediaLimits) -> _Checked:
    """An image's type, PDQ and SHA-256, refusing what is not a complete JPEG, PNG or WebP.

    With the PDQ the screen already computed, the bytes are only sniffed and checked for
    completeness (the screen decoded them); without it they are decoded here under ``limits``.
    """
    if known_pdq is None:
        image = decode_image(data, limits=limits, declared_type=declared)
        fmt, value = image.format, pdq(image.rgb)[0]
    else:
        if len(data) > limits.max_bytes:
            raise MediaError(f"the image is over {limits.max_bytes} bytes", code="media_too_large")
        fmt, value = sniff_format(data, declared), known_pdq
        check_declared_type(declared, fmt)
        if not is_complete(data, fmt):
            raise MediaError(f"the {fmt.upper()} file is truncated (its end marker is missing)", code="media_truncated")
    mime = ACCEPTED[fmt][1]
    if mime not in SUPPORTED_MIME:
        raise ProvenanceError(f"{fmt.upper()} outputs are not signed; accepted: JPEG, PNG, WebP",
                              code="provenance_unsupported_type")
    return _Checked(mime=mime, pdq=value, sha256=hashlib.sha256(data).hexdigest())
