"""Score prompt screening on labelled rows: the intent model and the keyword baseline, same rows.

The decision rule is the policy's: block when the highest sexual-category score reaches the
threshold. ``review`` rows are left out of recall and false-positive rate. Per data-set
category the report gives recall (``block`` categories) or false-positive rate (``allow``
categories), precision over all scored rows, and the confusion (true/false positives/negatives).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from genguard.detectors.intent import SEXUAL_CATEGORIES, IntentDetector
from genguard.detectors.intent.keywords import VERSION as KEYWORD_VERSION
from genguard.detectors.intent.keywords import keyword_signal
from genguard.eval.data import PromptRow, is_holdout
from genguard.eval.metrics import Rate
from genguard.signals import IntentSignal

Decide = Callable[[str], bool]


@dataclass(frozen=True)
class SystemReport:
    name: str
    threshold: float
    per_category: dict[str, dict[str, object]]
    confusion: dict[str, int]
    recall: Rate
    precision: Rate
    fpr: Rate

    def as_dict(self) -> dict[str, object]:
        return {
            "system": self.name,
            "threshold": self.threshold,
            "recall": self.recall.as_dict(),
            "precision": self.precision.as_dict(),
            "fpr": self.fpr.as_dict(),
            "confusion": self.confusion,
            "per_category": self.per_category,
        }


def blocks(signal: IntentSignal, threshold: float) -> bool:
    """The policy's block rule on an intent signal."""
    return max(signal.score(c) for c in SEXUAL_CATEGORIES) >= threshold


def evaluate(rows: Iterable[PromptRow], name: str, threshold: float, decide: Decide) -> SystemReport:
    """Decide every non-review row and aggregate per category and overall."""
    stats: dict[str, dict[str, int]] = {}
    for row in rows:
        if row.label == "review":
            continue
        predicted = decide(row.text)
        key = "tp" if row.label == "block" and predicted else "fn" if row.label == "block" else "fp" if predicted else "tn"
        bucket = stats.setdefault(row.category, {"label": row.label == "block", "tp": 0, "fn": 0, "fp": 0, "tn": 0})  # type: ignore[dict-item]
        bucket[key] += 1
        if any(f.startswith("sexual_term:") for f in row.flags):
            hard = stats.setdefault("hard_negative(sexual_term)", {"label": False, "tp": 0, "fn": 0, "fp": 0, "tn": 0})  # type: ignore[dict-item]
            hard[key] += 1
    totals = {k: sum(b[k] for c, b in stats.items() if not c.startswith("hard_")) for k in ("tp", "fn", "fp", "tn")}
    per_category: dict[str, dict[str, object]] = {}
    for category, b in sorted(stats.items()):
        entry: dict[str, object] = {"label": "block" if b["label"] else "allow", "rows": b["tp"] + b["fn"] + b["fp"] + b["tn"]}
        if b["label"]:
            entry["recall"] = Rate(b["tp"], b["tp"] + b["fn"]).as_dict()
            # Precision of the category's hits against every false positive of the run.
            entry["precision"] = Rate(b["tp"], b["tp"] + totals["fp"]).as_dict()
        else:
            entry["fpr"] = Rate(b["fp"], b["fp"] + b["tn"]).as_dict()
        entry["confusion"] = {k: b[k] for k in ("tp", "fn", "fp", "tn")}
        per_category[category] = entry
    return SystemReport(
        name=name,
        threshold=threshold,
        per_category=per_category,
        confusion=totals,
        recall=Rate(totals["tp"], totals["tp"] + totals["fn"]),
        precision=Rate(totals["tp"], totals["tp"] + totals["fp"]),
        fpr=Rate(totals["fp"], totals["fp"] + totals["tn"]),
    )


def compare(rows: list[PromptRow], detector: IntentDetector | None = None) -> dict[str, object]:
    """Model and keyword baseline on the full rows and on the held-out split, in one run."""
    detector = detector or IntentDetector()
    threshold = detector.threshold
    cache: dict[str, bool] = {}

    def model_decide(text: str) -> bool:
        if text not in cache:
            cache[text] = blocks(detector.detect(text, []), threshold)
        return cache[text]

    def keyword_decide(text: str) -> bool:
        return blocks(keyword_signal(text), 0.5)

    holdout = [r for r in rows if is_holdout(r.text)]
    report: dict[str, object] = {"rows": len(rows), "holdout_rows": len(holdout), "splits": {}}
    for split, subset in (("all", rows), ("holdout", holdout)):
        report["splits"][split] = {  # type: ignore[index]
            detector.version: evaluate(subset, detector.version, threshold, model_decide).as_dict(),
            KEYWORD_VERSION: evaluate(subset, KEYWORD_VERSION, 0.5, keyword_decide).as_dict(),
        }
    return report
