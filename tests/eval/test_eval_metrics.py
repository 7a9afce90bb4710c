"""Wilson intervals: known values, edge cases, invalid counts."""

from __future__ import annotations

import pytest

from genguard.eval.metrics import Rate, wilson


def test_known_values() -> None:
    low, high = wilson(5, 10)  # type: ignore[misc]
    assert low == pytest.approx(0.2366, abs=1e-4) and high == pytest.approx(0.7634, abs=1e-4)
    low, high = wilson(0, 10)  # type: ignore[misc]
    assert low == 0.0 and high == pytest.approx(0.2775, abs=1e-4)
    low, high = wilson(10, 10)  # type: ignore[misc]
    assert low == pytest.approx(0.7225, abs=1e-4) and high == pytest.approx(1.0)


def test_interval_narrows_with_more_data_and_contains_the_estimate() -> None:
    small, large = wilson(3, 100), wilson(30, 1000)
    assert small and large and (large[1] - large[0]) < (small[1] - small[0])
    assert small[0] < 0.03 < small[1]


def test_empty_sample_has_no_value() -> None:
    rate = Rate(0, 0)
    assert rate.value is None and rate.interval is None
    assert rate.as_dict() == {"value": None, "hits": 0, "total": 0, "ci95": None}


@pytest.mark.parametrize(("hits", "total"), [(-1, 5), (6, 5), (0, -1)])
def test_invalid_counts_raise(hits: int, total: int) -> None:
    with pytest.raises(ValueError):
        wilson(hits, total)
