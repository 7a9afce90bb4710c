"""Possible minor (Challenge 25) and likely minor (the escalating one) as facts, from injected faces.

The real age model's rates per age group are tested in tests/eval/test_eval_faces.py; here the
ages are given, so each threshold's edge and each unknown is exact.
"""

from __future__ import annotations

import pytest

from genguard.policy.pack import load_pack
from genguard.screening.delta import Thresholds, compare
from genguard.screening.facts import AgeThresholds, build_facts, face_is_likely_minor, face_is_possible_minor
from genguard.signals import Box, Face, FacesSignal, ImageSignals, ImageRole, SignalSet
from tests.screening.injected import DRESS, nudity

PACK = load_pack("uk-osa")
AGES = AgeThresholds.from_pack(PACK.thresholds)
ALICE = [1.0] + [0.0] * 127
ALICE_EDITED = [0.95, 0.2] + [0.0] * 126  # distance 0.206: the same person


def face(age: float | None, sd: float = 2.0, low: float | None = None, embedding: list[float] | None = None) -> Face:
    return Face(box=Box(x0=100, y0=50, x1=200, y1=150), age=age, age_sd=sd, age_low=low, embedding=embedding)


def image(role: ImageRole, faces: list[Face] | None) -> ImageSignals:
    return ImageSignals(role=role, index=0, width=600, height=800, format="JPEG",
                        faces=None if faces is None else FacesSignal(faces=faces, model="injected"),
                        nudity=nudity(DRESS))


def facts(*images: ImageSignals) -> dict[str, object]:
    signals = SignalSet(images=list(images))
    signals = signals.model_copy(update={"delta": compare(signals, Thresholds.from_pack(PACK.thresholds))})
    return build_facts(signals, PACK.thresholds, has_text=False)


def test_the_pack_carries_the_calibrated_thresholds() -> None:
    assert AGES == AgeThresholds(challenge_age=25.0, margin_sd=1.0, possible_minor_age=18.0,
                                 likely_minor_age=18.0, likely_margin_sd=1.0, child_face_score=0.8)


@pytest.mark.parametrize(
    ("low", "possible"),
    [(17.9, True), (18.0, False), (40.0, False)],
)
def test_possible_minor_reads_the_calibrated_lower_bound(low: float, possible: bool) -> None:
    # age 24 ± 6 would be a possible minor under the median - 1 sd fallback; the bound decides
    assert face_is_possible_minor(face(24.0, 6.0, low), AGES) is possible


@pytest.mark.parametrize(("age", "sd", "possible"), [(26.0, 1.0, False), (25.9, 1.0, True)])
def test_a_face_without_a_lower_bound_falls_back_to_challenge_25(age: float, sd: float, possible: bool) -> None:
    assert face_is_possible_minor(face(age, sd), AGES) is possible


@pytest.mark.parametrize(
    ("age", "sd", "likely"),
    [(5.0, 3.0, True), (14.0, 3.9, True), (14.0, 4.0, False), (16.0, 3.0, False), (30.0, 2.0, False)],
)
def test_likely_minor_needs_the_upper_bound_under_18(age: float, sd: float, likely: bool) -> None:
    assert face_is_likely_minor(face(age, sd, low=1.0), AGES) is likely


def test_a_face_without_an_age_is_unknown_both_ways() -> None:
    assert face_is_possible_minor(face(None), AGES) is None
    assert face_is_likely_minor(face(None), AGES) is None


@pytest.mark.parametrize("role", [ImageRole.SOURCE, ImageRole.OUTPUT, ImageRole.UPLOAD])
def test_role_facts_separate_possible_from_likely(role: ImageRole) -> None:
    teen = facts(image(role, [face(16.0, 3.0, low=12.0)]))
    assert teen[f"{role.value}.possible_minor"] is True and teen[f"{role.value}.likely_minor"] is False
    child = facts(image(role, [face(30.0, 2.0, low=28.0), face(6.0, 2.0, low=3.0)]))
    assert child[f"{role.value}.possible_minor"] is True and child[f"{role.value}.likely_minor"] is True
    adult = facts(image(role, [face(41.0, 5.0, low=33.0)]))
    assert adult[f"{role.value}.possible_minor"] is False and adult[f"{role.value}.likely_minor"] is False


@pytest.mark.parametrize("role", [ImageRole.SOURCE, ImageRole.OUTPUT, ImageRole.UPLOAD])
def test_role_facts_are_unknown_when_faces_failed_or_an_age_is_missing(role: ImageRole) -> None:
    failed = facts(image(role, None))
    assert failed[f"{role.value}.possible_minor"] is None and failed[f"{role.value}.likely_minor"] is None
    unaged = facts(image(role, [face(None)]))
    assert unaged[f"{role.value}.likely_minor"] is None
    # a known child elsewhere is enough: Kleene OR
    mixed = facts(image(role, [face(None), face(4.0, 1.0, low=2.0)]))
    assert mixed[f"{role.value}.likely_minor"] is True


def test_a_role_without_images_has_no_minor() -> None:
    none = facts()
    assert none["source.likely_minor"] is False and none["upload.likely_minor"] is False


def test_delta_likely_minor_follows_the_matched_person() -> None:
    """The output reads older (an editor can age a face): the source's young face still counts."""
    child = facts(image(ImageRole.SOURCE, [face(7.0, 2.0, low=5.0, embedding=ALICE)]),
                  image(ImageRole.OUTPUT, [face(31.0, 3.0, low=27.0, embedding=ALICE_EDITED)]))
    assert child["delta.same_person"] is True
    assert child["delta.possible_minor"] is True and child["delta.likely_minor"] is True
    teen = facts(image(ImageRole.SOURCE, [face(17.0, 3.0, low=13.0, embedding=ALICE)]),
                 image(ImageRole.OUTPUT, [face(18.0, 3.0, low=14.0, embedding=ALICE_EDITED)]))
    assert teen["delta.possible_minor"] is True and teen["delta.likely_minor"] is False


def test_delta_likely_minor_is_unknown_when_the_output_faces_failed() -> None:
    out = facts(image(ImageRole.SOURCE, [face(7.0, 2.0, low=5.0, embedding=ALICE)]), image(ImageRole.OUTPUT, None))
    assert out["delta.likely_minor"] is None and out["delta.possible_minor"] is None


@pytest.mark.parametrize(("score", "low", "possible"), [(0.85, 27.0, True), (0.79, 27.0, False), (0.1, 12.0, True),
                                                        (None, 27.0, False)])
def test_the_child_face_score_only_adds_possible_minors(score: float | None, low: float, possible: bool) -> None:
    """A baby the age net reads as 27.5 ± 4.0 (FairFace 0443) is a possible minor by its face's
    shape; a low score never clears a face the age bound flags; likely minor ignores the score."""
    child = face(27.5, 4.0, low).model_copy(update={"child_score": score})
    assert face_is_possible_minor(child, AGES) is possible
    assert face_is_likely_minor(child, AGES) is False


def test_a_pack_without_the_threshold_ignores_the_score() -> None:
    child = face(27.5, 4.0, 27.0).model_copy(update={"child_score": 0.99})
    assert face_is_possible_minor(child, AgeThresholds()) is False
