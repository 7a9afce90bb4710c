"""Read an image's dimensions and check that it is complete, from its container bytes alone.

Both run before any pixel is decoded and without Pillow: the pixel limits must hold before a
decoder allocates anything (a 100 kB PNG can claim 100000 x 100000 pixels), and a truncated file
must be refused even where the decoder would quietly accept it (Pillow decodes a PNG that lost
its end chunk, or anything at all when ``ImageFile.LOAD_TRUNCATED_IMAGES`` is switched on).
"""

from __future__ import annotations

import struct

from genguard.errors import MediaError

# JPEG start-of-frame markers (baseline, progressive, lossless, arithmetic); they carry the size.
_JPEG_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
# Markers with no length field.
_JPEG_STANDALONE = {0x01, *range(0xD0, 0xD8)}
# Real files have a few dozen segments before the scan (hundreds with a large split ICC profile);
# the cap keeps a file of padding bytes from costing millions of loop turns.
_JPEG_MAX_MARKERS = 10_000


def _truncated(fmt: str) -> MediaError:
    return MediaError(
        f"the {fmt.upper()} file is truncated (it ends before its header or data is complete)",
        code="media_truncated",
    )


def _corrupt(fmt: str, what: str) -> MediaError:
    return MediaError(f"the {fmt.upper()} file is corrupt: {what}", code="media_corrupt")


def image_size(data: bytes, fmt: str) -> tuple[int, int]:
    """``(width, height)`` as the container's header declares them (before EXIF orientation)."""
    try:
        width, height = _READERS[fmt](data)
    except (struct.error, IndexError):
        raise _truncated(fmt) from None
    if width <= 0 or height <= 0:
        raise _corrupt(fmt, f"declared size {width}x{height} is empty")
    return width, height


def is_complete(data: bytes, fmt: str) -> bool:
    """Whether the container reaches its end (PNG ``IEND``, JPEG ``EOI``, WebP RIFF size, and
    for GIF the end of its last block: a GIF that lacks only its one-byte trailer lost no pixels).
    """
    if fmt == "png":
        return _png_has_iend(data)
    if fmt == "jpeg":
        sos = _jpeg_walk(data)[1]
        return sos is not None and data.find(b"\xff\xd9", sos) != -1
    if fmt == "webp":
        (riff_size,) = struct.unpack_from("<I", data, 4)
        return len(data) >= 8 + riff_size
    return _gif_blocks_complete(data)


def _need(data: bytes, length: int) -> None:
    """Signal (as the struct errors do) that a header is cut short; reported as truncated."""
    if len(data) < length:
        raise IndexError(f"header needs {length} bytes")


def _png_size(data: bytes) -> tuple[int, int]:
    _need(data, 24)
    if data[12:16] != b"IHDR":
        raise _corrupt("png", "the first chunk is not IHDR")
    width, height = struct.unpack_from(">II", data, 16)
    return width, height


def _png_has_iend(data: bytes) -> bool:
    pos = 8
    while pos + 8 <= len(data):
        length, kind = struct.unpack_from(">I4s", data, pos)
        if kind == b"IEND":
            return True
        pos += 12 + length  # length, type, data, CRC
    return False


def _jpeg_walk(data: bytes) -> tuple[tuple[int, int] | None, int | None]:
    """Walk the marker segments up to the first start-of-scan: (size from SOF, SOS offset)."""
    size: tuple[int, int] | None = None
    pos = 2
    for _ in range(_JPEG_MAX_MARKERS):
        if pos + 4 > len(data):
            return size, None
        if data[pos] != 0xFF:
            raise _corrupt("jpeg", f"expected a marker at byte {pos}")
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte before a marker
            pos += 1
            continue
        if marker in _JPEG_STANDALONE:
            pos += 2
            continue
        if marker == 0xD9:
            raise _corrupt("jpeg", "the image ends before any scan data")
        (length,) = struct.unpack_from(">H", data, pos + 2)
        if length < 2:
            raise _corrupt("jpeg", f"segment length {length} at byte {pos}")
        if marker in _JPEG_SOF:
            height, width = struct.unpack_from(">HH", data, pos + 5)
            size = (width, height)
        if marker == 0xDA:
            return size, pos
        pos += 2 + length
    raise _corrupt("jpeg", f"more than {_JPEG_MAX_MARKERS} markers before the scan data")


def _jpeg_size(data: bytes) -> tuple[int, int]:
    size, sos = _jpeg_walk(data)
    if size is None:
        if sos is None:
            raise IndexError("no SOF before the end of the data")  # reported as truncated
        raise _corrupt("jpeg", "no frame header (SOF) before the scan data")
    return size


def _webp_size(data: bytes) -> tuple[int, int]:
    _need(data, 30)  # the longest of the three headers below
    chunk = data[12:16]
    if chunk == b"VP8 ":
        if data[23:26] != b"\x9d\x01\x2a":
            raise _corrupt("webp", "bad VP8 start code")
        width, height = struct.unpack_from("<HH", data, 26)
        return width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8L":
        if data[20] != 0x2F:
            raise _corrupt("webp", "bad VP8L signature")
        (bits,) = struct.unpack_from("<I", data, 21)
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8X":
        width = int.from_bytes(data[24:27], "little") + 1
        height = int.from_bytes(data[27:30], "little") + 1
        return width, height
    raise _corrupt("webp", f"unknown first chunk {chunk!r}")


def _gif_size(data: bytes) -> tuple[int, int]:
    width, height = struct.unpack_from("<HH", data, 6)
    return width, height


def _gif_blocks_complete(data: bytes) -> bool:
    pos = 13 + _gif_table_size(data[10])  # header, logical screen, global colour table
    while pos < len(data):
        introducer = data[pos]
        if introducer == 0x3B:  # trailer
            return True
        if introducer == 0x21:  # extension: label, then sub-blocks
            pos += 2
        elif introducer == 0x2C:  # image: descriptor, local colour table, LZW code size
            if pos + 10 > len(data):
                return False
            pos += 10 + _gif_table_size(data[pos + 9]) + 1
        else:
            return True  # not a block start: leave the verdict to the decoder
        while pos < len(data) and data[pos]:  # sub-blocks end with a zero-length one
            pos += 1 + data[pos]
        if pos >= len(data):
            return False
        pos += 1
    return pos == len(data)


def _gif_table_size(flags: int) -> int:
    return 3 * (2 << (flags & 0x07)) if flags & 0x80 else 0


_READERS = {"png": _png_size, "jpeg": _jpeg_size, "webp": _webp_size, "gif": _gif_size}
