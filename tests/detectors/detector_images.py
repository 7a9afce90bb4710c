"""Helpers for the image detector tests: the shared licensed images as ``DecodedImage``s.

Images are built straight from PIL (not through ``genguard.media.decode``) so these tests
exercise the detectors alone.
"""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from genguard.media.image import DecodedImage

IMAGES = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "images"
WORKING_SIDE = 1024


def decoded_from_pil(
    image: Image.Image, data: bytes = b"", max_side: int = WORKING_SIDE, fmt: str = "RAW"
) -> DecodedImage:
    """A ``DecodedImage`` as the decoder would hand it over: RGB, at most ``max_side``."""
    rgb = image.convert("RGB")
    width, height = rgb.size
    scale = min(1.0, max_side / max(width, height))
    if scale < 1.0:
        rgb = rgb.resize(
            (max(1, round(width * scale)), max(1, round(height * scale))),
            Image.Resampling.BILINEAR,
        )
    return DecodedImage(
        frames=[np.ascontiguousarray(np.asarray(rgb))],
        width=width,
        height=height,
        format=fmt,
        md5=hashlib.md5(data).hexdigest(),
        sha256=hashlib.sha256(data).hexdigest(),
        scale=scale,
        byte_size=len(data),
    )


def manifest() -> list[dict[str, Any]]:
    """The shared images' manifest, or an empty list where ``shared/`` is absent."""
    path = IMAGES / "MANIFEST.json"
    return json.loads(path.read_text()) if path.is_file() else []


#: Put on every module that reads the shared images; CI clones ``shared/`` beside the repo.
needs_images = pytest.mark.skipif(
    not (IMAGES / "MANIFEST.json").is_file(), reason=f"shared test images not found at {IMAGES}"
)


def files_of_kind(*kinds: str) -> list[str]:
    return [entry["file"] for entry in manifest() if entry["kind"] in kinds]


def shared_image(relative: str, max_side: int = WORKING_SIDE) -> DecodedImage:
    """The shared file ``relative`` as the decoder would hand it to detectors."""
    data = (IMAGES / relative).read_bytes()
    with Image.open(io.BytesIO(data)) as image:
        return decoded_from_pil(image, data, max_side, fmt=image.format or "RAW")


def reencoded(path: Path, side: int, quality: int = 85) -> bytes:
    """``path`` resized so its longer side is ``side`` and saved again as JPEG."""
    with Image.open(path) as image:
        rgb = image.convert("RGB")
        rgb.thumbnail((side, side), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        rgb.save(out, format="JPEG", quality=quality)
        return out.getvalue()
