"""Training is reproducible and never reads held-out rows; the committed artefact is intact.

Retraining the full artefact takes minutes, so the byte-for-byte check of the committed file is
``python -m genguard.training.intent --check`` (docs/intent.md); here the same code path
runs twice on a small template file and a small prompt folder.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest

from genguard.detectors.intent.model import ARTEFACT, VERSION, IntentModel, ModelArtefactError
from genguard.detectors.intent.model import sigmoid
from genguard.detectors.intent.normalise import normalise
from genguard.training.intent import (
    CATEGORIES,
    SEXUAL,
    TARGET_FPR,
    TEMPLATES,
    THRESHOLD,
    Example,
    choose_operating_point,
    SHORT_EXCLUDE,
    _words,
    dev_examples,
    encoder_examples,
    shift_to_operating_point,
    short_benign_examples,
    styled_benign_examples,
    template_examples,
    texts_digest,
    train,
    write_npz,
)
from genguard.training.styled_benign import styled_benign_prompts
from genguard.datasets import default_prompts_dir, is_holdout, read_prompts
from genguard.signals import IntentCategory as C

SMALL_TEMPLATES = {
    "en": {
        "persons": ["her", "this woman"], "generic": ["a woman"], "minors": ["this girl"],
        "undress": ["remove {p}'s clothes", "make {p} naked"],
        "revealing_clothing": ["put {p} in a bikini"], "sheer_wet": ["make {p}'s shirt see-through"],
        "body_sexualisation": ["make {p} look sexy"], "sexual_pose": ["pose {p} seductively on a bed"],
        "explicit_sexual": ["{p} having sex"],
        "benign": ["put a hat on {p}", "remove the background", "a man in a dress shirt"],
    },
    "t2i": {
        "styles": ["oil painting", "digital art", "8k photo", "watercolour"],
        "undress": ["a nude woman on a sofa"], "revealing_clothing": ["a model in lingerie"],
        "sheer_wet": ["a see-through dress"], "body_sexualisation": ["a busty woman"],
        "sexual_pose": ["a woman with legs spread"], "explicit_sexual": ["an erotic scene"],
        "benign": ["a stormy sea", "a castle on a hill"],
    },
}
PROMPTS = [
    {"text": "a nude figure lying in bed", "label": "block", "category": "sexual"},
    {"text": "two dogs playing in the snow", "label": "allow", "category": "benign_caption"},
    {"text": "a bowl of soup on a table", "label": "allow", "category": "benign_caption"},
    {"text": "make it look like a van gogh", "label": "allow", "category": "benign_edit"},
    {"text": "a painting of a bather", "label": "review", "category": "borderline"},
]
#: Stand-ins for ``common_words()`` (wordfreq is in the train extra): benign words, words the
#: filters must drop (lexicon terms, better_profanity entries, hand-reviewed cue words), a
#: dev ``review`` row's text.
SMALL_WORDS = ["chair", "ocean", "love", "infinity", "girl", "nude", "bikini", "porn", "kiss", "torso",
               "a painting of a bather"]

#: Stand-ins for ``styled_benign_prompts()``: benign styled prompts, look-alikes the lexicon
#: blanks ("naked eye") or reads as sexual ("thong sandals", which must be dropped), a sexual
#: prompt that must never be labelled benign, and a dev row's text (dropped as a duplicate).
SMALL_STYLED = [
    ("a red fox in the snow, 8k, highly detailed", "en", "en:fox"),
    ("a red fox in the snow, oil painting", "en", "en:fox"),
    ("the milky way seen with the naked eye, long exposure", "en", "en:milky way"),
    ("a pair of thong sandals, product photography", "en", "en:sandals"),
    ("a nude woman on a bed, octane render", "en", "en:bad"),
    ("two dogs playing in the snow", "en", "en:dogs"),
    ("un zorro rojo en el bosque, luz suave", "es", "es:zorro"),
]


@pytest.fixture
def small_inputs(tmp_path: Path) -> tuple[Path, Path]:
    templates = tmp_path / "templates.json"
    templates.write_text(json.dumps(SMALL_TEMPLATES), encoding="utf-8")
    prompts = tmp_path / "prompts"
    prompts.mkdir()
    (prompts / "rows.jsonl").write_text("".join(json.dumps(r) + "\n" for r in PROMPTS), encoding="utf-8")
    # Out-of-fold encoder probabilities for these examples (training the encoder is not what
    # these tests are about): the first stage alone decides below 0.5.
    texts = [normalise(e.text) for e in encoder_examples(prompts, templates, SMALL_STYLED)]
    write_npz(tmp_path / "encoder_oof.npz", {"oof": np.full(len(texts), 0.5), "texts_sha256": np.asarray(texts_digest(texts))})
    return templates, prompts


def test_rerun_gives_identical_bytes_and_a_loadable_model(small_inputs: tuple[Path, Path], tmp_path: Path) -> None:
    templates, prompts = small_inputs
    first, second = tmp_path / "a" / "m.npz", tmp_path / "b" / "m.npz"
    first.parent.mkdir()
    second.parent.mkdir()
    oof = templates.parent / "encoder_oof.npz"
    meta = train(prompts, first, templates, oof, SMALL_WORDS, SMALL_STYLED)
    train(prompts, second, templates, oof, SMALL_WORDS, SMALL_STYLED, oof_out=tmp_path / "oof.npz")
    assert first.read_bytes() == second.read_bytes()  # the error-analysis dump changes nothing
    with np.load(tmp_path / "oof.npz", allow_pickle=False) as dump:
        assert len(dump["texts"]) == len(dump["first"]) == len(dump["blocked"]) == meta["examples"]
        assert set(dump["sources"]) >= {"styled:en", "short:word"}
    sha = first.with_suffix(".npz.sha256").read_text().split()[0]
    assert sha == hashlib.sha256(first.read_bytes()).hexdigest()
    model = IntentModel(first)
    assert model.threshold == meta["threshold"] >= 0.5
    assert set(meta["cv_block_rate"]) <= {"sexual", "benign_caption", "benign_edit", "short:word", "short:phrase",
                                          "styled:en", "styled:other"}
    assert model.predict("make her naked").scores  # the artefact scores text
    assert meta["counts_by_source"]["styled:en"] >= 1 and meta["version"] == VERSION


def test_styled_rows_train_both_stages_and_short_rows_the_first_stage_only(small_inputs: tuple[Path, Path],
                                                                          tmp_path: Path) -> None:
    """Since v12 the styled prompts are encoder rows too (v11 trained the first stage alone on
    them): the rows the encoder's out-of-fold file must match are templates, dev rows and styled
    prompts, in that order; the short rows follow them in the first stage's data only."""
    templates, prompts = small_inputs
    base = template_examples(templates) + dev_examples(prompts)
    shared = encoder_examples(prompts, templates, SMALL_STYLED)
    assert shared[: len(base)] == base and {e.source for e in shared[len(base):]} == {"styled:en", "styled:other"}
    dump = tmp_path / "oof.npz"
    train(prompts, tmp_path / "m.npz", templates, templates.parent / "encoder_oof.npz", SMALL_WORDS, SMALL_STYLED,
          oof_out=dump)
    with np.load(dump, allow_pickle=False) as arrays:
        sources = list(arrays["sources"])
    assert sources[: len(shared)] == [e.source for e in shared]
    assert set(sources[len(shared):]) <= {"short:word", "short:phrase"} and "short:word" in sources[len(shared):]


def test_review_and_holdout_rows_are_never_training_data(small_inputs: tuple[Path, Path]) -> None:
    _, prompts = small_inputs
    texts = {e.text for e in dev_examples(prompts)}
    assert "a painting of a bather" not in texts
    assert texts == {r["text"] for r in PROMPTS if r["label"] != "review" and not is_holdout(r["text"])}


def test_short_benign_rows_are_short_never_sexual_and_never_held_out(small_inputs: tuple[Path, Path]) -> None:
    templates, prompts = small_inputs
    existing = template_examples(templates) + dev_examples(prompts)
    short = short_benign_examples(prompts, existing, SMALL_WORDS)
    words = {e.text for e in short if e.source == "short:word"}
    assert words == {"chair", "ocean", "love", "infinity", "girl"}
    phrases = [e for e in short if e.source == "short:phrase"]
    allowed = {r["text"] for r in PROMPTS if r["label"] == "allow" and not is_holdout(r["text"])}
    assert phrases and all(e.group in allowed and e.text in e.group for e in phrases)  # a span, in its row's fold
    excluded = {w for w in SHORT_EXCLUDE.read_text(encoding="utf-8").split() if not w.startswith("#")}
    for example in short:
        assert 1 <= len(example.text.split()) <= 3
        assert not any(example.labels[: len(SEXUAL)]) and not is_holdout(example.text)
        assert not set(normalise(example.text).split()) & excluded
        assert normalise(example.text) not in {normalise(e.text) for e in existing}
    girl = next(e for e in short if e.text == "girl")
    assert girl.labels[CATEGORIES.index(C.MINOR_REFERENCE)] == 1.0  # context labels from the lexicon


def test_styled_benign_rows_are_never_sexual_never_held_out_and_grouped(small_inputs: tuple[Path, Path]) -> None:
    templates, prompts = small_inputs
    existing = template_examples(templates) + dev_examples(prompts)
    styled = styled_benign_examples(read_prompts(prompts), existing, SMALL_STYLED)
    texts = {e.text for e in styled}
    assert "a nude woman on a bed, octane render" not in texts  # the lexicon reads it as sexual
    assert "a pair of thong sandals, product photography" not in texts  # a look-alike the lexicon does not blank
    assert "two dogs playing in the snow" not in texts  # a dev row's text: no duplicate
    expected = {t for t, _, _ in SMALL_STYLED} - {"a nude woman on a bed, octane render",
                                                 "a pair of thong sandals, product photography",
                                                 "two dogs playing in the snow"}
    assert texts == {t for t in expected if not is_holdout(t)}
    for example in styled:
        assert not any(example.labels[: len(SEXUAL)]) and example.source in ("styled:en", "styled:other")
    fox = [e.group for e in styled if "fox" in e.text]
    assert len(set(fox)) <= 1  # variants of one subject share a fold


def test_styled_generator_is_deterministic_distinct_and_lexicon_clean_enough() -> None:
    first, second = styled_benign_prompts(), styled_benign_prompts()
    assert first == second and len(first) >= 4_000
    booru = [t for t, _, g in first if g.startswith("booru:")]
    assert len(booru) >= 500 and all(", " in t for t in booru)  # tag lists (v11)
    assert len({t.casefold() for t, _, _ in first}) == len(first)
    assert styled_benign_prompts(seed=1) != first
    languages = {lang for _, lang, _ in first}
    assert languages == {"en", "es", "fr", "de", "pt", "it", "ru", "pl", "nl", "tr", "ar", "hi", "hi-latn", "ja", "zh"}
    from genguard.detectors.intent.lexicon import match
    flagged = [t for t, _, _ in first if {h.category for h in match(normalise(t))} & set(SEXUAL)]
    assert len(flagged) < 0.05 * len(first)  # look-alikes the lexicon reads as sexual are few (and dropped)


def test_filter_words_keep_devanagari_vowel_signs() -> None:
    # re's \w stops at Devanagari vowel signs: "बिल्ली" (cat) would be filtered as letters.
    assert _words("बिल्ली के बारे में, a cat") == ["बिल्ली", "के", "बारे", "में", "a", "cat"]


def test_shared_dev_training_rows_exclude_the_holdout_split() -> None:
    folder = default_prompts_dir()
    if not folder.is_dir():
        pytest.skip("shared dev set not present")
    examples = dev_examples(folder)
    assert examples and not any(is_holdout(e.text) for e in examples)


def test_every_language_has_benign_look_alikes_and_every_category() -> None:
    spec = json.loads(TEMPLATES.read_text(encoding="utf-8"))
    languages = {k for k in spec if not k.startswith("_") and k != "t2i"}
    assert languages == {"en", "es", "fr", "de", "pt", "it", "ru", "pl", "nl", "tr", "ar", "hi", "hi-latn", "ja", "zh"}
    for lang in languages:
        for key in ("undress", "revealing_clothing", "sheer_wet", "body_sexualisation", "sexual_pose",
                    "explicit_sexual"):
            assert spec[lang][key], (lang, key)
        assert len(spec[lang]["benign"]) >= 15, lang
    labels = {e.source for e in template_examples()}
    assert {f"template:{lang}" for lang in languages} | {"template:t2i"} == labels


def test_committed_artefact_matches_its_sha256_and_size_limit(tmp_path: Path) -> None:
    assert ARTEFACT.stat().st_size <= 50 * 1024 * 1024
    model = IntentModel(ARTEFACT)
    assert model.meta["seed"] and model.threshold >= 0.5
    assert np.isfinite(model.weights).all()
    altered = tmp_path / ARTEFACT.name
    data = bytearray(ARTEFACT.read_bytes())
    data[-10] ^= 0xFF
    altered.write_bytes(bytes(data))
    altered.with_suffix(".npz.sha256").write_text(ARTEFACT.with_suffix(".npz.sha256").read_text())
    with pytest.raises(ModelArtefactError):
        IntentModel(altered)


def _benign(category: str, n: int) -> list[Example]:
    return [Example(f"{category} {i}", (0.0,) * 8, 1.0, f"dev:{category}", f"{category} {i}") for i in range(n)]


def test_operating_point_bounds_the_fpr_of_captions_and_of_edits_separately() -> None:
    examples = _benign("benign_caption", 2000) + _benign("benign_edit", 400)
    scores = np.concatenate([np.linspace(0.0, 0.30, 2000), np.linspace(0.0, 0.90, 400)])
    point = choose_operating_point(examples, scores)
    edits = scores[2000:]
    # the edits set the point (0.90); pooled with the captions it would be 0.89, where 5 of the
    # 400 edits (1.25 %) pass
    assert (edits >= point).mean() <= TARGET_FPR < (edits >= point - 0.01).mean()
    assert (scores[:2000] >= point).mean() <= TARGET_FPR


def test_shifted_scores_reach_the_threshold_where_calibrated_ones_reach_the_operating_point() -> None:
    params = np.tile([[1.3, -0.4]], (8, 1))
    logits = np.linspace(-6, 6, 241)[:, None].repeat(8, axis=1)
    calibrated = sigmoid(params[:, 0] * logits + params[:, 1])
    shifted = shift_to_operating_point(params, 0.29)
    scores = sigmoid(shifted[:, 0] * logits + shifted[:, 1])
    sexual = slice(0, len(SEXUAL))
    assert ((scores[:, sexual] >= THRESHOLD) == (calibrated[:, sexual] >= 0.29)).all()
    assert np.array_equal(scores[:, len(SEXUAL):], calibrated[:, len(SEXUAL):])  # context categories untouched
    assert (np.diff(scores[:, 0]) > 0).all()  # the order of prompts is kept
