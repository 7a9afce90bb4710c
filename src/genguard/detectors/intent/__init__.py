"""Prompt intent detection: normaliser, lexicon evidence and a learned multilingual model.

``IntentDetector`` scores the current instruction *and* the conversation so far (history plus
the instruction), because an edit chain can reach an undressing in steps that are each mild
("a summer outfit", "shorter", "less fabric"). The signal keeps the higher of the two per
category, and the evidence says which view produced it.
"""

from __future__ import annotations

from typing import ClassVar

from genguard.config import Settings
from genguard.detectors.base import TextDetector
from genguard.detectors.intent.lexicon import match
from genguard.detectors.intent.normalise import normalise
from genguard.errors import RequestError
from genguard.signals import IntentCategory, IntentSignal

#: Categories whose maximum decides "block" (the policy's rule); minor and real-person
#: references are context that the policy combines with these, never a block on their own.
SEXUAL_CATEGORIES: tuple[IntentCategory, ...] = (
    IntentCategory.UNDRESS,
    IntentCategory.REVEALING_CLOTHING,
    IntentCategory.SHEER_WET,
    IntentCategory.BODY_SEXUALISATION,
    IntentCategory.SEXUAL_POSE,
    IntentCategory.EXPLICIT_SEXUAL,
)

#: How many earlier instructions the conversation view reads; older steps rarely matter and
#: an unbounded history would make the cost of a request grow without limit.
HISTORY_WINDOW = 8


def _lexicon_scores(normalised: str) -> tuple[dict[IntentCategory, float], dict[IntentCategory, list[str]]]:
    """Noisy-or of lexicon hits: one term gives 0.8, two 0.96."""
    hits = match(normalised)
    scores = {category: 0.0 for category in IntentCategory}
    evidence: dict[IntentCategory, list[str]] = {}
    for hit in hits:
        scores[hit.category] = 1.0 - (1.0 - scores[hit.category]) * 0.2
        evidence.setdefault(hit.category, []).append(f"term:{hit.term}")
    return scores, evidence


class IntentDetector(TextDetector):
    """Multilingual, obfuscation-aware intent scores for an image request's text."""

    version: ClassVar[str] = "intent-lexicon-v1"
    #: Block when the highest sexual-category score reaches this (see docs/intent.md).
    threshold: ClassVar[float] = 0.5

    def __init__(self, settings: Settings | None = None) -> None:
        super().__init__()
        self._settings = settings or Settings()

    def detect(self, text: str, history: list[str]) -> IntentSignal:
        """Score ``text`` alone and together with the last ``HISTORY_WINDOW`` history entries."""
        self._validate(text, history)
        self.load()
        current = normalise(text)
        scores, evidence = _lexicon_scores(current)
        evidence = {c: [f"current:{e}" for e in v] for c, v in evidence.items()}
        if history:
            conversation = normalise(" \n ".join([*history[-HISTORY_WINDOW:], text]))
            conv_scores, conv_evidence = _lexicon_scores(conversation)
            for category, value in conv_scores.items():
                if value > scores[category]:
                    scores[category] = value
                evidence.setdefault(category, []).extend(
                    f"conversation:{e}" for e in conv_evidence.get(category, [])
                )
        return IntentSignal(
            scores=scores,
            evidence={c: v for c, v in evidence.items() if v},
            normalised_text=current,
            model=self.version,
        )

    def _validate(self, text: object, history: object) -> None:
        """Reject malformed input with a clear code instead of scoring something else."""
        if not isinstance(text, str):
            raise RequestError("prompt text must be a string", code="intent_text_type")
        if len(text) > self._settings.max_text_chars:
            raise RequestError(
                f"prompt text longer than {self._settings.max_text_chars} characters",
                code="intent_text_too_long",
            )
        if not isinstance(history, list) or not all(isinstance(h, str) for h in history):
            raise RequestError("history must be a list of strings", code="intent_history_type")
        if len(history) > self._settings.max_history:
            raise RequestError(
                f"history longer than {self._settings.max_history} entries",
                code="intent_history_too_long",
            )
        if any(len(h) > self._settings.max_text_chars for h in history):
            raise RequestError("a history entry is too long", code="intent_text_too_long")


__all__ = ["HISTORY_WINDOW", "SEXUAL_CATEGORIES", "IntentDetector"]
