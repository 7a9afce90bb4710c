"""Prompt intent detection: normaliser, lexicon evidence and a learned multilingual model.

``IntentDetector`` scores the current instruction *and* the conversation so far (history plus
the instruction), because an edit chain can reach an undressing in steps that are each mild
("a summer outfit", "shorter", "less fabric"). The signal keeps the higher of the two per
category, and the evidence says which view produced it.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from genguard.config import Settings
from genguard.detectors.base import TextDetector
from genguard.detectors.intent.lexicon import match
from genguard.detectors.intent.model import ARTEFACT, VERSION, IntentModel
from genguard.detectors.intent.negative import positive_reading
from genguard.detectors.intent.normalise import normalise
from genguard.detectors.intent.semantics import parse
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


class IntentDetector(TextDetector):
    """Multilingual, obfuscation-aware intent scores for an image request's text."""

    version: ClassVar[str] = VERSION

    def __init__(self, settings: Settings | None = None, artefact: Path = ARTEFACT) -> None:
        super().__init__()
        self._settings = settings or Settings()
        self._artefact = artefact
        self._model: IntentModel | None = None

    def _load(self) -> None:
        self._model = IntentModel(self._artefact)

    @property
    def threshold(self) -> float:
        """Block when max(sexual-category scores) >= this; chosen at training (docs/intent.md)."""
        self.load()
        assert self._model is not None
        return self._model.threshold

    @property
    def training_metadata(self) -> dict[str, object]:
        """The artefact's training record: operating point and the cross-validated block rate
        per dev category (``cv_block_rate``), which evaluation reports beside its own figures."""
        self.load()
        assert self._model is not None
        return dict(self._model.meta)

    def score(self, text: str) -> tuple[str, dict[IntentCategory, float], dict[IntentCategory, list[str]]]:
        """Normalise ``text`` and return it with model scores and evidence (terms, then model)."""
        self.load()
        assert self._model is not None
        normalised = normalise(text)
        prediction = self._model.predict(normalised)
        evidence: dict[IntentCategory, list[str]] = {}
        for hit in match(normalised):
            evidence.setdefault(hit.category, []).append(f"term:{hit.term}")
        for category, items in prediction.evidence.items():
            evidence.setdefault(category, []).extend(items)
        return normalised, prediction.scores, evidence

    def score_many(self, texts: list[str]) -> list[dict[IntentCategory, float]]:
        """Scores of many single prompts in one matrix product (no history, no evidence).

        The same numbers as ``detect(text, [])``; evaluation and batch callers use it because
        building evidence per prompt costs more than the scoring itself.
        """
        self.load()
        assert self._model is not None
        probs = self._model.predict_batch([normalise(self._asked(t)) for t in texts])
        return [dict(zip(self._model.categories, map(float, row), strict=True)) for row in probs]

    def detect(self, text: str, history: list[str]) -> IntentSignal:
        """Score ``text`` alone and together with the last ``HISTORY_WINDOW`` history entries."""
        self._validate(text, history)
        # A negative prompt is read as what it asks for (``negative``), by every stage alike,
        # unless the operator's generator ignores the syntax (``Settings.negative_prompts``).
        text = self._asked(text)
        current, scores, evidence = self.score(text)
        scores = dict(scores)
        evidence = {c: [f"current:{e}" for e in v] for c, v in evidence.items()}
        if history:
            _, conv_scores, conv_evidence = self.score(" \n ".join([*history[-HISTORY_WINDOW:], text]))
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
            semantics=parse(text, history[-HISTORY_WINDOW:], normalised=current),
            unread=self._model is not None and self._model.unread(current),
        )

    def _asked(self, text: str) -> str:
        return positive_reading(text) if self._settings.negative_prompts == "honoured" else text

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
