"""Rates with 95 % Wilson score intervals: honest error bars for small categories."""

from __future__ import annotations

import math
from dataclasses import dataclass

Z95 = 1.959963984540054


@dataclass(frozen=True)
class Rate:
    """``hits`` out of ``total`` with its Wilson 95 % interval; ``value`` is None when total is 0."""

    hits: int
    total: int

    @property
    def value(self) -> float | None:
        return self.hits / self.total if self.total else None

    @property
    def interval(self) -> tuple[float, float] | None:
        return wilson(self.hits, self.total)

    def as_dict(self) -> dict[str, object]:
        low_high = self.interval
        return {
            "value": self.value,
            "hits": self.hits,
            "total": self.total,
            "ci95": list(low_high) if low_high else None,
        }


def wilson(hits: int, total: int, z: float = Z95) -> tuple[float, float] | None:
    """Wilson score interval for a binomial proportion (None for an empty sample)."""
    if total < 0 or hits < 0 or hits > total:
        raise ValueError(f"invalid counts {hits}/{total}")
    if total == 0:
        return None
    p = hits / total
    denom = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denom
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)
