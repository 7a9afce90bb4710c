"""The hashes a bank lookup needs from an image or a video: PDQ (of all eight rotations/flips of an
image, of one frame per second of a video), MD5, SHA-256, and for an image the value of every
further registered exact type (:func:`exact_hashes`, ``HashKind.compute`` of the decoded image).

Banks list the hash of the image as published; querying with every dihedral variant of the
item at hand catches a mirrored or rotated copy without storing eight codes per entry, so
imported lists (one hash per item) get the same protection as images banked here. For an
animation, the PDQ of every further decoded frame is looked up too, so a banked image hidden
as a later frame of a GIF, APNG or WebP still matches; a video's sampled frames are looked up
the same way (``genguard.media.video``). A video carries MD5 and SHA-256 of its bytes only: a
further type computes from a decoded image, which a video is not.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from genguard.banks.matching import HashQuery
from genguard.banks.model import MIN_PDQ_QUALITY
from genguard.banks.signal_types import SignalType, kinds
from genguard.config import MediaLimits
from genguard.detectors.hashes import PdqHashDetector
from genguard.media.decode import decode_image
from genguard.media.image import DecodedImage
from genguard.media.video import decode_video, sniff_video
from genguard.signals import HashSignal


@dataclass(frozen=True, slots=True)
class ImageHashes:
    pdq: str
    pdq_quality: int
    md5: str
    sha256: str
    #: (variant name, PDQ hex) for the eight variants, ``original`` first.
    variants: tuple[tuple[str, str], ...]
    #: (``frame<i>``, PDQ hex, quality) of each further animation frame, or (``t<seconds>s``, ...)
    #: of each further sampled video frame.
    frames: tuple[tuple[str, str, int], ...] = ()
    #: ``image``, or ``video`` (whose ``pdq`` is its first frame's, without rotated variants).
    media: str = "image"
    #: (signal type, value) of each further registered exact type (``HashSignal.exact``).
    exact: tuple[tuple[str, str], ...] = ()

    def query(self) -> HashQuery:
        """Every variant and frame of good enough quality; if none is, the original alone, which
        the quality gate then refuses (and reports)."""
        usable = [(n, v, q) for n, v, q in self.frames if q >= MIN_PDQ_QUALITY]
        if self.pdq_quality >= MIN_PDQ_QUALITY:
            usable = [(n, v, self.pdq_quality) for n, v in self.variants] + usable
        exact = {SignalType(name): [("original", value)]
                 for name, value in (("md5", self.md5), ("sha256", self.sha256), *self.exact)}
        if not usable:
            return HashQuery({SignalType.PDQ: self.variants[:1], **exact}, {SignalType.PDQ: self.pdq_quality})
        return HashQuery({SignalType.PDQ: [(n, v) for n, v, _ in usable], **exact},
                         {SignalType.PDQ: max(q for _, _, q in usable)})

    def public(self) -> dict[str, Any]:
        return {
            "pdq": self.pdq, "pdq_quality": self.pdq_quality, "md5": self.md5, "sha256": self.sha256,
            "pdq_variants": dict(self.variants),
            "frames": [{"frame": n, "pdq": v, "pdq_quality": q} for n, v, q in self.frames],
            "media": self.media,
            **({"exact": dict(self.exact)} if self.exact else {}),
        }


def image_hashes(image: DecodedImage) -> ImageHashes:
    """Hashes of the first frame as decoded (the same array the hash detector sees), plus the
    PDQ of each further frame (the decoder bounds how many there are)."""
    return signal_hashes(with_exact(PdqHashDetector().detect(image), image))


def exact_hashes(image: DecodedImage) -> dict[str, str]:
    """The value of every registered exact type that has no field of its own on
    :class:`HashSignal` (MD5 and SHA-256 do), by name: each kind's ``compute`` of ``image``,
    checked by its ``normalise`` (a kind that computes a malformed value raises)."""
    return {kind.signal_type.value: kind.normalise(kind.compute(image), f"{kind.signal_type.value} of the image")
            for kind in kinds("exact") if kind.signal_type.value not in HashSignal.OWN_FIELDS}


def with_exact(signal: HashSignal, image: DecodedImage) -> HashSignal:
    """``signal`` (a hash detector's, of ``image``) with :func:`exact_hashes` of ``image``."""
    exact = exact_hashes(image)
    return signal.model_copy(update={"exact": exact}) if exact or signal.exact else signal


def exact_names() -> tuple[str, ...]:
    """The names :func:`exact_hashes` computes now, in registration order."""
    return tuple(k.signal_type.value for k in kinds("exact") if k.signal_type.value not in HashSignal.OWN_FIELDS)


def signal_hashes(signal: HashSignal) -> ImageHashes:
    """The lookup hashes a hash detector already computed during screening."""
    return ImageHashes(
        signal.pdq, signal.pdq_quality, signal.md5, signal.sha256,
        variants=tuple(signal.pdq_variants.items()),
        frames=tuple((f"frame{i}", value, quality) for i, (value, quality) in enumerate(signal.frame_pdq, start=1)),
        exact=tuple(signal.exact.items()),
    )


def media_hashes(data: bytes, *, limits: MediaLimits, declared_type: str | None = None) -> ImageHashes:
    """Hashes of untrusted bytes: a video (MP4, WebM) by its sampled frames, anything else as an
    image (which refuses what is not one)."""
    if sniff_video(data) is None:
        return image_hashes(decode_image(data, limits=limits, declared_type=declared_type))
    video = decode_video(data, limits=limits, declared_type=declared_type)
    (_, first, quality), *rest = video.frames
    return ImageHashes(
        first, quality, video.md5, video.sha256, variants=(("original", first),),
        frames=tuple((f"t{when:g}s", value, q) for when, value, q in rest), media="video",
    )
