"""The production PDQ index: substring tables (see :mod:`~genguard.banks.index.tables`) plus
a small in-RAM delta and tombstones.

Why adds and removes are cheap: new codes go to a small *delta* segment searched by brute
force until :meth:`MultiIndexHashIndex.compact` folds it into the tables off the request path;
removes clear a liveness bit, so a withdrawn entry stops matching at once.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from genguard.banks.index import bitset
from genguard.banks.index.base import Hits
from genguard.banks.index.codes import PDQ_BYTES, as_codes, hamming
from genguard.banks.index.records import Records, positions_of
from genguard.banks.index.tables import (
    DEFAULT_SPILL_AT, KEY_SPACE, MAX_RADIUS, Tables, probe_plan, return_freed_memory,
)

log = logging.getLogger(__name__)

#: Candidates gathered per batch step: bounds the temporary memory of a batch search.
_CANDIDATES_PER_STEP = 1 << 17
#: A delta past this size is slower to scan than the tables: time to compact.
DEFAULT_DELTA_LIMIT = 200_000


def _live_records(
    records: Records, live: np.ndarray, more_codes: np.ndarray, more_ids: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The live records then ``more``, copied once into arrays of their final size (a
    compaction at 10M would otherwise hold the old codes several times over)."""
    total = int(live.sum()) + len(more_ids)
    codes = np.empty((total, PDQ_BYTES), dtype=np.uint8)
    ids = np.empty(total, dtype=np.int64)
    at = 0
    for lo, chunk_codes, chunk_ids in records.chunks():
        keep = live[lo : lo + len(chunk_ids)]
        k = int(keep.sum())
        codes[at : at + k], ids[at : at + k] = chunk_codes[keep], chunk_ids[keep]
        at += k
    codes[at:], ids[at:] = more_codes, more_ids
    return codes, ids


@dataclass(frozen=True, slots=True)
class _State:
    """What a search reads: one reference, swapped whole by writers.

    The liveness arrays are the one mutable part: a removal clears bits in place so that it
    is visible to searches already holding this state.
    """

    base: Tables
    base_alive: np.ndarray  # little-endian bitset over base positions
    delta_codes: np.ndarray
    delta_ids: np.ndarray
    delta_alive: np.ndarray  # bool


class MultiIndexHashIndex:
    """Exact radius search over PDQ codes: substring tables + delta + tombstones.

    Thread model: searches read one immutable :class:`_State` and take no lock; writers (add,
    remove, compact) serialise on one lock and publish a new state by a single reference swap.

    ``spill_at`` and ``spill_dir``: a compacted segment of at least ``spill_at`` codes keeps
    its full codes and ids in an anonymous file in ``spill_dir`` (the system temp folder if
    None) instead of RAM; see :mod:`~genguard.banks.index.records`.
    """

    def __init__(
        self,
        *,
        delta_limit: int = DEFAULT_DELTA_LIMIT,
        spill_at: int = DEFAULT_SPILL_AT,
        spill_dir: Path | None = None,
    ) -> None:
        self._lock = threading.Lock()
        self._delta_limit = delta_limit
        self._compacting = False
        self._spill_at, self._spill_dir = spill_at, spill_dir
        no_codes = np.empty((0, PDQ_BYTES), dtype=np.uint8)
        no_ids = np.empty(0, dtype=np.int64)
        no_flags = np.empty(0, dtype=bool)
        self._state = _State(Tables.build(no_codes, no_ids), bitset.all_set(0), no_codes, no_ids, no_flags)

    @classmethod
    def from_arrays(
        cls,
        codes: np.ndarray,
        ids: np.ndarray,
        alive: np.ndarray | None = None,
        *,
        delta_limit: int = DEFAULT_DELTA_LIMIT,
        spill_at: int = DEFAULT_SPILL_AT,
        spill_dir: Path | None = None,
    ) -> MultiIndexHashIndex:
        """Build the tables over the live ``codes`` in one go (bulk load, or a loaded snapshot)."""
        index = cls(delta_limit=delta_limit, spill_at=spill_at, spill_dir=spill_dir)
        codes = as_codes(codes)
        ids = np.ascontiguousarray(ids, dtype=np.int64).reshape(-1)
        if len(ids) != len(codes):
            raise ValueError("codes and ids differ in length")
        if alive is not None:
            flags = np.asarray(alive, dtype=bool).reshape(-1)
            if len(flags) != len(ids):
                raise ValueError("alive flags and ids differ in length")
            if not flags.all():
                codes, ids = codes[flags], ids[flags]
        tables = Tables.build(codes, ids, spill_at=index._spill_at, spill_dir=index._spill_dir)
        s = index._state
        index._state = _State(tables, bitset.all_set(len(ids)), s.delta_codes, s.delta_ids, s.delta_alive)
        return index

    def __len__(self) -> int:
        s = self._state
        return int(np.bitwise_count(s.base_alive).sum() + s.delta_alive.sum())

    @property
    def delta_size(self) -> int:
        return len(self._state.delta_ids)

    @property
    def needs_compaction(self) -> bool:
        return self.delta_size > self._delta_limit

    @property
    def nbytes(self) -> int:
        """Bytes held in RAM by the index arrays (tables, filter slices, bits, delta)."""
        s = self._state
        return (
            s.base.nbytes
            + s.base_alive.nbytes
            + s.delta_codes.nbytes
            + s.delta_ids.nbytes
            + s.delta_alive.nbytes
        )

    def add(self, codes: np.ndarray, ids: np.ndarray) -> None:
        """Make ``codes`` searchable under ``ids`` now, by appending them to the delta."""
        codes = as_codes(codes)
        ids = np.asarray(ids, dtype=np.int64).reshape(-1)
        if len(ids) != len(codes):
            raise ValueError("codes and ids differ in length")
        with self._lock:
            s = self._state
            self._state = _State(
                s.base,
                s.base_alive,
                np.concatenate([s.delta_codes, codes]),
                np.concatenate([s.delta_ids, ids]),
                np.concatenate([s.delta_alive, np.ones(len(ids), dtype=bool)]),
            )

    def remove(self, ids: np.ndarray) -> int:
        """Stop every code of ``ids`` from matching, at once; returns how many codes went.

        The base segment's ids are read back from its records (a sequential scan: ~80 MB at
        10M codes), so callers should pass many ids at once rather than one call each.
        """
        wanted = np.asarray(ids, dtype=np.int64).reshape(-1)
        with self._lock:
            s = self._state
            hit = np.flatnonzero(np.isin(s.delta_ids, wanted) & s.delta_alive)
            s.delta_alive[hit] = False
            removed = len(hit)
            pos = positions_of(s.base.records, wanted)
            pos = pos[bitset.is_set(s.base_alive, pos)]
            bitset.clear(s.base_alive, pos)
            return removed + len(pos)

    def compact(self) -> None:
        """Fold the delta into freshly built tables and drop removed codes.

        Builds off to the side, without the lock, so searches and writes go on meanwhile;
        adds and removals made during the build are carried over before the swap.
        """
        with self._lock:
            s = self._state
            base_alive, delta_alive = s.base_alive.copy(), s.delta_alive.copy()
        live = bitset.to_flags(base_alive, len(s.base))
        codes, ids = _live_records(s.base.records, live, s.delta_codes[delta_alive], s.delta_ids[delta_alive])
        tables = Tables.build(codes, ids, spill_at=self._spill_at, spill_dir=self._spill_dir)
        del codes
        with self._lock:
            now = self._state
            folded = len(s.delta_ids)
            removed_since = np.concatenate(
                [
                    s.base.records.ids(np.flatnonzero(live & ~bitset.to_flags(now.base_alive, len(s.base)))),
                    s.delta_ids[delta_alive & ~now.delta_alive[:folded]],
                ]
            )
            flags = np.ones(len(ids), dtype=bool)
            if len(removed_since):
                flags[positions_of(tables.records, removed_since)] = False
            self._state = _State(
                tables,
                bitset.from_flags(flags),
                now.delta_codes[folded:],
                now.delta_ids[folded:],
                now.delta_alive[folded:],
            )

    def compact_in_background(self, then: Callable[[], None] | None = None) -> threading.Thread | None:
        """Start :meth:`compact` on a thread of its own, unless one is running; ``then`` runs
        after it succeeds. Returns the thread (None if one was already running).

        A failed compaction is logged and changes nothing: the delta stays searchable.
        """
        with self._lock:
            if self._compacting:
                return None
            self._compacting = True

        def run() -> None:
            try:
                self.compact()
            except Exception:  # noqa: BLE001 - the index stays exact without the compaction
                log.exception("PDQ index compaction failed; the delta stays searchable")
                return
            finally:
                self._compacting = False
            if then is not None:
                then()

        thread = threading.Thread(target=run, name="genguard-index-compact", daemon=True)
        thread.start()
        return thread

    def chunks(self) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """Every code, id and liveness flag of one moment, a run at a time (base, then delta):
        what a snapshot persists, without the whole index in RAM at once."""
        with self._lock:
            s = self._state
            base_alive = bitset.to_flags(s.base_alive, len(s.base))
            delta = (s.delta_codes, s.delta_ids, s.delta_alive.copy())
        for lo, codes, ids in s.base.records.chunks():
            yield codes, ids, base_alive[lo : lo + len(ids)]
        yield delta

    def drop_page_cache(self) -> None:
        """Drop the kernel's cached pages of the on-disk records (see :mod:`~genguard.banks.index.records`)."""
        self._state.base.records.drop_page_cache()

    def search(self, code: np.ndarray, radius: int) -> Hits:
        return self.search_batch(as_codes(code)[:1], radius)[0]

    def search_batch(self, codes: np.ndarray, radius: int) -> list[Hits]:
        """Exact matches within ``radius`` bits for each query code, in query order."""
        if not 0 <= radius <= MAX_RADIUS:
            raise ValueError(f"radius must be within 0..{MAX_RADIUS}")
        queries = as_codes(codes)
        s = self._state
        d_codes, d_ids, d_alive = s.delta_codes, s.delta_ids, s.delta_alive
        per_query = len(probe_plan(radius)[0]) * (len(s.base) / KEY_SPACE + 1)
        step = max(1, int(_CANDIDATES_PER_STEP // per_query))
        results: list[Hits] = []
        for lo in range(0, len(queries), step):
            chunk = queries[lo : lo + step]
            q_idx, ids, dist = s.base.search(chunk, radius, s.base_alive)
            bounds = np.searchsorted(q_idx, np.arange(len(chunk) + 1))
            for q, query in enumerate(chunk):
                found_ids, found_dist = ids[bounds[q] : bounds[q + 1]], dist[bounds[q] : bounds[q + 1]]
                if len(d_ids):
                    dd = hamming(d_codes, query)
                    keep = (dd <= radius) & d_alive
                    found_ids = np.concatenate([found_ids, d_ids[keep]])
                    found_dist = np.concatenate([found_dist, dd[keep]])
                results.append(Hits.reduce(found_ids, found_dist))
        if len(queries) > step:
            # A batch of several steps leaves tens of MB of freed candidate arrays in glibc's
            # heap (under its raised mmap threshold) for the life of the process; hand them back.
            # Not after one step: trimming there cost a single query ~0.3 ms (docs/benchmarks.md).
            return_freed_memory()
        return results
