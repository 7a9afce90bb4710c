"""Where a compacted segment keeps its full codes and ids: in RAM, or in a file on disk.

The fast index keeps only what finding candidates needs in RAM (substring tables and a 96-bit
slice of each code); the full 256-bit code and the caller's id are read back only for the few
candidates that pass the slice (the true matches and near misses), as DiskANN keeps full
vectors on SSD for re-ranking. At 10M codes that moves 400 MB off the heap for a handful of
small reads a query. Small segments stay in RAM, where a read costs nothing.

Both stores return the same arrays for the same positions, so the index above them does not
know which it has; tests run the index over each.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

import numpy as np

from genguard.banks.index.codes import PDQ_BYTES

#: Records scanned per step when every id or code is needed (removals, compaction, snapshots).
CHUNK = 1 << 20
#: Low bits of an id used to rule records out before an exact membership check.
_ID_FILTER_MASK = (1 << 22) - 1
#: Before this many reads or more, the kernel is first told of them all (``WILLNEED``), so that
#: pages not in its cache are fetched from disk together rather than one round trip at a time.
_PREFETCH_READS = 8
#: One on-disk record: the 256-bit code, then the id (packed: 40 bytes).
_ROW = np.dtype([("code", np.uint8, PDQ_BYTES), ("id", "<i8")])


def _split(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Contiguous (codes, ids) arrays from rows of :data:`_ROW`."""
    return np.ascontiguousarray(rows["code"]), rows["id"].astype(np.int64)


class Records(Protocol):
    """The full codes and ids of one segment, by position."""

    def __len__(self) -> int: ...

    @property
    def nbytes(self) -> int:
        """Bytes this store holds in RAM."""
        ...

    def rows(self, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(codes, ids) at ``positions``: what verifying a candidate and reporting it need,
        fetched together."""
        ...

    def ids(self, positions: np.ndarray) -> np.ndarray: ...

    def chunks(self) -> Iterator[tuple[int, np.ndarray, np.ndarray]]:
        """(first position, codes, ids) of consecutive runs covering every record once."""
        ...

    def id_chunks(self) -> Iterator[tuple[int, np.ndarray]]:
        """(first position, ids) of the same runs, without reading the codes."""
        ...

    def drop_page_cache(self) -> None:
        """Have the kernel forget any cached copy, as after a restart or under memory pressure
        (benchmarks time the cold case with it)."""
        ...


class MemoryRecords:
    """Codes and ids as arrays in RAM."""

    def __init__(self, codes: np.ndarray, ids: np.ndarray, order: np.ndarray | None = None) -> None:
        """Record ``i`` is ``codes[order[i]]``, ``ids[order[i]]`` (``order`` None: as given)."""
        self._codes: np.ndarray = codes if order is None else codes[order]
        self._ids: np.ndarray = ids if order is None else ids[order]

    def __len__(self) -> int:
        return len(self._ids)

    @property
    def nbytes(self) -> int:
        return self._codes.nbytes + self._ids.nbytes

    def rows(self, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return self._codes[positions], self._ids[positions]

    def ids(self, positions: np.ndarray) -> np.ndarray:
        return self._ids[positions]

    def chunks(self) -> Iterator[tuple[int, np.ndarray, np.ndarray]]:
        for lo in range(0, len(self._ids), CHUNK):
            yield lo, self._codes[lo : lo + CHUNK], self._ids[lo : lo + CHUNK]

    def id_chunks(self) -> Iterator[tuple[int, np.ndarray]]:
        for lo in range(0, len(self._ids), CHUNK):
            yield lo, self._ids[lo : lo + CHUNK]

    def drop_page_cache(self) -> None:
        """Nothing to drop: the records are in RAM."""


class FileRecords:
    """Codes and ids in an anonymous file (unlinked at creation, so a crash leaves nothing).

    Layout: one 40-byte row per record (the code, then the id), so that a candidate costs one
    read, and one page from disk when the file is not cached (codes and ids in two sections
    cost two, which halved cold throughput on clustered collections, where a query verifies
    ~70 true matches); then the ids again as a column, so that scans for ids (removals)
    read 8 bytes a record rather than 40.

    Reads use ``pread`` on the open descriptor, never ``mmap``: the pages read stay in the
    kernel's page cache, which the kernel can drop under pressure, and the process' resident
    memory is only what the index holds itself. The directory must be on disk, not ``tmpfs``.
    """

    def __init__(
        self, codes: np.ndarray, ids: np.ndarray, order: np.ndarray | None = None, directory: Path | None = None
    ) -> None:
        """Record ``i`` is ``codes[order[i]]``, ``ids[order[i]]`` (``order`` None: as given),
        written a run at a time, so the reordered codes never exist in RAM as a whole."""
        self._n = len(ids)
        self._file = tempfile.TemporaryFile(dir=directory)  # noqa: SIM115 - lives as long as the segment
        runs = [slice(lo, lo + CHUNK) if order is None else order[lo : lo + CHUNK] for lo in range(0, self._n, CHUNK)]
        for run in runs:
            run_ids = ids[run]
            rows = np.empty(len(run_ids), dtype=_ROW)
            rows["code"], rows["id"] = codes[run], run_ids
            self._file.write(rows.tobytes())
        for run in runs:
            self._file.write(np.ascontiguousarray(ids[run], dtype="<i8").tobytes())
        self._file.flush()
        self._fd = self._file.fileno()
        self._ids_at = self._n * _ROW.itemsize

    def __len__(self) -> int:
        return self._n

    @property
    def nbytes(self) -> int:
        return 0

    def rows(self, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return _split(np.frombuffer(self._read(positions * _ROW.itemsize, _ROW.itemsize), dtype=_ROW))

    def ids(self, positions: np.ndarray) -> np.ndarray:
        return np.frombuffer(self._read(self._ids_at + positions * 8, 8), dtype="<i8").astype(np.int64)

    def _read(self, offsets: np.ndarray, size: int) -> bytes:
        """``size`` bytes at each offset, concatenated in order."""
        starts = offsets.tolist()
        if len(starts) >= _PREFETCH_READS:
            for at in starts:
                os.posix_fadvise(self._fd, at, size, os.POSIX_FADV_WILLNEED)
        return b"".join(os.pread(self._fd, size, at) for at in starts)

    def chunks(self) -> Iterator[tuple[int, np.ndarray, np.ndarray]]:
        for lo in range(0, self._n, CHUNK):
            k = min(CHUNK, self._n - lo)
            rows = np.frombuffer(os.pread(self._fd, k * _ROW.itemsize, lo * _ROW.itemsize), dtype=_ROW)
            yield lo, *_split(rows)

    def id_chunks(self) -> Iterator[tuple[int, np.ndarray]]:
        for lo in range(0, self._n, CHUNK):
            k = min(CHUNK, self._n - lo)
            yield lo, np.frombuffer(os.pread(self._fd, k * 8, self._ids_at + lo * 8), dtype="<i8").astype(np.int64)

    def drop_page_cache(self) -> None:
        os.fdatasync(self._fd)  # dirty pages cannot be dropped
        os.posix_fadvise(self._fd, 0, 0, os.POSIX_FADV_DONTNEED)


def positions_of(records: Records, ids: np.ndarray) -> np.ndarray:
    """Positions of every record whose id is in ``ids``, in one sequential scan.

    A 4 MB table of the ids' low 22 bits rules out nearly every record with one lookup; only
    the few that pass are checked exactly (12x faster than ``np.isin`` for 1,000 ids).
    """
    wanted = np.unique(np.asarray(ids, dtype=np.int64))
    found = [np.empty(0, dtype=np.int64)]
    if len(wanted):
        low = np.zeros(_ID_FILTER_MASK + 1, dtype=bool)
        low[wanted & _ID_FILTER_MASK] = True
        for lo, chunk_ids in records.id_chunks():
            maybe = np.flatnonzero(low[chunk_ids & _ID_FILTER_MASK])
            at = np.minimum(np.searchsorted(wanted, chunk_ids[maybe]), len(wanted) - 1)
            found.append(lo + maybe[wanted[at] == chunk_ids[maybe]])
    return np.concatenate(found)
