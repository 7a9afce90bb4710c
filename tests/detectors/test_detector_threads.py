"""Eight threads calling one detector give exactly the serial results (models are shared)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from detector_images import needs_images, shared_image

from genguard.detectors.base import ImageDetector

pytestmark = [needs_images, pytest.mark.slow]

FILES = [
    "portraits/barack_obama_official_portrait_2012.jpg",
    "portraits/child_fairface_0250_boy_age3-9.jpg",
    "art/ingres_valpincon_bather.jpg",
    "scenes/chelsea_cat_skimage.png",
]


@pytest.mark.parametrize("name", ["nudity_detector", "face_detector", "hash_detector"])
def test_concurrent_equals_serial(name: str, request: pytest.FixtureRequest) -> None:
    detector: ImageDetector[Any] = request.getfixturevalue(name)
    images = [shared_image(relative) for relative in FILES] * 4  # 16 calls
    serial = [detector.detect(image) for image in images]
    with ThreadPoolExecutor(max_workers=8) as pool:
        concurrent = list(pool.map(detector.detect, images))
    assert concurrent == serial
