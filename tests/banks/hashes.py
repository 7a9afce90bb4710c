"""Random PDQ-like hashes at chosen bit distances, for service-level tests."""

from __future__ import annotations

import numpy as np


def random_pdq(rng: np.random.Generator) -> str:
    return rng.integers(0, 256, 32, dtype=np.uint8).tobytes().hex()


def at_distance(value: str, bits: int, rng: np.random.Generator) -> str:
    """``value`` with exactly ``bits`` distinct bits flipped."""
    number = int(value, 16)
    for bit in rng.choice(256, bits, replace=False):
        number ^= 1 << int(bit)
    return f"{number:064x}"
