"""Rule evaluation: most severe wins, reasons are the union, unknown never becomes allow."""

from genguard.policy.engine import evaluate, may_hold
from genguard.policy.pack import PolicyPack, load_pack
from genguard.request import RequestKind
from genguard.verdict import Decision

PACK = PolicyPack.from_toml(
    """
[pack]
name = "t"
version = "1"
[thresholds]
t = 0.5
[fail_closed]
decision = "review"
[[rules]]
id = "block.a"
kinds = ["edit"]
when = ["source.person == true", "intent.undress >= $t"]
decision = "block"
reasons = ["A"]
escalate = true
[[rules]]
id = "review.b"
kinds = ["edit", "generate"]
any = ["intent.sheer_wet >= $t", "intent.sexual_pose >= $t"]
decision = "review"
reasons = ["B"]
"""
)


def test_no_rule_fires_allows():
    out = evaluate(PACK, RequestKind.EDIT, {"source.person": True, "intent.undress": 0.1,
                                            "intent.sheer_wet": 0.0, "intent.sexual_pose": 0.0}, [])
    assert out.decision is Decision.ALLOW and out.reasons == [] and out.rule is None


def test_most_severe_wins_and_reasons_union():
    facts = {"source.person": True, "intent.undress": 0.9, "intent.sheer_wet": 0.7, "intent.sexual_pose": 0}
    out = evaluate(PACK, RequestKind.EDIT, facts, [])
    assert out.decision is Decision.BLOCK
    assert out.rule == "block.a"
    assert out.reasons == ["A", "B"]
    assert out.escalate
    assert out.hits[0].facts == {"source.person": True, "intent.undress": 0.9}


def test_rules_apply_only_to_their_kinds():
    facts = {"source.person": True, "intent.undress": 0.9, "intent.sheer_wet": 0, "intent.sexual_pose": 0}
    assert evaluate(PACK, RequestKind.GENERATE, facts, []).decision is Decision.ALLOW


def test_unknown_fact_that_could_block_fails_closed():
    # Face detector failed: source.person unknown; the undress intent alone cannot be ruled safe.
    facts = {"source.person": None, "intent.undress": 0.9, "intent.sheer_wet": 0, "intent.sexual_pose": 0}
    out = evaluate(PACK, RequestKind.EDIT, facts, [])
    assert out.decision is Decision.REVIEW
    assert "DETECTOR_UNAVAILABLE" in out.reasons
    assert out.escalate  # the unknown rule would have escalated


def test_known_false_beats_unknown_in_and():
    facts = {"source.person": None, "intent.undress": 0.0, "intent.sheer_wet": 0, "intent.sexual_pose": 0}
    out = evaluate(PACK, RequestKind.EDIT, facts, [])
    assert out.decision is Decision.ALLOW


def test_any_detector_failure_is_never_allow():
    facts = {"source.person": True, "intent.undress": 0.0, "intent.sheer_wet": 0, "intent.sexual_pose": 0}
    out = evaluate(PACK, RequestKind.EDIT, facts, ["faces"])
    assert out.decision is Decision.REVIEW
    assert out.reasons == ["DETECTOR_UNAVAILABLE"]
    assert out.hits[-1].facts == {"unavailable.faces": True}


def test_block_still_wins_over_fail_closed_review():
    facts = {"source.person": True, "intent.undress": 0.9, "intent.sheer_wet": 0, "intent.sexual_pose": 0}
    out = evaluate(PACK, RequestKind.EDIT, facts, ["nudity"])
    assert out.decision is Decision.BLOCK
    assert out.reasons == ["A", "DETECTOR_UNAVAILABLE"]


def test_any_with_all_unknown_is_unknown():
    facts = {"intent.sheer_wet": None, "intent.sexual_pose": None}
    out = evaluate(PACK, RequestKind.GENERATE, facts, [])
    assert out.decision is Decision.REVIEW and out.reasons == ["DETECTOR_UNAVAILABLE"]


CONDITIONAL = PolicyPack.from_toml(
    """
[pack]
name = "c"
version = "1"
[[rules]]
id = "minor"
kinds = ["edit"]
when = ["source.possible_minor == true"]
decision = "block"
reasons = ["POSSIBLE_MINOR"]
escalate_if = ["source.likely_minor == true"]
escalate_reasons = ["SEXUALISED_MINOR"]
"""
)


def test_escalate_if_decides_escalation_and_its_reasons():
    def run(likely):
        return evaluate(CONDITIONAL, RequestKind.EDIT, {"source.possible_minor": True, "source.likely_minor": likely}, [])

    possible, likely = run(False), run(True)
    assert possible.decision is likely.decision is Decision.BLOCK
    assert possible.reasons == ["POSSIBLE_MINOR"] and not possible.escalate
    assert likely.reasons == ["SEXUALISED_MINOR"] and likely.escalate
    assert run(None).reasons == ["POSSIBLE_MINOR"]  # a rule that holds escalates only on a known condition


def test_unknown_rule_with_unknown_escalation_condition_escalates_to_a_human():
    out = evaluate(CONDITIONAL, RequestKind.EDIT, {"source.possible_minor": None, "source.likely_minor": None}, [])
    assert out.decision is Decision.REVIEW and out.escalate
    out = evaluate(CONDITIONAL, RequestKind.EDIT, {"source.possible_minor": None, "source.likely_minor": False}, [])
    assert out.decision is Decision.REVIEW and not out.escalate


# --- may_hold: whether a costly step that can only change some facts can change the verdict ----

UNKNOWN_UNDRESS = frozenset({"intent.undress"})


def test_may_hold_is_false_once_another_condition_of_every_reading_rule_is_false():
    assert may_hold(PACK, RequestKind.EDIT, {"source.person": True}, UNKNOWN_UNDRESS) is True
    assert may_hold(PACK, RequestKind.EDIT, {"source.person": False}, UNKNOWN_UNDRESS) is False


def test_may_hold_takes_absent_facts_as_unknown_and_ignores_other_kinds():
    assert may_hold(PACK, RequestKind.EDIT, {}, UNKNOWN_UNDRESS) is True  # source.person unknown
    assert may_hold(PACK, RequestKind.GENERATE, {"source.person": True}, UNKNOWN_UNDRESS) is False


def test_may_hold_with_the_default_pack_needs_intimate_evidence_beside_a_name():
    pack = load_pack("uk-osa")
    person = frozenset({"intent.real_person_reference", "text.named_person"})
    benign = {"intent.intimate": 0.1, "intent.explicit_sexual": 0.1, "text.coverage": 3.0,
              "text.body_focus": False, "text.suggestive": False, "text.explicit": False}
    for kind in (RequestKind.GENERATE, RequestKind.EDIT):
        assert may_hold(pack, kind, benign, person) is False  # a name alone never needs the tagger
        assert may_hold(pack, kind, {**benign, "intent.intimate": 0.9}, person) is True
        assert may_hold(pack, kind, {**benign, "text.coverage": 1.0}, person) is True  # "X in a bikini"