"""Helpers for screening tests: benign edits of the licensed photos and injected nudity signals.

The nudity detector is the only thing mocked (``InjectedNudity``): it answers with the regions a
test gives for an image's SHA-256, so tests can say "this output shows more skin" without any
such image existing. Faces, ages, identity and hashes come from the real models.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Mapping
from pathlib import Path
from typing import ClassVar

from PIL import Image, ImageDraw

from genguard.detectors.base import NudityDetector
from genguard.detectors.nudity import EXPOSED, MINIMAL_CLOTHING, SKIN
from genguard.media.image import DecodedImage
from genguard.signals import Box, NuditySignal, Region


def region(label: str, score: float = 0.8, box: tuple[float, float, float, float] = (100, 300, 300, 450)) -> Region:
    x0, y0, x1, y1 = box
    return Region(label=label, score=score, box=Box(x0=x0, y0=y0, x1=x1, y1=y1))


#: A dress as NudeNet reads it: belly and armpits covered.
DRESS = [region("BELLY_COVERED", 0.7), region("ARMPITS_COVERED", 0.6, (80, 200, 120, 240))]


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def nudity(regions: list[Region]) -> NuditySignal:
    def top(labels: frozenset[str]) -> float:
        return max((r.score for r in regions if r.label in labels), default=0.0)

    return NuditySignal(regions=regions, exposed=top(EXPOSED), minimal_clothing=top(MINIMAL_CLOTHING),
                        skin=top(SKIN), model="injected")


class InjectedNudity(NudityDetector):
    """Answers with the regions given for each image's SHA-256 (none for any other image)."""

    version: ClassVar[str] = "injected"

    def __init__(self, by_sha256: Mapping[str, list[Region]] | None = None) -> None:
        super().__init__()
        self.by_sha256 = dict(by_sha256 or {})

    def detect(self, image: DecodedImage) -> NuditySignal:
        return nudity(self.by_sha256.get(image.sha256, []))


def jpeg(image: Image.Image, quality: int = 85) -> bytes:
    out = io.BytesIO()
    image.convert("RGB").save(out, "JPEG", quality=quality)
    return out.getvalue()


def open_rgb(path: Path | bytes) -> Image.Image:
    with Image.open(io.BytesIO(path) if isinstance(path, bytes) else path) as image:
        return image.convert("RGB")


def with_hat(path: Path | bytes) -> bytes:
    """A benign edit: a flat 'hat' over the top tenth of the picture, saved again as JPEG."""
    image = open_rgb(path)
    ImageDraw.Draw(image).rectangle((0, 0, image.width, image.height // 10), fill=(40, 30, 90))
    return jpeg(image, 88)


def resized_cropped(path: Path | bytes, side: int = 400, crop: float = 0.05, quality: int = 70) -> bytes:
    """Re-encoded, resized and lightly cropped: how an earlier output comes back as a source."""
    image = open_rgb(path)
    dx, dy = int(image.width * crop), int(image.height * crop)
    image = image.crop((dx, dy, image.width - dx, image.height - dy))
    image.thumbnail((side, side), Image.Resampling.LANCZOS)
    return jpeg(image, quality)
