"""The compacted segment of the fast PDQ index: twelve substring tables over one set of codes.

Why it is exact: take 12 disjoint 21-bit substrings of the 256-bit code. If two codes differ
in at most ``r`` bits, a refined pigeonhole argument (see :func:`probe_plan`) says some
substring differs in few bits (at most 2 of them for ``r = 31``). Probing, in each substring's
table, every key that close to the query's substring finds every true match; each candidate
is then verified on its full 256-bit code, so nothing outside the radius is returned either.

Why it fits 10M codes in under 0.5 GB (48 bytes a code, against 99 before and ~515 for faiss'
multi-index hashing), each part measured in ``docs/banks.md``:

* the records are stored in the order of substring 0, so table 0 is just bucket bounds;
* the other eleven tables hold 24-bit positions (a ``uint16`` and a ``uint8`` array);
* bucket bounds are two-level: a ``uint32`` start every few buckets plus a ``uint8`` offset;
* RAM keeps a 96-bit slice of each code, not the code. A candidate whose slice is already
  farther than the radius is dropped (a random candidate survives with probability 4e-4);
  the survivors, nearly all true matches, have their full code and id read from the
  :mod:`~genguard.banks.index.records` store, which for large segments is a file on disk.
"""

from __future__ import annotations

import ctypes
import functools
import itertools
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from genguard.banks.index import bitset
from genguard.banks.index.codes import hamming
from genguard.banks.index.records import FileRecords, MemoryRecords, Records

#: 12 substrings of 21 bits (252 of the 256 bits). Fewer, longer keys than faiss' 16 x 16
#: mean ~4x fewer candidates to verify at 10M codes, for 1,944 probes per query at radius 31.
SUBSTRINGS = 12
KEY_BITS = 21
KEY_SPACE = 1 << KEY_BITS
#: Largest radius served (per-substring radius 3 means 1,562 probes per table).
MAX_RADIUS = 4 * SUBSTRINGS - 1
#: Segments this large keep their full codes and ids in a file rather than in RAM.
DEFAULT_SPILL_AT = 1_000_000


def substring_key(codes: np.ndarray, j: int) -> np.ndarray:
    """Key ``j`` of each code, ``uint32``: bits ``[21j, 21j+21)``, numbered little-endian
    within the code's four 64-bit words (any fixed numbering works if data and queries agree)."""
    words = codes.view(np.uint64)
    w, off = divmod(j * KEY_BITS, 64)
    key = words[:, w] >> np.uint64(off)
    if off + KEY_BITS > 64:
        key |= words[:, w + 1] << np.uint64(64 - off)
    return (key & np.uint64(KEY_SPACE - 1)).astype(np.uint32)


def filter_slice(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The 96 bits kept in RAM per code: the top 32 bits of word 2 and all of word 3."""
    words = codes.view(np.uint64)
    return np.ascontiguousarray(words[:, 3]), (words[:, 2] >> np.uint64(32)).astype(np.uint32)


def _sort_positions(keys: np.ndarray) -> np.ndarray:
    """Positions ordered by a 21-bit key: two linear-time radix passes (low 16, high 5 bits)."""
    order = np.argsort(keys.astype(np.uint16), kind="stable")
    high = (keys >> np.uint32(16)).astype(np.uint8)
    return order[np.argsort(high[order], kind="stable")].astype(np.uint32)


def _flip_masks(radius: int) -> list[int]:
    """All ``KEY_BITS``-bit masks with at most ``radius`` bits set."""
    return [
        sum(1 << b for b in bits)
        for k in range(radius + 1)
        for bits in itertools.combinations(range(KEY_BITS), k)
    ]


def _table_radii(radius: int) -> tuple[int, ...]:
    """Bits each substring's table is probed within for ``radius`` (-1: not probed), by the
    refined pigeonhole argument of :func:`probe_plan`."""
    a, b = divmod(radius, SUBSTRINGS)
    return tuple(a if j <= b else a - 1 for j in range(SUBSTRINGS))


@functools.cache
def probe_plan(radius: int) -> tuple[np.ndarray, np.ndarray]:
    """(table, flip mask) of every probe that radius ``radius`` needs, by refined pigeonhole.

    With ``radius = a * SUBSTRINGS + b`` (``b < SUBSTRINGS``), a code within ``radius`` has
    one of substrings ``0..b`` within ``a`` bits, or one of the others within ``a - 1``
    bits: otherwise its distance would be at least ``(b+1)(a+1) + (SUBSTRINGS-b-1) a``,
    which is ``radius + 1``.
    """
    tables: list[int] = []
    flips: list[int] = []
    for j, per_table in enumerate(_table_radii(radius)):
        if per_table < 0:
            continue
        masks = _flip_masks(per_table)
        tables += [j] * len(masks)
        flips += masks
    return np.array(tables, dtype=np.int64), np.array(flips, dtype=np.int64)


#: Substrings whose bits lie wholly outside the RAM filter slice (bits 160..255): 0..6.
_OUTSIDE_SLICE = tuple(j for j in range(SUBSTRINGS) if (j + 1) * KEY_BITS <= 160)


@functools.cache
def probe_bound(radius: int) -> tuple[np.ndarray, int]:
    """What each probe of :func:`probe_plan` says about a candidate's distance, for a lower bound.

    A probe of table ``j`` enumerates every key within ``r_j`` bits of the query's substring
    ``j``, so a code *found* there by flip mask ``f`` differs in exactly ``popcount(f)`` bits of
    that substring, and a code *not found* in table ``j`` differs in at least ``r_j + 1`` of them
    (0 for a table not probed). Over the substrings disjoint from the filter slice, with the
    slice's own distance, this bounds the full distance from below without reading the code:
    ``bound = slice distance + base - sum of gain over the probes that found it``, ``base`` being
    the sum of ``r_j + 1`` and a probe's gain ``r_j + 1 - popcount(f)``. Clustered, PDQ-like
    collections put hundreds of variants per query within the slice radius, found in one table
    or two; the bound refuses nearly all of them before their codes are read from disk.
    """
    tables, flips = probe_plan(radius)
    limit = np.array(_table_radii(radius), dtype=np.int64)
    base = int(sum(limit[j] + 1 for j in _OUTSIDE_SLICE))
    popcounts = np.bitwise_count(flips.astype(np.uint64)).astype(np.int64)
    return np.where(np.isin(tables, _OUTSIDE_SLICE), limit[tables] + 1 - popcounts, 0), base


#: Keys whose bucket offset does not fit the narrow type may be at most this share of all keys
#: before the type widens: they are looked up in a sorted side table (``BucketBounds.start``).
EXCEPTION_SHARE = 1 / 64


@dataclass(frozen=True, slots=True)
class BucketBounds:
    """Where each key's bucket starts in each table, in ~1.1 bytes a key instead of 4.

    ``start(t, k) = coarse[t, k >> shift] + fine[t, k]``: a ``uint32`` every ``2**shift``
    keys plus the offset within that block, in the narrowest type that holds nearly every
    table's offsets (``uint8`` for random codes: blocks of 32 keys up to ~12M codes, shorter
    blocks beyond). An offset the type cannot hold is stored as the type's maximum and kept
    exactly in a sorted side table (``exception_keys`` → ``exception_offsets``): clustered,
    PDQ-like codes have a few dense buckets (82,644 of 25M keys at 10M codes), which made the
    whole array ``uint16`` (+25 MB) before. More than ``EXCEPTION_SHARE`` of the keys widens it.
    """

    coarse: np.ndarray  # (SUBSTRINGS * blocks,) uint32
    fine: np.ndarray  # (SUBSTRINGS * (KEY_SPACE + 1),) uint8 | uint16 | uint32
    shift: int
    exception_keys: np.ndarray  # sorted flat indices into ``fine`` whose offset is stored here
    exception_offsets: np.ndarray  # their offsets, uint32

    @classmethod
    def build(cls, starts: list[np.ndarray]) -> BucketBounds:
        """From each table's ``KEY_SPACE + 1`` cumulative bucket starts (none: an empty segment,
        which is never probed). Works a table at a time, so the scratch stays ~16 MB."""
        none = np.empty(0, dtype=np.int64), np.empty(0, dtype=np.uint32)
        if not starts:
            return cls(np.empty(0, dtype=np.uint32), np.empty(0, dtype=np.uint8), 5, *none)

        def offsets(start: np.ndarray, shift: int) -> np.ndarray:
            return start - np.repeat(start[:: 1 << shift], 1 << shift)[: KEY_SPACE + 1]

        allowed = EXCEPTION_SHARE * len(starts) * (KEY_SPACE + 1)
        for dtype, shift in ((np.uint8, 5), (np.uint8, 4), (np.uint8, 3), (np.uint16, 5), (np.uint32, 5)):
            cap = np.iinfo(dtype).max
            if sum(int((offsets(s, shift) >= cap).sum()) for s in starts) <= allowed or dtype is np.uint32:
                break
        coarse = np.concatenate([s[:: 1 << shift] for s in starts]).astype(np.uint32)
        fine = np.empty(len(starts) * (KEY_SPACE + 1), dtype=dtype)
        keys, values = [], []
        for t, s in enumerate(starts):
            within = offsets(s, shift)
            over = np.flatnonzero(within >= cap)
            keys.append(over + t * (KEY_SPACE + 1))
            values.append(within[over])
            fine[t * (KEY_SPACE + 1) : (t + 1) * (KEY_SPACE + 1)] = np.minimum(within, cap)
        return cls(coarse, fine, shift, np.concatenate(keys).astype(np.int64), np.concatenate(values).astype(np.uint32))

    @property
    def nbytes(self) -> int:
        return self.coarse.nbytes + self.fine.nbytes + self.exception_keys.nbytes + self.exception_offsets.nbytes

    def start(self, tables: np.ndarray, keys: np.ndarray) -> np.ndarray:
        """Start of bucket ``keys`` (any shape, ``int64``) in ``tables`` (broadcast), ``int64``."""
        blocks = (KEY_SPACE >> self.shift) + 1
        coarse = self.coarse[tables * blocks + (keys >> self.shift)].astype(np.int64)
        flat = tables * (KEY_SPACE + 1) + keys
        fine = self.fine[flat].astype(np.int64)
        if len(self.exception_keys):
            # Only a stored maximum can stand for a larger offset; look those up exactly.
            capped = np.flatnonzero(fine == np.iinfo(self.fine.dtype).max)
            if len(capped):
                wanted = np.broadcast_to(flat, fine.shape).ravel()[capped]
                found = np.searchsorted(self.exception_keys, wanted)
                hit = found < len(self.exception_keys)
                hit[hit] = self.exception_keys[found[hit]] == wanted[hit]
                fine.ravel()[capped[hit]] = self.exception_offsets[found[hit]]
        return coarse + fine


def return_freed_memory() -> None:
    """Hand the build's freed scratch arrays back to the OS (glibc keeps freed blocks under
    32 MB in the heap: ~500 MB of them after a 1M build). A no-op without glibc."""
    trim = getattr(ctypes.CDLL(None), "malloc_trim", None)
    if trim is not None:
        trim(0)


def _expand_ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Concatenate ``range(s, s + l)`` for all pairs, without a Python loop."""
    total = int(lengths.sum())
    if total == 0:
        return np.empty(0, dtype=np.int64)
    ends = np.cumsum(lengths)
    shift = np.repeat(starts - (ends - lengths), lengths)
    return shift + np.arange(total, dtype=np.int64)


@dataclass(frozen=True, slots=True)
class Tables:
    """Immutable substring tables over one set of codes, ordered by substring 0."""

    records: Records  # full codes and ids, by position
    slice64: np.ndarray  # (n,) uint64 } the 96-bit filter slice of each code
    slice32: np.ndarray  # (n,) uint32 }
    perm_lo: np.ndarray  # (SUBSTRINGS - 1, n) uint16: positions sorted by substring j + 1 ...
    perm_hi: np.ndarray  # (SUBSTRINGS - 1, n) uint8 (uint16 past 2**24 codes): ... high bits
    bounds: BucketBounds

    @classmethod
    def build(
        cls,
        codes: np.ndarray,
        ids: np.ndarray,
        *,
        spill_at: int = DEFAULT_SPILL_AT,
        spill_dir: Path | None = None,
    ) -> Tables:
        n = len(codes)
        if n >= 1 << 32:
            raise ValueError("a segment holds at most 2**32 - 1 codes")
        # Records go in substring 0's order; every per-code array is computed on the input
        # order and then permuted, so the reordered codes (320 MB at 10M) are never built.
        order = _sort_positions(substring_key(codes, 0))
        hi_type = np.uint8 if n <= 1 << 24 else np.uint16
        perm_lo = np.empty((SUBSTRINGS - 1, n), dtype=np.uint16)
        perm_hi = np.empty((SUBSTRINGS - 1, n), dtype=hi_type)
        starts = []
        for j in range(SUBSTRINGS if n else 0):
            keys = substring_key(codes, j)[order]
            counts = np.bincount(keys, minlength=KEY_SPACE)
            starts.append(np.concatenate([[0], np.cumsum(counts, dtype=np.uint32)]).astype(np.uint32))
            if j:
                perm = _sort_positions(keys)
                perm_lo[j - 1] = perm.astype(np.uint16)
                perm_hi[j - 1] = (perm >> np.uint32(16)).astype(hi_type)
        slice64, slice32 = (part[order] for part in filter_slice(codes))
        records: Records = (
            FileRecords(codes, ids, order, spill_dir) if n and n >= spill_at else MemoryRecords(codes, ids, order)
        )
        tables = cls(records, slice64, slice32, perm_lo, perm_hi, BucketBounds.build(starts))
        del order, starts
        return_freed_memory()
        return tables

    def __len__(self) -> int:
        return len(self.slice64)

    @property
    def nbytes(self) -> int:
        """Bytes held in RAM (the records' file, if any, is on disk)."""
        arrays = (self.slice64, self.slice32, self.perm_lo, self.perm_hi)
        return sum(a.nbytes for a in arrays) + self.bounds.nbytes + self.records.nbytes

    def search(
        self, queries: np.ndarray, radius: int, alive: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(query index, id, distance) of every live code within ``radius``, one row per
        (query, code). ``alive`` is a little-endian bitset over positions."""
        empty = np.empty(0, dtype=np.int64)
        n = len(self)
        if n == 0:
            return empty, empty, empty
        tables, flips = probe_plan(radius)
        keys = np.stack([substring_key(queries, j) for j in range(SUBSTRINGS)], axis=1).astype(np.int64)
        keys = keys[:, tables] ^ flips[None, :]  # (queries, probes)
        starts = self.bounds.start(tables[None, :], keys)
        lengths = self.bounds.start(tables[None, :], keys + 1) - starts
        # Table 0's slots are positions; the other tables' slots index their permutations.
        direct = tables == 0
        pos0 = _expand_ranges(starts[:, direct].ravel(), lengths[:, direct].ravel())
        slots = _expand_ranges(
            (starts[:, ~direct] + (tables[~direct] - 1) * n).ravel(), lengths[:, ~direct].ravel()
        )
        high = self.perm_hi.reshape(-1)[slots].astype(np.int64) << 16
        pos = np.concatenate([pos0, high | self.perm_lo.reshape(-1)[slots]])
        gains, base = probe_bound(radius)

        def per_candidate(per_probe: np.ndarray) -> np.ndarray:
            """A (queries, probes) value repeated for each candidate the probe found, in ``pos`` order."""
            full = np.broadcast_to(per_probe, lengths.shape)
            return np.concatenate([np.repeat(full[:, part].ravel(), lengths[:, part].ravel()) for part in (direct, ~direct)])

        q_idx = per_candidate(np.arange(len(queries))[:, None])
        gain = per_candidate(gains[None, :])
        q64, q32 = filter_slice(queries)
        near = np.bitwise_count(self.slice64[pos] ^ q64[q_idx]).astype(np.int64)
        near += np.bitwise_count(self.slice32[pos] ^ q32[q_idx])
        # The slice alone first, per row (the bound below is never under it; a random candidate
        # survives this with probability 4e-4, a clustered one far more often).
        keep = np.flatnonzero(near <= radius)
        q_idx, pos, near, gain = q_idx[keep], pos[keep], near[keep], gain[keep]
        keep = bitset.is_set(alive, pos)
        # A code close in several substrings is found once per such table: one pair, its gains summed.
        pairs, first, inverse = np.unique(q_idx[keep] * n + pos[keep], return_index=True, return_inverse=True)
        bound = near[keep][first] + base - np.bincount(inverse, weights=gain[keep], minlength=len(pairs)).astype(np.int64)
        pairs = pairs[bound <= radius]
        q_idx, pos = pairs // n, pairs % n
        # One read per distinct position, however many queries it is a candidate for.
        unique_pos, back = np.unique(pos, return_inverse=True)
        codes, ids = self.records.rows(unique_pos)
        dist = hamming(codes[back], queries[q_idx])
        ok = dist <= radius
        return q_idx[ok], ids[back[ok]], dist[ok]
