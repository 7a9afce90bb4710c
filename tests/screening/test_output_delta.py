"""Output screening against sources (the undress delta).

Unit tests inject every signal; the end-to-end tests use the real face, age, identity and hash
models on the licensed portraits and inject only the nudity detector's regions.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from genguard.policy.engine import evaluate
from genguard.policy.pack import load_pack
from genguard.request import RequestKind
from genguard.screening.delta import Thresholds, assign_regions, compare, exposure_change
from genguard.screening.facts import build_facts
from genguard.signals import Box, Face, FacesSignal, ImageSignals, ImageRole, SignalSet
from genguard.escalations.tables import EscalationRow
from genguard.verdict import Decision
from tests.images import ADULT_PORTRAIT, CHILD_PORTRAITS, SHARED_IMAGES
from tests.screening.injected import DRESS, nudity, region, sha, with_hat

PACK = load_pack("uk-osa")
T = Thresholds.from_pack(PACK.thresholds)
ALICE = [1.0] + [0.0] * 127
ALICE_EDITED = [0.95, 0.2] + [0.0] * 126  # distance 0.206
BOB = [0.0, 1.0] + [0.0] * 126  # distance 1.41 from ALICE


def face(embedding, *, age=35.0, sd=2.0, box=(100, 50, 200, 150)):
    x0, y0, x1, y1 = box
    return Face(box=Box(x0=x0, y0=y0, x1=x1, y1=y1), age=age, age_sd=sd, embedding=embedding)


def image(role, faces, regions, index=0):
    return ImageSignals(role=role, index=index, width=600, height=800, format="JPEG",
                        faces=FacesSignal(faces=faces, model="injected"), nudity=nudity(regions))


def judge(source, output, prompt_scores=None):
    signals = SignalSet(images=[source, output])
    signals = signals.model_copy(update={"delta": compare(signals, T)})
    facts = build_facts(signals, PACK.thresholds, has_text=False)
    return evaluate(PACK, RequestKind.OUTPUT, facts, sorted({f.detector for f in signals.failures})), signals




def test_same_person_more_exposed_blocks_undress_delta():
    outcome, signals = judge(
        image(ImageRole.SOURCE, [face(ALICE)], DRESS),
        image(ImageRole.OUTPUT, [face(ALICE_EDITED)], [region("FEMALE_BREAST_EXPOSED", 0.7)]),
    )
    assert outcome.decision is Decision.BLOCK
    assert "UNDRESS_DELTA" in outcome.reasons
    person = signals.delta.people[0]
    assert person.transitions == ["FEMALE_BREAST: unseen->exposed"]
    assert person.distance == pytest.approx(0.206, abs=1e-3)


@pytest.mark.parametrize(
    ("after", "transition"),
    [
        ([region("BELLY_EXPOSED", 0.6)], "BELLY: covered->exposed"),  # crop top
        ([region("FEMALE_BREAST_COVERED", 0.6), region("BUTTOCKS_COVERED", 0.6)],
         "FEMALE_BREAST: unseen->minimal clothing"),  # bikini
        ([region("ARMPITS_EXPOSED", 0.6, (80, 200, 120, 240))], "ARMPITS: covered->exposed"),
    ],
)
def test_each_covered_to_exposed_transition_blocks(after, transition):
    outcome, signals = judge(image(ImageRole.SOURCE, [face(ALICE)], DRESS), image(ImageRole.OUTPUT, [face(ALICE_EDITED)], after))
    assert outcome.reasons == ["UNDRESS_DELTA"]
    assert transition in signals.delta.people[0].transitions


def test_exposed_area_growth_without_a_new_part_blocks():
    """Belly already exposed in the source, but far more of it in the output (smaller garment)."""
    before = [region("BELLY_EXPOSED", 0.6, (120, 300, 180, 320))]  # 0.12 face areas
    after = [region("BELLY_EXPOSED", 0.6, (100, 250, 250, 400))]  # 2.25 face areas
    outcome, signals = judge(image(ImageRole.SOURCE, [face(ALICE)], before), image(ImageRole.OUTPUT, [face(ALICE_EDITED)], after))
    assert signals.delta.people[0].transitions == []
    assert signals.delta.people[0].exposed_area_growth == pytest.approx(2.13, abs=0.01)
    assert outcome.reasons == ["UNDRESS_DELTA"]


def test_same_person_same_exposure_allows():
    outcome, signals = judge(image(ImageRole.SOURCE, [face(ALICE)], DRESS), image(ImageRole.OUTPUT, [face(ALICE_EDITED)], DRESS))
    assert outcome.decision is Decision.ALLOW
    assert signals.delta.people[0].more_exposure is False


def test_same_person_less_exposed_allows():
    """Adding a coat removes exposure: never a delta."""
    source = image(ImageRole.SOURCE, [face(ALICE)], [region("BELLY_EXPOSED", 0.6), region("ARMPITS_EXPOSED", 0.6)])
    outcome, _ = judge(source, image(ImageRole.OUTPUT, [face(ALICE_EDITED)], [region("BELLY_COVERED", 0.7)]))
    assert outcome.decision is Decision.ALLOW


def test_different_person_is_judged_on_its_own():
    more_skin = [region("BELLY_EXPOSED", 0.7), region("FEMALE_BREAST_COVERED", 0.6)]
    outcome, signals = judge(image(ImageRole.SOURCE, [face(ALICE)], DRESS), image(ImageRole.OUTPUT, [face(BOB)], more_skin))
    assert signals.delta.people == [] and signals.delta.unmatched_output_faces == 1
    assert outcome.decision is Decision.ALLOW  # an adult in minimal clothing, nobody from the source
    explicit, _ = judge(image(ImageRole.SOURCE, [face(ALICE)], DRESS),
                        image(ImageRole.OUTPUT, [face(BOB)], [region("FEMALE_BREAST_EXPOSED", 0.8)]))
    assert explicit.reasons == ["EXPLICIT_SEXUAL"]  # the output's own rule, not the delta


def test_possible_minor_in_source_with_more_exposure_blocks_and_escalates():
    """The output's age estimate reads older (an editor can age a face); the source's decides."""
    outcome, _ = judge(
        image(ImageRole.SOURCE, [face(ALICE, age=15.0)], DRESS),
        image(ImageRole.OUTPUT, [face(ALICE_EDITED, age=31.0)], [region("BELLY_EXPOSED", 0.6)]),
    )
    assert outcome.decision is Decision.BLOCK
    assert outcome.reasons[0] == "SEXUALISED_MINOR"
    assert "UNDRESS_DELTA" in outcome.reasons
    assert outcome.escalate


def test_missing_nudity_signal_on_the_output_fails_closed():
    source = image(ImageRole.SOURCE, [face(ALICE)], DRESS)
    output = image(ImageRole.OUTPUT, [face(ALICE_EDITED)], []).model_copy(update={"nudity": None})
    outcome, signals = judge(source, output)
    assert signals.delta is None
    assert outcome.decision is Decision.REVIEW
    assert outcome.reasons == ["DETECTOR_UNAVAILABLE"]


def test_regions_go_to_the_person_below_them():
    left = face(ALICE, box=(100, 50, 200, 150))
    right = face(BOB, box=(500, 60, 600, 160))
    regions = [region("BELLY_EXPOSED", box=(110, 300, 210, 380)), region("BELLY_COVERED", box=(480, 310, 590, 390)),
               region("FEET_EXPOSED", box=(520, 700, 580, 760))]
    owned = assign_regions([left, right], regions)
    assert [r.label for r in owned[0]] == ["BELLY_EXPOSED"]
    assert [r.label for r in owned[1]] == ["BELLY_COVERED", "FEET_EXPOSED"]


def test_feet_alone_are_not_undressing():
    transitions, growth = exposure_change([], [region("FEET_EXPOSED")], face(ALICE), face(ALICE), T)
    assert transitions == [] and growth == 0.0


def test_two_people_only_the_edited_one_counts():
    """Two people in source and output; only Bob's exposure changed, and Bob is matched."""
    alice, bob = face(ALICE, box=(100, 50, 200, 150)), face(BOB, box=(500, 60, 600, 160))
    src = image(ImageRole.SOURCE, [alice, bob], [region("BELLY_COVERED", box=(110, 300, 210, 380)),
                                           region("BELLY_COVERED", box=(480, 310, 590, 390))])
    out = image(ImageRole.OUTPUT, [alice, bob], [region("BELLY_COVERED", box=(110, 300, 210, 380)),
                                           region("BELLY_EXPOSED", box=(480, 310, 590, 390))])
    outcome, signals = judge(src, out)
    assert [p.more_exposure for p in signals.delta.people] == [False, True]
    assert outcome.reasons == ["UNDRESS_DELTA"]


# --- end to end: real faces, ages, identity and hashes; injected regions ----------------------


@pytest.mark.slow
def test_real_faces_same_person_more_exposed_blocks_whatever_the_prompt(injected_guard):
    source = ADULT_PORTRAIT.read_bytes()
    output = with_hat(ADULT_PORTRAIT)
    injected_guard.nudity_regions[sha(source)] = DRESS
    injected_guard.nudity_regions[sha(output)] = [region("FEMALE_BREAST_EXPOSED", 0.7)]
    verdict = injected_guard.screen(kind="output", prompt="put a hat on her", sources=[source], output=output)
    assert verdict.decision is Decision.BLOCK
    assert "UNDRESS_DELTA" in verdict.reasons
    person = verdict.signals.delta.people[0]
    assert person.distance < T.same_person


@pytest.mark.slow
def test_real_faces_benign_edit_of_same_person_allows(injected_guard):
    source = ADULT_PORTRAIT.read_bytes()
    output = with_hat(ADULT_PORTRAIT)
    injected_guard.nudity_regions[sha(source)] = DRESS
    injected_guard.nudity_regions[sha(output)] = DRESS
    verdict = injected_guard.screen(kind="output", prompt="put a hat on her", sources=[source], output=output)
    assert verdict.decision is Decision.ALLOW, (verdict.reasons, verdict.facts)
    assert verdict.facts["delta.same_person"] is True


@pytest.mark.slow
def test_real_faces_different_person_is_not_a_delta(injected_guard):
    source = ADULT_PORTRAIT.read_bytes()
    output = (SHARED_IMAGES / "portraits" / "barack_obama_official_portrait_2012.jpg").read_bytes()
    injected_guard.nudity_regions[sha(output)] = [region("MALE_BREAST_EXPOSED", 0.7)]
    verdict = injected_guard.screen(kind="output", prompt="a man at the beach", sources=[source], output=output)
    assert verdict.facts["delta.same_person"] is False
    assert verdict.decision is Decision.ALLOW, verdict.reasons


@pytest.mark.slow
def test_real_child_portrait_more_exposed_output_blocks_and_escalates(injected_guard, store):
    portrait = CHILD_PORTRAITS[2]
    output = with_hat(portrait)
    injected_guard.nudity_regions[sha(output)] = [region("BELLY_EXPOSED", 0.6)]
    verdict = injected_guard.screen(kind="output", prompt="make it summer", sources=[portrait], output=output)
    assert verdict.decision is Decision.BLOCK
    assert verdict.reasons[0] == "SEXUALISED_MINOR"
    with store.transaction() as session:
        rows = session.execute(select(EscalationRow)).scalars().all()
    assert [r.reason for r in rows] == ["SEXUALISED_MINOR"]


PEOPLE = sorted([*(SHARED_IMAGES / "portraits").glob("*"), *(SHARED_IMAGES / "athletes").glob("*"),
                 *(SHARED_IMAGES / "art").glob("*")])


@pytest.mark.slow
def test_real_nudity_detector_sees_no_delta_in_a_benign_edit_of_any_shared_photo(guard):
    """No mocks: NudeNet's own regions on each photo and on its hat edit must not differ enough to
    read as more exposure (a false UNDRESS_DELTA would block every benign edit of that photo)."""
    for path in PEOPLE:
        verdict = guard.screen(kind="output", prompt="put a hat on them", sources=[path], output=with_hat(path))
        assert verdict.facts["delta.undress"] is False, (path.name, verdict.signals.delta)
        assert "UNDRESS_DELTA" not in verdict.reasons, path.name


def test_face_cropped_out_of_the_output_is_not_a_picture_of_nobody():
    faceless = image(ImageRole.OUTPUT, [], [region("FEMALE_BREAST_COVERED", 0.7), region("BELLY_EXPOSED", 0.6)])
    outcome, signals = judge(image(ImageRole.SOURCE, [face(ALICE)], DRESS), faceless)
    assert signals.delta.faceless_transitions == ["BELLY: covered->exposed", "FEMALE_BREAST: unseen->minimal clothing"]
    assert outcome.decision is Decision.REVIEW and outcome.reasons == ["UNDRESS_DELTA_UNVERIFIED"]
    minor, _ = judge(image(ImageRole.SOURCE, [face(ALICE, age=12.0)], DRESS), faceless)
    assert minor.decision is Decision.BLOCK and minor.reasons[0] == "SEXUALISED_MINOR" and minor.escalate


def test_face_less_output_of_a_face_less_source_or_with_no_more_exposure_allows():
    scene = image(ImageRole.SOURCE, [], [])
    assert judge(scene, image(ImageRole.OUTPUT, [], [region("BELLY_EXPOSED")]))[0].decision is Decision.ALLOW
    same = judge(image(ImageRole.SOURCE, [face(ALICE)], DRESS), image(ImageRole.OUTPUT, [], DRESS))
    assert same[0].decision is Decision.ALLOW and same[1].delta.faceless_transitions == []
