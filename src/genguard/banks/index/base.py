"""What every PDQ index offers, so the oracle and the fast index are interchangeable."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np


@dataclass(frozen=True, slots=True)
class Hits:
    """The entries within radius of one query: caller ids and bit distances, sorted by id."""

    ids: np.ndarray
    distances: np.ndarray

    def as_pairs(self) -> list[tuple[int, int]]:
        return [(int(i), int(d)) for i, d in zip(self.ids, self.distances, strict=True)]

    @classmethod
    def reduce(cls, ids: np.ndarray, distances: np.ndarray) -> Hits:
        """One row per id, keeping its smallest distance (an id may hold several codes)."""
        if len(ids) == 0:
            return cls(np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64))
        order = np.lexsort((distances, ids))
        ids, distances = ids[order], distances[order]
        first = np.ones(len(ids), dtype=bool)
        first[1:] = ids[1:] != ids[:-1]
        return cls(ids[first], distances[first].astype(np.int64))


class PDQIndex(Protocol):
    """Exact radius search over 256-bit codes, keyed by caller-chosen int64 ids.

    One id may be added with several codes (and one code under several ids); ``remove`` drops
    every code of an id at once and takes effect for the very next search.
    """

    def __len__(self) -> int: ...

    def add(self, codes: np.ndarray, ids: np.ndarray) -> None: ...

    def remove(self, ids: np.ndarray) -> int: ...

    def search(self, code: np.ndarray, radius: int) -> Hits: ...

    def search_batch(self, codes: np.ndarray, radius: int) -> list[Hits]: ...
