"""Turn typed signals into the flat facts that policy rules test.

Facts are named ``<area>.<name>`` (``intent.undress``, ``source.possible_minor``,
``output.exposed``). A fact whose detector failed is ``None`` — unknown — so the policy can
fail closed; a role without images has known, empty facts (no person, nothing exposed), so an
``output`` request without sources is not mistaken for one whose source detectors failed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from genguard.signals import (
    DetectorFailure,
    EditSemantics,
    Face,
    ImageSignals,
    IntentCategory,
    IntentSignal,
    ImageRole,
    SignalSet,
)

Fact = float | bool | None

#: Intent categories that make an edit of a real person intimate (undressing in any wording).
INTIMATE = (
    IntentCategory.UNDRESS,
    IntentCategory.REVEALING_CLOTHING,
    IntentCategory.SHEER_WET,
    IntentCategory.BODY_SEXUALISATION,
    IntentCategory.SEXUAL_POSE,
)
SEXUAL = (*INTIMATE, IntentCategory.EXPLICIT_SEXUAL)


@dataclass(frozen=True)
class AgeThresholds:
    """The pack's age thresholds (``[thresholds]`` in the pack; defaults are uk-osa's).

    *Possible minor* (Challenge 25: refuse sexual or revealing requests) reads the calibrated
    lower bound ``Face.age_low``: under ``possible_minor_age`` it is a possible minor. A face
    from a backend without that bound falls back to ``age - margin_sd * sd < challenge_age``.
    *Likely minor* (the age bound is well under 18; this alone opens a child-safety escalation)
    is ``age + likely_margin_sd * sd < likely_minor_age``: the upper bound is under 18.
    Calibration and per-age-group rates: docs/detectors.md.
    """

    challenge_age: float = 25.0
    margin_sd: float = 1.0
    possible_minor_age: float = 18.0
    likely_minor_age: float = 18.0
    likely_margin_sd: float = 1.0
    #: A face whose ``child_score`` reaches this is a possible minor whatever its age bound
    #: (None: the score is not read).
    child_face_score: float | None = None

    @classmethod
    def from_pack(cls, values: Mapping[str, float]) -> AgeThresholds:
        default = cls()
        return cls(
            challenge_age=values.get("challenge_age", default.challenge_age),
            margin_sd=values.get("age_margin_sd", default.margin_sd),
            possible_minor_age=values.get("possible_minor_age", default.possible_minor_age),
            likely_minor_age=values.get("likely_minor_age", default.likely_minor_age),
            likely_margin_sd=values.get("likely_minor_margin_sd", default.likely_margin_sd),
            child_face_score=values.get("child_face_score", default.child_face_score),
        )


def face_is_possible_minor(face: Face, t: AgeThresholds) -> bool | None:
    """Challenge 25: a face counts as a possible minor unless the model is confident it is older.

    Confident means the calibrated lower bound (``age_low``) is at or above
    ``possible_minor_age``, or, without one, the estimate minus ``margin_sd`` standard
    deviations is at or above ``challenge_age``. A face without an age estimate is unknown. A
    face the child-face score reads as a young child (``child_face_score``) is a possible minor
    whatever its age bound: that score only ever adds possible minors.
    """
    if face.age is None:
        return None
    if t.child_face_score is not None and face.child_score is not None and face.child_score >= t.child_face_score:
        return True
    if face.age_low is not None:
        return face.age_low < t.possible_minor_age
    return face.age - t.margin_sd * (face.age_sd or 0.0) < t.challenge_age


def face_is_likely_minor(face: Face, t: AgeThresholds) -> bool | None:
    """A face whose upper age bound (estimate plus ``likely_margin_sd`` sd) is under 18.

    Deliberately stricter than :func:`face_is_possible_minor`: a likely minor opens a
    child-safety escalation, which must not fire on young adults. Unknown without an age.
    """
    if face.age is None:
        return None
    return face.age + t.likely_margin_sd * (face.age_sd or 0.0) < t.likely_minor_age


def kleene_any(values: Iterable[bool | None]) -> bool | None:
    """Kleene OR: one True is True; otherwise one unknown (None) is unknown; else False."""
    seen_unknown = False
    for value in values:
        if value is True:
            return True
        if value is None:
            seen_unknown = True
    return None if seen_unknown else False


def _max_or_none(values: Iterable[float | None]) -> float | None:
    items = list(values)
    if any(v is None for v in items):
        return None
    return max((v for v in items if v is not None), default=0.0)


def _bank_match(
    images: list[ImageSignals], action: str, failures: Iterable[DetectorFailure] = ()
) -> bool | None:
    """A bank match with ``action``; unknown when a lookup failed for one of ``images``."""
    if any(m.action == action for image in images for m in image.bank_matches):
        return True
    names = {f"{image.role.value}[{image.index}]" for image in images}
    return None if any(f.detector == "banks" and f.target in names for f in failures) else False


def _role_facts(
    prefix: str, images: list[ImageSignals], thresholds: Mapping[str, float]
) -> dict[str, Fact]:
    ages_t = AgeThresholds.from_pack(thresholds)
    facts: dict[str, Fact] = {f"{prefix}.count": float(len(images))}
    faces_known = all(image.faces is not None for image in images)
    faces = [f for image in images if image.faces for f in image.faces.faces]
    facts[f"{prefix}.faces"] = float(len(faces)) if faces_known else None
    # A body seen without a face (from behind, cropped at the neck) is still a person.
    bodies_known = all(image.nudity is not None for image in images)
    seen = bool(faces) or any(image.nudity and image.nudity.regions for image in images)
    facts[f"{prefix}.person"] = True if seen else (False if faces_known and bodies_known else None)
    unknown = [None] if not faces_known else []
    for name, is_minor in (("possible_minor", face_is_possible_minor), ("likely_minor", face_is_likely_minor)):
        facts[f"{prefix}.{name}"] = kleene_any([*(is_minor(f, ages_t) for f in faces), *unknown])
    ages = [f.age for f in faces if f.age is not None]
    facts[f"{prefix}.youngest_age"] = min(ages) if ages else None
    for name in ("exposed", "minimal_clothing", "skin"):
        facts[f"{prefix}.{name}"] = _max_or_none(
            getattr(image.nudity, name) if image.nudity else None for image in images
        )
    return facts


def text_facts(intent: IntentSignal | None, *, known: bool) -> dict[str, Fact]:
    """``text.*``: the parsed instruction (``detectors.intent.semantics``) as explicit evidence.

    ``text.coverage`` is where the request leaves the person (0 none, 1 minimal, 2 partial,
    3 unchanged); the booleans say whether body focus, suggestive wording or poses, explicit
    terms, a human child or a weaker youth reference ("girl") were named; ``named_person`` that
    a person is named (the name tagger's span, or a name in a script it cannot read). Unknown
    when the intent detector failed (``known`` False), like every other text fact.
    """
    if not known:
        return dict.fromkeys(_TEXT_FACTS)
    sem = (intent.semantics if intent else None) or EditSemantics()
    names = intent.evidence.get(IntentCategory.REAL_PERSON_REFERENCE, []) if intent else []
    named = sem.target == "named" or any(":name:" in e for e in names)
    return {
        "text.named_person": named,
        "text.coverage": float(sem.coverage),
        # Underwear and lingerie, unlike swimwear, are sexual-coded on a child.
        "text.underwear": bool({"underwear", "bra"} & set(sem.garments)),
        "text.body_focus": sem.body_focus,
        # "sexy" praising a thing is no evidence, but beside a name it is about that person.
        "text.suggestive": sem.suggestive or (named and any(e.startswith("praise:") for e in sem.evidence)),
        "text.explicit": sem.explicit,
        "text.child": sem.child,
        "text.young": sem.young,
        "text.person": sem.person or named or sem.child or sem.young or sem.target in ("photo_subject", "generic"),
        # Children first: "make the schoolgirl's skirt shorter" changes coverage, if only to partial.
        "text.reduces": sem.coverage < _UNCHANGED and bool(_REDUCING.intersection(sem.operations)),
        # Clothing made see-through or wet on someone shows what it covers ("a wet t-shirt contest,
        # see-through"): nudity for a generation rule, where swimwear alone is not.
        "text.see_through": "sheer" in sem.operations and sem.coverage <= _MINIMAL,
        "text.object_target": sem.target == "object",
        "text.explained": sem.explained,
    }


#: ``EditSemantics.coverage`` of a request that leaves everyone covered as they are, and of one
#: that leaves minimal coverage (swimwear, underwear, see-through).
_UNCHANGED = 3
_MINIMAL = 1
#: The parser's operations that take clothing toward less coverage (all but "replace").
_REDUCING = frozenset({"remove", "reduce", "sheer", "reposition", "undress"})

_TEXT_FACTS = ("text.named_person", "text.coverage", "text.reduces", "text.see_through", "text.underwear", "text.body_focus", "text.suggestive", "text.explicit", "text.child",
               "text.young", "text.person", "text.object_target", "text.explained")


def intent_facts(intent: IntentSignal | None, *, has_text: bool, thresholds: Mapping[str, float]) -> dict[str, Fact]:
    """``intent.*`` and ``text.*``: a learned score per category, ``intimate`` and ``sexual``,
    and the parsed instruction (unknown if the detector failed; zero and unchanged coverage when
    the request carried no instruction)."""
    facts: dict[str, Fact] = {}
    for category in IntentCategory:
        if has_text:
            facts[f"intent.{category.value}"] = intent.score(category) if intent else None
        else:
            facts[f"intent.{category.value}"] = 0.0
    facts.update(text_facts(intent if has_text else None, known=not has_text or intent is not None))
    if facts.get("text.explained"):
        # The parser read the whole request as changing no one's coverage ("take off her jacket",
        # "crop the photo to her face"): a learned sexual score must then reach the higher bar
        # ``intent_explained`` to count, or ``intent_explained_unread`` on text only the first
        # stage reads ("coloca uma camiseta por cima do biquíni dela": 0.98 there). The raw
        # scores stay in the verdict's signals.
        bar = thresholds.get("intent_explained", 1.0)
        if intent is not None and intent.unread:
            bar = max(bar, thresholds.get("intent_explained_unread", bar))
        for category in SEXUAL:
            score = facts[f"intent.{category.value}"]
            if isinstance(score, float) and score < bar:
                facts[f"intent.{category.value}"] = 0.0
    _summarise(facts, unknown=has_text and intent is None)
    return facts


def _summarise(facts: dict[str, Fact], *, unknown: bool) -> None:
    """``intent.intimate`` and ``intent.sexual``: the highest of the sexual categories' scores."""
    if unknown:
        facts["intent.intimate"] = facts["intent.sexual"] = None
        return
    scores = [facts[f"intent.{c.value}"] or 0.0 for c in SEXUAL]
    facts["intent.intimate"] = max(scores[: len(INTIMATE)])
    facts["intent.sexual"] = max(scores)


def _unread_and_aimed_at_no_one(facts: dict[str, Fact], intent: IntentSignal, thresholds: Mapping[str, float]) -> None:
    """A learned sexual score that only the first stage gave (no second model reads the text:
    ``IntentSignal.unread``), on text that depicts no one and with no image of a person, must
    reach ``intent_unaimed`` to count (1.0 in the shipped packs: in effect it does not count).

    The first stage learned other languages from hand-written templates alone; on blind probes
    of ordinary prompts in Turkish, Hindi, Japanese, Korean or Indonesian ("geleneksel Türk
    kahvesi", "हिमालय की चोटियों पर सूर्योदय") it scored 0.5-0.93 with nothing else to check it,
    and none of those probes' sexual prompts in other languages was caught by it alone once
    the parser read their words (docs/evaluation.md, sixth probe). English text is left alone:
    there the encoder checks the first stage, and learned scores on English text that names no
    one catch 15 % of the public sets' sexual rows (measured, same place). Parsed evidence is
    not touched; unknown person facts count as a person (fail closed); a learned child
    reference keeps the score (children first).
    """
    if intent.unread and facts.get("text.person") is False:
        _raise_learned_bar(facts, thresholds, thresholds.get("intent_unaimed"), unless_image="person")


def build_facts(
    signals: SignalSet, thresholds: Mapping[str, float], *, has_text: bool, age_assured: bool = False
) -> dict[str, Fact]:
    """All facts of one request. ``has_text`` is False when the request carried no instruction;
    ``age_assured`` is the request's word that its user passed age assurance."""
    facts: dict[str, Fact] = {"request.age_assured": age_assured}
    facts.update(intent_facts(signals.intent, has_text=has_text, thresholds=thresholds))
    for role in ImageRole:  # a role without images has known facts: nobody, nothing exposed
        facts.update(_role_facts(role.value, signals.by_role(role), thresholds))
    for prefix, images in [*((r.value, signals.by_role(r)) for r in ImageRole), ("any", signals.images)]:
        facts[f"{prefix}.bank_match"] = _bank_match(images, "block", signals.failures)
        facts[f"{prefix}.bank_review"] = _bank_match(images, "review", signals.failures)
    facts.update(delta_facts(signals))
    conversation = signals.conversation
    facts["conversation.reduction_turns"] = float(conversation.reduction_turns) if conversation else 0.0
    facts["conversation.current_reduces"] = conversation.current_reduces if conversation else False
    facts["lineage.known"] = bool(signals.lineage and signals.lineage.links)
    facts["likeness.match"] = bool(signals.likeness and signals.likeness.matches)
    facts["likeness.guardian"] = bool(signals.likeness and any(m.guardian for m in signals.likeness.matches))
    facts.update(provenance_facts(signals))
    facts["intent.unread_only"] = _unread_only(facts, signals.intent) if has_text else False
    if has_text and signals.intent is not None:
        _unread_and_aimed_at_no_one(facts, signals.intent, thresholds)
    _unread_held_apart(facts, thresholds)
    return facts


def _unread_only(facts: dict[str, Fact], intent: IntentSignal | None) -> Fact:
    """``intent.unread_only``: the text is in a language only the first stage reads
    (``IntentSignal.unread``) and the parser found nothing in it: no change of coverage, body,
    suggestive, explicit or child word. Unknown when the intent detector failed."""
    if intent is None:
        return None
    parsed = (facts.get("text.coverage") != float(_UNCHANGED)) or any(
        facts.get(name) is not False for name in ("text.body_focus", "text.suggestive", "text.explicit", "text.child"))
    return intent.unread and not parsed


def _unread_held_apart(facts: dict[str, Fact], thresholds: Mapping[str, float]) -> None:
    """On ``intent.unread_only`` text a learned sexual score must reach ``intent_unread`` to count
    (1.0 in the shipped packs: it does not), unless the learned stage reads a child in the text.
    Below that bar the score is kept apart as ``intent.unread_sexual``, which only
    ``minor.edit_source_unread`` reads: on a possible minor it holds the request for a human.

    The first stage learned other languages from templates in 13 of them. On the eighth and ninth
    blind probes (2026-12-07) it blocked 10 ordinary requests beside adults ("겨울 코트 입혀줘":
    put a winter coat on her, 0.71) and caught 2 intimate ones the parser could not read; on four
    later probes, on a child's photo, it refused 66 of 1,150 ordinary requests ("change his jersey
    colour to red" in Telugu 0.97) and caught 10 of 800 intimate ones. Until pack 2026.12.9 the
    score kept counting on a possible minor, so every rule that reads a learned score refused.
    """
    unread = facts.get("intent.unread_only")
    facts["intent.unread_sexual"] = facts.get("intent.sexual") if unread is True else (None if unread is None else 0.0)
    if unread is True:
        _raise_learned_bar(facts, thresholds, thresholds.get("intent_unread"), unless_image=None)


def _raise_learned_bar(facts: dict[str, Fact], thresholds: Mapping[str, float], bar: float | None, *,
                       unless_image: str | None) -> None:
    """Learned sexual scores under ``bar`` stop counting, unless the learned stage reads a child
    in the text or any image's ``unless_image`` fact is not known false (children first; an
    unknown fact counts as true: fail closed). The raw scores stay in the verdict's signals."""
    minor = facts.get("intent.minor_reference")
    if bar is None or not isinstance(minor, float) or minor >= thresholds.get("intent", 0.5):
        return
    if unless_image and any(facts.get(f"{role.value}.{unless_image}") is not False for role in ImageRole):
        return
    for category in SEXUAL:
        score = facts[f"intent.{category.value}"]
        if isinstance(score, float) and score < bar:
            facts[f"intent.{category.value}"] = 0.0
    _summarise(facts, unknown=False)


def provenance_facts(signals: SignalSet) -> dict[str, Fact]:
    """``provenance.*``: the output's or upload's C2PA manifest (``genguard.provenance``).

    ``present``, ``trusted`` and ``invalid`` say what the manifest is worth; ``ai_generated``
    that it declares an AI source type; ``parent_registered_likeness`` (``parent_guardian``)
    that a parent it records shows a registered person (a child registered by a guardian);
    ``known_output`` that its soft binding or PDQ leads to an output genguard allowed before.
    Claims of every state count, so they can only raise risk. Unknown when the manifest could
    not be read; false for a request with no output or upload.
    """
    names = ("present", "trusted", "invalid", "ai_generated", "development", "parent_registered_likeness",
             "parent_guardian", "known_output")
    signal = signals.provenance
    if signal is None:
        failed = any(f.detector == "provenance" for f in signals.failures)
        return {f"provenance.{n}": (None if failed else False) for n in names}
    values = (signal.state != "absent", signal.state == "trusted", signal.state == "invalid", signal.ai_generated,
              signal.development, bool(signal.parent_likeness), any(m.guardian for m in signal.parent_likeness),
              signal.record_node is not None)
    return {f"provenance.{n}": v for n, v in zip(names, values, strict=True)}


def delta_facts(signals: SignalSet) -> dict[str, Fact]:
    """``delta.*``: the output against its sources (see ``screening.delta``).

    With no source or no output there is nothing to compare (all false); with both but no
    delta signal (a face or nudity detector failed) every delta fact is unknown.
    """
    delta = signals.delta
    if delta is None and signals.by_role(ImageRole.SOURCE) and signals.by_role(ImageRole.OUTPUT):
        return dict.fromkeys(("delta.same_person", "delta.undress", "delta.possible_minor",
                              "delta.likely_minor", "delta.exposure_growth", "delta.faceless_undress"))
    people = delta.people if delta else []
    return {
        "delta.faceless_undress": bool(delta and delta.faceless_transitions),
        "delta.same_person": bool(people),
        "delta.undress": any(p.more_exposure for p in people),
        "delta.possible_minor": kleene_any(p.possible_minor for p in people),
        "delta.likely_minor": kleene_any(p.likely_minor for p in people),
        "delta.exposure_growth": max((p.exposed_area_growth for p in people), default=0.0),
    }
