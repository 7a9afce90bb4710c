"""Identify an image's real format from its first bytes, and check a declared type against it.

An uploader controls the file name and the HTTP ``Content-Type``, so both are claims to verify,
never facts to act on. The decoder hands bytes only to the Pillow plugin of the format sniffed
here, so a file can never reach a parser it did not prove it belongs to.
"""

from __future__ import annotations

from genguard.errors import MediaError

#: Accepted formats, by the name used in :class:`~genguard.media.image.DecodedImage` ``format``,
#: with the Pillow plugin that may parse them and their canonical MIME type.
ACCEPTED: dict[str, tuple[str, str]] = {
    "jpeg": ("JPEG", "image/jpeg"),
    "png": ("PNG", "image/png"),
    "webp": ("WEBP", "image/webp"),
    "gif": ("GIF", "image/gif"),
}

# Types recognised only to name them in the rejection message; none of them is decoded.
# BMP and TIFF are left out on purpose: TIFF alone brings dozens of codecs and layouts
# (tiles, strips, many pages) into the attack surface for no gain to uploads or generators.
_REJECTED_SIGNATURES: tuple[tuple[bytes, int, str], ...] = (
    (b"BM", 0, "BMP"),
    (b"II*\x00", 0, "TIFF"),
    (b"MM\x00*", 0, "TIFF"),
    (b"ftyp", 4, "HEIF/AVIF"),
    (b"\x00\x00\x00\x0cjP  ", 0, "JPEG 2000"),
    (b"%PDF", 0, "PDF"),
    (b"<svg", 0, "SVG"),
    (b"<?xml", 0, "XML/SVG"),
    (b"PK\x03\x04", 0, "ZIP archive"),
)

# MIME aliases that clients really send for the accepted types.
_MIME_ALIASES: dict[str, str] = {
    "image/jpg": "image/jpeg",
    "image/pjpeg": "image/jpeg",
    "image/x-png": "image/png",
}

# Declared types that claim nothing about the content (what a client sends when it does not know).
UNCLAIMED_TYPES = frozenset({"", "application/octet-stream", "binary/octet-stream"})


def sniff_format(data: bytes, declared_type: str | None = None) -> str:
    """Return the accepted format (``"jpeg"``, ``"png"``, ``"webp"``, ``"gif"``) of ``data``.

    Raises ``MediaError(code="media_unsupported_type")`` for anything else, naming the type when
    it is a known one (and the declared type, if any), so a client learns what it really sent.
    """
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    accepted = ", ".join(name.upper() for name in ACCEPTED)
    declared = f"declared as {declared_type}; " if declared_type else ""
    raise MediaError(
        f"unsupported image type: {_describe_unknown(data)} ({declared}accepted: {accepted})",
        code="media_unsupported_type",
    )


def _describe_unknown(data: bytes) -> str:
    head = data[:64].lstrip()
    for signature, offset, name in _REJECTED_SIGNATURES:
        if head[offset : offset + len(signature)].lower() == signature.lower():
            return name
    return "not a recognised image format"


def check_declared_type(declared_type: str | None, sniffed: str) -> None:
    """Raise ``media_type_mismatch`` when a declared MIME type contradicts the sniffed format.

    Parameters such as ``; charset=...`` and letter case are ignored, common aliases
    (``image/jpg``) are accepted, and a declaration that claims nothing
    (``application/octet-stream`` or empty) is not a contradiction.
    """
    if declared_type is None:
        return
    mime = declared_type.split(";", 1)[0].strip().lower()
    if mime in UNCLAIMED_TYPES:
        return
    mime = _MIME_ALIASES.get(mime, mime)
    actual = ACCEPTED[sniffed][1]
    if mime != actual:
        raise MediaError(
            f"declared content type {mime!r} does not match the file's content, which is {actual}",
            code="media_type_mismatch",
        )
