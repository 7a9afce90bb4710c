"""The undress delta: an output screened against its sources, person by person.

A prompt can be worded innocently and still produce an undressed picture of the person in the
source photo. So the output itself is compared with the sources: each output face is matched to
the nearest source face by identity distance (dlib's 128-d descriptor), and when it is the same
person, their body regions are compared part by part. Covered→exposed transitions, minimal
clothing that was not there, or a clear growth of exposed skin mean *more exposure*: the policy
blocks that as ``UNDRESS_DELTA`` whatever the prompt said.

Regions (NudeNet boxes) are not tied to people by the detector, so each is given to the face it
most plausibly belongs to (:func:`assign_regions`): with one face, every region is that
person's; with several, the nearest face in face-size units, preferring faces above the region.

The threshold and its calibration are in ``docs/screening.md``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np

from genguard.screening.facts import AgeThresholds, face_is_likely_minor, face_is_possible_minor, kleene_any
from genguard.signals import DeltaSignal, Face, ImageSignals, PersonDelta, Region, ImageRole, SignalSet

#: Body part → (covered label, exposed labels). Intimate parts first; feet are left out on
#: purpose: sandals instead of shoes is not undressing.
INTIMATE_PARTS: Final[dict[str, tuple[str | None, tuple[str, ...]]]] = {
    "FEMALE_BREAST": ("FEMALE_BREAST_COVERED", ("FEMALE_BREAST_EXPOSED",)),
    "GENITALIA": ("FEMALE_GENITALIA_COVERED", ("FEMALE_GENITALIA_EXPOSED", "MALE_GENITALIA_EXPOSED")),
    "BUTTOCKS": ("BUTTOCKS_COVERED", ("BUTTOCKS_EXPOSED",)),
    "ANUS": ("ANUS_COVERED", ("ANUS_EXPOSED",)),
}
SKIN_PARTS: Final[dict[str, tuple[str | None, tuple[str, ...]]]] = {
    "BELLY": ("BELLY_COVERED", ("BELLY_EXPOSED",)),
    "ARMPITS": ("ARMPITS_COVERED", ("ARMPITS_EXPOSED",)),
    "MALE_CHEST": (None, ("MALE_BREAST_EXPOSED",)),
}
#: Labels whose boxes count as exposed skin for the area comparison.
EXPOSED_LABELS: Final = frozenset(
    label for _, exposed in (*INTIMATE_PARTS.values(), *SKIN_PARTS.values()) for label in exposed
)

#: Default same-person distance (dlib's LFW threshold; calibrated here in docs/screening.md).
SAME_PERSON_DISTANCE: Final = 0.6
#: Default extra exposed area, in face-box areas, that counts as "more skin".
EXPOSURE_GROWTH: Final = 1.0


@dataclass(frozen=True)
class Thresholds:
    same_person: float = SAME_PERSON_DISTANCE
    exposed: float = 0.45
    covered: float = 0.45
    growth: float = EXPOSURE_GROWTH
    ages: AgeThresholds = AgeThresholds()

    @classmethod
    def from_pack(cls, values: Mapping[str, float]) -> Thresholds:
        return cls(
            same_person=values.get("same_person_distance", SAME_PERSON_DISTANCE),
            exposed=values.get("exposed", 0.45),
            covered=values.get("covered", 0.45),
            growth=values.get("exposure_growth", EXPOSURE_GROWTH),
            ages=AgeThresholds.from_pack(values),
        )


def identity_distance(a: Face, b: Face) -> float | None:
    """Euclidean distance between two faces' descriptors; None if either has none."""
    if a.embedding is None or b.embedding is None:
        return None
    return float(np.linalg.norm(np.subtract(a.embedding, b.embedding)))


def assign_regions(faces: Sequence[Face], regions: Sequence[Region]) -> list[list[Region]]:
    """Each region goes to the face it most plausibly belongs to; one list per face.

    Distance is measured in face-size units from the face centre to the region centre, and a
    region above a face counts double (bodies hang below heads). With one face, all regions are
    that face's: a single-person photo needs no guessing.
    """
    owned: list[list[Region]] = [[] for _ in faces]
    if not faces:
        return owned
    if len(faces) == 1:
        owned[0].extend(regions)
        return owned
    for region in regions:
        rx, ry = (region.box.x0 + region.box.x1) / 2, (region.box.y0 + region.box.y1) / 2

        def cost(face: Face, rx: float = rx, ry: float = ry) -> float:
            b = face.box
            w, h = max(1.0, b.x1 - b.x0), max(1.0, b.y1 - b.y0)
            dx = (rx - (b.x0 + b.x1) / 2) / w
            dy = (ry - (b.y0 + b.y1) / 2) / h
            return float(np.hypot(dx, dy * (2.0 if dy < 0 else 0.5)))

        owned[min(range(len(faces)), key=lambda i: cost(faces[i]))].append(region)
    return owned


def _best(regions: Sequence[Region], labels: Sequence[str | None]) -> float:
    return max((r.score for r in regions if r.label in labels), default=0.0)


def _exposed_area(regions: Sequence[Region], face: Face, threshold: float) -> float:
    face_area = max(1.0, face.box.area)
    return sum(r.box.area for r in regions if r.label in EXPOSED_LABELS and r.score >= threshold) / face_area


def exposure_change(
    before: Sequence[Region], after: Sequence[Region], face_before: Face, face_after: Face, t: Thresholds
) -> tuple[list[str], float]:
    """Part-by-part transitions from ``before`` to ``after`` and the growth of exposed area."""
    growth = _exposed_area(after, face_after, t.exposed) - _exposed_area(before, face_before, t.exposed)
    return part_transitions(before, after, t), growth


def part_transitions(before: Sequence[Region], after: Sequence[Region], t: Thresholds) -> list[str]:
    """Body parts that are more exposed in ``after`` than in ``before``.

    A part is *exposed* after when an exposed label scores at least ``t.exposed`` there and did
    not before; an intimate part shows *minimal clothing* after when its covered label (how a
    bikini or underwear reads) scores at least ``t.covered`` and neither label did before.
    """
    transitions: list[str] = []
    for part, (covered, exposed) in {**INTIMATE_PARTS, **SKIN_PARTS}.items():
        was_exposed = _best(before, exposed) >= t.exposed
        was_covered = covered is not None and _best(before, (covered,)) >= t.covered
        if _best(after, exposed) >= t.exposed and not was_exposed:
            transitions.append(f"{part}: {'covered' if was_covered else 'unseen'}->exposed")
        elif (
            part in INTIMATE_PARTS
            and covered is not None
            and _best(after, (covered,)) >= t.covered
            and not (was_covered or was_exposed)
        ):
            transitions.append(f"{part}: unseen->minimal clothing")
    return transitions


def _people(image: ImageSignals) -> list[tuple[Face, list[Region]]]:
    assert image.faces is not None and image.nudity is not None
    faces = image.faces.faces
    return list(zip(faces, assign_regions(faces, image.nudity.regions), strict=True))


def compare(signals: SignalSet, t: Thresholds) -> DeltaSignal | None:
    """Match every output person to the sources and measure their change in exposure.

    Returns an empty signal when there are no sources or no output (nothing to compare), and
    None when a face or nudity signal of any image involved is missing: unknown, never safe.
    """
    sources, outputs = signals.by_role(ImageRole.SOURCE), signals.by_role(ImageRole.OUTPUT)
    if not sources or not outputs:
        return DeltaSignal(same_person_distance=t.same_person)
    if any(i.faces is None or i.nudity is None for i in (*sources, *outputs)):
        return None
    source_people = [(image.index, k, face, regions)
                     for image in sources for k, (face, regions) in enumerate(_people(image))]
    people: list[PersonDelta] = []
    unmatched = 0
    for output in outputs:
        for k, (face, regions) in enumerate(_people(output)):
            matched = sorted(
                ((d, s) for s in source_people
                 if (d := identity_distance(face, s[2])) is not None and d <= t.same_person),
                key=lambda pair: pair[0],
            )
            if not matched:
                unmatched += 1
                continue
            # Against every source showing this person (a lineage root among them): the most
            # exposed change counts, so a chain of small steps is judged from where it started.
            deltas = [_person_delta(face, k, regions, d, s, t) for d, s in matched]
            chosen = next((p for p in deltas if p.more_exposure), deltas[0])
            # A minor anywhere in the chain counts.
            people.append(chosen.model_copy(update={
                "possible_minor": kleene_any(p.possible_minor for p in deltas),
                "likely_minor": kleene_any(p.likely_minor for p in deltas),
            }))
    return DeltaSignal(people=people, unmatched_output_faces=unmatched, same_person_distance=t.same_person,
                       faceless_transitions=_faceless(sources, outputs, t))


def _faceless(sources: Sequence[ImageSignals], outputs: Sequence[ImageSignals], t: Thresholds) -> list[str]:
    """Transitions of a face-less output against everything its sources show.

    Cropping the face out (or changing it past recognition) must not turn an undressing into a
    picture "of nobody": when the sources show a person and an output has no face, the output's
    regions are compared with the union of the sources' regions, part by part (no area growth:
    without a face there is no scale to compare areas in).
    """
    if not any(image.faces and image.faces.faces for image in sources):
        return []
    before = [r for image in sources if image.nudity for r in image.nudity.regions]
    return sorted({
        change
        for image in outputs
        if image.faces is not None and not image.faces.faces and image.nudity is not None
        for change in part_transitions(before, image.nudity.regions, t)
    })


def _person_delta(
    face: Face, k: int, regions: list[Region], distance: float,
    source: tuple[int, int, Face, list[Region]], t: Thresholds,
) -> PersonDelta:
    src_index, src_k, src_face, src_regions = source
    transitions, growth = exposure_change(src_regions, regions, src_face, face, t)
    return PersonDelta(
        source_index=src_index,
        source_face=src_k,
        output_face=k,
        distance=round(distance, 4),
        transitions=transitions,
        exposed_area_growth=round(growth, 3),
        more_exposure=bool(transitions) or growth >= t.growth,
        possible_minor=kleene_any(face_is_possible_minor(f, t.ages) for f in (src_face, face)),
        likely_minor=kleene_any(face_is_likely_minor(f, t.ages) for f in (src_face, face)),
    )
