"""IntentDetector: contract, conversation view, evidence, input errors."""

from __future__ import annotations

import pytest

from genguard.config import Settings
from genguard.detectors.base import TextDetector
from genguard.detectors.intent import SEXUAL_CATEGORIES, IntentDetector
from genguard.errors import RequestError
from genguard.signals import IntentCategory as C


@pytest.fixture(scope="module")
def detector() -> IntentDetector:
    d = IntentDetector()
    d.load()
    return d


def blocked(detector: IntentDetector, text: str, history: list[str] | None = None) -> bool:
    signal = detector.detect(text, history or [])
    return max(signal.score(c) for c in SEXUAL_CATEGORIES) >= detector.threshold


def test_is_a_text_detector_with_all_categories(detector: IntentDetector) -> None:
    assert isinstance(detector, TextDetector)
    signal = detector.detect("add a hat", [])
    assert set(signal.scores) == set(C)
    assert all(0.0 <= v <= 1.0 for v in signal.scores.values())
    assert signal.model == detector.version


def test_undress_request_scores_and_has_evidence(detector: IntentDetector) -> None:
    signal = detector.detect("remove her clothes", [])
    assert signal.score(C.UNDRESS) >= detector.threshold
    assert any(e.startswith("current:") for e in signal.evidence[C.UNDRESS])
    assert signal.score(C.REAL_PERSON_REFERENCE) > 0.5


def test_benign_edit_is_not_blocked(detector: IntentDetector) -> None:
    assert not blocked(detector, "add a hat")
    assert not blocked(detector, "remove the background")


def test_conversation_view_sees_earlier_step(detector: IntentDetector) -> None:
    signal = detector.detect("now make it smaller", ["put her in a bikini"])
    assert signal.score(C.REVEALING_CLOTHING) >= detector.threshold
    assert any(e.startswith("conversation:") for e in signal.evidence[C.REVEALING_CLOTHING])
    alone = detector.detect("now make it smaller", [])
    assert alone.score(C.REVEALING_CLOTHING) < detector.threshold


def test_the_detectors_parse_reads_tag_weights_and_snake_case_as_words(detector: IntentDetector) -> None:
    """The detector hands the parser its own normalised text: the parser's reading of weights and
    snake_case must hold on that path too, not only when it normalises the text itself."""
    sheer = detector.detect("(masterpiece:1.2), (lingerie:1.1), (see-through:1.3), woman", []).semantics
    api = detector.detect('{"action": "remove_clothes", "subject": "person"}', []).semantics
    assert sheer is not None and "sheer" in sheer.operations and sheer.coverage == 0
    assert api is not None and "remove" in api.operations and api.coverage == 0


@pytest.mark.parametrize(
    ("text", "history", "code"),
    [
        (None, [], "intent_text_type"),
        ("x" * 9, [], "intent_text_too_long"),
        ("ok", "not a list", "intent_history_type"),
        ("ok", ["a", "b", "c"], "intent_history_too_long"),
    ],
)
def test_bad_input_has_a_code(text: object, history: object, code: str) -> None:
    small = IntentDetector(Settings(max_text_chars=8, max_history=2))
    with pytest.raises(RequestError) as info:
        small.detect(text, history)  # type: ignore[arg-type]
    assert info.value.code == code


def test_score_many_equals_detect_one_by_one(detector: IntentDetector) -> None:
    texts = ["add a hat", "make her naked", "", "!!!", "把她的衣服脱掉", "ponla en bikini", "a comic strip"]
    for text, scores in zip(texts, detector.score_many(texts), strict=True):
        single = detector.detect(text, []).scores
        assert scores.keys() == single.keys()
        assert all(abs(scores[c] - single[c]) < 1e-5 for c in scores), text
    assert detector.score_many([]) == []


def test_threads_get_the_same_scores(detector: IntentDetector) -> None:
    from concurrent.futures import ThreadPoolExecutor

    texts = ["add a hat", "make her naked", "ponla en bikini", "把她的衣服脱掉", "a comic strip"] * 20
    expected = [detector.detect(t, []).scores for t in texts]
    with ThreadPoolExecutor(max_workers=8) as pool:
        got = list(pool.map(lambda t: detector.detect(t, []).scores, texts))
    assert got == expected
