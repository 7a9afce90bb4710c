"""Synthetic, benign test images (gradients and flat colour blocks only) built in memory."""

from __future__ import annotations

import io
from collections.abc import Callable

import numpy as np
import pytest
from PIL import Image


def _gradient(width: int, height: int) -> Image.Image:
    """RGB image: red rises left to right, green top to bottom, blue constant."""
    x = np.linspace(0, 255, width, dtype=np.float64)[None, :].repeat(height, 0)
    y = np.linspace(0, 255, height, dtype=np.float64)[:, None].repeat(width, 1)
    rgb = np.dstack([x, y, np.full_like(x, 96)]).astype(np.uint8)
    return Image.fromarray(rgb)


def _encode(image: Image.Image, fmt: str, **params: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **params)
    return buffer.getvalue()


@pytest.fixture
def gradient() -> Callable[[int, int], Image.Image]:
    return _gradient


@pytest.fixture
def encode() -> Callable[..., bytes]:
    return _encode
