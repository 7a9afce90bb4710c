"""Person-name spans from the bundled Rampart token-classification model (ONNX, CPU, no torch).

Rampart (National Design Studio, CC BY 4.0, see ``rampart/NOTICE``) is a 6-layer BERT that
tags PII, among it ``GIVEN_NAME`` and ``SURNAME``. Only those two labels are read: a word's
name probability is the softmax mass of the four name labels (B-/I- of each) on its most
name-like sub-word, and adjacent name words form one span. The model cannot tell a famous
person from a private one, so genguard treats every named person as possibly real
(docs/intent.md, "Named real people").

Loaded once, read-only afterwards: ``onnxruntime.InferenceSession.run`` and
``Tokenizer.encode_batch`` may be called from many threads at once.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from genguard.detectors.runtime import verified_files
from genguard.errors import GenguardError

MODEL_DIR = Path(__file__).with_name("rampart")
#: A word counts as part of a name at or above this name probability (docs/intent.md measures it).
NAME_MIN = 0.5
#: Position embeddings the model has, less [CLS] and [SEP].
WINDOW = 510
#: Tokens shared by consecutive windows, so a name on a boundary is seen whole in one of them.
OVERLAP = 32
#: A model call's fixed cost in tokens' worth: ~3.5 ms against ~0.25 ms a token on one core
#: (q4 weights, measured 2026-12-06); padding a group costs more than this, a new call is cheaper.
CALL_TOKENS = 14
#: The model reads names in Latin script only; in Korean, Japanese or Chinese text it tags ordinary
#: words ("봄" spring, "네온" neon, "むね肉" breast fillet) at 0.5-0.8, so a word without a Latin
#: letter is never a name here (names in other scripts: ``semantics._NAME_RE``, docs/intent.md).
_LATIN = re.compile(r"[A-Za-z\u00C0-\u024F]")
_NAME_LABELS = ("B-GIVEN_NAME", "I-GIVEN_NAME", "B-SURNAME", "I-SURNAME")


class NameModelError(GenguardError):
    """The bundled name model is missing, altered (sha256 mismatch) or not the expected one."""

    code = "name_model_invalid"
    status = 500


@dataclass(frozen=True)
class NameSpan:
    """A run of adjacent words the model reads as a person's name, in the text it was given."""

    text: str
    start: int
    end: int
    score: float


class NameTagger:
    """Finds person-name spans; immutable after ``__init__``, safe to share between threads."""

    def __init__(self, model_dir: Path = MODEL_DIR) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        files = verified_files(model_dir, NameModelError, "name_model")
        config = json.loads(files["config.json"])
        labels = {int(k): v for k, v in config["id2label"].items()}
        self._name_ids = np.array([k for k, v in labels.items() if v in _NAME_LABELS])
        if len(self._name_ids) != len(_NAME_LABELS):
            raise NameModelError(f"{model_dir}/config.json lacks the person-name labels")
        self._tokenizer = Tokenizer.from_str(files["tokenizer.json"].decode("utf-8"))
        self._tokenizer.no_truncation()
        self._tokenizer.no_padding()
        cls, sep = self._tokenizer.token_to_id("[CLS]"), self._tokenizer.token_to_id("[SEP]")
        if cls is None or sep is None:  # a tokenizer from another model: refuse it at load
            raise NameModelError(f"{model_dir}/tokenizer.json lacks [CLS] or [SEP]")
        self._cls: int = cls
        self._sep: int = sep
        options = onnxruntime.SessionOptions()
        # Requests run in parallel threads; one core per call keeps their latencies independent.
        options.intra_op_num_threads = 1
        self._session = onnxruntime.InferenceSession(
            files["model_q4.onnx"], options, providers=["CPUExecutionProvider"]
        )

    def find(self, texts: list[str], skip: Callable[[str], bool] = lambda word: False) -> list[list[NameSpan]]:
        """Name spans of each text; the windows of all texts share model calls by length.

        ``skip(word)`` true keeps that word out of every span whatever the model says.
        """
        encodings = self._tokenizer.encode_batch(texts, add_special_tokens=False)
        windows = [
            (i, start, min(start + WINDOW, len(enc.ids)))
            for i, enc in enumerate(encodings)
            for start in range(0, max(len(enc.ids) - OVERLAP, 1), WINDOW - OVERLAP)
        ]
        probs = self._name_probs([encodings[i].ids[a:b] for i, a, b in windows])
        # Per text: the best name probability of each word over its sub-words and windows.
        words: list[dict[int, tuple[float, int, int]]] = [{} for _ in texts]
        for (i, a, b), p in zip(windows, probs, strict=True):
            enc = encodings[i]
            for t in range(a, b):
                w = enc.word_ids[t]
                if w is None:
                    continue
                start, end = enc.offsets[t]
                best, s0, e0 = words[i].get(w, (0.0, start, end))
                words[i][w] = (max(best, float(p[t - a])), min(s0, start), max(e0, end))
        for text, found in zip(texts, words, strict=True):
            for w in [w for w, (_, a, b) in found.items() if skip(text[a:b])]:
                del found[w]
        return [_spans(text, w) for text, w in zip(texts, words, strict=True)]

    def _name_probs(self, windows: list[list[int]]) -> list[np.ndarray]:
        """Name-label probability per token of each window ([CLS]/[SEP] removed).

        Windows of similar length share a model call (``_length_groups``): one call padded to the
        longest window costs every row the longest row's tokens (12 prompts of 11-91 tokens took
        twice as long in one call as one by one).
        """
        probs: list[np.ndarray] = [np.zeros(0)] * len(windows)
        for group in _length_groups([len(w) for w in windows]):
            for row, p in zip(group, self._run([windows[row] for row in group]), strict=True):
                probs[row] = p
        return probs

    def _run(self, windows: list[list[int]]) -> list[np.ndarray]:
        """``_name_probs`` of windows in one model call, padded to the longest."""
        width = max(len(w) for w in windows) + 2
        ids = np.zeros((len(windows), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        for row, window in enumerate(windows):
            ids[row, : len(window) + 2] = [self._cls, *window, self._sep]
            mask[row, : len(window) + 2] = 1
        logits = self._session.run(
            None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        )[0]
        shifted = np.exp(logits - logits.max(axis=-1, keepdims=True))
        names = shifted[..., self._name_ids].sum(axis=-1) / shifted.sum(axis=-1)
        return [names[row, 1 : len(w) + 1] for row, w in enumerate(windows)]


def _length_groups(lengths: list[int]) -> list[list[int]]:
    """Indices of ``lengths`` in groups of similar length, each one model call.

    Shortest first; a window joins the current group while the padding its length adds to the
    group's rows costs no more than a call of its own would (``CALL_TOKENS``).
    """
    groups: list[list[int]] = []
    width = 0
    for i in sorted(range(len(lengths)), key=lengths.__getitem__):
        if groups and len(groups[-1]) * (lengths[i] - width) <= CALL_TOKENS:
            groups[-1].append(i)
        else:
            groups.append([i])
        width = lengths[i]
    return groups


def _spans(text: str, words: dict[int, tuple[float, int, int]]) -> list[NameSpan]:
    """Join consecutive name words separated only by spaces (or a hyphen/dot) into spans."""
    spans: list[NameSpan] = []
    for w in sorted(words):
        score, start, end = words[w]
        if score < NAME_MIN or not _LATIN.search(text[start:end]):
            continue
        last = spans[-1] if spans else None
        if last and w - 1 in words and words[w - 1][0] >= NAME_MIN and _joins(text[last.end : start]):
            spans[-1] = NameSpan(text[last.start : end], last.start, end, max(last.score, score))
        else:
            spans.append(NameSpan(text[start:end], start, end, score))
    return spans


def _joins(gap: str) -> bool:
    return gap.strip(" -.·・'") == ""


