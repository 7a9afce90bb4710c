"""The intent model's speed paths compute exactly what their plain definitions compute.

``vectorise_columns`` hashes each word's n-grams once per word (cached) and builds feature
strings only for evidence; ``strip_benign`` builds its alternation from the phrases present.
Both must give the same bits as the straightforward versions, or scores (and decisions) drift.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from genguard.detectors.intent.embedding import token_embedding
from genguard.detectors.intent.features import (
    EMBEDDING_FEATURE,
    EMBEDDING_WEIGHT,
    LEXICON_WEIGHT,
    MAX_EMBEDDING_WEIGHT,
    N_FEATURES,
    feature_strings,
    vectorise,
    vectorise_columns,
)
from genguard.detectors.intent.lexicon import BENIGN_PHRASES, _pattern, strip_benign
from genguard.detectors.intent.normalise import normalise
from genguard.datasets import default_prompts_dir, read_prompts

CRAFTED = ["", "   ", "a", "nude nude nude", "写真 裸 比基尼", "bikini bikini top", "chicken breast nude lip",
           "the the the the", "s3xy t0pless", "х" * 40, "hot dog hot dogs bathroom the strip club sign"]


def _texts() -> list[str]:
    rows = read_prompts(default_prompts_dir())
    return [normalise(r.text) for r in rows[::41]] + [normalise(t) for t in CRAFTED]


def _hash(feature: str) -> int:
    import zlib

    return zlib.crc32(feature.encode("utf-8")) & (N_FEATURES - 1)


def _reference(normalised: str) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """``vectorise`` as first written: every feature string hashed where it occurs."""
    grams, lexical = feature_strings(normalised)
    columns: dict[int, float] = {}
    names: dict[int, str] = {}
    for gram in grams:
        col = _hash(gram)
        columns[col] = columns.get(col, 0.0) + 1.0
        names.setdefault(col, gram)
    ids = np.fromiter(columns, dtype=np.int64, count=len(columns))
    values = np.log1p(np.fromiter(columns.values(), dtype=np.float32, count=len(columns)))
    norm = float(np.linalg.norm(values))
    if norm > 0:
        values /= norm
    lex = {}
    for feature in lexical:
        lex[_hash(feature)] = LEXICON_WEIGHT
        names[_hash(feature)] = feature
    if lex:
        ids = np.concatenate([ids, np.fromiter(lex, dtype=np.int64, count=len(lex))])
        values = np.concatenate([values, np.full(len(lex), LEXICON_WEIGHT, dtype=np.float32)])
    mean, peak = token_embedding().pool(normalised)
    emb = [_hash(f"emb:{i}") for i in range(len(mean))] + [_hash(f"embmax:{i}") for i in range(len(mean))]
    names.update(dict.fromkeys(emb, EMBEDDING_FEATURE))
    ids = np.concatenate([ids, np.asarray(emb, dtype=np.int64)])
    values = np.concatenate([values, (mean * EMBEDDING_WEIGHT).astype(np.float32),
                             (peak * MAX_EMBEDDING_WEIGHT).astype(np.float32)])
    return ids, values, [names[c] for c in ids.tolist()]


@pytest.mark.parametrize("twice", [False, True], ids=["cold", "cached"])
def test_vectorise_gives_the_columns_values_and_names_of_the_plain_definition(twice: bool) -> None:
    texts = _texts()
    for _ in range(2 if twice else 1):
        for text in texts:
            ids, values, names = vectorise(text)
            ref_ids, ref_values, ref_names = _reference(text)
            assert np.array_equal(ids, ref_ids), text
            assert values.tobytes() == ref_values.tobytes(), text  # same order: same sums, to the bit
            assert names == ref_names, text
            fast_ids, fast_values = vectorise_columns(text)
            assert np.array_equal(fast_ids, ids) and fast_values.tobytes() == values.tobytes()


def test_strip_benign_equals_one_alternation_of_every_phrase() -> None:
    phrases = [normalise(p) for p in sorted(BENIGN_PHRASES, key=len, reverse=True)]
    everything = re.compile("|".join(_pattern(p) for p in phrases))
    texts = _texts() + phrases + [f"x {a} {b}s y {a}" for a in phrases[:30] for b in phrases[-30:]]
    texts += ["the woman in the photo in the photo", "nude lipsticks", "bathrooms", "a hot dogs stand"]
    for text in texts:
        assert strip_benign(text) == everything.sub(" ", text), text
