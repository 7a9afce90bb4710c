"""A semantic view of the prompt: pooled WordLlama token embeddings (weights from PyPI, no torch).

Hashed n-grams only know strings seen in training: "naked" shares no n-gram with "nude".
WordLlama's 256-dimension token embeddings (distilled from LLaMA-2's token
embeddings; MIT; shipped inside the ``wordllama`` wheel) place such words near each other. The
wheel's files are read directly - the safetensors table with ``safetensors.numpy`` and the
tokenizer with ``tokenizers`` - so no download and no torch happen at run time. The prompt's
mean and element-wise maximum token vectors, each L2-normalised, enter the logistic model as
extra feature columns (``features.vectorise``); cross-validation chose their weights
(docs/intent.md).
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

import numpy as np

from genguard.detectors.runtime import package_file

PACKAGE = "wordllama"
WEIGHTS = "weights/l2_supercat_256.safetensors"
TOKENIZER = "tokenizers/l2_supercat_tokenizer_config.json"


class TokenEmbedding:
    """The token table (float16, read-only) and its tokenizer; ``embed`` is thread-safe."""

    def __init__(self) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        weights = package_file(PACKAGE, WEIGHTS)
        #: Recorded in the intent artefact at training and checked at load: other vectors,
        #: other scores.
        self.sha256 = hashlib.sha256(weights.read_bytes()).hexdigest()
        self.table = load_file(str(weights))["embedding.weight"]
        self.table.setflags(write=False)
        self.dims = int(self.table.shape[1])
        self._tokenizer = Tokenizer.from_file(str(package_file(PACKAGE, TOKENIZER)))

    def embed(self, text: str) -> np.ndarray:
        """Unit-length mean of the token vectors of ``<s>`` + text (the first of ``pool``)."""
        return self.pool(text)[0]

    def pool(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Unit-length mean of the token vectors of ``<s>`` + text, and unit-length maximum of
        the text's own token vectors (``<s>`` alone for an empty text); zeros if nothing is
        tokenised.

        The start token is a constant share of every mean, largest for short texts; without it
        short benign edit instructions scattered further and cross-validated false positives on
        them rose from 0.06 % to 0.67 %. The maximum leaves it out: a constant vector would set
        the maximum of many dimensions for every prompt. The maximum keeps a strong token that
        a long prompt's mean dilutes (one "boudoir" among twenty style words).
        """
        ids = self._tokenizer.encode(text).ids
        if not ids:
            zeros = np.zeros(self.dims, dtype=np.float32)
            return zeros, zeros
        vectors = self.table[ids].astype(np.float32)
        return _unit(vectors.mean(axis=0)), _unit(vectors[1:].max(axis=0) if len(ids) > 1 else vectors[0])


def _unit(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm > 0 else vector


@lru_cache(maxsize=1)
def token_embedding() -> TokenEmbedding:
    """The process-wide table (16 MB), loaded on first use."""
    return TokenEmbedding()
