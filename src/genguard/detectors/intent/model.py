"""Run-time inference of the intent model: numpy only, loaded once, read-only after loading.

The artefact is an ``.npz`` (read with ``allow_pickle=False``) holding one logistic-regression
weight column per category over hashed features, Platt calibration per category and the block
threshold chosen at training time. Scoring a prompt is a gather and a sum over its few hundred
active columns, so it takes well under a millisecond of numpy time.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np

from genguard.detectors.intent.embedding import token_embedding
from genguard.detectors.intent.encoder import IntentEncoder, encoder_sha256, intent_encoder
from genguard.detectors.intent.features import N_FEATURES, feature_names, vectorise_columns
from genguard.detectors.intent.lexicon import match
from genguard.detectors.intent.render_tags import without_render_tags
from genguard.errors import GenguardError
from genguard.signals import IntentCategory

ARTEFACT = Path(__file__).with_name("intent_model.npz")
ARTEFACT_SHA256 = ARTEFACT.with_suffix(".npz.sha256")
#: The committed artefact's version: written into it by training, reported on every signal.
VERSION = "intent-hashlr-wl-v12-enc"
#: The six categories of sexual content (the block decision); the others are context.
SEXUAL: tuple[IntentCategory, ...] = tuple(IntentCategory)[:6]
#: Feature strings reported as evidence per category (largest positive contributions).
EVIDENCE_TOP = 3
#: What the second stage did to a prediction (``IntentModel._second_stage``).
Stage = Literal["raised", "unconfirmed"] | None


class ModelArtefactError(GenguardError):
    """The model file is missing, altered (sha256 mismatch) or of an unexpected shape."""

    code = "intent_model_invalid"
    status = 500


@dataclass(frozen=True)
class Prediction:
    scores: dict[IntentCategory, float]
    evidence: dict[IntentCategory, list[str]]


class IntentModel:
    """Immutable weights plus ``predict``; safe to share between threads."""

    def __init__(self, path: Path = ARTEFACT, *, verify: bool = True) -> None:
        if not path.is_file():
            raise ModelArtefactError(f"intent model not found at {path}", code="intent_model_missing")
        data = path.read_bytes()
        if verify:
            expected = _expected_sha256(path)
            if hashlib.sha256(data).hexdigest() != expected:
                raise ModelArtefactError(f"{path.name} does not match its sha256 file")
        with np.load(path, allow_pickle=False) as npz:
            self.weights = np.ascontiguousarray(npz["weights"], dtype=np.float32)
            self.bias = npz["bias"].astype(np.float32)
            self.platt = npz["platt"].astype(np.float64)
            self.categories = tuple(IntentCategory(str(c)) for c in npz["categories"])
            self.meta: dict[str, object] = json.loads(str(npz["meta"]))
        if self.weights.shape != (N_FEATURES, len(self.categories)) or set(self.categories) != set(
            IntentCategory
        ):
            raise ModelArtefactError(f"{path.name} has shape {self.weights.shape}, expected features x categories")
        self.weights.setflags(write=False)
        self.threshold = float(self.meta["threshold"])  # type: ignore[arg-type]
        self.version = str(self.meta["version"])
        if self.meta.get("embedding_sha256") != token_embedding().sha256:
            raise ModelArtefactError(
                f"{path.name} was trained with other WordLlama token vectors than the installed ones"
            )
        self._sexual = [self.categories.index(c) for c in SEXUAL]
        self._umbrella = self.categories.index(IntentCategory.EXPLICIT_SEXUAL)
        self.encoder: IntentEncoder | None = None
        self._agree = 0.0
        stage = self.meta.get("encoder")
        if stage is not None:  # a second stage the artefact was calibrated with must be there
            self.encoder = intent_encoder()
            if stage["sha256"] != encoder_sha256():  # type: ignore[index]
                raise ModelArtefactError(f"{path.name} was calibrated with another intent encoder")
            # The first stage's stored scores are shifted so that 0.5 is the operating point;
            # the gate is a calibrated (unshifted) score, the encoder's cut maps to 0.5.
            self._gate_logit = _logit(float(stage["gate"])) - _logit(float(stage["operating_point"]))  # type: ignore[index]
            # Since v11 text aimed at someone (``speaks_for_itself``) has a lower gate of its own.
            self._person_gate_logit = _logit(float(stage["gate_person"])) - _logit(float(stage["operating_point"]))  # type: ignore[index]
            self._cut_logit = _logit(float(stage["cut"]))  # type: ignore[index]
            # Since v11: the encoder score below which it does not confirm a first-stage block of
            # text that names no sexual term, person or child.
            self._agree = float(stage["agree"])  # type: ignore[index]

    def predict_batch(self, normalised: list[str]) -> np.ndarray:
        """Calibrated probabilities (texts x categories) for many texts in one matrix product.

        Same numbers as ``predict`` (tests check it); used where only the scores matter
        (evaluation, batch screening), without the per-text evidence.
        """
        subjects = [without_render_tags(text) for text in normalised]
        probs = self._read_without_tags(normalised, subjects, self._first_stage(normalised))
        for row, text in enumerate(normalised):
            self._second_stage(text, subjects[row], probs[row])
        return probs

    def _read_without_tags(self, normalised: list[str], subjects: list[str], probs: np.ndarray) -> np.ndarray:
        """``probs`` raised to the first stage's scores of the prompts without their render tags.

        Tags dilute the first stage's averaged features ("nymphettes, shot on Fujifilm X-T4, 23mm
        f/2, natural light" scored under the prompt alone), so it reads both and the higher score
        stands (a signal only raises)."""
        tagged = [row for row, (text, subject) in enumerate(zip(normalised, subjects, strict=True)) if subject != text]
        if tagged:
            probs[tagged] = np.maximum(probs[tagged], self._first_stage([subjects[row] for row in tagged]))
        return probs

    def _second_stage(self, normalised: str, subject: str, probs: np.ndarray) -> Stage:
        """Let the encoder speak where the first stage is unsure or stands alone; ``probs`` is
        changed in place. The encoder reads ``subject``: ``normalised`` without its render tags.

        * Between the gate (a lower one for text aimed at someone) and the threshold, the
          encoder raises the umbrella sexual score to its own (its cut at 0.5) on text of at
          least ``RAISE_MIN_WORDS`` words: ``"raised"`` when that now blocks.
        * At the threshold, on text the encoder can read that names no sexual term, person or
          child (``speaks_for_itself``), a block needs the encoder's confirmation (score at least
          the artefact's ``agree``); without it every sexual score is capped at the encoder's,
          under the threshold: ``"unconfirmed"``.
          With the higher gate, out of fold this dropped 9 of 13 art-prompt, 2 of 3 edit and
          99 of 147 styled-prompt false positives for 7 of 323 sexual and adversarial rows
          (docs/evaluation.md, "v11"). The parser's evidence reaches the policy on its own.
        """
        first = float(probs[self._sexual].max())
        if self.encoder is None or _logit(first) < self._person_gate_logit:
            return None
        evident = speaks_for_itself(normalised)
        if not evident and _logit(first) < self._gate_logit:
            return None
        if not self.encoder.reads(subject):
            return None
        if first >= self.threshold:
            if evident:
                return None
            confirm = self.encoder.score(subject)
            if confirm >= self._agree:
                return None
            cap = float(sigmoid(np.asarray(_logit(confirm) - self._cut_logit)))
            probs[self._sexual] = np.minimum(probs[self._sexual], cap)
            return "unconfirmed"
        if not self.encoder.long_enough_to_raise(subject):
            return None
        score = float(sigmoid(np.asarray(_logit(self.encoder.score(subject)) - self._cut_logit)))
        if score <= probs[self._umbrella]:
            return None
        probs[self._umbrella] = score
        return "raised" if score >= self.threshold else None

    def unread(self, normalised: str) -> bool:
        """Whether ``normalised`` is in a language only the first stage reads (the English
        encoder knows under ``FOREIGN_SHARE`` of its words; one-word prompts are not counted:
        the first stage was trained on 15,393 short benign words in every language)."""
        return self.encoder is not None and self.encoder.foreign(normalised)

    def _first_stage(self, normalised: list[str]) -> np.ndarray:
        """Calibrated first-stage probabilities (texts x categories), one sparse product."""
        rows = [vectorise_columns(text) for text in normalised]
        indptr = np.zeros(len(rows) + 1, dtype=np.int64)
        indptr[1:] = np.cumsum([len(ids) for ids, _ in rows])
        ids = np.concatenate([r[0] for r in rows]) if rows else np.zeros(0, dtype=np.int64)
        values = np.concatenate([r[1] for r in rows]) if rows else np.zeros(0, dtype=np.float32)
        return self._calibrate(csr_logits(indptr, ids, values, self.weights, self.bias))

    def _calibrate(self, logits: np.ndarray) -> np.ndarray:
        return sigmoid(self.platt[:, 0] * logits + self.platt[:, 1])

    def predict(self, normalised: str) -> Prediction:
        """Calibrated probability per category and the feature strings that pushed it up."""
        ids, values = vectorise_columns(normalised)
        contributions = self.weights[ids] * values[:, None]  # (active, categories)
        subject = without_render_tags(normalised)  # what to draw, not how to render it
        probs = self._read_without_tags([normalised], [subject],
                                        self._calibrate(contributions.sum(axis=0) + self.bias)[None, :])[0]
        stage = self._second_stage(normalised, subject, probs)
        scores: dict[IntentCategory, float] = {}
        evidence: dict[IntentCategory, list[str]] = {}
        names: list[str] = []  # the feature strings, built only for a category shown as evidence
        for k, category in enumerate(self.categories):
            scores[category] = float(probs[k])
            if k == self._umbrella and stage == "raised":
                evidence[category] = ["model:encoder"]
            elif k == self._umbrella and stage == "unconfirmed":
                evidence[category] = ["model:first-stage-unconfirmed-by-encoder"]
            elif probs[k] >= 0.5 and len(ids):
                top = np.argsort(-contributions[:, k])[:EVIDENCE_TOP]
                names = names or feature_names(normalised, ids)
                # dict.fromkeys: the embedding's columns share one name; list it once.
                evidence[category] = list(
                    dict.fromkeys(f"model:{names[i]}" for i in top if contributions[i, k] > 0)
                )
        return Prediction(scores, evidence)


#: Lexicon categories whose term in the text makes a first-stage block stand without the encoder:
#: every sexual one (a named term), and the references to a person or a child ("her", "my ex",
#: "a kid"): a request aimed at someone is the harm this layer exists for, and out of fold the
#: confirmation cost edit requests about "her" that neither the parser nor the encoder read
#: ("make her wear only a small towel").
_SELF_EVIDENT = frozenset((*SEXUAL, IntentCategory.REAL_PERSON_REFERENCE, IntentCategory.MINOR_REFERENCE))


def speaks_for_itself(normalised: str) -> bool:
    """Whether a first-stage block of ``normalised`` needs no confirmation by the encoder."""
    return any(hit.category in _SELF_EVIDENT for hit in match(normalised))


def _logit(p: float) -> float:
    p = min(max(p, 1e-12), 1 - 1e-12)
    return float(np.log(p / (1 - p)))


def sigmoid(x: np.ndarray) -> np.ndarray:
    """Logistic function without overflow warnings for large negative arguments."""
    return 1.0 / (1.0 + np.exp(-np.clip(x, -500.0, 500.0)))


def csr_logits(indptr: np.ndarray, ids: np.ndarray, values: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Logits of sparse rows (CSR: row i is ``ids/values[indptr[i]:indptr[i+1]]``); shared with training."""
    sums = np.zeros((len(indptr) - 1, w.shape[1]), dtype=np.float64)
    if len(ids):
        nonempty = indptr[1:] > indptr[:-1]
        sums[nonempty] = np.add.reduceat(w[ids] * values[:, None], indptr[:-1][nonempty], axis=0)
    return sums + b


def _expected_sha256(path: Path) -> str:
    sha_file = path.with_suffix(path.suffix + ".sha256")
    if not sha_file.is_file():
        raise ModelArtefactError(f"{sha_file.name} is missing: refusing an unverified model")
    return sha_file.read_text(encoding="utf-8").split()[0]
