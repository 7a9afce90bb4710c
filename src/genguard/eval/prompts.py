"""Score prompt screening on labelled rows: the intent model and the keyword baseline, same rows.

The decision rule is the policy's: block when the highest sexual-category score reaches the
threshold. ``review`` rows are left out of recall, precision and false-positive rate; each
system's block rate on them is reported separately (they await a policy decision, so neither
answer is "correct"). Per data-set category the report gives recall and precision (``block``
categories) or the false-positive rate (``allow`` categories), each with a Wilson 95 % interval,
and the confusion counts.

Every report is computed twice: on all rows, and on the rows of the salted-hash holdout split
(``genguard.datasets.is_holdout``), which the committed model never saw in training. On the
shared development set only the holdout numbers estimate performance on unseen prompts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, cast

from genguard.detectors.intent import SEXUAL_CATEGORIES, IntentDetector
from genguard.detectors.intent.keywords import VERSION as KEYWORD_VERSION
from genguard.detectors.intent.keywords import keyword_signal
from genguard.datasets import PromptRow, is_holdout
from genguard.eval.metrics import Rate
from genguard.signals import IntentSignal

Decide = Callable[[str], bool]
#: Pseudo-category for benign rows whose text carries a sexual screening word (data-set flag).
HARD_NEGATIVE = "hard_negative(sexual_term)"
_OUTCOMES = ("tp", "fn", "fp", "tn")


@dataclass(frozen=True)
class SystemReport:
    name: str
    threshold: float
    per_category: dict[str, dict[str, object]]
    confusion: dict[str, int]
    review: dict[str, dict[str, object]]

    @property
    def recall(self) -> Rate:
        return Rate(self.confusion["tp"], self.confusion["tp"] + self.confusion["fn"])

    @property
    def precision(self) -> Rate:
        return Rate(self.confusion["tp"], self.confusion["tp"] + self.confusion["fp"])

    @property
    def fpr(self) -> Rate:
        return Rate(self.confusion["fp"], self.confusion["fp"] + self.confusion["tn"])

    def as_dict(self) -> dict[str, object]:
        return {
            "system": self.name,
            "threshold": self.threshold,
            "recall": self.recall.as_dict(),
            "precision": self.precision.as_dict(),
            "fpr": self.fpr.as_dict(),
            "confusion": self.confusion,
            "per_category": self.per_category,
            "review": self.review,
        }


def blocks(signal: IntentSignal, threshold: float) -> bool:
    """The policy's block rule on an intent signal."""
    return max(signal.score(c) for c in SEXUAL_CATEGORIES) >= threshold


def _outcome(label: str, predicted: bool) -> str:
    if label == "block":
        return "tp" if predicted else "fn"
    return "fp" if predicted else "tn"


def evaluate(rows: Iterable[PromptRow], name: str, threshold: float, decide: Decide) -> SystemReport:
    """Decide every row and aggregate per category, overall, and (separately) over review rows."""
    stats: dict[str, dict[str, int]] = {}
    labels: dict[str, str] = {}
    review: dict[str, list[int]] = {}
    for row in rows:
        predicted = decide(row.text)
        if row.label == "review":
            counts = review.setdefault(row.category, [0, 0])
            counts[0] += predicted
            counts[1] += 1
            continue
        key = _outcome(row.label, predicted)
        labels.setdefault(row.category, row.label)
        stats.setdefault(row.category, dict.fromkeys(_OUTCOMES, 0))[key] += 1
        if any(f.startswith("sexual_term:") for f in row.flags):
            labels[HARD_NEGATIVE] = "allow"
            stats.setdefault(HARD_NEGATIVE, dict.fromkeys(_OUTCOMES, 0))[key] += 1
    totals = {k: sum(b[k] for c, b in stats.items() if c != HARD_NEGATIVE) for k in _OUTCOMES}
    per_category: dict[str, dict[str, object]] = {}
    for category, b in sorted(stats.items()):
        entry: dict[str, object] = {"label": labels[category], "rows": sum(b.values())}
        if labels[category] == "block":
            entry["recall"] = Rate(b["tp"], b["tp"] + b["fn"]).as_dict()
            # Precision of this category's hits against every false positive of the run.
            entry["precision"] = Rate(b["tp"], b["tp"] + totals["fp"]).as_dict()
        else:
            entry["fpr"] = Rate(b["fp"], b["fp"] + b["tn"]).as_dict()
        entry["confusion"] = dict(b)
        per_category[category] = entry
    return SystemReport(
        name=name,
        threshold=threshold,
        per_category=per_category,
        confusion=totals,
        review={c: {"rows": n, "blocked": Rate(hit, n).as_dict()} for c, (hit, n) in sorted(review.items())},
    )


def compare(rows: list[PromptRow], detector: IntentDetector | None = None) -> dict[str, object]:
    """Model and keyword baseline on all rows and on the held-out split, in one run."""
    detector = detector or IntentDetector()
    threshold = detector.threshold
    texts = sorted({r.text for r in rows})
    blocked = {
        text: max(scores[c] for c in SEXUAL_CATEGORIES) >= threshold
        for text, scores in zip(texts, detector.score_many(texts), strict=True)
    }

    def model_decide(text: str) -> bool:
        return blocked[text]

    holdout = [r for r in rows if is_holdout(r.text)]
    splits: dict[str, dict[str, object]] = {}
    for split, subset in (("all", rows), ("holdout", holdout)):
        splits[split] = {
            "rows": len(subset),
            "model": evaluate(subset, detector.version, threshold, model_decide).as_dict(),
            "baseline": evaluate(subset, KEYWORD_VERSION, 0.5, keyword_decide).as_dict(),
        }
    return {"model": detector.version, "baseline": KEYWORD_VERSION, "rows": len(rows), "splits": splits,
            "cross_validated": committed_cv(detector)}


def keyword_decide(text: str) -> bool:
    """The keyword baseline's block decision."""
    return blocks(keyword_signal(text), 0.5)


def committed_cv(detector: IntentDetector) -> dict[str, dict[str, object]]:
    """The committed model's out-of-fold block rate per dev category (both stages, recorded at
    training on the dev set's training rows): recall for block categories, FPR for allow ones."""
    recorded = cast(dict[str, dict[str, Any]], detector.training_metadata.get("cv_block_rate", {}))
    return {
        category: Rate(int(entry["blocked"]), int(entry["rows"])).as_dict()
        for category, entry in sorted(recorded.items())
    }
