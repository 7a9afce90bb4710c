"""Safe decoding of untrusted image bytes into the arrays detectors receive.

Order matters: every check that can be made on the raw bytes (size, real type, declared type,
header dimensions, completeness) runs before a single pixel is decoded, so a hostile file is
refused for the price of reading its header. Only then does Pillow decode, restricted to the
plugin of the sniffed format, and its own size checks are a second line rather than the first.

Nothing here changes global state (no ``Image.MAX_IMAGE_PIXELS`` tweaks, no warning filters,
and ``ImageFile.LOAD_TRUNCATED_IMAGES`` is never touched), so concurrent calls are safe.
"""

from __future__ import annotations

import hashlib
import io
import os
import stat
import struct
import zlib
from pathlib import Path

import numpy as np
from PIL import ExifTags, Image, ImageOps

from genguard.config import MediaLimits
from genguard.errors import MediaError
from genguard.media.header import image_size, is_complete
from genguard.media.image import DecodedImage
from genguard.media.modes import to_rgb
from genguard.media.sniff import ACCEPTED, check_declared_type, sniff_format

# What Pillow and its codecs raise on bad data; anything else is a bug of ours and propagates.
_DECODER_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, struct.error, zlib.error)
# EXIF orientations 2-8 flip or turn the stored pixels; 1 (or none) leaves them as they are.
_TURNING_ORIENTATIONS = range(2, 9)


def decode_image(
    data: bytes,
    *,
    limits: MediaLimits = MediaLimits(),
    declared_type: str | None = None,
) -> DecodedImage:
    """Decode untrusted image bytes into EXIF-oriented RGB frames at working size.

    ``declared_type`` is the MIME type the sender claimed (an upload's ``Content-Type``); it is
    checked against the sniffed format, never trusted. Every refusal raises :class:`MediaError`
    with a stable ``code`` (see ``docs/media.md``).
    """
    data = bytes(data)
    if not data:
        raise MediaError("the image is empty (0 bytes)", code="media_empty")
    if len(data) > limits.max_bytes:
        raise _too_large(len(data), limits)
    fmt = sniff_format(data, declared_type)
    check_declared_type(declared_type, fmt)
    _check_size(image_size(data, fmt), limits)
    if not is_complete(data, fmt):
        raise MediaError(
            f"the {fmt.upper()} file is truncated (its end marker is missing)",
            code="media_truncated",
        )
    try:
        with Image.open(io.BytesIO(data), formats=[ACCEPTED[fmt][0]]) as im:
            frames, width, height = _decode_frames(im, fmt, limits)
    except Image.DecompressionBombError as exc:
        # Pillow's own bomb check fires inside the parser, e.g. when a GIF frame grows the
        # canvas past what the header declared; it is the same refusal as ours.
        raise MediaError(
            f"the image is a decompression bomb: {exc}", code="media_too_many_pixels"
        ) from None
    except _DECODER_ERRORS as exc:
        raise _decoder_failure(fmt, exc) from None
    return DecodedImage(
        frames=frames,
        width=width,
        height=height,
        format=fmt,
        md5=hashlib.md5(data).hexdigest(),
        sha256=hashlib.sha256(data).hexdigest(),
        scale=max(frames[0].shape[:2]) / max(width, height),
        byte_size=len(data),
    )


def read_file(path: str | Path, *, limits: MediaLimits = MediaLimits()) -> bytes:
    """Read a regular image file's bytes, reading at most ``limits.max_bytes + 1`` of them.

    Reading one byte past the limit is enough to know a file is too large, so a huge file is
    refused without being read into memory. Anything but a regular file (a FIFO, a device, a
    directory) is refused before a byte is read: opening a FIFO with no writer blocks forever
    (it hung a batch). The file is opened non-blocking and checked with ``fstat`` on that same
    descriptor, so a path swapped between a check and the open cannot slip through.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise MediaError(
            f"cannot read image file {str(path)!r}: {exc.strerror or exc}",
            code="media_unreadable",
        ) from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise MediaError(f"{str(path)!r} is not a regular file", code="media_not_a_file")
    os.set_blocking(fd, True)
    with os.fdopen(fd, "rb") as handle:
        try:
            data = handle.read(limits.max_bytes + 1)
        except OSError as exc:
            raise MediaError(
                f"cannot read image file {str(path)!r}: {exc.strerror or exc}",
                code="media_unreadable",
            ) from None
    if len(data) > limits.max_bytes:
        raise _too_large(None, limits)
    return data


def decode_file(
    path: str | Path,
    *,
    limits: MediaLimits = MediaLimits(),
    declared_type: str | None = None,
) -> DecodedImage:
    """Decode an image file under the same limits as :func:`decode_image` (see :func:`read_file`).
    """
    return decode_image(read_file(path, limits=limits), limits=limits, declared_type=declared_type)


def _decode_frames(
    im: Image.Image, fmt: str, limits: MediaLimits
) -> tuple[list[np.ndarray], int, int]:
    """All frames as RGB arrays at working size, plus the original oriented width and height."""
    _check_size(im.size, limits)
    n_frames = getattr(im, "n_frames", 1)
    if n_frames > limits.max_frames:
        raise MediaError(
            f"the image has {n_frames} frames; at most {limits.max_frames} are accepted",
            code="media_too_many_frames",
        )
    # Pillow decodes every frame at canvas size: the whole animation's cost is known up front.
    _check_budget(n_frames, im.size[0] * im.size[1] * n_frames, limits)
    frames: list[np.ndarray] = []
    width, height = im.size
    for index in range(n_frames):
        if index:
            im.seek(index)
            _check_size(im.size, limits)  # a GIF frame may grow the canvas beyond the header
            _check_budget(n_frames, im.size[0] * im.size[1] * n_frames, limits)
        full = im.size
        if fmt == "jpeg":
            _draft(im, limits.working_side)
        im.load()
        # exif_transpose copies the whole frame even when there is nothing to turn; skip it then.
        turn = im.getexif().get(ExifTags.Base.Orientation, 1) in _TURNING_ORIENTATIONS
        oriented = ImageOps.exif_transpose(im) if turn else im
        if oriented.size != im.size:  # a 90-degree orientation swaps the sides
            full = (full[1], full[0])
        if index == 0:
            width, height = full
        frames.append(np.asarray(_to_working_size(to_rgb(oriented), full, limits.working_side)))
    return frames, width, height


def _draft(im: Image.Image, working_side: int) -> None:
    """Let libjpeg decode at 1/2, 1/4 or 1/8 scale when the result stays >= working size.

    DCT-domain downscaling skips most of the decoding work, and it never goes below the
    requested size, so the final resize still does the exact (and antialiased) reduction.
    """
    width, height = im.size
    longest = max(width, height)
    if longest <= working_side:
        return
    request = (max(1, width * working_side // longest), max(1, height * working_side // longest))
    im.draft(None, request)


def _to_working_size(rgb: Image.Image, full: tuple[int, int], working_side: int) -> Image.Image:
    """Scale so the longer side is ``working_side``, measured on the original (``full``) size.

    The target comes from the original size, not from ``rgb`` (which JPEG draft mode may
    already have reduced), so ``scale`` means the same thing whichever path decoded it.
    """
    longest = max(full)
    if longest <= working_side:
        return rgb
    ratio = working_side / longest
    target = (max(1, round(full[0] * ratio)), max(1, round(full[1] * ratio)))
    if rgb.size == target:  # JPEG draft mode already landed exactly on it
        return rgb
    return rgb.resize(target, Image.Resampling.BILINEAR, reducing_gap=3.0)


def _check_size(size: tuple[int, int], limits: MediaLimits) -> None:
    width, height = size
    # Pillow's process-wide limit also applies; honouring the lower of the two here means
    # Pillow's DecompressionBombWarning can never be the only thing standing in the way.
    max_pixels = min(limits.max_pixels, Image.MAX_IMAGE_PIXELS or limits.max_pixels)
    if width > limits.max_side or height > limits.max_side or width * height > max_pixels:
        raise MediaError(
            f"the image is {width}x{height} pixels; the limit is {limits.max_side} pixels a "
            f"side and {max_pixels} pixels in all (possible decompression bomb)",
            code="media_too_many_pixels",
        )


def _check_budget(n_frames: int, pixels: int, limits: MediaLimits) -> None:
    if pixels > limits.max_total_pixels:
        raise MediaError(
            f"the image's {n_frames} frames add up to {pixels} pixels; the limit is "
            f"{limits.max_total_pixels} pixels over all frames",
            code="media_too_many_pixels",
        )


def _too_large(size: int | None, limits: MediaLimits) -> MediaError:
    actual = f"{size} bytes" if size is not None else "larger than that"
    return MediaError(
        f"the image is too large ({actual}); the limit is {limits.max_bytes} bytes",
        code="media_too_large",
    )


def _decoder_failure(fmt: str, exc: Exception) -> MediaError:
    text = str(exc)
    if "truncated" in text.lower():
        return MediaError(f"the {fmt.upper()} file is truncated: {text}", code="media_truncated")
    return MediaError(
        f"the {fmt.upper()} file is corrupt and cannot be decoded: {text or type(exc).__name__}",
        code="media_corrupt",
    )
