"""Paths of the licensed benign test images (``<repo>/../shared``, as CI lays it out)."""

import struct
import zlib
from pathlib import Path

SHARED_IMAGES = Path(__file__).resolve().parents[2] / "shared" / "data" / "images"
ADULT_PORTRAIT = SHARED_IMAGES / "portraits" / "young_adult_fairface_0100_woman_age20-29.jpg"
CHILD_PORTRAITS = sorted((SHARED_IMAGES / "portraits").glob("child_fairface_*.jpg"))


def _chunk(kind: bytes, payload: bytes) -> bytes:
    crc = zlib.crc32(kind + payload)
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", crc)


def forged_png(width: int, height: int, idat: bytes) -> bytes:
    """A PNG assembled by hand, so its header can claim any size without allocating it."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")

#: Age-labelled FairFace faces (developer half) for the age calibration: MANIFEST.json, README.md.
SHARED_FACES = Path(__file__).resolve().parents[2] / "shared" / "data" / "faces"
