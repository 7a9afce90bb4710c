"""Video for the hash banks: frame-sampled PDQ plus MD5/SHA-256 of the file, decoded out of process.

A known abuse image re-posted as a few seconds of video, or a banked clip re-uploaded, must
still match. Like vPDQ, the video is decoded and one frame per ``video_interval_s`` is hashed
with PDQ; each frame's hash is then looked up like an animation frame, and the file's MD5 and
SHA-256 like an image's.

Decoding uses FFmpeg (through PyAV, whose wheel bundles it) in a child process
(:mod:`.video_worker`) with a memory and CPU limit and a wall-clock timeout: FFmpeg parsing
hostile bytes must not be able to take the service down with it. Before any of that, the
container is sniffed from its first bytes (MP4/QuickTime by its ``ftyp`` brand, WebM/Matroska
by its EBML header) and only that container's demuxer is allowed to read it.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from genguard.config import MediaLimits
from genguard.errors import MediaError
from genguard.media.sniff import UNCLAIMED_TYPES

WORKER: Final = Path(__file__).with_name("video_worker.py")
#: ``ftyp`` major brands of MP4/QuickTime video (HEIF/AVIF still images share ``ftyp`` and are
#: not video).
_MP4_BRANDS: Final = frozenset(
    {b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"M4V ", b"qt  ",
     b"3gp4", b"3gp5", b"3gp6", b"dash", b"MSNV"}
)
_EBML: Final = b"\x1a\x45\xdf\xa3"
MIME: Final = {"mp4": ("video/mp4", "video/quicktime"), "webm": ("video/webm", "video/x-matroska")}
_HEX64 = re.compile(r"[0-9a-f]{64}")
#: Refusal codes the worker may send; anything else is treated as a worker failure.
_WORKER_CODES = frozenset(
    {"media_corrupt", "media_truncated", "media_unsupported_type", "media_too_many_pixels",
     "media_too_long", "media_too_many_frames"}
)


@dataclass(frozen=True, slots=True)
class VideoFrames:
    """What the banks need of a video: the sampled frames' PDQ and the file's exact hashes."""

    container: str
    codec: str
    width: int
    height: int
    duration_s: float | None
    #: (seconds from the start, PDQ hex, quality), one frame per sampling interval, in order.
    frames: tuple[tuple[float, str, int], ...]
    md5: str
    sha256: str


def sniff_video(data: bytes) -> str | None:
    """``"mp4"`` or ``"webm"`` when ``data`` starts like a video container, else ``None``."""
    if data[4:8] == b"ftyp" and data[8:12] in _MP4_BRANDS:
        return "mp4"
    if data.startswith(_EBML):
        return "webm"
    return None


def decode_video(data: bytes, *, limits: MediaLimits = MediaLimits(), declared_type: str | None = None) -> VideoFrames:
    """Sample and hash the frames of an untrusted MP4 or WebM video (see the module docstring).

    Every refusal raises :class:`MediaError` with a stable code (``docs/media.md``).
    """
    data = bytes(data)
    if not data:
        raise MediaError("the video is empty (0 bytes)", code="media_empty")
    if len(data) > limits.max_bytes:
        raise MediaError(f"the video is too large ({len(data)} bytes); the limit is {limits.max_bytes} bytes",
                         code="media_too_large")
    container = sniff_video(data)
    if container is None:
        raise MediaError("not an MP4 or WebM video", code="media_unsupported_type")
    _check_declared(declared_type, container)
    argv = [container, limits.max_side, limits.max_pixels, limits.max_video_seconds,
            limits.max_video_frames, limits.video_interval_s, limits.video_memory_bytes]
    try:
        done = subprocess.run(  # noqa: S603 - fixed argv of numbers, no shell; the video goes to stdin
            [sys.executable, "-I", str(WORKER), *map(str, argv)],
            input=data, capture_output=True, timeout=limits.video_timeout_s, check=False,
        )
    except subprocess.TimeoutExpired:
        raise MediaError(f"decoding the video took longer than {limits.video_timeout_s} s",
                         code="media_decode_timeout") from None
    answer = _parse(done.stdout) if done.returncode == 0 else None
    if answer is None:
        raise MediaError(f"the video decoder failed (exit code {done.returncode}); the video is refused",
                         code="media_decoder_failed")
    if not answer.get("ok"):
        code = answer.get("code")
        if code not in _WORKER_CODES:
            raise MediaError("the video decoder gave an invalid answer", code="media_decoder_failed")
        raise MediaError(str(answer.get("message", "")), code=str(code))
    return VideoFrames(
        container=container, codec=answer["codec"], width=answer["width"], height=answer["height"],
        duration_s=answer["duration"], frames=answer["frames"],
        md5=hashlib.md5(data).hexdigest(), sha256=hashlib.sha256(data).hexdigest(),
    )


def _check_declared(declared_type: str | None, container: str) -> None:
    if declared_type is None:
        return
    mime = declared_type.split(";", 1)[0].strip().lower()
    if mime not in UNCLAIMED_TYPES and mime not in MIME[container]:
        raise MediaError(
            f"declared content type {mime!r} does not match the file's content, which is {MIME[container][0]}",
            code="media_type_mismatch",
        )


def _parse(stdout: bytes) -> dict | None:  # type: ignore[type-arg]
    """The worker's JSON answer with its frames validated and made tuples, or ``None``."""
    try:
        answer = json.loads(stdout)
    except ValueError:
        return None
    if not isinstance(answer, dict):
        return None
    if not answer.get("ok"):
        return answer
    try:
        frames = tuple((float(t), str(h), int(q)) for t, h, q in answer["frames"])
        ok = (frames and all(_HEX64.fullmatch(h) and 0 <= q <= 100 for _, h, q in frames)
              and isinstance(answer["codec"], str) and int(answer["width"]) > 0 and int(answer["height"]) > 0)
    except (KeyError, TypeError, ValueError):
        return None
    if not ok:
        return None
    duration = answer.get("duration")
    return {**answer, "frames": frames, "width": int(answer["width"]), "height": int(answer["height"]),
            "duration": float(duration) if duration is not None else None}
