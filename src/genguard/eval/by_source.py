"""Generalisation by source: train the intent model's first stage without a data set, score that set.

Random folds put prompts of the same public set on both sides of every split, so a model can
learn a set's style (I2P's artist names, Nibbler's phrasing) and the cross-validated figure
says little about a set nobody trained on. Here each *part* of the rows is scored by a first
stage trained with ``genguard.training.intent``'s functions, seed and hyper-parameters on
the templates and the styled benign prompts (generated, no public source; in every part since
v11, as in the shipped first stage) plus the training rows outside that part, with its
calibration and operating point chosen inside those training rows too:

* ``leave-one-source-out``: a part is one source (a file of the dev set, or a repository);
* ``random folds``: the same procedure with the committed model's five hashed folds as parts,
  so the two columns differ only in how the rows are split.

What still leaks is listed in ``LEAKS`` and printed with the report. The second stage (the
fine-tuned encoder) was trained on every source and is never part of these figures.

Cost: the production procedure (five calibration folds, then a final fit) would take about
30 fits of the full data, over 15 minutes on two cores. Each part instead fits ``INNER_FOLDS``
models on its training rows; Platt scaling and the operating point come from their out-of-fold
scores, and the part is scored by the mean of their logits (an ensemble of models that, like
the calibration, never saw the part). That is one full-data fit per part.

Systems that need no training (a keyword list, a rule-based policy) are evaluated on the same
rows and tallied by the same sources, so they sit in the same table.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from genguard.training import intent as first_stage
from genguard.detectors.intent.normalise import normalise
from genguard.datasets import EvalDataError, PromptRow, is_holdout
from genguard.eval.metrics import Rate

Decide = Callable[[str], bool]
LOSO = "leave-one-source-out"
RANDOM_FOLDS = "random folds"
#: Calibration folds inside each part's training rows (the committed training uses five).
INNER_FOLDS = 2
_INNER_SALT = "genguard-by-source-inner:"


def file_key(row: PromptRow) -> str:
    """The data set a row came from: its file's stem (the shared dev set keeps one set per file)."""
    return row.file or "(no file)"


def repository_key(row: PromptRow) -> str:
    """``owner/repo`` of the row's ``source`` field; the file when the row has none."""
    parts = row.source.split("/")
    return "/".join(parts[:2]) if len(parts) >= 2 else file_key(row)


SOURCE_KEYS: dict[str, Callable[[PromptRow], str]] = {"file": file_key, "repository": repository_key}

def source_key_function(name: str) -> Callable[[PromptRow], str]:
    """The row -> source function called ``name``; a clear error for any other name."""
    if name not in SOURCE_KEYS:
        raise EvalDataError(f"unknown source key {name!r}; use one of {sorted(SOURCE_KEYS)}", code="eval_source_key")
    return SOURCE_KEYS[name]


#: What the first stage's held-out figures still share with the held-out source.
LEAKS = (
    "The templates are in every training set; since v5 they include text-to-image subjects written "
    "for the families of the cross-validated misses of the I2P and Nibbler rows (docs/intent.md), "
    "so the block sources' figures are still optimistic.",
    "Lexicon, features, weights and hyper-parameters were designed on the whole dev set.",
    "The second stage (encoder) was trained on every source: it is left out of these figures, "
    "and the committed model's cross-validated figures (both stages) are shown beside them.",
)


@dataclass(frozen=True)
class Part:
    """One held-out part: the rows scored, and the rows the model scoring them was trained on."""

    name: str
    train: tuple[PromptRow, ...]
    test: tuple[PromptRow, ...]


@dataclass(frozen=True)
class Tally:
    """Block decisions on ``block`` rows (recall) and on ``allow`` rows (false-positive rate)."""

    blocked_block: int = 0
    block: int = 0
    blocked_allow: int = 0
    allow: int = 0

    @property
    def recall(self) -> Rate:
        return Rate(self.blocked_block, self.block)

    @property
    def fpr(self) -> Rate:
        return Rate(self.blocked_allow, self.allow)

    def add(self, label: str, blocked: bool) -> Tally:
        if label == "block":
            return Tally(self.blocked_block + blocked, self.block + 1, self.blocked_allow, self.allow)
        return Tally(self.blocked_block, self.block, self.blocked_allow + blocked, self.allow + 1)

    def as_dict(self) -> dict[str, object]:
        return {"recall": self.recall.as_dict(), "fpr": self.fpr.as_dict()}


@dataclass(frozen=True)
class PartRun:
    """How one part was scored: what the model trained on, and the operating point it chose."""

    name: str
    scored: int
    trained_on: dict[str, int]
    operating_point: float


@dataclass(frozen=True)
class SystemFigures:
    """One system's decisions tallied per source and per data-set category."""

    name: str
    method: str
    by_source: dict[str, Tally]
    by_category: dict[str, Tally]
    parts: tuple[PartRun, ...] = ()

    @property
    def pooled(self) -> Tally:
        """Recall over every block source's rows, FPR over every allow source's rows."""
        return _sum(self.by_source.values())

    def as_dict(self) -> dict[str, object]:
        return {
            "system": self.name,
            "method": self.method,
            "pooled": self.pooled.as_dict(),
            "by_source": {s: t.as_dict() for s, t in self.by_source.items()},
            "by_category": {c: t.as_dict() for c, t in self.by_category.items()},
            "parts": [
                {"held_out": p.name, "scored": p.scored, "trained_on": p.trained_on,
                 "operating_point": p.operating_point}
                for p in self.parts
            ],
        }


@dataclass(frozen=True)
class BySourceReport:
    """First stage under leave-one-source-out and random folds, plus untrained systems, by source."""

    source_key: str
    sources: dict[str, dict[str, int]]
    systems: tuple[SystemFigures, ...]
    inner_folds: int
    seconds: float
    leaks: tuple[str, ...] = field(default=LEAKS)

    def as_dict(self) -> dict[str, object]:
        return {
            "source_key": self.source_key,
            "sources": self.sources,
            "inner_folds": self.inner_folds,
            "seconds": round(self.seconds, 1),
            "leaks": list(self.leaks),
            "systems": [s.as_dict() for s in self.systems],
        }


def _sum(tallies: Iterable[Tally]) -> Tally:
    items = list(tallies)
    return Tally(*(sum(getattr(t, f) for t in items) for f in ("blocked_block", "block", "blocked_allow", "allow")))


def _scored(rows: Iterable[PromptRow]) -> list[PromptRow]:
    """Rows with a ground truth (``review`` rows await a policy decision)."""
    return [r for r in rows if r.label != "review"]


def _trainable(row: PromptRow) -> bool:
    """What the committed training may use: ``block``/``allow`` rows outside the holdout split."""
    return row.label != "review" and not is_holdout(row.text)


def _parts(rows: list[PromptRow], part_of: Callable[[PromptRow], str]) -> list[Part]:
    """Each part's scored rows, and training rows from the other parts that share no text with it."""
    normalised = {r.text: normalise(r.text) for r in rows}
    parts = []
    for name in sorted({part_of(r) for r in rows}):
        inside = [r for r in rows if part_of(r) == name]
        seen = {normalised[r.text] for r in inside}
        train = [r for r in rows if part_of(r) != name and _trainable(r) and normalised[r.text] not in seen]
        parts.append(Part(name, tuple(train), tuple(_scored(inside))))
    return parts


def source_parts(rows: list[PromptRow], key: Callable[[PromptRow], str] = file_key) -> list[Part]:
    """Leave-one-source-out: every source is scored by a model trained on the other sources only."""
    return _parts(rows, key)


def fold_parts(rows: list[PromptRow]) -> list[Part]:
    """The committed training's five hashed folds (a dev row's group is its text) as parts."""
    return _parts(rows, lambda r: f"fold {first_stage._fold(r.text)}")


def _inner_fold(group: str, folds: int) -> int:
    return hashlib.sha256((_INNER_SALT + group).encode()).digest()[0] % folds


class FirstStage:
    """Trains and scores the first stage per part; every text is vectorised once."""

    def __init__(self, rows: list[PromptRow], templates: Path = first_stage.TEMPLATES, inner_folds: int = INNER_FOLDS) -> None:
        if inner_folds < 2:
            raise ValueError("inner_folds must be at least 2")
        base = first_stage.template_examples(templates)
        # The shipped first stage's generated rows (v11): no public source, so in every part.
        self.templates = base + first_stage.styled_benign_examples(rows, base)
        self.inner_folds = inner_folds
        texts = sorted({e.text for e in self.templates} | {r.text for r in rows})
        self._index = {text: i for i, text in enumerate(texts)}
        self._matrix = first_stage._matrix(texts)

    def _subset(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        sub_ptr, sub_ids, sub_vals, _ = first_stage._rows(*self._matrix, np.asarray([self._index[t] for t in texts]))
        return sub_ptr, sub_ids, sub_vals

    def run(self, part: Part) -> tuple[list[bool], float]:
        """Block decisions on the part's rows and the operating point chosen without them."""
        examples = self.templates + first_stage.row_examples(part.train)
        matrix = self._subset([e.text for e in examples])
        y = np.asarray([e.labels for e in examples], dtype=np.float32)
        sw = np.asarray([e.weight for e in examples], dtype=np.float32)
        folds = np.asarray([_inner_fold(e.group, self.inner_folds) for e in examples])
        models = first_stage.fold_models(matrix, y, sw, folds, self.inner_folds)
        oof = np.zeros(y.shape, dtype=np.float64)
        for rows, w, b in models:
            oof[rows] = first_stage.subset_logits(matrix, rows, w, b)
        calibrated = first_stage.platt(oof, y.astype(np.float64))
        point = first_stage.choose_operating_point(examples, first_stage.block_scores(oof, calibrated))
        params = first_stage.shift_to_operating_point(calibrated, point)
        test = self._subset([r.text for r in part.test])
        everything = np.arange(len(part.test))
        logits = np.mean([first_stage.subset_logits(test, everything, w, b) for _, w, b in models], axis=0)
        blocked = first_stage.block_scores(logits, params) >= first_stage.THRESHOLD
        return [bool(x) for x in blocked], point


def _figures(name: str, method: str, rows: list[PromptRow], blocked: list[bool],
             key: Callable[[PromptRow], str], parts: tuple[PartRun, ...] = ()) -> SystemFigures:
    by_source: dict[str, Tally] = {}
    by_category: dict[str, Tally] = {}
    for row, hit in zip(rows, blocked, strict=True):
        by_source[key(row)] = by_source.get(key(row), Tally()).add(row.label, hit)
        by_category[row.category] = by_category.get(row.category, Tally()).add(row.label, hit)
    return SystemFigures(name, method, dict(sorted(by_source.items())), dict(sorted(by_category.items())), parts)


def _held_out_figures(stage: FirstStage, name: str, method: str, parts: list[Part],
                      key: Callable[[PromptRow], str]) -> SystemFigures:
    rows: list[PromptRow] = []
    blocked: list[bool] = []
    runs = []
    for part in parts:
        if not part.test:
            continue
        decisions, point = stage.run(part)
        rows += part.test
        blocked += decisions
        trained_on: dict[str, int] = {}
        for row in part.train:
            trained_on[key(row)] = trained_on.get(key(row), 0) + 1
        runs.append(PartRun(part.name, len(part.test), dict(sorted(trained_on.items())), point))
    return _figures(name, method, rows, blocked, key, tuple(runs))


def by_source(rows: list[PromptRow], systems: Mapping[str, Decide] | None = None, *,
              source_key: str = "file", templates: Path = first_stage.TEMPLATES,
              inner_folds: int = INNER_FOLDS, random_folds: bool = True) -> BySourceReport:
    """The first stage under leave-one-source-out (and, with ``random_folds``, under the committed
    model's hashed folds by the same procedure), and each of ``systems`` (no training), by source.

    Needs at least two sources: with one there is nothing to train on when it is held out.
    """
    key = source_key_function(source_key)
    if len({key(r) for r in _scored(rows)}) < 2:
        raise EvalDataError("by-source evaluation needs labelled rows from at least two sources",
                            code="eval_too_few_sources")
    start = time.monotonic()
    stage = FirstStage(rows, templates, inner_folds)
    figures = [_held_out_figures(stage, "first stage", LOSO, source_parts(rows, key), key)]
    if random_folds:
        figures.insert(0, _held_out_figures(stage, "first stage", RANDOM_FOLDS, fold_parts(rows), key))
    scored = _scored(rows)
    for name, decide in (systems or {}).items():
        figures.append(_figures(name, "no training", scored, [decide(r.text) for r in scored], key))
    sources: dict[str, dict[str, int]] = {}
    for row in rows:
        counts = sources.setdefault(key(row), {"block": 0, "allow": 0, "review": 0})
        counts[row.label] += 1
    return BySourceReport(source_key, dict(sorted(sources.items())), tuple(figures), inner_folds,
                          time.monotonic() - start)
