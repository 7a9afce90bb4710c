"""Train the intent model reproducibly: ``python -m genguard.detectors.intent.train``.

Inputs are the hand-written multilingual templates in ``data/templates.json`` and the
non-held-out rows of the shared dev set (``<repo>/../shared/data/prompts``). The dev set has
no per-category labels, so its ``block`` rows are weak-labelled ``explicit_sexual`` (the
umbrella "sexual imagery" category) plus every sexual category whose lexicon terms occur; minor
and real-person labels of dev rows come from the lexicon too. ``review`` rows and held-out rows
are never used. Everything is seeded and ordered, and the ``.npz`` is written with fixed zip
timestamps, so a rerun produces the same bytes and the same sha256.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from genguard.detectors.intent.features import N_FEATURES, vectorise
from genguard.detectors.intent.lexicon import match
from genguard.detectors.intent.model import ARTEFACT
from genguard.detectors.intent.normalise import normalise
from genguard.eval.data import default_prompts_dir, is_holdout, read_prompts
from genguard.signals import IntentCategory as C

SEED = 20240611
CATEGORIES: tuple[C, ...] = tuple(C)
SEXUAL: tuple[C, ...] = CATEGORIES[:6]
TEMPLATES = Path(__file__).with_name("data") / "templates.json"
VERSION = "intent-hashlr-v1"
#: Largest benign false-positive rate allowed when the threshold is chosen (calibration fold).
TARGET_FPR = 0.002
EPOCHS = 14
BATCH = 1024
LEARNING_RATE = 0.02
L2 = 1e-7
#: Weight of a dev-set ``block`` row relative to other rows: they are few and the real target.
DEV_BLOCK_WEIGHT = 4.0


@dataclass(frozen=True)
class Example:
    text: str
    labels: tuple[float, ...]
    weight: float
    source: str  # "template:<lang>" or "dev:<category>"
    benign_dev: bool = False


def _labels(on: set[C]) -> tuple[float, ...]:
    return tuple(1.0 if c in on else 0.0 for c in CATEGORIES)


def template_examples(path: Path = TEMPLATES) -> list[Example]:
    """Expand every template with every person phrase of its language."""
    spec = json.loads(path.read_text(encoding="utf-8"))
    out: dict[str, Example] = {}
    for lang, table in sorted(spec.items()):
        if lang.startswith("_"):
            continue
        fillers = [(p, {C.REAL_PERSON_REFERENCE}) for p in table["persons"]]
        fillers += [(p, set()) for p in table["generic"]]
        fillers += [(p, {C.MINOR_REFERENCE}) for p in table["minors"]]
        for key in [*(c.value for c in SEXUAL), "benign"]:
            base = {C(key)} if key != "benign" else set()
            for template in table.get(key, []):
                for person, extra in fillers if "{p}" in template else [("", set())]:
                    text = template.replace("{p}", person)
                    out.setdefault(text, Example(text, _labels(base | extra), 1.0, f"template:{lang}"))
    return list(out.values())


def dev_examples(prompts_dir: Path) -> list[Example]:
    """Non-held-out ``block``/``allow`` dev rows with weak category labels from the lexicon."""
    out: list[Example] = []
    for row in read_prompts(prompts_dir):
        if row.label == "review" or is_holdout(row.text):
            continue
        found = {hit.category for hit in match(normalise(row.text))}
        context = found & {C.MINOR_REFERENCE, C.REAL_PERSON_REFERENCE}
        if row.label == "block":
            on = {C.EXPLICIT_SEXUAL} | (found & set(SEXUAL)) | context
            out.append(Example(row.text, _labels(on), DEV_BLOCK_WEIGHT, f"dev:{row.category}"))
        else:
            out.append(Example(row.text, _labels(context), 1.0, f"dev:{row.category}", benign_dev=True))
    return out


def _matrix(texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """CSR arrays (indptr, column ids, values) of the normalised texts."""
    indptr = [0]
    ids: list[np.ndarray] = []
    values: list[np.ndarray] = []
    for text in texts:
        col, val, _ = vectorise(normalise(text))
        ids.append(col)
        values.append(val)
        indptr.append(indptr[-1] + len(col))
    return np.asarray(indptr, dtype=np.int64), np.concatenate(ids), np.concatenate(values).astype(np.float32)


def _logits(indptr: np.ndarray, ids: np.ndarray, values: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    contrib = w[ids] * values[:, None]
    sums = np.add.reduceat(contrib, indptr[:-1], axis=0) if len(ids) else np.zeros((0, w.shape[1]))
    empty = indptr[1:] == indptr[:-1]
    sums[empty] = 0.0
    return sums + b


def fit(indptr: np.ndarray, ids: np.ndarray, values: np.ndarray, y: np.ndarray, sw: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Multi-label logistic regression by seeded mini-batch Adam over the CSR rows."""
    rng = np.random.default_rng(SEED)
    n, k = y.shape
    w = np.zeros((N_FEATURES, k), dtype=np.float32)
    b = np.zeros(k, dtype=np.float32)
    m_w, v_w = np.zeros_like(w), np.zeros_like(w)
    m_b, v_b = np.zeros_like(b), np.zeros_like(b)
    beta1, beta2, eps, step = 0.9, 0.999, 1e-8, 0
    for _ in range(EPOCHS):
        order = rng.permutation(n)
        for start in range(0, n, BATCH):
            rows = np.sort(order[start:start + BATCH])
            sub_ptr, sub_ids, sub_vals, row_of = _rows(indptr, ids, values, rows)
            logits = _logits(sub_ptr, sub_ids, sub_vals, w, b)
            g = (1.0 / (1.0 + np.exp(-logits)) - y[rows]) * sw[rows, None] / sw[rows].sum()
            grad_w = np.zeros_like(w)
            for j in range(k):
                grad_w[:, j] = np.bincount(sub_ids, weights=sub_vals * g[row_of, j], minlength=N_FEATURES)
            grad_w += L2 * w
            grad_b = g.sum(axis=0)
            step += 1
            for param, grad, m, v in ((w, grad_w, m_w, v_w), (b, grad_b, m_b, v_b)):
                m *= beta1
                m += (1 - beta1) * grad
                v *= beta2
                v += (1 - beta2) * grad * grad
                param -= LEARNING_RATE * (m / (1 - beta1**step)) / (np.sqrt(v / (1 - beta2**step)) + eps)
    return w, b


def _rows(indptr: np.ndarray, ids: np.ndarray, values: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    starts, ends = indptr[rows], indptr[rows + 1]
    lengths = ends - starts
    take = np.concatenate([np.arange(s, e) for s, e in zip(starts, ends, strict=True)])
    sub_ptr = np.concatenate([[0], np.cumsum(lengths)])
    row_of = np.repeat(np.arange(len(rows)), lengths)
    return sub_ptr, ids[take], values[take], row_of


def platt(logits: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Per-category (a, b) so that sigmoid(a*logit + b) is calibrated on the calibration fold."""
    params = np.zeros((logits.shape[1], 2))
    for j in range(logits.shape[1]):
        x, t = logits[:, j].astype(np.float64), y[:, j]
        a, c = 1.0, 0.0
        for _ in range(50):  # Newton steps on the 2-parameter log loss (with a tiny ridge)
            p = 1.0 / (1.0 + np.exp(-(a * x + c)))
            r = p - t
            s = p * (1 - p) + 1e-9
            grad = np.array([r @ x + 1e-3 * (a - 1), r.sum()])
            hess = np.array([[s @ (x * x) + 1e-3, s @ x], [s @ x, s.sum() + 1e-6]])
            delta = np.linalg.solve(hess, grad)
            a, c = a - delta[0], c - delta[1]
            if np.abs(delta).max() < 1e-9:
                break
        params[j] = (a, c)
    return params


def write_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """An ``.npz`` with fixed member timestamps and order: identical inputs, identical bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(arrays):
            member = io.BytesIO()
            np.lib.format.write_array(member, np.asarray(arrays[name]), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, member.getvalue())
    path.write_bytes(buffer.getvalue())
    sha = hashlib.sha256(buffer.getvalue()).hexdigest()
    path.with_suffix(path.suffix + ".sha256").write_text(f"{sha}  {path.name}\n", encoding="utf-8")


def _calibration_fold(text: str) -> bool:
    return hashlib.sha256(("genguard-intent-calib:" + text).encode()).digest()[0] % 10 == 0


def train(prompts_dir: Path, out: Path) -> dict[str, object]:
    examples = template_examples() + dev_examples(prompts_dir)
    fit_set = [e for e in examples if not _calibration_fold(e.text)]
    cal_set = [e for e in examples if _calibration_fold(e.text)]
    indptr, ids, values = _matrix([e.text for e in fit_set])
    y = np.asarray([e.labels for e in fit_set], dtype=np.float32)
    sw = np.asarray([e.weight for e in fit_set], dtype=np.float32)
    w, b = fit(indptr, ids, values, y, sw)
    c_ptr, c_ids, c_vals = _matrix([e.text for e in cal_set])
    cal_logits = _logits(c_ptr, c_ids, c_vals, w, b)
    y_cal = np.asarray([e.labels for e in cal_set], dtype=np.float64)
    params = platt(cal_logits, y_cal)
    threshold = _threshold(examples, w, b, params)
    counts: dict[str, int] = {}
    for e in examples:
        counts[e.source] = counts.get(e.source, 0) + 1
    positives = {c.value: int(sum(e.labels[i] for e in examples)) for i, c in enumerate(CATEGORIES)}
    meta = {
        "version": VERSION,
        "threshold": threshold,
        "seed": SEED,
        "n_features": N_FEATURES,
        "examples": len(examples),
        "fit": len(fit_set),
        "calibration": len(cal_set),
        "counts_by_source": dict(sorted(counts.items())),
        "positives_by_category": positives,
    }
    write_npz(
        out,
        {
            "weights": w.astype(np.float32),
            "bias": b.astype(np.float32),
            "platt": params.astype(np.float64),
            "categories": np.asarray([c.value for c in CATEGORIES]),
            "meta": np.asarray(json.dumps(meta, sort_keys=True)),
        },
    )
    return meta


def _threshold(examples: list[Example], w: np.ndarray, b: np.ndarray, params: np.ndarray) -> float:
    """Lowest block threshold whose benign-dev false-positive rate stays within TARGET_FPR.

    Chosen on the benign dev rows of the calibration fold and the fitted rows together (the
    held-out rows are never looked at), rounded to two decimals, never below 0.5.
    """
    benign = [e.text for e in examples if e.benign_dev]
    ptr, ids, vals = _matrix(benign)
    logits = _logits(ptr, ids, vals, w, b)
    probs = 1.0 / (1.0 + np.exp(-(params[:, 0] * logits + params[:, 1])))
    top = np.sort(probs[:, : len(SEXUAL)].max(axis=1))[::-1]
    allowed = int(TARGET_FPR * len(top))
    cut = float(top[allowed]) if allowed < len(top) else 0.0
    return max(0.5, float(np.ceil(cut * 100) / 100))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prompts", type=Path, default=default_prompts_dir())
    parser.add_argument("--out", type=Path, default=ARTEFACT)
    args = parser.parse_args()
    meta = train(args.prompts, args.out)
    sha = args.out.with_suffix(args.out.suffix + ".sha256").read_text().split()[0]
    print(json.dumps({**meta, "artefact": str(args.out.name), "sha256": sha}, indent=2))


if __name__ == "__main__":
    main()
