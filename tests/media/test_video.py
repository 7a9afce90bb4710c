"""Video decoding for the hash banks: sampled frames, their PDQ, and every refusal.

Test videos are encoded here from benign scene images, so each frame's expected content is
known: the still shown at that second.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from PIL import Image

from genguard.config import MediaLimits
from genguard.detectors.hashes import hamming, pdq
from genguard.errors import MediaError
from genguard.media.video import decode_video, sniff_video
from tests.videos import CAT, CUP, ROCKET, encode

LIMITS = MediaLimits()


def _still_pdq(path) -> str:  # noqa: ANN001
    return pdq(np.asarray(Image.open(path).convert("RGB")))[0]


@pytest.mark.parametrize(("container", "codec"), [("mp4", "libx264"), ("webm", "libvpx-vp9"), ("mp4", "mpeg4")])
def test_one_frame_a_second_each_hashed_like_the_still_it_shows(container: str, codec: str) -> None:
    data = encode([CAT, CUP, ROCKET], container=container, codec=codec)
    assert sniff_video(data) == container
    video = decode_video(data, declared_type=f"video/{container}")
    assert (video.container, video.width, video.height) == (container, 320, 240)
    assert [t for t, _, _ in video.frames] == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
    stills = [_still_pdq(p) for p in (CAT, CAT, CUP, CUP, ROCKET, ROCKET)]
    for (_, frame, quality), still in zip(video.frames, stills, strict=True):
        assert quality >= 50
        assert hamming(frame, still) <= 31  # each frame matches the still on screen...
    assert hamming(video.frames[0][1], _still_pdq(CUP)) > 31  # ...and not another one
    assert len(video.md5) == 32 and len(video.sha256) == 64


def _limits(**change: object) -> MediaLimits:
    return dataclasses.replace(LIMITS, **change)


VIDEO = encode([CAT, CUP, ROCKET])


@pytest.mark.parametrize(
    ("data", "limits", "declared", "code"),
    [
        (b"", LIMITS, None, "media_empty"),
        (VIDEO, _limits(max_bytes=1000), None, "media_too_large"),
        (b"\x00\x00\x00\x18ftypheic" + bytes(64), LIMITS, None, "media_unsupported_type"),
        (VIDEO, LIMITS, "image/png", "media_type_mismatch"),
        (VIDEO[: len(VIDEO) // 2], LIMITS, None, "media_corrupt"),  # the index (moov) is at the end
        (VIDEO[:32] + bytes(range(256)) * 40, LIMITS, None, "media_corrupt"),
        (b"\x1a\x45\xdf\xa3" + b"\xff" * 400, LIMITS, None, "media_corrupt"),
        (VIDEO, _limits(max_video_seconds=3), None, "media_too_long"),
        (VIDEO, _limits(max_video_frames=2), None, "media_too_many_frames"),
        (VIDEO, _limits(max_side=200), None, "media_too_many_pixels"),
        (VIDEO, _limits(max_pixels=320 * 239), None, "media_too_many_pixels"),
        (VIDEO, _limits(video_timeout_s=0.01), None, "media_decode_timeout"),
        (VIDEO, _limits(video_memory_bytes=32 * 1024**2), None, "media_decoder_failed"),
        (encode([CAT], container="matroska", codec="mjpeg"), LIMITS, None, "media_unsupported_type"),
    ],
    ids=["empty", "too-large", "heif-brand", "declared-png", "truncated", "garbage-after-header",
         "garbage-ebml", "too-long", "too-many-frames", "too-wide", "too-many-pixels", "timeout",
         "out-of-memory", "codec-not-allowed"],
)
def test_refusals_have_stable_codes(data: bytes, limits: MediaLimits, declared: str | None, code: str) -> None:
    with pytest.raises(MediaError) as raised:
        decode_video(data, limits=limits, declared_type=declared)
    assert raised.value.code == code, raised.value.message


def test_the_video_mime_aliases_and_unclaimed_types_are_accepted() -> None:
    for declared in ("video/quicktime", "application/octet-stream", "video/mp4; codecs=avc1"):
        assert decode_video(VIDEO, declared_type=declared).frames
