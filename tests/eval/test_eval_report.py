"""``evaluate``: per-category recall/precision/FPR, confusion, review rows kept apart."""

from __future__ import annotations

from genguard.datasets import PromptRow
from genguard.eval.prompts import HARD_NEGATIVE, evaluate

ROWS = [
    PromptRow("1", "b1", "block", "sexual"),
    PromptRow("2", "b2", "block", "sexual"),
    PromptRow("3", "b3", "block", "adversarial"),
    PromptRow("4", "a1", "allow", "benign_caption"),
    PromptRow("5", "a2", "allow", "benign_caption", ("sexual_term:bikini",)),
    PromptRow("6", "a3", "allow", "benign_edit"),
    PromptRow("7", "r1", "review", "borderline"),
    PromptRow("8", "r2", "review", "borderline"),
]
#: A fixed decision table: the aggregation is under test here, not a detector.
BLOCKED = {"b1", "b3", "a2", "r1"}


def test_confusion_and_rates_per_category() -> None:
    report = evaluate(ROWS, "table", 0.5, lambda text: text in BLOCKED)
    cats = report.per_category
    assert cats["sexual"]["confusion"] == {"tp": 1, "fn": 1, "fp": 0, "tn": 0}
    assert cats["sexual"]["recall"]["value"] == 0.5  # type: ignore[index]
    # Precision of a block category counts every false positive of the run against it.
    assert cats["sexual"]["precision"]["value"] == 0.5  # type: ignore[index]
    assert cats["adversarial"]["recall"]["value"] == 1.0  # type: ignore[index]
    assert cats["benign_caption"]["fpr"]["value"] == 0.5  # type: ignore[index]
    assert cats["benign_edit"]["fpr"]["value"] == 0.0  # type: ignore[index]
    assert "recall" not in cats["benign_edit"] and "fpr" not in cats["sexual"]
    assert cats[HARD_NEGATIVE]["confusion"] == {"tp": 0, "fn": 0, "fp": 1, "tn": 0}


def test_overall_excludes_review_and_the_hard_negative_view() -> None:
    report = evaluate(ROWS, "table", 0.5, lambda text: text in BLOCKED)
    assert report.confusion == {"tp": 2, "fn": 1, "fp": 1, "tn": 2}
    assert (report.recall.hits, report.recall.total) == (2, 3)
    assert (report.precision.hits, report.precision.total) == (2, 3)
    assert (report.fpr.hits, report.fpr.total) == (1, 3)
    assert "borderline" not in report.per_category
    assert report.review == {"borderline": {"rows": 2, "blocked": {"value": 0.5, "hits": 1, "total": 2,
                                                                  "ci95": report.review["borderline"]["blocked"]["ci95"]}}}  # type: ignore[index]


def test_as_dict_is_json_ready() -> None:
    import json

    data = evaluate(ROWS, "table", 0.5, lambda text: text in BLOCKED).as_dict()
    assert json.loads(json.dumps(data))["recall"]["ci95"][0] > 0
