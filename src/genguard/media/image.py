"""The decoded image every detector receives."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True, eq=False)
class DecodedImage:
    """A safely decoded image, EXIF-oriented, as RGB ``uint8`` arrays.

    ``frames[0]`` is the first (or only) frame. Arrays may be downscaled from the original for
    speed (``scale`` = array side / original side, ≤ 1); detectors report boxes in *original*
    pixels by dividing by ``scale``. ``md5`` and ``sha256`` are of the raw bytes as received, which
    is what exact-hash banks list.
    """

    frames: list[np.ndarray]
    width: int
    height: int
    format: str
    md5: str
    sha256: str
    scale: float = 1.0
    byte_size: int = 0
    _resized: dict[int, np.ndarray] = field(default_factory=dict, repr=False)

    @property
    def rgb(self) -> np.ndarray:
        return self.frames[0]

    def resized(self, max_side: int) -> np.ndarray:
        """First frame scaled so its longer side is at most ``max_side`` (cached per size)."""
        cached = self._resized.get(max_side)
        if cached is not None:
            return cached
        from PIL import Image

        h, w = self.rgb.shape[:2]
        longest = max(h, w)
        if longest <= max_side:
            out = self.rgb
        else:
            ratio = max_side / longest
            size = (max(1, round(w * ratio)), max(1, round(h * ratio)))
            out = np.asarray(Image.fromarray(self.rgb).resize(size, Image.Resampling.BILINEAR))
        self._resized[max_side] = out
        return out
