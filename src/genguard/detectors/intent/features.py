"""Hashed text features shared by training and run time (one definition, so they cannot drift).

Character n-grams inside words carry spelling variants, inflections and scripts without
spaces (Chinese, Japanese); word unigrams and bigrams carry phrases ("crop top", "less
fabric"); lexicon hits carry the curated multilingual terms; the mean and maximum WordLlama
token vectors carry meaning that no n-gram shares ("naked" near "nude"). Everything is hashed with
CRC32 into a fixed number of columns, so the model is one dense weight matrix and no vocabulary.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from functools import lru_cache
from itertools import pairwise

import numpy as np

from genguard.detectors.intent.embedding import token_embedding
from genguard.detectors.intent.lexicon import match

#: Number of hashed columns (2**18): collisions stay rare and the weights stay a few MB.
N_FEATURES = 1 << 18
CHAR_NGRAMS = (2, 3, 4, 5)
_WORD_RE = re.compile(r"\w+", re.UNICODE)
#: Lexicon features get this value: a curated term is worth several n-grams.
LEXICON_WEIGHT = 1.0
#: Scale of the unit-length embedding columns (cross-validated: 3.0 beat 0, i.e. none, and 1.0).
EMBEDDING_WEIGHT = 3.0
#: Scale of the unit-length max-pooled embedding columns (cross-validated: 1.5; 3.0 was no better).
MAX_EMBEDDING_WEIGHT = 1.5
#: Feature name shown as evidence for any embedding column (a dimension number means nothing).
EMBEDDING_FEATURE = "token_vector"
#: Words whose columns are kept (``_word_columns``): ~1 kB each, so at most a few MB.
WORD_CACHE = 8192


def _hash(feature: str) -> int:
    return zlib.crc32(feature.encode("utf-8")) & (N_FEATURES - 1)


def feature_strings(normalised: str) -> tuple[list[str], list[str]]:
    """The n-gram/word feature strings and the lexicon feature strings of one normalised text."""
    words = _WORD_RE.findall(normalised)
    grams: list[str] = [f"w:{w}" for w in words]
    grams.extend(f"b:{a} {b}" for a, b in pairwise(words))
    for word in words:
        grams.extend(_char_grams(word))
    return grams, _lexical(normalised)


def _char_grams(word: str) -> list[str]:
    padded = f" {word} "
    return [f"c:{padded[i:i + n]}" for n in CHAR_NGRAMS for i in range(len(padded) - n + 1)]


def _lexical(normalised: str) -> list[str]:
    lexical: list[str] = []
    for hit in match(normalised):
        lexical.append(f"lex:{hit.category.value}")
        lexical.append(f"term:{hit.term}")
    return lexical


@lru_cache(maxsize=WORD_CACHE)
def _word_columns(word: str) -> tuple[int, tuple[int, ...]]:
    """The column of ``w:<word>`` and those of its character n-grams, in ``feature_strings``'
    order. Words recur across prompts (Zipf), so hashing each n-gram string once per word, not
    once per occurrence, takes most of the cost out of ``vectorise``."""
    return _hash(f"w:{word}"), tuple(_hash(gram) for gram in _char_grams(word))


def vectorise_columns(normalised: str) -> tuple[np.ndarray, np.ndarray]:
    """``vectorise`` without the feature strings: the same column ids and values, in the same
    order (so the same sums to the last bit), for scoring where no evidence is shown.

    N-gram counts are sublinear (log1p) and L2-normalised so long prompts do not outweigh short
    ones; lexicon features are appended unnormalised.
    """
    words = _WORD_RE.findall(normalised)
    per_word = [_word_columns(w) for w in words]
    cols = [word_col for word_col, _ in per_word]
    cols.extend(_hash(f"b:{a} {b}") for a, b in pairwise(words))
    for _, char_cols in per_word:
        cols.extend(char_cols)
    counts = Counter(cols)  # insertion-ordered: columns in order of first occurrence
    ids = np.fromiter(counts, dtype=np.int64, count=len(counts))
    values = np.log1p(np.fromiter(counts.values(), dtype=np.float32, count=len(counts)))
    norm = float(np.linalg.norm(values))
    if norm > 0:
        values /= norm
    lex_columns = dict.fromkeys(_hash(feature) for feature in _lexical(normalised))
    if lex_columns:
        ids = np.concatenate([ids, np.fromiter(lex_columns, dtype=np.int64, count=len(lex_columns))])
        values = np.concatenate([values, np.full(len(lex_columns), LEXICON_WEIGHT, dtype=np.float32)])
    mean, peak = token_embedding().pool(normalised)
    ids = np.concatenate([ids, _embedding_columns(len(mean))])
    values = np.concatenate(
        [values, (mean * EMBEDDING_WEIGHT).astype(np.float32), (peak * MAX_EMBEDDING_WEIGHT).astype(np.float32)]
    )
    return ids, values


def feature_names(normalised: str, ids: np.ndarray) -> list[str]:
    """The feature string behind each of ``ids`` (``vectorise_columns`` of ``normalised``): the
    first n-gram hashed to a column, unless a lexicon or embedding feature shares it."""
    grams, lexical = feature_strings(normalised)
    names: dict[int, str] = {}
    for gram in grams:
        names.setdefault(_hash(gram), gram)
    names.update((_hash(feature), feature) for feature in lexical)
    names.update(_embedding_names(token_embedding().dims))
    return [names[c] for c in ids.tolist()]


def vectorise(normalised: str) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Sparse row (column ids, values) and the feature string behind each column id."""
    ids, values = vectorise_columns(normalised)
    return ids, values, feature_names(normalised, ids)


@lru_cache(maxsize=4)
def _embedding_columns(dims: int) -> np.ndarray:
    """Hashed columns of the mean's dimensions (``emb:<i>``), then the maximum's (``embmax:<i>``);
    distinct, fixed."""
    columns = np.asarray(
        [_hash(f"emb:{i}") for i in range(dims)] + [_hash(f"embmax:{i}") for i in range(dims)], dtype=np.int64
    )
    assert len(set(columns.tolist())) == 2 * dims, "embedding columns collide"
    columns.setflags(write=False)
    return columns


@lru_cache(maxsize=4)
def _embedding_names(dims: int) -> dict[int, str]:
    """The feature name of every embedding column (one shared name), built once, not per text."""
    return dict.fromkeys(_embedding_columns(dims).tolist(), EMBEDDING_FEATURE)
