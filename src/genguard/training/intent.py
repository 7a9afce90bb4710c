"""Train the intent model reproducibly: ``python -m genguard.training.intent``.

Inputs are the hand-written multilingual templates in ``data/templates.json`` and the
non-held-out rows of the shared dev set (``<repo>/../shared/data/prompts``). The dev set has
no per-category labels, so its ``block`` rows are weak-labelled ``explicit_sexual`` (the
umbrella "sexual imagery" category) plus every sexual category whose lexicon terms occur; minor
and real-person labels of dev rows come from the lexicon too. ``review`` rows and held-out rows
are never used. Since v9 benign single words and short phrases (``short_benign_examples``) are
added so that short text is not learned as sexual; the encoder's out-of-fold scores cover the
template and dev examples only, and the short rows are scored by the committed encoder, which
never saw them.

Calibration and the operating point come from out-of-fold scores: the training rows are split
into ``FOLDS`` groups (a template and all its filled-in variants stay in one group), each group
is scored by a model fitted on the others, Platt scaling is fitted on those scores and the
operating point is set on the benign dev rows' out-of-fold scores, then folded into the sexual
categories' calibration so that the policy's 0.5 is that point (``shift_to_operating_point``).
The same scores give the cross-validated recall/FPR stored in the artefact's metadata. The final weights are then fitted
on every training row. Everything is seeded and ordered, and the ``.npz`` is written with fixed
zip timestamps, so a rerun produces the same bytes and the same sha256 (``--check`` verifies the
committed artefact that way).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import re
import sys
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from genguard.detectors.intent.embedding import token_embedding
from genguard.detectors.intent.encoder import encoder_sha256, intent_encoder
from genguard.detectors.intent.features import N_FEATURES, vectorise
from genguard.detectors.intent.lexicon import match
from genguard.detectors.intent.model import ARTEFACT, SEXUAL, VERSION, csr_logits, sigmoid, speaks_for_itself
from genguard.detectors.intent.normalise import normalise
from genguard.datasets import PromptRow, default_prompts_dir, is_holdout, read_prompts
from genguard.signals import IntentCategory as C
from genguard.training.styled_benign import styled_benign_prompts

SEED = 20240611
CATEGORIES: tuple[C, ...] = tuple(C)
TEMPLATES = Path(__file__).with_name("data") / "templates.json"
#: Words reviewed by hand that ``short_benign_examples`` never labels benign (see the file's header).
SHORT_EXCLUDE = Path(__file__).with_name("data") / "short_benign_exclude.txt"
#: Out-of-fold probabilities of the fine-tuned encoder (``genguard.training.encoder --folds``), one per
#: training example in this file's order.
ENCODER_OOF = Path(__file__).with_name("encoder_oof.npz")
#: The encoder is consulted when the first stage's calibrated block score reaches this. v7-v9 used
#: 0.02 (6 % of benign dev captions and edits); v11 raised it to 0.06 because out of fold the
#: encoder then blocked 42 instead of 143 of 2,951 styled benign prompts, for 2 of 323 sexual dev
#: rows (docs/intent.md, "v11").
ENCODER_GATE = 0.06
#: ... except for text aimed at someone (a person, a child or a sexual term, ``speaks_for_itself``),
#: where it stays v9's 0.02: the higher gate cost edit requests about "her" that only the encoder
#: reads ("give her a bod reveal, no top", first stage 0.08 after the shift).
ENCODER_GATE_PERSON = 0.02
#: Since v11, a first-stage block of readable text without a lexicon term needs the encoder to
#: score it at least this: two different models agreeing, or a named term, before a learned block.
ENCODER_AGREE = 0.1
#: The encoder blocks on its own only when this sure. Text it cannot read (it is English-only)
#: scores near 0.5, and a lower cut blocked benign Turkish and Hindi look-alikes.
ENCODER_CUT = 0.9
#: Largest out-of-fold false-positive rate allowed on benign captions and, separately, on benign
#: edits when the operating point is chosen: half of issue 4's 0.5 % bar, leaving room for
#: sampling error on unseen prompts.
TARGET_FPR = 0.0025
#: Dev-set categories whose out-of-fold false-positive rate bounds the operating point (issue 4's bars).
FPR_BOUND_CATEGORIES = ("benign_caption", "benign_edit")
#: Block threshold on the shifted scores; the policy pack's ``intent`` threshold is also 0.5.
THRESHOLD = 0.5
FOLDS = 5
#: A text-to-image subject is paired with one style in STYLE_STRIDE (see ``styled_examples``).
STYLE_STRIDE = 4
EPOCHS = 14
BATCH = 1024
LEARNING_RATE = 0.02
L2 = 1e-7
#: Weight of a dev-set ``block`` row relative to other rows: they are few and the real target.
DEV_BLOCK_WEIGHT = 8.0
#: Most frequent words per language (wordfreq) offered as short benign examples; rarer ones are
#: mostly names and inflections. English gets more: the dev set and its short sexual prompts are
#: English. The other languages are the templates' (Latin-script Hindi has no wordfreq list);
#: with English words alone, v9's first try blocked a benign Hindi look-alike ("a comic strip
#: about a cat") that v8 allowed: benign short text in one language only made other scripts look
#: relatively more sexual. See ``short_benign_examples``.
SHORT_WORDS = {"en": 10_000} | dict.fromkeys(("es", "fr", "de", "pt", "it", "ru", "pl", "nl", "tr", "ar", "hi", "ja", "zh"), 1_000)
#: Short benign spans (1 to SHORT_SPAN words) cut from each benign dev row, one per row.
SHORT_SPAN = 3
#: A span cut from a benign row that ends in one of these is a fragment ("on the"), not a phrase.
SPAN_STOP_WORDS = frozenset(
    "a an the of in on at to for from with by into onto over under near next and or but as is are was "
    "were be been has have had it its this that these those there their his her he she they them some".split()
)
#: Weight of a benign dev edit instruction: edits bound the operating point (1,780 rows against
#: 7,006 captions); cross-validated, weight 3 halved their out-of-fold false positives at the
#: same ``sexual`` recall (docs/evaluation.md).
DEV_EDIT_WEIGHT = 3.0


@dataclass(frozen=True)
class Example:
    text: str
    labels: tuple[float, ...]
    weight: float
    source: str  # "template:<lang>", "dev:<category>", "styled:en|other" or "short:word|phrase"
    group: str  # rows of one group share a cross-validation fold (a template's variants)


def _labels(on: set[C]) -> tuple[float, ...]:
    return tuple(1.0 if c in on else 0.0 for c in CATEGORIES)


def template_examples(path: Path = TEMPLATES) -> list[Example]:
    """Expand every template with every person phrase of its language, then the t2i subjects.

    A template without ``{p}`` yields one text but gets the weight of the filled-in ones
    together, so a language's phrasing ("verwijder de ...") is not learned as sexual merely
    because the sexual templates of that language have more filled-in variants.
    """
    spec = json.loads(path.read_text(encoding="utf-8"))
    out: dict[str, Example] = {}
    for lang, table in sorted(spec.items()):
        if lang.startswith("_") or lang == "t2i":
            continue
        fillers = [(p, {C.REAL_PERSON_REFERENCE}) for p in table["persons"]]
        fillers += [(p, set()) for p in table["generic"]]
        fillers += [(p, {C.MINOR_REFERENCE}) for p in table["minors"]]
        for key in [*(c.value for c in SEXUAL), "benign"]:
            base = {C(key)} if key != "benign" else set()
            for template in table.get(key, []):
                filled = "{p}" in template
                for person, extra in fillers if filled else [("", set())]:
                    text = template.replace("{p}", person)
                    weight = 1.0 if filled else float(len(fillers))
                    out.setdefault(text, Example(text, _labels(base | extra), weight, f"template:{lang}", template))
    for example in styled_examples(spec["t2i"]):
        out.setdefault(example.text, example)
    return list(out.values())


def styled_examples(t2i: dict[str, list[str]]) -> list[Example]:
    """Each text-to-image subject alone and with every STYLE_STRIDE-th style (offset by subject).

    The dev set's sexual prompts carry art styles and artist names far more often than its
    benign ones, so a model learns "oil painting by ..." as a sexual cue; the same styles on
    benign subjects remove that shortcut.
    """
    styles = t2i["styles"]
    out: list[Example] = []
    for key in [*(c.value for c in SEXUAL), "benign"]:
        labels = _labels({C(key)} if key != "benign" else set())
        for i, subject in enumerate(t2i[key]):
            chosen = [style for j, style in enumerate(styles) if (i + j) % STYLE_STRIDE == 0]
            for text in [subject, *(f"{subject}, {style}" for style in chosen)]:
                out.append(Example(text, labels, 1.0, "template:t2i", subject))
    return out


def dev_examples(prompts_dir: Path) -> list[Example]:
    """Non-held-out ``block``/``allow`` dev rows with weak category labels from the lexicon."""
    return row_examples(read_prompts(prompts_dir))


def row_examples(rows: Iterable[PromptRow]) -> list[Example]:
    """``dev_examples`` for rows already read: by-source evaluation trains on a subset of them."""
    out: list[Example] = []
    for row in rows:
        if row.label == "review" or is_holdout(row.text):
            continue
        found = {hit.category for hit in match(normalise(row.text))}
        context = found & {C.MINOR_REFERENCE, C.REAL_PERSON_REFERENCE}
        if row.label == "block":
            on = {C.EXPLICIT_SEXUAL} | (found & set(SEXUAL)) | context
            out.append(Example(row.text, _labels(on), DEV_BLOCK_WEIGHT, f"dev:{row.category}", row.text))
        else:
            weight = DEV_EDIT_WEIGHT if row.category == "benign_edit" else 1.0
            out.append(Example(row.text, _labels(context), weight, f"dev:{row.category}", row.text))
    return out


def styled_benign_examples(dev_rows: Iterable[PromptRow], existing: list[Example],
                           prompts: list[tuple[str, str, str]] | None = None) -> list[Example]:
    """Benign text-to-image prompts in real users' styles (``styled_benign.styled_benign_prompts``,
    since v10), so that style tags, photography and product wording and look-alike words are not
    learned as sexual (issue 14).

    A prompt is dropped when the lexicon finds a sexual category in it (look-alikes the lexicon
    does not blank, "wild ass", "thong sandals", stay out: nothing the lexicon reads as sexual is
    labelled benign), when it equals an existing example or any dev row, and when it is a
    holdout-split text. Minor and real-person labels come from the lexicon, as for dev rows.
    Variants of one subject share a cross-validation fold (their group). ``prompts`` are
    (text, language, group) triples, default ``styled_benign_prompts()``; tests pass a few.
    """
    taken = {normalise(e.text) for e in existing} | {normalise(r.text) for r in dev_rows}
    out: list[Example] = []
    for text, lang, group in styled_benign_prompts() if prompts is None else prompts:
        normalised = normalise(text)
        found = {hit.category for hit in match(normalised)}
        if normalised in taken or is_holdout(text) or found & set(SEXUAL):
            continue
        taken.add(normalised)
        out.append(Example(text, _labels(found), 1.0, f"styled:{'en' if lang == 'en' else 'other'}", f"styled:{group}"))
    return out


def common_words(counts: dict[str, int] = SHORT_WORDS) -> list[str]:
    """The most frequent words of each language in ``counts`` (``wordfreq``, train extra), made of
    letters only and at least three long (two in Chinese and Japanese); the word source of
    ``short_benign_examples``."""
    import wordfreq  # noqa: PLC0415 - training-only dependency, not needed at run time

    return [
        word for lang, count in counts.items() for word in wordfreq.top_n_list(lang, count)
        if all(unicodedata.category(ch)[0] in "LM" for ch in word) and len(word) >= (2 if lang in ("zh", "ja") else 3)
    ]


def short_benign_examples(prompts_dir: Path, existing: list[Example], words: list[str]) -> list[Example]:
    """Benign single words and short phrases, so that "short and unusual" is not learned as sexual.

    Without them every short training text was a sexual one (odd one-word Adversarial Nibbler
    prompts), and the model blocked "love", "infinity", "a baby penguin" (issue 14). Two sources:
    ``words`` (``common_words()`` in training) and one span of 1 to SHORT_SPAN words cut from
    every non-held-out benign dev row, sharing that row's fold (a span ending in a function word,
    "with a", is skipped). Nothing that could be sexual is labelled benign: a text is dropped
    when the lexicon finds a sexual category in it, when it holds an entry of
    ``better_profanity``'s list, a word of SHORT_EXCLUDE (cue words reviewed by hand), or a word
    that occurs in a sexual training example (template or dev ``block`` row) and in no benign one. Texts equal to an existing example or to a ``block``/``review`` dev row, and
    held-out texts, are dropped too. Minor and real-person labels come from the lexicon, as for
    dev rows.
    """
    profane = set(resources.files("better_profanity").joinpath("profanity_wordlist.txt").read_text().lower().splitlines())
    rows = read_prompts(prompts_dir)
    benign_rows = [r.text for r in rows if r.label == "allow" and not is_holdout(r.text)]
    sexual_words = {w for e in existing if any(e.labels[: len(SEXUAL)]) for w in _words(e.text)}
    sexual_words -= {w for e in existing if not any(e.labels[: len(SEXUAL)]) for w in _words(e.text)}
    sexual_words |= {w for w in SHORT_EXCLUDE.read_text(encoding="utf-8").split("\n") if w and not w.startswith("#")}
    taken = {normalise(e.text) for e in existing} | {normalise(r.text) for r in rows if r.label != "allow"}
    candidates = [(w, "short:word", w) for w in words]
    for text in benign_rows:
        tokens = re.findall(r"[\w'-]+", text)
        if not tokens:
            continue
        pick = hashlib.sha256(("genguard-short:" + text).encode()).digest()
        length = min(len(tokens), 1 + pick[0] % SHORT_SPAN)
        start = int.from_bytes(pick[1:5], "big") % (len(tokens) - length + 1)
        span = " ".join(tokens[start:start + length])
        if _words(span) and _words(span)[-1] not in SPAN_STOP_WORDS:
            candidates.append((span, "short:phrase", text))
    out: list[Example] = []
    for text, source, group in candidates:
        normalised = normalise(text)
        found = {hit.category for hit in match(normalised)}
        tokens = _words(text)
        phrases = {" ".join(tokens[i:i + n]) for n in range(1, 5) for i in range(len(tokens) - n + 1)}
        if (normalised in taken or is_holdout(text) or found & set(SEXUAL)
                or set(tokens) & sexual_words or phrases & profane):
            continue
        taken.add(normalised)
        out.append(Example(text, _labels(found), 1.0, source, group))
    return out


def _words(text: str) -> list[str]:
    """Words of the normalised text: runs of letters, combining marks and digits (``\\w`` alone
    would cut Devanagari words at their vowel signs)."""
    out: list[str] = []
    current: list[str] = []
    for ch in normalise(text) + " ":
        if unicodedata.category(ch)[0] in "LMN":
            current.append(ch)
        elif current:
            out.append("".join(current))
            current = []
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
            logits = csr_logits(sub_ptr, sub_ids, sub_vals, w, b)
            g = (sigmoid(logits) - y[rows]) * sw[rows, None] / sw[rows].sum()
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
    """Per-category (a, b) so that sigmoid(a*logit + b) is calibrated on the out-of-fold logits."""
    params = np.zeros((logits.shape[1], 2))
    for j in range(logits.shape[1]):
        x, t = logits[:, j].astype(np.float64), y[:, j]
        a, c = 1.0, 0.0
        for _ in range(50):  # Newton steps on the 2-parameter log loss (with a tiny ridge)
            p = sigmoid(a * x + c)
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


def texts_digest(texts: list[str]) -> str:
    """One sha256 over the normalised training texts: ties the encoder's scores to these rows."""
    return hashlib.sha256("\n".join(texts).encode("utf-8")).hexdigest()


def encoder_oof(texts: list[str], path: Path = ENCODER_OOF) -> np.ndarray:
    """The encoder's out-of-fold probabilities, checked to belong to exactly these normalised texts."""
    with np.load(path, allow_pickle=False) as npz:
        oof, digest = npz["oof"], str(npz["texts_sha256"])
    if len(oof) != len(texts) or digest != texts_digest(texts):
        raise SystemExit(f"{path.name} was made for other examples: rerun genguard.training.encoder --folds")
    return oof


def unconfirmed_rows(evident: np.ndarray, encoder: np.ndarray, reads: np.ndarray) -> np.ndarray:
    """Rows whose first-stage block the encoder would not confirm: readable, no lexicon term that
    speaks for itself (``evident``, from ``model.speaks_for_itself``), encoder score under
    ENCODER_AGREE."""
    return reads & ~evident & (encoder < ENCODER_AGREE)


def encoder_gates(evident: np.ndarray) -> np.ndarray:
    """Each row's gate: ENCODER_GATE_PERSON for text aimed at someone (``evident``: a person, a
    child or a sexual term), ENCODER_GATE otherwise."""
    return np.where(evident, ENCODER_GATE_PERSON, ENCODER_GATE)


def encoder_fires(scores: np.ndarray, encoder: np.ndarray, gates: np.ndarray | float = ENCODER_GATE) -> np.ndarray:
    """Rows the second stage blocks: the first stage reaches the gate and the encoder its cut."""
    return (scores >= gates) & (encoder >= ENCODER_CUT)


def _fold(group: str) -> int:
    return hashlib.sha256(("genguard-intent-cv:" + group).encode()).digest()[0] % FOLDS


def subset_logits(matrix: tuple[np.ndarray, np.ndarray, np.ndarray], rows: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Logits of the given rows of a CSR matrix."""
    if not len(rows):
        return np.zeros((0, w.shape[1]), dtype=np.float64)
    sub_ptr, sub_ids, sub_vals, _ = _rows(*matrix, rows)
    return csr_logits(sub_ptr, sub_ids, sub_vals, w, b)


def fold_models(matrix: tuple[np.ndarray, np.ndarray, np.ndarray], y: np.ndarray, sw: np.ndarray, folds: np.ndarray, n_folds: int = FOLDS) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """(rows of the fold, weights, bias) per fold: the model fitted on the other folds' rows."""
    models = []
    for fold in range(n_folds):
        train_rows, test_rows = np.flatnonzero(folds != fold), np.flatnonzero(folds == fold)
        sub_ptr, sub_ids, sub_vals, _ = _rows(*matrix, train_rows)
        w, b = fit(sub_ptr, sub_ids, sub_vals, y[train_rows], sw[train_rows])
        models.append((test_rows, w, b))
    return models


def out_of_fold_logits(matrix: tuple[np.ndarray, np.ndarray, np.ndarray], y: np.ndarray, sw: np.ndarray, folds: np.ndarray) -> np.ndarray:
    """Every row's logits from the model fitted on the other folds."""
    oof = np.zeros(y.shape, dtype=np.float64)
    for test_rows, w, b in fold_models(matrix, y, sw, folds):
        oof[test_rows] = subset_logits(matrix, test_rows, w, b)
    return oof


def block_scores(logits: np.ndarray, params: np.ndarray) -> np.ndarray:
    """The policy's block score per row: the highest calibrated sexual-category probability."""
    return sigmoid(params[:, 0] * logits + params[:, 1])[:, : len(SEXUAL)].max(axis=1)


def choose_operating_point(examples: list[Example], scores: np.ndarray) -> float:
    """Lowest calibrated block score (two decimals, rounded up) at which the out-of-fold FPR of
    each FPR_BOUND_CATEGORIES dev category stays within TARGET_FPR.

    Each category is bounded on its own because issue 4 sets the bar per category; pooling them
    would let the 7,006 captions hide the edits' false positives.
    """
    cut = 0.0
    for category in FPR_BOUND_CATEGORIES:
        benign = np.sort(scores[[e.source == f"dev:{category}" for e in examples]])[::-1]
        allowed = int(TARGET_FPR * len(benign))
        if allowed < len(benign):
            cut = max(cut, float(benign[allowed]))
    return min(0.99, max(0.01, float(np.ceil(cut * 100 + 1e-9) / 100)))


def shift_to_operating_point(params: np.ndarray, point: float) -> np.ndarray:
    """Platt parameters whose sexual-category scores reach THRESHOLD exactly where the calibrated
    probability reaches ``point``.

    The intercept moves by ``-logit(point)``: a prior shift that multiplies the odds by
    ``(1 - point) / point``, so the order of scores is kept and the policy's fixed 0.5 becomes the
    cross-validated operating point. Minor and real-person references are not block categories
    and keep their calibration.
    """
    shifted = params.copy()
    shifted[: len(SEXUAL), 1] -= np.log(point / (1 - point)) - np.log(THRESHOLD / (1 - THRESHOLD))
    return shifted


def cv_report(examples: list[Example], scores: np.ndarray, threshold: float) -> dict[str, dict[str, float | int]]:
    """Out-of-fold block rate per dev category and short-text source at ``threshold`` (recall
    for block, FPR for allow)."""
    report: dict[str, dict[str, float | int]] = {}
    for source in sorted({e.source for e in examples if not e.source.startswith("template:")}):
        rows = [i for i, e in enumerate(examples) if e.source == source]
        hits = int((scores[rows] >= threshold).sum())
        report[source.removeprefix("dev:")] = {"rows": len(rows), "blocked": hits, "rate": round(hits / len(rows), 4)}
    return report


def encoder_examples(prompts_dir: Path, templates: Path = TEMPLATES,
                     styled: list[tuple[str, str, str]] | None = None) -> list[Example]:
    """The rows the encoder trains on and its out-of-fold scores (``encoder_oof.npz``) cover, in
    order: templates, dev rows, then the styled benign prompts (``styled_benign_examples``;
    ``styled`` as there). The first stage trains on these and on the short benign rows
    (``train``).

    The styled prompts joined the encoder in v12: trained on templates and dev rows alone, it
    had learned the style of the dev set's sexual prompts (tag lists, photography and render
    terms, anime tags) and scored 1,106 of the 3,639 styled benign prompts 0.9 or more.
    """
    base = template_examples(templates) + dev_examples(prompts_dir)
    return base + styled_benign_examples(read_prompts(prompts_dir), base, styled)


def train(prompts_dir: Path, out: Path, templates: Path = TEMPLATES, encoder_scores: Path = ENCODER_OOF,
          words: list[str] | None = None, styled: list[tuple[str, str, str]] | None = None,
          oof_out: Path | None = None) -> dict[str, object]:
    """Fit, calibrate and write the artefact to ``out`` (and its ``.sha256``); return its metadata.

    ``words`` are the short benign words (default ``common_words()``) and ``styled`` the styled
    benign prompts (default ``styled_benign_prompts()``); tests pass a few of each. ``oof_out``,
    if given, receives every example's out-of-fold scores (first stage at the operating point,
    encoder, whether the encoder reads it, the decision) for error analysis; the artefact is
    the same with or without it.
    """
    examples = encoder_examples(prompts_dir, templates, styled)
    # The encoder was fitted on these examples only; its out-of-fold scores must match them.
    second = encoder_oof([normalise(e.text) for e in examples], encoder_scores)
    # Short text (v9) is first-stage rows only: the encoder never saw it, so its score is a
    # held-out one for it (below).
    short = short_benign_examples(prompts_dir, examples, common_words() if words is None else words)
    examples += short
    matrix = _matrix([e.text for e in examples])
    y = np.asarray([e.labels for e in examples], dtype=np.float32)
    sw = np.asarray([e.weight for e in examples], dtype=np.float32)
    folds = np.asarray([_fold(e.group) for e in examples])
    oof = out_of_fold_logits(matrix, y, sw, folds)
    calibrated = platt(oof, y.astype(np.float64))
    texts = [normalise(e.text) for e in examples]
    first = block_scores(oof, calibrated)
    # The short rows are not in the encoder's training data, so the shipped encoder's score is a
    # held-out one for them; asked only where the gate lets it speak, as at run time.
    # Whether each row names a person, a child or a sexual term: its gate and its confirmation.
    evident = np.array([speaks_for_itself(t) for t in texts], dtype=bool)
    gates = encoder_gates(evident)
    asked = [i for i in range(len(examples) - len(short), len(examples)) if first[i] >= gates[i]]
    second = np.concatenate([second, np.zeros(len(short))])
    second[asked] = [intent_encoder().score(texts[i]) for i in asked]
    reads = np.array([intent_encoder().reads(t) for t in texts])
    # Only from RAISE_MIN_WORDS words does the encoder raise a score on its own (v12).
    long_enough = np.array([intent_encoder().long_enough_to_raise(t) for t in texts])
    fired = encoder_fires(first, second, gates) & reads & long_enough
    # Since v11 a first-stage block of readable text that holds no lexicon term needs the encoder's
    # confirmation (model.IntentModel._second_stage): unconfirmed rows never block, at any point.
    unconfirmed = unconfirmed_rows(evident, second, reads)
    # The operating point bounds the false positives of both stages together, before the
    # confirmation: chosen with it, the point fell from 0.2 to 0.08 to spend the captions' freed
    # false positives, and first-stage blocks of text the encoder cannot confirm (other languages,
    # short words) rose from 52 to 175 out of fold. The confirmation only removes blocks.
    point = choose_operating_point(examples, np.where(fired, 1.0, first))
    params = shift_to_operating_point(calibrated, point)
    scores = np.where(fired, 1.0, np.where(unconfirmed, 0.0, block_scores(oof, params)))
    if oof_out is not None:
        write_npz(oof_out, {"texts": np.asarray([e.text for e in examples]),
                            "sources": np.asarray([e.source for e in examples]),
                            "first": block_scores(oof, params), "encoder": second,
                            "reads": reads, "unconfirmed": unconfirmed, "blocked": scores >= THRESHOLD})
    w, b = fit(*matrix, y, sw)
    counts: dict[str, int] = {}
    for e in examples:
        counts[e.source] = counts.get(e.source, 0) + 1
    positives = {c.value: int(sum(e.labels[i] for e in examples)) for i, c in enumerate(CATEGORIES)}
    meta = {
        "version": VERSION,
        "threshold": THRESHOLD,
        "operating_point": point,
        "seed": SEED,
        "n_features": N_FEATURES,
        "embedding_sha256": token_embedding().sha256,
        "encoder": {"gate": ENCODER_GATE, "gate_person": ENCODER_GATE_PERSON, "cut": ENCODER_CUT,
                    "agree": ENCODER_AGREE, "operating_point": point,
                    "sha256": encoder_sha256()},
        "examples": len(examples),
        "folds": FOLDS,
        "cv_block_rate": cv_report(examples, scores, THRESHOLD),
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prompts", type=Path, default=default_prompts_dir())
    parser.add_argument("--out", type=Path, default=ARTEFACT)
    parser.add_argument("--check", action="store_true",
                        help="retrain into a temporary file and exit 1 unless its sha256 equals --out's")
    parser.add_argument("--oof-out", type=Path, default=None,
                        help="also write every example's out-of-fold scores here (.npz), for error analysis")
    args = parser.parse_args()
    if args.check:
        with tempfile.TemporaryDirectory() as tmp:
            fresh = Path(tmp) / args.out.name
            train(args.prompts, fresh)
            same = fresh.read_bytes() == args.out.read_bytes()
        print(f"{args.out.name}: {'reproduced byte for byte' if same else 'DIFFERS from a fresh training run'}")
        sys.exit(0 if same else 1)
    meta = train(args.prompts, args.out, oof_out=args.oof_out)
    sha = args.out.with_suffix(args.out.suffix + ".sha256").read_text().split()[0]
    print(json.dumps({**meta, "artefact": str(args.out.name), "sha256": sha}, indent=2))


if __name__ == "__main__":
    main()
