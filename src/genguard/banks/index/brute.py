"""The brute-force index: every search scans every live code. The correctness oracle.

It is deliberately the simplest possible exact search (XOR and popcount over all codes), so
that the fast index can be checked against it on any data, including adversarial data.
"""

from __future__ import annotations

import numpy as np

from genguard.banks.index.base import Hits
from genguard.banks.index.codes import as_codes, hamming


class BruteForceIndex:
    """Exact radius search by a full scan; adds append, removes clear a liveness flag."""

    def __init__(self) -> None:
        self._codes = np.empty((0, 32), dtype=np.uint8)
        self._ids = np.empty(0, dtype=np.int64)
        self._alive = np.empty(0, dtype=bool)

    def __len__(self) -> int:
        return int(self._alive.sum())

    def add(self, codes: np.ndarray, ids: np.ndarray) -> None:
        codes = as_codes(codes)
        ids = np.asarray(ids, dtype=np.int64).reshape(-1)
        if len(ids) != len(codes):
            raise ValueError("codes and ids differ in length")
        self._codes = np.concatenate([self._codes, codes])
        self._ids = np.concatenate([self._ids, ids])
        self._alive = np.concatenate([self._alive, np.ones(len(ids), dtype=bool)])

    def remove(self, ids: np.ndarray) -> int:
        hit = np.isin(self._ids, np.asarray(ids, dtype=np.int64)) & self._alive
        self._alive[hit] = False
        return int(hit.sum())

    def search(self, code: np.ndarray, radius: int) -> Hits:
        dist = hamming(self._codes, as_codes(code)[0])
        keep = np.flatnonzero((dist <= radius) & self._alive)
        return Hits.reduce(self._ids[keep], dist[keep])

    def search_batch(self, codes: np.ndarray, radius: int) -> list[Hits]:
        return [self.search(code, radius) for code in as_codes(codes)]
