"""Reusing a source photo's signals across the turns of an edit flow (genguard.screening.recent)."""

from __future__ import annotations

from typing import ClassVar

import pytest

from genguard.detectors.base import NudityDetector
from genguard.guard import Guard
from genguard.media.image import DecodedImage
from genguard.screening.recent import RecentSourceSignals
from genguard.signals import NuditySignal
from genguard.verdict import Decision
from tests.images import ADULT_PORTRAIT
from tests.screening.injected import nudity, with_hat


class CountingNudity(NudityDetector):
    """No regions anywhere; counts its calls, and fails on demand."""

    version: ClassVar[str] = "counting"

    def __init__(self) -> None:
        super().__init__()
        self.calls = 0
        self.fail = False

    def detect(self, image: DecodedImage) -> NuditySignal:
        self.calls += 1
        if self.fail:
            raise RuntimeError("nudity model crashed")
        return nudity([])


@pytest.fixture
def counted(detectors, store):  # noqa: ANN001, ANN201 - (Guard, CountingNudity)
    counter = CountingNudity()
    with Guard(detectors={**detectors, "nudity": counter}, store=store) as guard:
        yield guard, counter


def test_later_turns_and_the_output_screen_reuse_the_source(counted) -> None:  # noqa: ANN001
    guard, counter = counted
    first = guard.screen(kind="edit", prompt="put a hat on her", sources=[ADULT_PORTRAIT])
    again = guard.screen(kind="edit", prompt="now a red hat", sources=[ADULT_PORTRAIT])
    assert counter.calls == 1
    assert again.signals.images[0].faces == first.signals.images[0].faces
    assert "faces" not in again.stages_ms  # nothing left to compute for the only image
    output = guard.screen(kind="output", prompt="put a hat on her", sources=[ADULT_PORTRAIT],
                          output=with_hat(ADULT_PORTRAIT))
    assert counter.calls == 2  # the output image only
    assert output.decision is Decision.ALLOW


def test_uploads_and_outputs_are_never_reused(counted) -> None:  # noqa: ANN001
    guard, counter = counted
    guard.screen(kind="upload", output=ADULT_PORTRAIT)
    guard.screen(kind="upload", output=ADULT_PORTRAIT)
    assert counter.calls == 2


def test_a_failure_is_not_remembered_so_it_still_fails_closed(counted) -> None:  # noqa: ANN001
    guard, counter = counted
    counter.fail = True
    failed = guard.screen(kind="edit", prompt="put a hat on her", sources=[ADULT_PORTRAIT])
    assert failed.decision is not Decision.ALLOW and "DETECTOR_UNAVAILABLE" in failed.reasons
    counter.fail = False
    recovered = guard.screen(kind="edit", prompt="put a hat on her", sources=[ADULT_PORTRAIT])
    assert counter.calls == 2 and recovered.decision is Decision.ALLOW


def test_entries_expire_and_the_oldest_go_first() -> None:
    now = [0.0]
    recent = RecentSourceSignals(max_items=2, ttl_s=10.0, clock=lambda: now[0])
    recent.put("faces", "v1", "a", "A")
    recent.put("faces", "v1", "b", "B")
    assert recent.get("faces", "v1", "a") == "A"  # a is now the most recent
    recent.put("faces", "v1", "c", "C")  # evicts b
    assert recent.get("faces", "v1", "b") is None and recent.get("faces", "v1", "c") == "C"
    assert recent.get("faces", "v2", "a") is None  # another detector version
    now[0] = 10.5
    assert recent.get("faces", "v1", "a") is None and len(recent) == 1
