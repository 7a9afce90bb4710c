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
from functools import lru_cache

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


def _hash(feature: str) -> int:
    return zlib.crc32(feature.encode("utf-8")) & (N_FEATURES - 1)


def feature_strings(normalised: str) -> tuple[list[str], list[str]]:
    """The n-gram/word feature strings and the lexicon feature strings of one normalised text."""
    words = _WORD_RE.findall(normalised)
    grams: list[str] = [f"w:{w}" for w in words]
    grams.extend(f"b:{a} {b}" for a, b in zip(words, words[1:], strict=False))
    for word in words:
        padded = f" {word} "
        for n in CHAR_NGRAMS:
            grams.extend(f"c:{padded[i:i + n]}" for i in range(len(padded) - n + 1))
    lexical: list[str] = []
    for hit in match(normalised):
        lexical.append(f"lex:{hit.category.value}")
        lexical.append(f"term:{hit.term}")
    return grams, lexical


def vectorise(normalised: str) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Sparse row (column ids, values) and the feature string behind each column id.

    N-gram counts are sublinear (log1p) and L2-normalised so long prompts do not outweigh short
    ones; lexicon features are appended unnormalised.
    """
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
    lex_columns: dict[int, float] = {}
    for feature in lexical:
        col = _hash(feature)
        lex_columns[col] = LEXICON_WEIGHT
        names[col] = feature
    if lex_columns:
        ids = np.concatenate([ids, np.fromiter(lex_columns, dtype=np.int64, count=len(lex_columns))])
        values = np.concatenate([values, np.full(len(lex_columns), LEXICON_WEIGHT, dtype=np.float32)])
    mean, peak = token_embedding().pool(normalised)
    columns_e = _embedding_columns(len(mean))
    names.update(_embedding_names(len(mean)))
    ids = np.concatenate([ids, columns_e])
    values = np.concatenate(
        [values, (mean * EMBEDDING_WEIGHT).astype(np.float32), (peak * MAX_EMBEDDING_WEIGHT).astype(np.float32)]
    )
    return ids, values, [names[c] for c in ids.tolist()]


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
