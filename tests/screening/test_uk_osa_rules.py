"""The default pack on injected signals: what the policy does with each detector's answer.

Detectors are not run here (their own tests use real models); these tests pin down the policy.
"""

import pytest

from genguard.policy.engine import evaluate
from genguard.policy.pack import load_pack
from genguard.request import RequestKind
from genguard.screening.facts import AgeThresholds, build_facts, face_is_possible_minor
from genguard.signals import (
    BankMatch,
    Box,
    EditSemantics,
    Face,
    FacesSignal,
    ImageSignals,
    IntentCategory,
    IntentSignal,
    NuditySignal,
    ImageRole,
    SignalSet,
)
from genguard.verdict import Decision

PACK = load_pack("uk-osa")
BOX = Box(x0=0, y0=0, x1=10, y1=10)


def intent(**scores: float) -> IntentSignal:
    return IntentSignal(scores={IntentCategory(k): v for k, v in scores.items()}, model="injected")


def image(role: ImageRole, *, ages=(40.0,), sd=2.0, exposed=0.0, covered=0.0, faces_ok=True, matches=()):
    faces = FacesSignal(faces=[Face(box=BOX, age=a, age_sd=sd) for a in ages], model="injected")
    return ImageSignals(
        role=role, index=0, width=100, height=100, format="JPEG",
        faces=faces if faces_ok else None,
        nudity=NuditySignal(regions=[], exposed=exposed, minimal_clothing=covered, model="injected"),
        bank_matches=list(matches),
    )


def decide(kind, signals, has_text=True):
    facts = build_facts(signals, PACK.thresholds, has_text=has_text)
    failures = sorted({f.detector for f in signals.failures})
    return evaluate(PACK, RequestKind(kind), facts, failures)


def test_intimate_edit_of_adult_photo_blocks():
    out = decide("edit", SignalSet(intent=intent(revealing_clothing=0.9), images=[image(ImageRole.SOURCE)]))
    assert out.decision is Decision.BLOCK
    assert out.reasons == ["INTIMATE_EDIT_REAL_PERSON"]
    assert not out.escalate


def test_benign_edit_of_adult_photo_allows():
    out = decide("edit", SignalSet(intent=intent(real_person_reference=0.9), images=[image(ImageRole.SOURCE)]))
    assert out.decision is Decision.ALLOW


def test_intimate_edit_without_a_person_is_not_a_real_person_block():
    out = decide("edit", SignalSet(intent=intent(revealing_clothing=0.9), images=[image(ImageRole.SOURCE, ages=())]))
    assert out.decision is Decision.ALLOW


@pytest.mark.parametrize("category", ["undress", "revealing_clothing", "sheer_wet", "body_sexualisation"])
def test_child_source_with_a_learned_clothing_reduction_blocks_and_escalates_when_confident(category):
    """A learned score alone refuses on a child's photo from the pack's ``intent`` bar; it opens a
    child-safety escalation from ``intent_explained`` (0.95, pack 2026.12.8): below it the blind
    probes' learned-only escalations were as often false as true (docs/policy.md)."""
    def out(score: float):  # noqa: ANN202
        return decide("edit", SignalSet(intent=intent(**{category: score}), images=[image(ImageRole.SOURCE, ages=(8.0,))]))
    weak, confident = out(0.55), out(0.96)
    assert weak.decision is Decision.BLOCK and weak.reasons[0] == "POSSIBLE_MINOR" and not weak.escalate
    assert confident.decision is Decision.BLOCK and confident.reasons[0] == "SEXUALISED_MINOR" and confident.escalate


@pytest.mark.parametrize(
    ("age", "sd", "minor"),
    [(30.0, 3.0, False), (26.0, 2.0, True), (25.0, 0.0, False), (24.9, 0.0, True), (28.0, 3.5, True)],
)
def test_challenge_25_edges(age, sd, minor):
    face = Face(box=BOX, age=age, age_sd=sd)
    assert face_is_possible_minor(face, AgeThresholds.from_pack(PACK.thresholds)) is minor
    # A crop top (partial coverage) is refused on a possible minor only.
    partial = intent().model_copy(update={"semantics": EditSemantics(coverage=2)})
    out = decide("edit", SignalSet(intent=partial, images=[image(ImageRole.SOURCE, ages=(age,), sd=sd)]))
    assert (out.decision is Decision.BLOCK) is minor


def test_face_without_age_is_unknown_and_fails_closed():
    """A crop top is refused only on a possible minor: with the age unknown, a human decides."""
    partial = intent(revealing_clothing=0.4).model_copy(update={"semantics": EditSemantics(coverage=2)})
    signals = SignalSet(intent=partial, images=[image(ImageRole.SOURCE, ages=(None,))])
    out = decide("edit", signals)
    assert out.decision is Decision.REVIEW
    assert "DETECTOR_UNAVAILABLE" in out.reasons


def test_faces_detector_failure_on_edit_never_allows():
    from genguard.signals import DetectorFailure

    signals = SignalSet(
        intent=intent(),
        images=[image(ImageRole.SOURCE, faces_ok=False)],
        failures=[DetectorFailure(detector="faces", error="boom", target="source[0]")],
    )
    out = decide("edit", signals)
    assert out.decision is Decision.REVIEW and out.reasons == ["DETECTOR_UNAVAILABLE"]


def test_intent_failure_on_generate_never_allows():
    from genguard.signals import DetectorFailure

    signals = SignalSet(failures=[DetectorFailure(detector="intent", error="x", target="text")])
    assert decide("generate", signals).decision is Decision.REVIEW


def test_generate_learned_minor_reference_with_sexual_intent_blocks_without_escalation():
    """A learned minor score is a possible minor at most: refused, never escalated on its own."""
    out = decide("generate", SignalSet(intent=intent(minor_reference=0.8, sexual_pose=0.6)))
    assert out.decision is Decision.BLOCK and "POSSIBLE_MINOR" in out.reasons and not out.escalate


def test_generate_child_named_in_text_with_sexual_words_escalates():
    signal = intent(sexual_pose=0.6).model_copy(update={"semantics": EditSemantics(child=True, suggestive=True)})
    out = decide("generate", SignalSet(intent=signal))
    assert out.decision is Decision.BLOCK and out.reasons[0] == "SEXUALISED_MINOR" and out.escalate


@pytest.mark.parametrize("category", ["explicit_sexual", "undress", "body_sexualisation", "sexual_pose"])
def test_generate_child_named_with_only_a_learned_sexual_score_is_refused_not_escalated(category):
    """Pack 2026.12.4: a learned score still refuses (signals only raise risk) but opens no
    child-safety escalation on its own; the parsed words do (test above)."""
    signal = intent(**{category: 0.97}).model_copy(update={"semantics": EditSemantics(child=True)})
    out = decide("generate", SignalSet(intent=signal))
    assert out.decision is Decision.BLOCK and out.reasons[0] == "MINOR_REVEALING" and not out.escalate
    assert "SEXUALISED_MINOR" not in out.reasons


def test_generate_minor_reference_alone_allows():
    assert decide("generate", SignalSet(intent=intent(minor_reference=0.9))).decision is Decision.ALLOW


def test_generate_explicit_blocks_and_plain_revealing_fiction_allows():
    assert decide("generate", SignalSet(intent=intent(explicit_sexual=0.9))).reasons == ["EXPLICIT_SEXUAL"]
    assert decide("generate", SignalSet(intent=intent(revealing_clothing=0.9))).decision is Decision.ALLOW


def unread(signal: IntentSignal, **semantics: object) -> IntentSignal:
    """``signal`` as the first stage alone gives it, on text in a language the encoder does not read."""
    return signal.model_copy(update={"unread": True, "semantics": EditSemantics(**semantics)})


@pytest.mark.parametrize("category", ["explicit_sexual", "undress", "body_sexualisation", "sexual_pose"])
def test_the_first_stage_alone_on_foreign_text_that_depicts_no_one_does_not_block(category):
    """Pack 2026.12.5 (``intent_unaimed``): "geleneksel Türk kahvesi" at 0.97 is a guess."""
    assert decide("generate", SignalSet(intent=unread(intent(**{category: 0.97})))).decision is Decision.ALLOW
    # The same score on English text (the encoder read it) counts. On text that depicts someone it
    # counted from 0.95 until pack 2026.12.7; now only what the parser reads there counts (intent_unread).
    assert decide("generate", SignalSet(intent=intent(**{category: 0.97}))).decision is Decision.BLOCK
    assert decide("generate", SignalSet(intent=unread(intent(**{category: 0.97}), person=True))).decision is Decision.ALLOW
    assert decide("generate", SignalSet(intent=unread(intent(**{category: 0.97}), person=True, coverage=0))).decision \
        is Decision.BLOCK


def test_foreign_text_that_depicts_no_one_still_blocks_on_parsed_evidence_and_on_a_photo_of_a_person():
    parsed = unread(intent(explicit_sexual=0.97), explicit=True)
    assert decide("generate", SignalSet(intent=parsed)).reasons == ["EXPLICIT_SEXUAL"]
    # "hazlo más revelador" on a photo of someone: the person is in the photo, and the parser
    # reads "más revelador" (with nothing parsed, see intent_unread below).
    edit = decide("edit", SignalSet(intent=unread(intent(revealing_clothing=0.9), coverage=1, operations=["reduce"]),
                                    images=[image(ImageRole.SOURCE)]))
    assert edit.reasons == ["INTIMATE_EDIT_REAL_PERSON"]


def test_an_unknown_person_fact_or_a_learned_child_reference_keeps_the_learned_score():
    """Fail closed: a photo whose faces could not be read may show someone; children first."""
    unseen = image(ImageRole.SOURCE, faces_ok=False).model_copy(update={"nudity": None})
    out = decide("edit", SignalSet(intent=unread(intent(explicit_sexual=0.9)), images=[unseen]))
    assert out.decision is not Decision.ALLOW
    child = decide("generate", SignalSet(intent=unread(intent(undress=0.9, minor_reference=0.9))))
    assert child.decision is Decision.BLOCK


def test_a_named_person_makes_praise_suggestive():
    """"sexy" with no one in the text praises a thing; beside a name it is about that person."""
    praise = EditSemantics(evidence=["praise:sexy"])
    named = intent(real_person_reference=0.9).model_copy(update={
        "semantics": praise, "evidence": {IntentCategory.REAL_PERSON_REFERENCE: ["current:name:Jane Doe"]}})
    assert decide("generate", SignalSet(intent=named)).reasons[0] == "INTIMATE_REAL_PERSON"
    unnamed = intent().model_copy(update={"semantics": praise})
    assert decide("generate", SignalSet(intent=unnamed)).decision is Decision.ALLOW


def test_generate_revealing_about_a_named_person_blocks():
    signal = intent(revealing_clothing=0.9, real_person_reference=0.9).model_copy(
        update={"evidence": {IntentCategory.REAL_PERSON_REFERENCE: ["current:name:Jane Doe"]}})
    out = decide("generate", SignalSet(intent=signal))
    assert out.reasons == ["INTIMATE_REAL_PERSON"]


def test_generate_revealing_with_only_a_pronoun_is_no_real_person():
    """'a woman in a bikini with her surfboard': "her" is no real person in text-to-image."""
    out = decide("generate", SignalSet(intent=intent(revealing_clothing=0.9, real_person_reference=0.9)))
    assert out.decision is Decision.ALLOW


def test_upload_minor_with_minimal_clothing_blocks_even_without_text():
    out = decide("upload", SignalSet(images=[image(ImageRole.UPLOAD, ages=(12.0,), covered=0.6)]), has_text=False)
    assert out.decision is Decision.BLOCK and out.reasons == ["SEXUALISED_MINOR"]


def test_upload_adult_nudity_goes_to_review():
    out = decide("upload", SignalSet(images=[image(ImageRole.UPLOAD, exposed=0.8)]), has_text=False)
    assert out.decision is Decision.REVIEW and out.reasons == ["NUDITY_REVIEW"]


def test_bank_match_blocks_any_kind():
    match = BankMatch(bank="ncmec", bank_kind="child_abuse", entry_id="1", signal_type="pdq", distance=4)
    out = decide("upload", SignalSet(images=[image(ImageRole.UPLOAD, matches=[match])]), has_text=False)
    assert out.decision is Decision.BLOCK and out.reasons == ["KNOWN_ABUSE_HASH"]


def test_allow_bank_action_does_not_block():
    match = BankMatch(bank="ok", bank_kind="allow", entry_id="1", signal_type="pdq", distance=0, action="allow")
    out = decide("upload", SignalSet(images=[image(ImageRole.UPLOAD, matches=[match])]), has_text=False)
    assert out.decision is Decision.ALLOW


def parsed(**semantics: object) -> IntentSignal:
    """Low learned scores with the parser's reading of the text (what a rule must not need a score for)."""
    return intent(revealing_clothing=0.01).model_copy(update={"semantics": EditSemantics(**semantics)})


def test_a_child_named_with_any_change_toward_less_coverage_is_refused_not_escalated():
    """Pack 2026.12.6: "make the schoolgirl's skirt shorter" (partial coverage) on any photo."""
    shorter = parsed(child=True, coverage=2, operations=["reduce"], garments=["dress"])
    out = decide("edit", SignalSet(intent=shorter, images=[image(ImageRole.SOURCE)]))
    assert out.decision is Decision.BLOCK and out.reasons == ["MINOR_REVEALING"]
    assert not out.escalate  # only sexual words (nudity, underwear, body, pose, explicit) escalate
    # A child in a coat made red, or a hat taken off: no change of coverage, allowed.
    for harmless in (parsed(child=True, coverage=3, operations=["remove"], garments=["outer"]), parsed(child=True)):
        assert decide("edit", SignalSet(intent=harmless, images=[image(ImageRole.SOURCE)])).decision is Decision.ALLOW
    # The same partial reduction without a child: the adult's photo is not refused for it.
    adult = parsed(coverage=2, operations=["reduce"], garments=["dress"])
    assert decide("edit", SignalSet(intent=adult, images=[image(ImageRole.SOURCE)])).decision is Decision.ALLOW


def foreign(signal: IntentSignal, **semantics: object) -> IntentSignal:
    """``signal`` on text only the first stage reads, with what the parser found in it."""
    return signal.model_copy(update={"unread": True, "semantics": EditSemantics(person=True, **semantics)})


def test_the_first_stage_alone_on_foreign_text_does_not_count_beside_adults():
    """Pack 2026.12.7 (``intent_unread`` 1.0; 0.95 in 2026.12.6): "겨울 코트 입혀줘" (put a winter
    coat on her) at 0.71; a watermark removal in Bengali at 0.97."""
    adult = [image(ImageRole.SOURCE)]
    assert decide("edit", SignalSet(intent=foreign(intent(revealing_clothing=0.71)), images=adult)).decision is Decision.ALLOW
    assert decide("edit", SignalSet(intent=foreign(intent(sexual_pose=0.97)), images=adult)).decision is Decision.ALLOW
    # What the parser read still refuses, whatever the score; English text keeps its scores.
    parsed_minimal = foreign(intent(revealing_clothing=0.1), coverage=1, operations=["remove"])
    assert decide("edit", SignalSet(intent=parsed_minimal, images=adult)).decision is Decision.BLOCK
    assert decide("edit", SignalSet(intent=intent(revealing_clothing=0.71), images=adult)).decision is Decision.BLOCK


def test_on_a_possible_minor_the_first_stage_alone_holds_the_request_for_a_human():
    """Pack 2026.12.9: in scripts the first stage never saw its score is noise ("change his jersey
    colour to red" in Telugu 0.97); on a child's photo it is held for review, not refused, and no
    other rule reads it. ``strict`` still refuses."""
    child = [image(ImageRole.SOURCE, ages=(6.0,), sd=2.0)]
    signals = SignalSet(intent=foreign(intent(revealing_clothing=0.71)), images=child)
    out = decide("edit", signals)
    assert out.decision is Decision.REVIEW and out.reasons == ["POSSIBLE_MINOR"] and not out.escalate
    assert [h.rule for h in out.hits] == ["minor.edit_source_unread"]
    strict = load_pack("strict")
    facts = build_facts(signals, strict.thresholds, has_text=True)
    assert evaluate(strict, RequestKind.EDIT, facts, []).decision is Decision.BLOCK
    # Under the bar nothing holds it; a learned child reference keeps the score counting (children first).
    assert decide("edit", SignalSet(intent=foreign(intent(revealing_clothing=0.3)), images=child)).decision \
        is Decision.ALLOW
    named_child = foreign(intent(revealing_clothing=0.71, minor_reference=0.9))
    assert decide("edit", SignalSet(intent=named_child, images=child)).decision is Decision.BLOCK
    # The parser's reading on the same photo still escalates.
    parsed_minimal = foreign(intent(revealing_clothing=0.1), coverage=1, operations=["remove"])
    assert decide("edit", SignalSet(intent=parsed_minimal, images=child)).escalate


def test_an_unreadable_face_beside_a_first_stage_score_is_never_allowed():
    """Fail closed: a photo whose faces could not be read may show a minor, so the score kept
    apart for a possible minor (``intent.unread_sexual``) meets an unknown fact: held for review."""
    unseen = image(ImageRole.SOURCE, faces_ok=False)
    out = decide("edit", SignalSet(intent=foreign(intent(revealing_clothing=0.71)), images=[unseen]))
    assert out.decision is Decision.REVIEW


def test_a_reading_that_changes_no_ones_coverage_silences_the_first_stage_on_foreign_text():
    """``intent_explained_unread`` (1.0, pack 2026.12.7): "coloca uma camiseta por cima do biquíni
    dela" (a t-shirt over her bikini) is explained by the parser; the first stage said 0.98."""
    adult = [image(ImageRole.SOURCE)]
    covered = foreign(intent(revealing_clothing=0.98), explained=True)
    assert decide("edit", SignalSet(intent=covered, images=adult)).decision is Decision.ALLOW
    # On English text the encoder checks the first stage: the explained bar (0.95) still applies.
    english = intent(revealing_clothing=0.98).model_copy(update={"semantics": EditSemantics(person=True, explained=True)})
    assert decide("edit", SignalSet(intent=english, images=adult)).decision is Decision.BLOCK
    # What the parser found is never silenced: a minimal garment on foreign text still refuses.
    parsed = foreign(intent(revealing_clothing=0.1), coverage=1, garments=["swimwear"])
    assert decide("edit", SignalSet(intent=parsed, images=adult)).decision is Decision.BLOCK


def test_clothing_made_see_through_is_nudity_for_generation():
    """``text.see_through`` (pack 2026.12.7): swimwear on a generic adult may be generated; a wet,
    see-through t-shirt shows what it covers."""
    wet = intent().model_copy(update={"semantics": EditSemantics(person=True, coverage=1, operations=["sheer"], garments=["top"])})
    assert decide("generate", SignalSet(intent=wet)).reasons == ["SEXUAL_CONTENT"]
    swim = intent().model_copy(update={"semantics": EditSemantics(person=True, coverage=1, garments=["swimwear"])})
    assert decide("generate", SignalSet(intent=swim)).decision is Decision.ALLOW
