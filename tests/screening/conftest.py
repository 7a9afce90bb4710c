"""A Guard on the real face, age, identity and hash models whose nudity regions a test injects."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from genguard.guard import Guard
from tests.api.conftest import live_server  # noqa: F401 - the live HTTP server fixture, re-exported
from tests.screening.injected import InjectedNudity


@pytest.fixture
def injected_guard(detectors, store) -> Iterator[Guard]:  # noqa: ANN001
    """``guard.nudity_regions[sha256] = [regions]`` sets what the mocked nudity detector answers."""
    nudity = InjectedNudity()
    with Guard(detectors={**detectors, "nudity": nudity}, store=store) as guard:
        guard.nudity_regions = nudity.by_sha256  # type: ignore[attr-defined]
        yield guard
