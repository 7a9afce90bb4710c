"""What genguard signs into an allowed output, and what it reads back from an image.

These types are the package's public interface (the images gateway stamps outputs through
them); nothing here depends on the C2PA library, whose API is wrapped in ``c2pa_api``.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import Final, Literal

from pydantic import BaseModel, ConfigDict, Field

from genguard.errors import GenguardError
from genguard.signals import ImageRole
from genguard.verdict import Decision, Verdict

#: IPTC digital source types (the C2PA ``digitalSourceType`` values for generative AI).
TRAINED_ALGORITHMIC_MEDIA: Final = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
COMPOSITE_WITH_TRAINED: Final = (
    "http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia"
)
AI_SOURCE_TYPES: Final = frozenset({TRAINED_ALGORITHMIC_MEDIA, COMPOSITE_WITH_TRAINED,
                                    "http://cv.iptc.org/newscodes/digitalsourcetype/algorithmicMedia"})
#: genguard's own assertion: which verdict allowed the output, under which policy.
SCREENING_LABEL: Final = "org.genguard.screening"
#: The soft-binding algorithm name genguard writes: PDQ (Meta's perceptual hash), 256 bits as
#: 64 hex characters in the reference layout (``detectors.hashes``), of the image as decoded.
SOFT_BINDING_ALG: Final = "org.genguard.pdq"
#: Image types genguard signs and reads (what both the decoder and the C2PA library handle).
SUPPORTED_MIME: Final = ("image/jpeg", "image/png", "image/webp")


class ProvenanceError(GenguardError):
    """An image could not be signed or its manifest could not be read at all (bad input)."""

    code = "provenance_invalid"
    status = 422


class ParentImage(BaseModel):
    """A source image of an edit, recorded as a C2PA ingredient (``parentOf``)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    data: bytes = Field(repr=False)
    mime: str
    title: str = "source"
    #: Its PDQ as the screen computed it (``verdict.signals``), which saves decoding it again.
    pdq: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")


class OutputClaim(BaseModel):
    """What genguard asserts about an output it allowed.

    ``verdict_id`` and ``policy`` (``name@version``) let anyone downstream ask which screening
    let the image out; ``generator`` is the model or service that made it (``claim_generator_info``);
    ``parents`` are the edit's source images: with parents the action is ``c2pa.edited`` with
    ``compositeWithTrainedAlgorithmicMedia``, without them ``c2pa.created`` with
    ``trainedAlgorithmicMedia``.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    verdict_id: str
    policy: str
    decision: Literal["allow"] = "allow"
    generator: str
    generator_version: str = ""
    parents: list[ParentImage] = Field(default_factory=list)
    title: str = "generated image"
    #: The output's PDQ as the screen computed it, which saves decoding it again to sign it.
    output_pdq: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")

    @classmethod
    def from_verdict(
        cls, verdict: Verdict, *, generator: str, generator_version: str = "",
        sources: Sequence[tuple[bytes, str]] = (), title: str = "generated image",
    ) -> OutputClaim:
        """The claim for an output that ``verdict`` (an ``output`` screen) allowed.

        Refuses any other decision: a refused or unreviewed output must never carry genguard's
        mark. The PDQs come from the verdict's own hash signals, so signing decodes nothing
        again; ``sources`` are the screened request's source images (bytes, MIME), in order.
        """
        if verdict.decision is not Decision.ALLOW:
            raise ProvenanceError(f"only an allowed output is signed; this verdict is {verdict.decision.value}",
                                  code="provenance_not_allowed")
        hashes = {(i.role, i.index): i.hashes.pdq for i in verdict.signals.images if i.hashes}
        return cls(
            verdict_id=verdict.id or f"audit:{verdict.audit_seq}", policy=verdict.policy, generator=generator,
            generator_version=generator_version, title=title, output_pdq=hashes.get((ImageRole.OUTPUT, 0)),
            parents=[ParentImage(data=data, mime=mime, title=f"source {i}", pdq=hashes.get((ImageRole.SOURCE, i)))
                     for i, (data, mime) in enumerate(sources)],
        )


class ProvenanceState(StrEnum):
    """How far a manifest can be believed.

    ``trusted``: intact and signed by a certificate that chains to a configured trust anchor;
    ``untrusted``: intact, but the signer is not in the trust list (anyone can make such a
    manifest, so its claims are hints); ``invalid``: present but tampered with or malformed;
    ``absent``: no manifest at all.
    """

    TRUSTED = "trusted"
    UNTRUSTED = "untrusted"
    INVALID = "invalid"
    ABSENT = "absent"


class ParentRecord(BaseModel):
    """A parent (ingredient) as a manifest records it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    title: str = ""
    relationship: str = ""
    #: The ingredient's PDQ as genguard recorded it at signing time (its screening assertion).
    pdq: str | None = None
    sha256: str | None = None


class ProvenanceReport(BaseModel):
    """What one image's C2PA manifest says, and whether it can be believed (see ``state``)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    state: ProvenanceState
    #: The manifest declares an AI source type (``trainedAlgorithmicMedia`` and the like).
    ai_generated: bool = False
    actions: list[str] = Field(default_factory=list)
    source_types: list[str] = Field(default_factory=list)
    generator: str | None = None
    signer: str | None = None
    issuer: str | None = None
    #: Signed with genguard's development chain (``provenance dev-cert``): never an operator's.
    development: bool = False
    verdict_id: str | None = None
    policy: str | None = None
    #: The soft binding (:data:`SOFT_BINDING_ALG`) the manifest records for the image itself.
    soft_binding: str | None = None
    parents: list[ParentRecord] = Field(default_factory=list)
    #: Validation failure codes of the C2PA library (``assertion.dataHash.mismatch``...).
    failures: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
