"""Typed signals: what detectors say, shared by detectors, screening and policy.

Every detector returns one of these models and nothing else, so screening and policy never
depend on a particular backend. Coordinates are pixels of the image *as decoded* (after EXIF
orientation), so boxes from different detectors of the same image are comparable.
"""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field


class Model(BaseModel):
    """Base for every signal: immutable and strict about unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class ImageRole(StrEnum):
    """Which part of a request an image plays."""

    SOURCE = "source"
    OUTPUT = "output"
    UPLOAD = "upload"


class IntentCategory(StrEnum):
    """Prompt-intent labels. Stable identifiers: policy packs refer to them."""

    UNDRESS = "undress"
    REVEALING_CLOTHING = "revealing_clothing"
    SHEER_WET = "sheer_wet"
    BODY_SEXUALISATION = "body_sexualisation"
    SEXUAL_POSE = "sexual_pose"
    EXPLICIT_SEXUAL = "explicit_sexual"
    MINOR_REFERENCE = "minor_reference"
    REAL_PERSON_REFERENCE = "real_person_reference"


class Box(Model):
    """Axis-aligned box in decoded-image pixels."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def area(self) -> float:
        return max(0.0, self.x1 - self.x0) * max(0.0, self.y1 - self.y0)


class EditSemantics(Model):
    """What an instruction asks for, parsed into facts a policy can read
    (``detectors.intent.semantics``): explicit evidence that no learned score can cancel.

    ``coverage`` is where the request leaves the person it targets, as a ``Coverage`` number:
    0 none (nude), 1 minimal (swimwear, underwear, see-through), 2 partial (crop top, shorter),
    3 unchanged. ``evidence`` lists the phrases behind every fact, for the verdict's reader.
    """

    target: str = "none"  # photo_subject | named | generic | object | none
    coverage: int = 3
    operations: list[str] = Field(default_factory=list)
    garments: list[str] = Field(default_factory=list)
    body_focus: bool = False
    suggestive: bool = False
    explicit: bool = False
    child: bool = False  # a human child is referred to ("a 12-year-old", "toddler", "schoolgirl")
    young: bool = False  # a weak youth reference ("girl", "young") that is not alone a child
    #: Someone is depicted: a person, pronoun, relation, name, child, body part or a word for a
    #: human figure ("woman", "1girl", "nymph"). "A steamy bowl of dumplings" depicts no one.
    person: bool = False
    #: The parser read the whole request as changing no one's coverage (accessories, outerwear,
    #: colours, goods, photo operations), with no body, suggestive, explicit or child word.
    explained: bool = False
    evidence: list[str] = Field(default_factory=list)


class IntentSignal(Model):
    """Scores in [0, 1] per intent category, with the evidence behind each non-zero score."""

    scores: dict[IntentCategory, float]
    evidence: dict[IntentCategory, list[str]] = Field(default_factory=dict)
    normalised_text: str = ""
    model: str
    #: The rule-based reading of the instruction (with its conversation); None only for
    #: signals built by hand (tests, older records).
    semantics: EditSemantics | None = None
    #: The text is in a language no second model reads (the English encoder knows under 30 % of
    #: its words), so the first stage spoke alone. The policy then wants a person in the text or a
    #: photo before a learned score alone counts (``screening.facts``). False for hand-built signals.
    unread: bool = False

    def score(self, category: IntentCategory) -> float:
        return self.scores.get(category, 0.0)


class Region(Model):
    """One labelled body or clothing region (NudeNet class names, e.g. ``FEMALE_BREAST_EXPOSED``)."""

    label: str
    score: float
    box: Box


class NuditySignal(Model):
    """Regions found in one image and a summary that policy rules can test directly.

    ``exposed`` is the highest score among sexual exposed classes (breasts, genitalia, buttocks,
    anus); ``minimal_clothing`` the highest among covered intimate classes, which is how a bikini
    or underwear shows up; ``skin`` the highest among other exposed classes (belly, armpits, feet).
    """

    regions: list[Region]
    exposed: float = 0.0
    minimal_clothing: float = 0.0
    skin: float = 0.0
    frames: int = 1
    model: str


class Face(Model):
    """One face: where, how old it may be, and who it is (an identity embedding)."""

    box: Box
    score: float = 1.0
    age: float | None = None
    age_sd: float | None = None
    #: A calibrated lower age bound: the age distribution's lower quantile (its level is in
    #: ``detectors/faces/age_calibration.json``). None from a backend without a distribution;
    #: the policy then falls back to ``age - k * age_sd`` (``screening.facts.AgeThresholds``).
    age_low: float | None = None
    #: How much the face looks like a young child's (0-1), from a logistic model on the identity
    #: embedding (``detectors/faces/age_calibration.json``, key ``child_face``): read beside the age
    #: bound for a possible minor only (``screening.facts.face_is_possible_minor``). None from a
    #: backend without it.
    child_score: float | None = None
    embedding: list[float] | None = None


class FacesSignal(Model):
    faces: list[Face]
    model: str


class HashSignal(Model):
    """Perceptual and exact hashes. ``pdq`` is 64 hex characters; quality 0-100."""

    pdq: str
    pdq_quality: int
    md5: str
    sha256: str
    model: str = "pdq+md5+sha256"
    #: PDQ of the eight rotations/flips by name (``original`` first): bank lookups use them to
    #: catch mirrored or rotated copies. Empty from a backend that does not compute them.
    pdq_variants: dict[str, str] = Field(default_factory=dict)
    #: (PDQ, quality) of each animation frame after the first, looked up in the banks too.
    frame_pdq: list[tuple[str, int]] = Field(default_factory=list)
    #: The value of every further registered exact hash type (``banks.signal_types``) by its
    #: name: types beyond ``md5`` and ``sha256``, which keep their own fields. Screening fills
    #: it in beside the hash detector; left out of the JSON when empty, so a verdict with the
    #: built-in types alone reads as it always did.
    exact: dict[str, str] = Field(default_factory=dict, exclude_if=lambda v: not v)

    #: The exact types that have a field of their own.
    OWN_FIELDS: ClassVar[tuple[str, ...]] = ("md5", "sha256")

    def exact_values(self) -> dict[str, str]:
        """Every exact type's value by name: ``md5``, ``sha256`` and the further ones."""
        return {"md5": self.md5, "sha256": self.sha256, **self.exact}


class BankMatch(Model):
    """A hit of an image's hash against a hash bank."""

    bank: str
    bank_kind: str
    entry_id: str
    signal_type: str
    distance: int
    action: str = "block"
    provenance: dict[str, str] = Field(default_factory=dict)


class DetectorFailure(Model):
    """A detector that could not give its signal. Policy must treat this as unknown, never as safe."""

    detector: str
    error: str
    target: str


class ImageSignals(Model):
    """Everything known about one image of a request."""

    role: ImageRole
    index: int
    width: int
    height: int
    format: str
    frames: int = 1
    hashes: HashSignal | None = None
    nudity: NuditySignal | None = None
    faces: FacesSignal | None = None
    bank_matches: list[BankMatch] = Field(default_factory=list)


class PersonDelta(Model):
    """One person seen in a source and in the output, and how their exposure changed.

    ``transitions`` name each body part that went from covered (or unseen) to exposed, or to
    minimal clothing, e.g. ``"FEMALE_BREAST: covered->exposed"``; ``exposed_area_growth`` is the
    extra exposed-skin area in units of that person's face-box area (scale-free across images).
    """

    source_index: int
    source_face: int
    output_face: int
    distance: float
    transitions: list[str] = Field(default_factory=list)
    exposed_area_growth: float = 0.0
    more_exposure: bool = False
    possible_minor: bool | None = None
    likely_minor: bool | None = None


class DeltaSignal(Model):
    """Output screened against its sources: who is the same person, and who is more exposed."""

    people: list[PersonDelta] = Field(default_factory=list)
    unmatched_output_faces: int = 0
    same_person_distance: float
    #: More exposure in an output with no face at all, against all the sources' regions.
    faceless_transitions: list[str] = Field(default_factory=list)


class ReductionStep(Model):
    """One garment-reduction move in one turn of a conversation (``screening.conversation``)."""

    turn: int
    move: str
    term: str


class ConversationSignal(Model):
    """Garment reduction accumulated over a conversation; the last turn is the current one."""

    turns: int
    steps: list[ReductionStep] = Field(default_factory=list)
    reduction_turns: int = 0
    current_reduces: bool = False
    #: Reduction turns inherited from the edit chain the source image continues (lineage).
    chain_reduction_turns: int = 0


class LineageLink(Model):
    """A source image recognised as an earlier allowed output (``screening.lineage``)."""

    source_index: int
    node_id: int
    root_id: int
    depth: int
    pdq_distance: int
    reduction_turns: int = 0


class LineageSignal(Model):
    """Sources that continue an earlier edit chain; their root photos join the sources."""

    links: list[LineageLink] = Field(default_factory=list)


class LikenessMatch(Model):
    """A face that matches a person in the likeness registry (``likeness``)."""

    person_id: int
    role: ImageRole
    index: int
    face: int
    distance: float
    #: Registered by a guardian: a child, whatever the age estimate says.
    guardian: bool = False


class LikenessSignal(Model):
    matches: list[LikenessMatch] = Field(default_factory=list)
    registered: int = 0


class ProvenanceParent(Model):
    """A parent image a C2PA manifest records (``provenance``), with what genguard knows of it."""

    title: str = ""
    relationship: str = ""
    pdq: str | None = None
    #: The lineage record the parent's PDQ leads to (a photo genguard screened before), if any.
    lineage_node: int | None = None


class ProvenanceSignal(Model):
    """The C2PA manifest of an output or upload (``provenance.read``) and where it leads.

    ``state`` is trusted, untrusted, invalid or absent. ``record_node`` is the lineage record
    the image's soft binding (or, with no manifest, its own PDQ) leads to: an earlier output
    genguard allowed, found again after its manifest was stripped. ``parent_likeness`` are
    registry matches of faces of the recorded parents, read from their lineage records.
    """

    state: str
    ai_generated: bool = False
    generator: str | None = None
    signer: str | None = None
    development: bool = False
    verdict_id: str | None = None
    policy: str | None = None
    soft_binding: str | None = None
    parents: list[ProvenanceParent] = Field(default_factory=list)
    failures: list[str] = Field(default_factory=list)
    #: For the reader of the verdict: a development signer, a signer outside the trust anchors.
    warnings: list[str] = Field(default_factory=list)
    record_node: int | None = None
    record_audit_seq: int | None = None
    parent_likeness: list[LikenessMatch] = Field(default_factory=list)


class SignalSet(Model):
    """All signals of one request: one intent signal for the text, one entry per image."""

    intent: IntentSignal | None = None
    images: list[ImageSignals] = Field(default_factory=list)
    failures: list[DetectorFailure] = Field(default_factory=list)
    #: Output against sources (``screening.delta``); None when it could not be computed.
    delta: DeltaSignal | None = None
    #: Garment reduction across the conversation (``screening.conversation``); None without text.
    conversation: ConversationSignal | None = None
    #: Earlier outputs among the sources (``screening.lineage``); None without a store.
    lineage: LineageSignal | None = None
    #: Faces that match the likeness registry; None without a store or without a face to match.
    likeness: LikenessSignal | None = None
    #: The output's or upload's C2PA manifest (``provenance``); None without such an image, or
    #: when it could not be read (a ``provenance`` failure then says why).
    provenance: ProvenanceSignal | None = None

    def by_role(self, role: ImageRole) -> list[ImageSignals]:
        return [image for image in self.images if image.role == role]
