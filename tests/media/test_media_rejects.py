"""decode_image / decode_file refuse each kind of bad input with its own error code."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageFile

from genguard.config import MediaLimits
from genguard.errors import MediaError
from genguard.media.decode import decode_file, decode_image
from tests.images import forged_png as _png


def _gif_with_big_frame(width: int, height: int) -> bytes:
    """A GIF whose header declares a 1x1 canvas but whose first frame is ``width`` x ``height``."""
    screen = b"GIF89a" + struct.pack("<HHBBB", 1, 1, 0, 0, 0)  # no global colour table
    descriptor = b"\x2c" + struct.pack("<HHHHB", 0, 0, width, height, 0x80)  # 2-entry local table
    pixels = b"\x02\x02\x44\x01\x00"  # LZW min code size 2, one tiny sub-block, terminator
    return screen + descriptor + b"\x00\x00\x00\xff\xff\xff" + pixels + b"\x3b"


def _code(excinfo: pytest.ExceptionInfo[MediaError]) -> str:
    assert excinfo.value.message  # every refusal explains itself to a human as well
    return excinfo.value.code


def test_empty_input() -> None:
    with pytest.raises(MediaError) as excinfo:
        decode_image(b"")
    assert _code(excinfo) == "media_empty"


def test_random_garbage_is_unsupported() -> None:
    garbage = np.random.default_rng(7).integers(0, 256, 4096, dtype=np.uint8).tobytes()
    with pytest.raises(MediaError) as excinfo:
        decode_image(garbage)
    assert _code(excinfo) == "media_unsupported_type"


def test_text_declared_as_png_is_unsupported() -> None:
    with pytest.raises(MediaError) as excinfo:
        decode_image(b"hello, this is a plain text file\n" * 20, declared_type="image/png")
    assert _code(excinfo) == "media_unsupported_type"
    assert "image/png" in excinfo.value.message


def test_known_but_refused_format_is_named(gradient: Callable, encode: Callable) -> None:
    with pytest.raises(MediaError) as excinfo:
        decode_image(encode(gradient(32, 32), "BMP"))
    assert _code(excinfo) == "media_unsupported_type"
    assert "BMP" in excinfo.value.message


def test_png_declared_as_jpeg_is_a_mismatch(gradient: Callable, encode: Callable) -> None:
    with pytest.raises(MediaError) as excinfo:
        decode_image(encode(gradient(32, 32), "PNG"), declared_type="image/jpeg")
    assert _code(excinfo) == "media_type_mismatch"
    assert excinfo.value.status == 422


@pytest.mark.parametrize(
    ("fmt", "declared"),
    [
        ("PNG", "image/PNG; charset=binary"),
        ("JPEG", "image/jpg"),
        ("GIF", "application/octet-stream"),
        ("WEBP", "image/webp"),
    ],
)
def test_consistent_or_unclaimed_declared_types_pass(
    gradient: Callable, encode: Callable, fmt: str, declared: str
) -> None:
    assert decode_image(encode(gradient(32, 32), fmt), declared_type=declared).width == 32


def test_over_max_bytes(gradient: Callable, encode: Callable) -> None:
    data = encode(gradient(64, 64), "PNG")
    with pytest.raises(MediaError) as excinfo:
        decode_image(data, limits=MediaLimits(max_bytes=len(data) - 1))
    assert _code(excinfo) == "media_too_large"
    assert decode_image(data, limits=MediaLimits(max_bytes=len(data))).width == 64


def test_decode_file_refuses_a_huge_file_without_reading_it(tmp_path: Path) -> None:
    huge = tmp_path / "huge.png"
    with open(huge, "wb") as handle:  # sparse: 64 GiB claimed, nothing written to disk
        handle.truncate(64 * 1024**3)
    with pytest.raises(MediaError) as excinfo:
        decode_file(huge)
    assert _code(excinfo) == "media_too_large"


def test_decode_file_missing(tmp_path: Path) -> None:
    with pytest.raises(MediaError) as excinfo:
        decode_file(tmp_path / "nope.jpg")
    assert _code(excinfo) == "media_unreadable"


def test_png_bomb_header_is_refused_before_decoding() -> None:
    # 100000 x 100000 RGB would be 30 GB; the file is about 60 bytes.
    bomb = _png(100_000, 100_000, zlib.compress(b"\x00" * 64))
    with pytest.raises(MediaError) as excinfo:
        decode_image(bomb)
    assert _code(excinfo) == "media_too_many_pixels"
    assert "100000x100000" in excinfo.value.message


def test_pixel_count_limit_within_side_limit() -> None:
    bomb = _png(10_000, 10_000, zlib.compress(b"\x00" * 64))  # sides fine, 100 M pixels not
    with pytest.raises(MediaError) as excinfo:
        decode_image(bomb)
    assert _code(excinfo) == "media_too_many_pixels"


def test_configured_side_limit(gradient: Callable, encode: Callable) -> None:
    with pytest.raises(MediaError) as excinfo:
        decode_image(encode(gradient(300, 20), "PNG"), limits=MediaLimits(max_side=299))
    assert _code(excinfo) == "media_too_many_pixels"


def test_gif_frame_growing_the_canvas_hits_pillows_bomb_error() -> None:
    # The header says 1x1, so our header check passes; Pillow then finds a 20000x20000 frame
    # and raises DecompressionBombError, which must come out as the same code.
    with pytest.raises(MediaError) as excinfo:
        decode_image(_gif_with_big_frame(20_000, 20_000))
    assert _code(excinfo) == "media_too_many_pixels"


def test_gif_frame_growing_the_canvas_past_our_limit_after_pillows_warning() -> None:
    # 12000 x 12000 is above Pillow's warning threshold but below its error; our own check
    # after opening refuses it, so the warning is never the only defence.
    with pytest.warns(Image.DecompressionBombWarning), pytest.raises(MediaError) as excinfo:
        decode_image(_gif_with_big_frame(12_000, 12_000))
    assert _code(excinfo) == "media_too_many_pixels"


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "GIF"])
def test_truncated_half_file(gradient: Callable, encode: Callable, fmt: str) -> None:
    data = encode(gradient(256, 192), fmt)
    with pytest.raises(MediaError) as excinfo:
        decode_image(data[: len(data) // 2])
    assert _code(excinfo) == "media_truncated"


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "GIF"])
def test_truncated_inside_the_header(gradient: Callable, encode: Callable, fmt: str) -> None:
    with pytest.raises(MediaError) as excinfo:
        decode_image(encode(gradient(64, 64), fmt)[:14])
    assert _code(excinfo) == "media_truncated"


def test_png_missing_only_its_end_chunk_is_truncated(gradient: Callable, encode: Callable) -> None:
    # Pillow alone would decode this one; the structural check must still refuse it.
    data = encode(gradient(64, 64), "PNG")
    with pytest.raises(MediaError) as excinfo:
        decode_image(data[:-12])
    assert _code(excinfo) == "media_truncated"


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_truncation_caught_even_if_someone_enabled_load_truncated_images(
    gradient: Callable, encode: Callable, fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    data = encode(gradient(256, 192), fmt)
    with pytest.raises(MediaError) as excinfo:
        decode_image(data[: len(data) * 2 // 3])
    assert _code(excinfo) == "media_truncated"


def test_corrupt_png_pixel_stream() -> None:
    noise = np.random.default_rng(3).integers(0, 256, 300, dtype=np.uint8).tobytes()
    with pytest.raises(MediaError) as excinfo:
        decode_image(_png(16, 16, noise))  # valid chunks and CRCs, but not a zlib stream
    assert _code(excinfo) == "media_corrupt"


def test_corrupt_jpeg_structure(gradient: Callable, encode: Callable) -> None:
    data = bytearray(encode(gradient(64, 64), "JPEG"))
    data[4:6] = b"\x00\x01"  # the first segment claims a length shorter than its own field
    with pytest.raises(MediaError) as excinfo:
        decode_image(bytes(data))
    assert _code(excinfo) == "media_corrupt"


def test_zero_sized_header_is_corrupt() -> None:
    with pytest.raises(MediaError) as excinfo:
        decode_image(_png(0, 10, zlib.compress(b"")))
    assert _code(excinfo) == "media_corrupt"


def test_too_many_frames(gradient: Callable, encode: Callable) -> None:
    frames = [gradient(32, 32).rotate(90 * i) for i in range(4)]
    data = encode(frames[0], "GIF", save_all=True, append_images=frames[1:])
    with pytest.raises(MediaError) as excinfo:
        decode_image(data, limits=MediaLimits(max_frames=3))
    assert _code(excinfo) == "media_too_many_frames"
    assert len(decode_image(data, limits=MediaLimits(max_frames=4)).frames) == 4


def test_errors_do_not_change_pillow_globals() -> None:
    before = (Image.MAX_IMAGE_PIXELS, ImageFile.LOAD_TRUNCATED_IMAGES)
    with pytest.raises(MediaError):
        decode_image(_png(100_000, 100_000, zlib.compress(b"")))
    assert (Image.MAX_IMAGE_PIXELS, ImageFile.LOAD_TRUNCATED_IMAGES) == before


@pytest.mark.parametrize("kind", ["fifo", "device", "directory"])
def test_only_regular_files_are_read(tmp_path: Path, kind: str) -> None:
    """A FIFO (or a device) named as a batch source hung the batch: it is refused at once."""
    import os
    import threading

    path = {"fifo": tmp_path / "pipe.jpg", "device": Path("/dev/zero"), "directory": tmp_path}[kind]
    if kind == "fifo":
        os.mkfifo(path)
    outcome: list[BaseException | None] = []

    def read() -> None:
        try:
            decode_file(path)
            outcome.append(None)
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            outcome.append(exc)

    worker = threading.Thread(target=read, daemon=True)
    worker.start()
    worker.join(timeout=5)
    if worker.is_alive() and kind == "fifo":
        with open(path, "wb"):  # unblock the reader so the thread can end
            pass
    assert outcome, f"reading a {kind} did not return within 5 s"
    assert isinstance(outcome[0], MediaError) and outcome[0].code == "media_not_a_file", outcome


def _animated_gif(side: int, frames: int) -> bytes:
    import io

    images = [Image.new("P", (side, side), i) for i in range(frames)]
    for i, im in enumerate(images):
        im.putpalette([i * 7 % 256, i * 13 % 256, i * 29 % 256] * 256)
    out = io.BytesIO()
    images[0].save(out, format="GIF", save_all=True, append_images=images[1:], optimize=False, disposal=2)
    return out.getvalue()


def test_frames_share_one_pixel_budget() -> None:
    """32 frames at 2000x2000 fit the per-frame limit but decode 128 megapixels (9-11 s of CPU):
    the frames' pixels add up against one budget, refused before any frame is decoded."""
    import time

    data = _animated_gif(2000, 32)
    assert len(data) < 1_000_000
    started = time.perf_counter()
    with pytest.raises(MediaError) as caught:
        decode_image(data)
    assert caught.value.code == "media_too_many_pixels" and "frames" in caught.value.message
    assert time.perf_counter() - started < 1.0
    small = decode_image(_animated_gif(300, 8))  # a normal animation still decodes
    assert len(small.frames) == 8
