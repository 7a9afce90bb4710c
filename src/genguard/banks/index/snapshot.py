"""The index's own checksummed file format: never pickle, and a corrupt file is refused.

Layout (all integers little-endian)::

    magic    8 bytes   b"GGPDQIX\\x00"
    version  u32       1
    count    u64       number of codes
    seq      u64       last change-log sequence number the snapshot includes
    sha256   32 bytes  digest of the payload
    payload            codes (count x 32 bytes) | ids (count x int64) | alive (count x u8)

The tables are rebuilt on load (seconds at 10M) rather than stored: the file stays a third of
the index's size, and a snapshot cannot carry tables that disagree with its codes. ``seq`` is
what lets a worker load a snapshot and then apply only the later changes from the log.
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


@dataclass(frozen=True, slots=True)
class Snapshot:
    index: MultiIndexHashIndex
    seq: int


def save_index(index: MultiIndexHashIndex, path: Path, *, seq: int) -> None:
    """Write ``index`` to ``path`` atomically (temp file, fsync, rename)."""
    codes, ids, alive = index.arrays()
    parts = [codes.tobytes(), ids.astype("<i8").tobytes(), alive.astype(np.uint8).tobytes()]
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part)
    # Per writer: several workers may refresh the same snapshot at once; each rename is atomic.
    tmp = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(_HEADER.pack(MAGIC, VERSION, len(ids), seq, digest.digest()))
        for part in parts:
            fh.write(part)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def load_index(path: Path) -> Snapshot:
    """Read and verify a snapshot; any mismatch raises :class:`IndexFileError`."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise IndexFileError(f"cannot read index file: {exc.strerror}") from exc
    if len(data) < _HEADER.size:
        raise IndexFileError("index file is truncated (no complete header)")
    magic, version, count, seq, expected = _HEADER.unpack_from(data)
    if magic != MAGIC:
        raise IndexFileError("not a genguard PDQ index file (bad magic)")
    if version != VERSION:
        raise IndexFileError(f"unsupported index file version {version}")
    payload = memoryview(data)[_HEADER.size :]
    if len(payload) != count * (PDQ_BYTES + 8 + 1):
        raise IndexFileError("index file length does not match its header count")
    if hashlib.sha256(payload).digest() != expected:
        raise IndexFileError("index file checksum mismatch: the file is corrupt")
    codes_end = count * PDQ_BYTES
    ids_end = codes_end + count * 8
    codes = np.frombuffer(payload[:codes_end], dtype=np.uint8).reshape(count, PDQ_BYTES)
    ids = np.frombuffer(payload[codes_end:ids_end], dtype="<i8").astype(np.int64)
    alive = np.frombuffer(payload[ids_end:], dtype=np.uint8)
    if alive.size and alive.max() > 1:
        raise IndexFileError("index file has invalid liveness flags")
    return Snapshot(MultiIndexHashIndex.from_arrays(codes.copy(), ids, alive.astype(bool)), seq)
