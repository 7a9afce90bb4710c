"""Perceptual (PDQ) and exact (MD5, SHA-256) hashes of an image, as hash banks list them.

PDQ is computed on the decoded array as given, *not* on a further-shrunk copy: hashing a
512-px copy was measured to move the hash by up to 20 of 256 bits on the shared images (2 or
fewer was the bar; see ``docs/detectors.md``), which would eat most of a bank's match radius,
while it saves only about 10 ms at 1024 px. The exact hashes come from the raw bytes the decoder
saw, which is what exact-hash lists are made of.

Hex layout follows the PDQ reference (``pdq-photo-hasher``): bit 255 first, i.e. the 16-bit
words from the last to the first, so hashes interoperate with ThreatExchange and other banks.
"""

from __future__ import annotations

from typing import ClassVar, Final

import numpy as np
import pdqhash

from genguard.detectors.base import HashDetector
from genguard.media.image import DecodedImage
from genguard.signals import HashSignal

#: Names of the eight variants, in the order ``pdqhash.compute_dihedral`` returns them.
DIHEDRAL: Final[tuple[str, ...]] = (
    "original",
    "rotate90",
    "rotate180",
    "rotate270",
    "flip_x",
    "flip_y",
    "flip_plus1",
    "flip_minus1",
)


def bits_to_hex(bits: np.ndarray) -> str:
    """64 hex characters from ``pdqhash``'s 256-entry bit vector (most significant bit first)."""
    return np.packbits(bits.astype(np.uint8)).tobytes().hex()


def _pdq_input(rgb: np.ndarray) -> np.ndarray:
    """``pdqhash`` reads the buffer as C-ordered 8-bit RGB; anything else is a caller bug."""
    if rgb.ndim != 3 or rgb.shape[2] != 3 or rgb.dtype != np.uint8:
        raise ValueError(f"PDQ needs an H x W x 3 uint8 RGB array, got {rgb.dtype} {rgb.shape}")
    return np.ascontiguousarray(rgb)


def pdq(rgb: np.ndarray) -> tuple[str, int]:
    """PDQ hash (64 hex) and quality (0-100) of an RGB ``uint8`` array."""
    bits, quality = pdqhash.compute(_pdq_input(rgb))
    return bits_to_hex(bits), int(quality)


def pdq_dihedral(rgb: np.ndarray) -> list[tuple[str, int]]:
    """PDQ of the 8 rotations/flips of ``rgb`` (order: :data:`DIHEDRAL`), each with the quality.

    A bank stores all eight so that a rotated or mirrored re-upload still matches, at the cost
    of one hashing pass (PDQ derives the variants from the same DCT).
    """
    variants, quality = pdqhash.compute_dihedral(_pdq_input(rgb))
    return [(bits_to_hex(bits), int(quality)) for bits in variants]


def hamming(a: str, b: str) -> int:
    """Bits that differ between two 64-hex PDQ hashes."""
    return (int(a, 16) ^ int(b, 16)).bit_count()


class PdqHashDetector(HashDetector):
    """PDQ of the first frame plus the decoder's MD5/SHA-256 of the raw bytes."""

    version: ClassVar[str] = f"pdqhash-{pdqhash.__version__}+md5+sha256"

    def detect(self, image: DecodedImage) -> HashSignal:
        # The dihedral variants come from the same DCT as the hash itself, so computing them
        # here, beside the other detectors, keeps the bank lookup off the request's serial path.
        variants = pdq_dihedral(image.rgb)
        value, quality = variants[0]
        return HashSignal(
            pdq=value, pdq_quality=quality, md5=image.md5, sha256=image.sha256, model=self.version,
            pdq_variants={name: hex_ for name, (hex_, _) in zip(DIHEDRAL, variants, strict=True)},
            frame_pdq=[pdq(frame) for frame in image.frames[1:]],
        )
