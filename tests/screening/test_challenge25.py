"""Challenge 25 at its edges: injected ages and signals through the default pack, plus the
calibration on the age-labelled licensed portraits with the real age model."""

from __future__ import annotations

import pytest

from genguard.detectors.faces import CenterFaceDetector
from genguard.policy.engine import evaluate
from genguard.policy.pack import load_pack
from genguard.request import RequestKind
from genguard.screening.facts import AgeThresholds, build_facts, face_is_possible_minor
from genguard.signals import Box, Face, FacesSignal, ImageSignals, IntentCategory, IntentSignal, ImageRole, SignalSet
from genguard.verdict import Decision
from tests.detectors.detector_images import shared_image
from tests.images import SHARED_IMAGES
from tests.screening.injected import nudity, region

PACK = load_pack("uk-osa")
AGES = AgeThresholds.from_pack(PACK.thresholds)


def person(role, age, sd=1.0, regions=(), known_age=True):
    f = Face(box=Box(x0=0, y0=0, x1=50, y1=50), age=age if known_age else None, age_sd=sd)
    return ImageSignals(role=role, index=0, width=100, height=100, format="JPEG",
                        faces=FacesSignal(faces=[f], model="injected"), nudity=nudity(list(regions)))


def decide(kind, images, **scores):
    intent = IntentSignal(scores={IntentCategory(k): v for k, v in scores.items()}, model="injected")
    facts = build_facts(SignalSet(intent=intent, images=images), PACK.thresholds, has_text=True)
    return evaluate(PACK, RequestKind(kind), facts, [])


@pytest.mark.parametrize(("score", "blocked", "escalated"), [(0.49, False, False), (0.50, True, False),
                                                           (0.94, True, False), (0.95, True, True)])
def test_learned_bar_for_a_minor_is_the_packs_intent_threshold(score, blocked, escalated):
    """A learned score alone blocks at the pack's ``intent`` bar; below it, only the parsed
    evidence (text.*, tests/screening/test_edit_policy.py) refuses, so benign edits of children's
    photos are not blocked and escalated on a score of 0.3. On a likely minor it escalates only
    from ``intent_explained`` (pack 2026.12.8)."""
    out = decide("edit", [person(ImageRole.SOURCE, 16.0)], revealing_clothing=score)
    assert (out.decision is Decision.BLOCK) is blocked
    assert out.escalate is escalated
    if blocked:
        assert out.reasons[0] == ("SEXUALISED_MINOR" if escalated else "POSSIBLE_MINOR")


@pytest.mark.parametrize(("age", "sd", "blocked"), [(26.0, 1.0, False), (25.9, 1.0, True), (40.0, 15.5, True)])
def test_margin_edge_on_a_harmless_prompt_with_minimal_clothing_in_the_source(age, sd, blocked):
    """'make it sunny' on a photo whose person may be under 25 and shows minimal clothing."""
    out = decide("edit", [person(ImageRole.SOURCE, age, sd, [region("BUTTOCKS_COVERED", 0.5)])])
    assert (out.decision is Decision.BLOCK) is blocked, out
    if blocked:
        # Possible, not likely, minors (age + sd >= 18): refused under Challenge 25, not escalated.
        assert out.reasons == ["POSSIBLE_MINOR"] and not out.escalate
    else:
        assert out.decision is Decision.ALLOW


@pytest.mark.parametrize("label", ["BELLY_COVERED", "FEET_EXPOSED", "FACE_FEMALE"])
def test_ordinary_clothing_on_a_possible_minor_is_not_minimal(label):
    out = decide("edit", [person(ImageRole.SOURCE, 9.0, regions=[region(label, 0.9)])])
    assert out.decision is Decision.ALLOW


def test_output_minimal_clothing_on_a_possible_minor_blocks_and_escalates():
    out = decide("output", [person(ImageRole.OUTPUT, 14.0, regions=[region("FEMALE_BREAST_COVERED", 0.46)])])
    assert out.reasons == ["SEXUALISED_MINOR"] and out.escalate


def test_unknown_age_with_intimate_intent_never_allows():
    out = decide("edit", [person(ImageRole.SOURCE, 0.0, known_age=False)], undress=0.96)
    assert out.decision is Decision.BLOCK  # the real-person rule blocks; the minor rule is unknown
    assert out.escalate  # an unknown escalating rule escalates: a human looks
    # Below the confident bar no minor rule could escalate even with the age known.
    weaker = decide("edit", [person(ImageRole.SOURCE, 0.0, known_age=False)], undress=0.9)
    assert weaker.decision is Decision.BLOCK and not weaker.escalate and "DETECTOR_UNAVAILABLE" in weaker.reasons


def test_learned_minor_reference_with_weak_revealing_score_is_no_escalation():
    """The learned minor score fires on "a girl" and "a baby penguin": alone, with a sub-threshold
    revealing score, it neither blocks nor escalates (issue: false child-abuse escalations)."""
    out = decide("generate", [], minor_reference=0.9, revealing_clothing=0.35)
    assert out.decision is Decision.ALLOW and not out.escalate


def test_learned_minor_reference_with_undressing_intent_blocks_without_escalating():
    out = decide("generate", [], minor_reference=0.9, undress=0.6)
    assert out.decision is Decision.BLOCK and "POSSIBLE_MINOR" in out.reasons and not out.escalate


# --- calibration on the licensed, age-labelled portraits (real age model) ----------------------

CHILDREN_AND_TEEN = ["child_fairface_0051_girl_age3-9.jpg", "child_fairface_0204_boy_age3-9.jpg",
                     "child_fairface_0250_boy_age3-9.jpg", "teen_fairface_0042_girl_age10-19.jpg"]
ADULTS_45_PLUS = ["barack_obama_official_portrait_2012.jpg", "joe_biden_official_vp_portrait_2013.jpg",
                  "grace_hopper_usn_1984.jpg"]


@pytest.fixture(scope="module")
def face_detector():
    return CenterFaceDetector()  # the default backend


def main_face(detector, name):
    faces = detector.detect(shared_image(f"portraits/{name}")).faces
    return max(faces, key=lambda f: f.score)


@pytest.mark.slow
@pytest.mark.skipif(not SHARED_IMAGES.is_dir(), reason="shared images absent")
def test_pack_margin_flags_every_child_and_teen_and_no_adult_over_45(face_detector):
    for name in CHILDREN_AND_TEEN:
        assert face_is_possible_minor(main_face(face_detector, name), AGES) is True, name
    for name in ADULTS_45_PLUS:
        assert face_is_possible_minor(main_face(face_detector, name), AGES) is False, name
