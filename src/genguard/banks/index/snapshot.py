"""The index's own checksummed file format: never pickle, and a corrupt file is refused.

Layout (all integers little-endian)::

    magic    8 bytes   b"GGPDQIX\\x00"
    version  u32       1
    count    u64       number of codes
    seq      u64       last change-log sequence number the snapshot includes
    sha256   32 bytes  digest of the payload
    payload            codes (count x 32 bytes) | ids (count x int64) | alive (count x u8)

The tables are rebuilt on load (~11 s at 10M) rather than stored: a snapshot cannot carry
tables that disagree with its codes. ``seq`` is what lets a worker load a snapshot and then
apply only the later changes from the log.
"""

from __future__ import annotations

import hashlib
import os
import struct
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from genguard.banks.errors import IndexFileError
from genguard.banks.index.codes import PDQ_BYTES
from genguard.banks.index.mih import MultiIndexHashIndex

MAGIC = b"GGPDQIX\x00"
VERSION = 1
_HEADER = struct.Struct("<8sIQQ32s")
#: Bytes read (and hashed) per step while loading.
_READ = 1 << 24


@dataclass(frozen=True, slots=True)
class Snapshot:
    index: MultiIndexHashIndex
    seq: int


def save_index(index: MultiIndexHashIndex, path: Path, *, seq: int) -> None:
    """Write ``index`` to ``path`` atomically (temp file, fsync, rename).

    Codes are streamed a run at a time; only the ids and flags (9 bytes a code) are held
    until the codes are written, since the file keeps each kind together.
    """
    digest = hashlib.sha256()
    ids: list[bytes] = []
    alive: list[bytes] = []
    count = 0
    # Per writer: several workers may refresh the same snapshot at once; each rename is atomic.
    tmp = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(bytes(_HEADER.size))
        for codes, chunk_ids, chunk_alive in index.chunks():
            part = np.ascontiguousarray(codes).tobytes()
            digest.update(part)
            fh.write(part)
            ids.append(chunk_ids.astype("<i8").tobytes())
            alive.append(chunk_alive.astype(np.uint8).tobytes())
            count += len(chunk_ids)
        for part in (*ids, *alive):
            digest.update(part)
            fh.write(part)
        fh.seek(0)
        fh.write(_HEADER.pack(MAGIC, VERSION, count, seq, digest.digest()))
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def load_index(path: Path, *, spill_dir: Path | None = None) -> Snapshot:
    """Read and verify a snapshot; any mismatch raises :class:`IndexFileError`.

    A large index keeps its full codes in a file in ``spill_dir`` (default: the snapshot's
    own folder, which is on disk).
    """
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            header = fh.read(_HEADER.size)
            if len(header) < _HEADER.size:
                raise IndexFileError("index file is truncated (no complete header)")
            magic, version, count, seq, expected = _HEADER.unpack(header)
            if magic != MAGIC:
                raise IndexFileError("not a genguard PDQ index file (bad magic)")
            if version != VERSION:
                raise IndexFileError(f"unsupported index file version {version}")
            if os.fstat(fh.fileno()).st_size - _HEADER.size != count * (PDQ_BYTES + 8 + 1):
                raise IndexFileError("index file length does not match its header count")
            codes = np.empty((count, PDQ_BYTES), dtype=np.uint8)
            ids = np.empty(count, dtype="<i8")
            alive = np.empty(count, dtype=np.uint8)
            digest = hashlib.sha256()
            for target in (codes, ids, alive):
                view = target.reshape(-1).view(np.uint8).data  # a writable memoryview of its bytes
                for lo in range(0, len(view), _READ):
                    got = fh.readinto(view[lo : lo + _READ])
                    if got != len(view[lo : lo + _READ]):
                        raise IndexFileError("index file is truncated")
                    digest.update(view[lo : lo + got])
    except OSError as exc:
        raise IndexFileError(f"cannot read index file: {exc.strerror}") from exc
    if digest.digest() != expected:
        raise IndexFileError("index file checksum mismatch: the file is corrupt")
    if alive.size and alive.max() > 1:
        raise IndexFileError("index file has invalid liveness flags")
    index = MultiIndexHashIndex.from_arrays(
        codes, ids.astype(np.int64, copy=False), alive.view(bool), spill_dir=spill_dir or path.parent
    )
    return Snapshot(index, seq)
