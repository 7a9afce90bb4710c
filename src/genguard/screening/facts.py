"""Turn typed signals into the flat facts that policy rules test.

Facts are named ``<area>.<name>`` (``intent.undress``, ``source.possible_minor``,
``output.exposed``). A fact whose detector failed is ``None`` — unknown — so the policy can
fail closed; a role without images has known, empty facts (no person, nothing exposed), so an
``output`` request without sources is not mistaken for one whose source detectors failed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from genguard.signals import (
    DetectorFailure,
    Face,
    ImageSignals,
    IntentCategory,
    IntentSignal,
    Role,
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


def face_is_possible_minor(face: Face, challenge_age: float, margin_sd: float) -> bool | None:
    """Challenge 25: a face counts as a possible minor unless the model is confident it is older.

    Confident means the estimate minus ``margin_sd`` standard deviations is still at or above
    ``challenge_age``. A face without an age estimate is unknown.
    """
    if face.age is None:
        return None
    return face.age - margin_sd * (face.age_sd or 0.0) < challenge_age


def _kleene_any(values: Iterable[bool | None]) -> bool | None:
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
    challenge = thresholds.get("challenge_age", 25.0)
    margin = thresholds.get("age_margin_sd", 1.0)
    facts: dict[str, Fact] = {f"{prefix}.count": float(len(images))}
    faces_known = all(image.faces is not None for image in images)
    faces = [f for image in images if image.faces for f in image.faces.faces]
    facts[f"{prefix}.faces"] = float(len(faces)) if faces_known else None
    # A body seen without a face (from behind, cropped at the neck) is still a person.
    bodies_known = all(image.nudity is not None for image in images)
    seen = bool(faces) or any(image.nudity and image.nudity.regions for image in images)
    facts[f"{prefix}.person"] = True if seen else (False if faces_known and bodies_known else None)
    minors = [face_is_possible_minor(f, challenge, margin) for f in faces]
    facts[f"{prefix}.possible_minor"] = _kleene_any(
        [*minors, *([None] if not faces_known else [])]
    )
    ages = [f.age for f in faces if f.age is not None]
    facts[f"{prefix}.youngest_age"] = min(ages) if ages else None
    for name in ("exposed", "minimal_clothing", "skin"):
        facts[f"{prefix}.{name}"] = _max_or_none(
            getattr(image.nudity, name) if image.nudity else None for image in images
        )
    return facts


def intent_facts(intent: IntentSignal | None, *, has_text: bool) -> dict[str, Fact]:
    """``intent.*``: a score per category, ``intimate`` and ``sexual`` (unknown if the detector
    failed; zero when the request carried no instruction)."""
    facts: dict[str, Fact] = {}
    for category in IntentCategory:
        if has_text:
            facts[f"intent.{category.value}"] = intent.score(category) if intent else None
        else:
            facts[f"intent.{category.value}"] = 0.0
    if has_text and intent is None:
        facts["intent.intimate"] = facts["intent.sexual"] = None
    else:
        scores = [facts[f"intent.{c.value}"] or 0.0 for c in SEXUAL]
        facts["intent.intimate"] = max(scores[: len(INTIMATE)])
        facts["intent.sexual"] = max(scores)
    return facts


def build_facts(
    signals: SignalSet, thresholds: Mapping[str, float], *, has_text: bool
) -> dict[str, Fact]:
    """All facts of one request. ``has_text`` is False when the request carried no instruction."""
    facts = intent_facts(signals.intent, has_text=has_text)
    for role in Role:  # a role without images has known facts: nobody, nothing exposed
        facts.update(_role_facts(role.value, signals.by_role(role), thresholds))
    for prefix, images in [*((r.value, signals.by_role(r)) for r in Role), ("any", signals.images)]:
        facts[f"{prefix}.bank_match"] = _bank_match(images, "block", signals.failures)
        facts[f"{prefix}.bank_review"] = _bank_match(images, "review", signals.failures)
    facts.update(delta_facts(signals))
    conversation = signals.conversation
    facts["conversation.reduction_turns"] = float(conversation.reduction_turns) if conversation else 0.0
    facts["conversation.current_reduces"] = conversation.current_reduces if conversation else False
    facts["lineage.known"] = bool(signals.lineage and signals.lineage.links)
    facts["likeness.match"] = bool(signals.likeness and signals.likeness.matches)
    facts["likeness.guardian"] = bool(signals.likeness and any(m.guardian for m in signals.likeness.matches))
    return facts


def delta_facts(signals: SignalSet) -> dict[str, Fact]:
    """``delta.*``: the output against its sources (see ``screening.delta``).

    With no source or no output there is nothing to compare (all false); with both but no
    delta signal (a face or nudity detector failed) every delta fact is unknown.
    """
    delta = signals.delta
    if delta is None and signals.by_role(Role.SOURCE) and signals.by_role(Role.OUTPUT):
        return dict.fromkeys(("delta.same_person", "delta.undress", "delta.possible_minor",
                              "delta.exposure_growth", "delta.faceless_undress"))
    people = delta.people if delta else []
    return {
        "delta.faceless_undress": bool(delta and delta.faceless_transitions),
        "delta.same_person": bool(people),
        "delta.undress": any(p.more_exposure for p in people),
        "delta.possible_minor": _kleene_any(p.possible_minor for p in people),
        "delta.exposure_growth": max((p.exposed_area_growth for p in people), default=0.0),
    }
