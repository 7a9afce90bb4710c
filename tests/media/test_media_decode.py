"""decode_image on good input: formats, modes, orientation, frames, scaling, hashes, threads."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from genguard.config import MediaLimits
from genguard.media.decode import decode_file, decode_image

IMAGES = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "images"
GREY = np.array((128, 128, 128))  # mid-grey, see genguard.media.modes.BACKGROUND
RED, GREEN, BLUE = (255, 0, 0), (0, 255, 0), (0, 0, 255)


def _flat(colour: tuple[int, int, int], size: tuple[int, int] = (40, 30)) -> Image.Image:
    return Image.new("RGB", size, colour)


def _exif_orientation(value: int) -> bytes:
    exif = Image.Exif()
    exif[0x0112] = value
    return exif.tobytes()


def _manifest() -> dict[str, str]:
    lines = (IMAGES / "MANIFEST.sha256").read_text().splitlines()
    return {path: digest for digest, path in (line.split() for line in lines if line.strip())}


# --- formats -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "params", "name"),
    [
        ("JPEG", {"quality": 95}, "jpeg"),
        ("PNG", {}, "png"),
        ("WEBP", {"lossless": True}, "webp"),
        ("WEBP", {"quality": 90}, "webp"),
        ("GIF", {}, "gif"),
    ],
)
def test_each_format_decodes_to_rgb(
    gradient: Callable, encode: Callable, fmt: str, params: dict, name: str
) -> None:
    source = gradient(120, 80)
    data = encode(source, fmt, **params)
    decoded = decode_image(data)
    assert decoded.format == name
    assert (decoded.width, decoded.height, decoded.scale) == (120, 80, 1.0)
    assert decoded.rgb.shape == (80, 120, 3) and decoded.rgb.dtype == np.uint8
    # GIF is quantised to 256 colours, the rest are close to the source.
    tolerance = 12 if fmt == "GIF" else 6
    assert np.abs(decoded.rgb.astype(int) - np.asarray(source, dtype=int)).mean() < tolerance
    assert decoded.md5 == hashlib.md5(data).hexdigest()
    assert decoded.sha256 == hashlib.sha256(data).hexdigest()
    assert decoded.byte_size == len(data)


def test_gif_without_trailer_still_decodes(gradient: Callable, encode: Callable) -> None:
    data = encode(gradient(64, 48), "GIF")
    assert data.endswith(b"\x3b")
    assert decode_image(data[:-1]).rgb.shape == (48, 64, 3)


# --- modes -------------------------------------------------------------------------------


def test_cmyk_jpeg(encode: Callable) -> None:
    rgb = np.zeros((40, 60, 3), np.uint8)
    rgb[:, :20] = RED
    rgb[:, 20:40] = GREEN
    rgb[:, 40:] = (30, 60, 200)
    data = encode(Image.fromarray(rgb).convert("CMYK"), "JPEG", quality=95)
    assert Image.open(io.BytesIO(data)).mode == "CMYK"
    decoded = decode_image(data)
    for x, colour in ((8, RED), (30, GREEN), (50, (30, 60, 200))):
        assert np.abs(decoded.rgb[20, x].astype(int) - colour).max() < 16


def test_16_bit_png_keeps_its_tonal_range(encode: Callable) -> None:
    ramp = np.linspace(0, 65535, 256).astype(np.uint16)[None, :].repeat(8, 0)
    data = encode(Image.fromarray(ramp), "PNG")
    assert Image.open(io.BytesIO(data)).mode.startswith("I")
    decoded = decode_image(data)
    assert np.array_equal(decoded.rgb[..., 0], decoded.rgb[..., 2])  # grey stays grey
    expected = (ramp >> 8).astype(np.uint8)
    assert np.abs(decoded.rgb[..., 0].astype(int) - expected).max() <= 1
    assert decoded.rgb[0, 128, 0] in (127, 128)  # clipping would have made this 255


def test_greyscale_png(encode: Callable) -> None:
    grey = np.linspace(0, 255, 50).astype(np.uint8)[None, :].repeat(10, 0)
    decoded = decode_image(encode(Image.fromarray(grey, "L"), "PNG"))
    assert np.array_equal(decoded.rgb, np.dstack([grey] * 3))


def test_palette_png_with_transparency_is_composited_over_grey(encode: Callable) -> None:
    image = Image.new("P", (20, 10), 0)
    image.putpalette([255, 255, 255, *RED] + [0] * (254 * 3))  # index 0 white, index 1 red
    image.paste(1, (10, 0, 20, 10))
    data = encode(image, "PNG", transparency=0)
    decoded = decode_image(data)
    assert tuple(decoded.rgb[5, 2]) == tuple(GREY)  # transparent: grey, not the hidden white
    assert tuple(decoded.rgb[5, 15]) == RED


def test_rgba_is_composited_over_grey(encode: Callable) -> None:
    rgba = np.zeros((10, 30, 4), np.uint8)
    rgba[:, :10] = (255, 255, 255, 0)  # invisible white
    rgba[:, 10:20] = (0, 0, 0, 128)  # half-transparent black
    rgba[:, 20:] = (*BLUE, 255)
    decoded = decode_image(encode(Image.fromarray(rgba, "RGBA"), "PNG"))
    assert tuple(decoded.rgb[5, 5]) == tuple(GREY)
    assert np.abs(decoded.rgb[5, 15].astype(int) - GREY // 2).max() <= 1
    assert tuple(decoded.rgb[5, 25]) == BLUE


def test_la_png(encode: Callable) -> None:
    la = np.zeros((10, 20, 2), np.uint8)
    la[:, :10] = (255, 0)
    la[:, 10:] = (200, 255)
    decoded = decode_image(encode(Image.fromarray(la, "LA"), "PNG"))
    assert tuple(decoded.rgb[5, 5]) == tuple(GREY)
    assert tuple(decoded.rgb[5, 15]) == (200, 200, 200)


# --- orientation -------------------------------------------------------------------------


def test_exif_orientation_6_is_rotated_clockwise(encode: Callable) -> None:
    stored = np.zeros((40, 60, 3), np.uint8)
    stored[:, :30] = RED  # left half of the stored pixels ...
    stored[:, 30:] = BLUE
    data = encode(Image.fromarray(stored), "JPEG", quality=95, exif=_exif_orientation(6))
    decoded = decode_image(data)
    assert (decoded.width, decoded.height) == (40, 60)
    assert decoded.rgb.shape == (60, 40, 3)
    assert np.abs(decoded.rgb[10, 20].astype(int) - RED).max() < 20  # ... is the top once upright
    assert np.abs(decoded.rgb[50, 20].astype(int) - BLUE).max() < 20


def test_orientation_and_downscale_report_original_upright_size(
    gradient: Callable, encode: Callable
) -> None:
    data = encode(gradient(3000, 2000), "JPEG", quality=90, exif=_exif_orientation(8))
    decoded = decode_image(data)
    assert (decoded.width, decoded.height) == (2000, 3000)
    assert decoded.rgb.shape == (1024, 683, 3)
    assert decoded.scale == pytest.approx(1024 / 3000)


# --- frames ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "params"), [("GIF", {}), ("WEBP", {"lossless": True}), ("PNG", {})]  # PNG: APNG
)
def test_every_animation_frame_is_decoded(encode: Callable, fmt: str, params: dict) -> None:
    frames = [_flat(RED), _flat(GREEN), _flat(BLUE)]
    data = encode(frames[0], fmt, save_all=True, append_images=frames[1:], duration=100, **params)
    decoded = decode_image(data)
    assert len(decoded.frames) == 3
    for array, colour in zip(decoded.frames, (RED, GREEN, BLUE), strict=True):
        assert array.shape == (30, 40, 3) and array.dtype == np.uint8
        assert tuple(array[15, 20]) == colour


def test_multi_picture_jpeg_frames_are_all_screened(encode: Callable) -> None:
    # Phone cameras store extra pictures in one JPEG (MPO); the JPEG plugin exposes them as frames.
    first, second = _flat(RED, (2000, 1500)), _flat(BLUE, (2000, 1500))
    decoded = decode_image(encode(first, "MPO", save_all=True, append_images=[second]))
    assert decoded.format == "jpeg" and (decoded.width, decoded.height) == (2000, 1500)
    assert [f.shape for f in decoded.frames] == [(768, 1024, 3)] * 2
    assert np.abs(decoded.frames[0][10, 10].astype(int) - RED).max() < 4
    assert np.abs(decoded.frames[1][10, 10].astype(int) - BLUE).max() < 4


def test_large_animation_frames_are_each_downscaled(gradient: Callable, encode: Callable) -> None:
    frames = [gradient(1600, 400), gradient(1600, 400).transpose(Image.Transpose.FLIP_LEFT_RIGHT)]
    data = encode(frames[0], "GIF", save_all=True, append_images=frames[1:])
    decoded = decode_image(data, limits=MediaLimits(working_side=800))
    assert [f.shape for f in decoded.frames] == [(200, 800, 3)] * 2
    assert decoded.frames[0][100, 10, 0] < 40 < 215 < decoded.frames[1][100, 10, 0]


# --- working size ------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_3000x2000_is_downscaled_to_working_side(
    gradient: Callable, encode: Callable, fmt: str
) -> None:
    source = gradient(3000, 2000)
    decoded = decode_image(encode(source, fmt))
    assert (decoded.width, decoded.height) == (3000, 2000)
    assert decoded.rgb.shape == (683, 1024, 3)
    assert decoded.scale == pytest.approx(1024 / 3000)
    reference = np.asarray(source.resize((1024, 683), Image.Resampling.BILINEAR), dtype=int)
    assert np.abs(decoded.rgb.astype(int) - reference).mean() < 3


def test_jpeg_draft_matches_a_full_decode(gradient: Callable, encode: Callable) -> None:
    data = encode(gradient(2048, 1536), "JPEG", quality=90)
    fast = decode_image(data).rgb
    full = Image.open(io.BytesIO(data)).convert("RGB")
    full = full.resize((1024, 768), Image.Resampling.BILINEAR)
    assert fast.shape == (768, 1024, 3)
    assert np.abs(fast.astype(int) - np.asarray(full, dtype=int)).mean() < 2


def test_custom_working_side(gradient: Callable, encode: Callable) -> None:
    decoded = decode_image(encode(gradient(500, 250), "PNG"), limits=MediaLimits(working_side=100))
    assert decoded.rgb.shape == (50, 100, 3)
    assert decoded.scale == pytest.approx(0.2)


# --- real files and threads ----------------------------------------------------------------


def test_all_shared_images_decode() -> None:
    manifest = _manifest()
    assert len(manifest) == 18
    for relative, digest in manifest.items():
        decoded = decode_file(IMAGES / relative)
        assert decoded.sha256 == digest, relative
        assert decoded.format == {"jpg": "jpeg", "png": "png"}[relative.rsplit(".", 1)[1]]
        assert max(decoded.rgb.shape[:2]) == min(1024, max(decoded.width, decoded.height))
        assert decoded.rgb.std() > 10, relative  # real content, not a blank array


def test_concurrent_decodes_match_serial(gradient: Callable, encode: Callable) -> None:
    inputs = [
        encode(gradient(1500, 900), "JPEG", exif=_exif_orientation(6)),
        encode(gradient(700, 500).convert("RGBA"), "PNG"),
        encode(gradient(300, 300), "WEBP"),
        (IMAGES / "scenes" / "coffee_cup_skimage.png").read_bytes(),
    ] * 4
    serial = [decode_image(data).rgb for data in inputs]
    with ThreadPoolExecutor(max_workers=8) as pool:
        parallel = [d.rgb for d in pool.map(decode_image, inputs)]
    for one, other in zip(serial, parallel, strict=True):
        assert np.array_equal(one, other)
