"""genguard's NumPy resize against OpenCV's INTER_LINEAR, which NudeNet's inputs were scaled with."""

from __future__ import annotations

import subprocess
import sys

import cv2
import numpy as np
import pytest
from PIL import Image

from genguard.media.resize import resize_linear
from tests.images import SHARED_IMAGES


def _target(height: int, width: int, side: int) -> tuple[int, int]:
    ratio = side / max(height, width)
    return max(1, min(side, round(width * ratio))), max(1, min(side, round(height * ratio)))


def _opencv(rgb: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    return np.asarray(cv2.resize(rgb, size, interpolation=cv2.INTER_LINEAR))


@pytest.mark.parametrize("seed", range(4))
def test_downscaling_gives_opencvs_bytes_exactly(seed: int) -> None:
    rng = np.random.default_rng(seed)
    for _ in range(40):
        height, width = (int(v) for v in rng.integers(2, 1400, 2))
        rgb = rng.integers(0, 256, (height, width, 3), dtype=np.uint8)
        size = _target(height, width, int(rng.integers(1, min(height, width) + 1)))
        assert np.array_equal(resize_linear(rgb, size), _opencv(rgb, size)), (height, width, size)


def test_the_shared_photos_at_nudenets_side_match_opencv() -> None:
    photos = sorted(p for p in SHARED_IMAGES.rglob("*") if p.suffix.lower() in {".jpg", ".jpeg", ".png"})
    assert len(photos) >= 10
    for path in photos:
        rgb = np.asarray(Image.open(path).convert("RGB"))
        size = _target(*rgb.shape[:2], 320)
        assert np.array_equal(resize_linear(rgb, size), _opencv(rgb, size)), path


def test_upscaling_is_within_one_level_of_opencv() -> None:
    rng = np.random.default_rng(7)
    for _ in range(40):
        height, width = (int(v) for v in rng.integers(1, 300, 2))
        rgb = rng.integers(0, 256, (height, width, 3), dtype=np.uint8)
        size = _target(height, width, 320)
        got, want = resize_linear(rgb, size).astype(int), _opencv(rgb, size).astype(int)
        assert got.shape == want.shape
        assert np.abs(got - want).max() <= 1
        assert (got != want).mean() < 0.03  # measured: up to 2.2 % on a 5 x 7 image, in its edge rows


def test_the_screening_service_does_not_load_opencv() -> None:
    # The point of the module: OpenCV costs 53 MB of resident memory (docs/benchmarks.md, "Memory").
    code = "import sys; from genguard.guard import Guard; Guard().load(); print('cv2' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=300)
    assert done.stdout.strip().splitlines()[-1] == "False"
