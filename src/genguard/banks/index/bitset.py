"""Liveness flags as little-endian bitsets: one bit a code (1.25 MB at 10M, not 10 MB)."""

from __future__ import annotations

import numpy as np


def all_set(n: int) -> np.ndarray:
    """``n`` set bits, built in place (no ``n``-byte scratch array left in the heap)."""
    bits = np.full((n + 7) // 8, 0xFF, dtype=np.uint8)
    if n % 8:
        bits[-1] = (1 << (n % 8)) - 1
    return bits


def from_flags(flags: np.ndarray) -> np.ndarray:
    return np.packbits(np.asarray(flags, dtype=bool), bitorder="little")


def to_flags(bits: np.ndarray, n: int) -> np.ndarray:
    return np.unpackbits(bits, count=n, bitorder="little").astype(bool)


def is_set(bits: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """Whether each of ``positions`` (``int64``) is set."""
    return (bits[positions >> 3] >> (positions & 7).astype(np.uint8)) & 1 == 1


def clear(bits: np.ndarray, positions: np.ndarray) -> None:
    """Clear ``positions`` in place (repeats and shared bytes are fine)."""
    np.bitwise_and.at(bits, positions >> 3, ~(np.uint8(1) << (positions & 7).astype(np.uint8)))
