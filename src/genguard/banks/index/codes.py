"""PDQ hashes as 32-byte codes: parsing and printing, validated in bulk.

Indexes work on ``(n, 32) uint8`` arrays (the same layout faiss uses), never on hex strings, so
that a 10M-entry bank is parsed once, with one vectorised check, rather than per string.
"""

from __future__ import annotations

import binascii
from collections.abc import Sequence

import numpy as np

from genguard.banks.errors import HashFormatError

PDQ_BITS = 256
PDQ_BYTES = PDQ_BITS // 8
PDQ_HEX_CHARS = PDQ_BYTES * 2


def pdq_code(value: str) -> np.ndarray:
    """One 64-hex-character PDQ hash as a ``(32,) uint8`` code."""
    return pdq_codes([value])[0]


def pdq_codes(values: Sequence[str]) -> np.ndarray:
    """Many PDQ hex strings as an ``(n, 32) uint8`` array; any bad one fails the whole call.

    The error names the first offending position so an importer can point at the bad line.
    """
    out = np.empty((len(values), PDQ_BYTES), dtype=np.uint8)
    for i, value in enumerate(values):
        if not isinstance(value, str) or len(value) != PDQ_HEX_CHARS:
            raise HashFormatError(
                f"PDQ hash #{i} must be {PDQ_HEX_CHARS} hex characters, got {_describe(value)}"
            )
        try:
            out[i] = np.frombuffer(binascii.unhexlify(value), dtype=np.uint8)
        except (binascii.Error, ValueError) as exc:
            raise HashFormatError(f"PDQ hash #{i} is not hexadecimal") from exc
    return out


def pdq_hex(code: np.ndarray) -> str:
    """The lowercase hex form of one ``(32,) uint8`` code."""
    return bytes(np.ascontiguousarray(code, dtype=np.uint8)).hex()


def as_codes(codes: np.ndarray) -> np.ndarray:
    """Check and normalise an array of codes to C-contiguous ``(n, 32) uint8``."""
    arr = np.asarray(codes)
    if arr.ndim == 1:
        arr = arr.reshape(1, -1)
    if arr.dtype != np.uint8 or arr.ndim != 2 or arr.shape[1] != PDQ_BYTES:
        raise HashFormatError(f"PDQ codes must be (n, {PDQ_BYTES}) uint8, got {arr.dtype}{arr.shape}")
    return np.ascontiguousarray(arr)


def hamming(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Bit distances between codes ``a`` (n, 32) and ``b`` (n, 32) or (32,), as int64."""
    xa = np.ascontiguousarray(a).view(np.uint64)
    xb = np.ascontiguousarray(b).view(np.uint64)
    return np.bitwise_count(xa ^ xb).sum(axis=-1, dtype=np.int64)


def _describe(value: object) -> str:
    if isinstance(value, str):
        return f"{len(value)} characters"
    return type(value).__name__
