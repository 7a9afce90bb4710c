"""Property tests of the decoder on the licensed images: truncated anywhere, bits flipped
anywhere, sizes in the header lied about. Every outcome is a decoded image within the limits
or a MediaError with its code; never another exception, never a frame over the working size."""

from __future__ import annotations

import io
import struct

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from genguard.config import MediaLimits
from genguard.errors import MediaError
from genguard.media.decode import decode_image
from tests.images import SHARED_IMAGES

LIMITS = MediaLimits(max_bytes=2 * 1024 * 1024, max_pixels=4_000_000, max_total_pixels=8_000_000)
PROPERTY = settings(max_examples=60, deadline=None, derandomize=True, database=None,
                    suppress_health_check=list(HealthCheck))


def _licensed() -> dict[str, bytes]:
    """Small copies of licensed images in every accepted container (a GIF of three frames too)."""
    out: dict[str, bytes] = {}
    portrait = SHARED_IMAGES / "portraits" / "young_adult_fairface_0100_woman_age20-29.jpg"
    scene = SHARED_IMAGES / "scenes" / "coffee_cup_skimage.png"
    out["jpeg"] = portrait.read_bytes()
    with Image.open(scene) as im:
        small = im.convert("RGB")
        small.thumbnail((256, 256))
    for fmt in ("PNG", "WEBP"):
        buffer = io.BytesIO()
        small.save(buffer, format=fmt)
        out[fmt.lower()] = buffer.getvalue()
    buffer = io.BytesIO()
    frames = [small.rotate(angle) for angle in (0, 90, 180)]
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:])
    out["gif"] = buffer.getvalue()
    return out


IMAGES = _licensed() if (SHARED_IMAGES / "portraits").is_dir() else {}
FORMATS = sorted(IMAGES)
pytestmark = pytest.mark.skipif(not IMAGES, reason=f"licensed images not found under {SHARED_IMAGES}")


def _decodes_or_refuses(data: bytes) -> None:
    try:
        image = decode_image(data, limits=LIMITS)
    except MediaError as exc:
        assert exc.code.startswith("media_") and exc.message
        return
    assert image.frames and len(image.frames) <= LIMITS.max_frames
    assert image.width * image.height <= LIMITS.max_pixels
    for frame in image.frames:
        assert frame.ndim == 3 and frame.shape[2] == 3 and max(frame.shape[:2]) <= LIMITS.working_side


def test_the_originals_decode() -> None:
    for data in IMAGES.values():
        assert decode_image(data, limits=LIMITS).frames


@PROPERTY
@given(fmt=st.sampled_from(FORMATS or ["none"]), cut=st.floats(0, 1, exclude_max=True))
def test_truncated_anywhere(fmt: str, cut: float) -> None:
    data = IMAGES[fmt]
    _decodes_or_refuses(data[: int(len(data) * cut)])


@PROPERTY
@given(fmt=st.sampled_from(FORMATS or ["none"]),
       flips=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 7)), min_size=1, max_size=8))
def test_bits_flipped_anywhere(fmt: str, flips: list[tuple[float, int]]) -> None:
    data = bytearray(IMAGES[fmt])
    for where, bit in flips:
        data[int(len(data) * where)] ^= 1 << bit
    _decodes_or_refuses(bytes(data))


def _lie_about_size(fmt: str, data: bytes, width: int, height: int) -> bytes:
    """The container's declared width and height replaced (pixel data left as it is)."""
    out = bytearray(data)
    if fmt == "png":
        out[16:24] = struct.pack(">II", width, height)  # IHDR (its CRC now lies too)
    elif fmt == "gif":
        out[6:10] = struct.pack("<HH", width & 0xFFFF, height & 0xFFFF)  # logical screen
    elif fmt == "jpeg":
        sof = next(i for i in range(2, len(out) - 9) if out[i] == 0xFF and out[i + 1] in (0xC0, 0xC1, 0xC2))
        out[sof + 5:sof + 9] = struct.pack(">HH", height & 0xFFFF, width & 0xFFFF)
    elif fmt == "webp":
        vp8 = out.find(b"VP8")
        if out[vp8 + 3:vp8 + 4] == b" ":  # lossy: 14-bit sizes after the start code
            out[vp8 + 14:vp8 + 18] = struct.pack("<HH", width & 0x3FFF, height & 0x3FFF)
        else:
            out[vp8 + 9:vp8 + 13] = struct.pack("<I", ((width - 1) & 0x3FFF) | (((height - 1) & 0x3FFF) << 14))
    return bytes(out)


@PROPERTY
@given(fmt=st.sampled_from(FORMATS or ["none"]), width=st.integers(0, 70_000), height=st.integers(0, 70_000))
def test_header_lies_about_the_size(fmt: str, width: int, height: int) -> None:
    _decodes_or_refuses(_lie_about_size(fmt, IMAGES[fmt], width, height))


@PROPERTY
@given(fmt=st.sampled_from(FORMATS or ["none"]),
       declared=st.sampled_from(["image/png", "image/jpeg", "image/gif", "image/webp", "text/plain", None]))
def test_a_declared_type_never_makes_it_crash(fmt: str, declared: str | None) -> None:
    try:
        decode_image(IMAGES[fmt], limits=LIMITS, declared_type=declared)
    except MediaError as exc:
        assert exc.code.startswith("media_")


