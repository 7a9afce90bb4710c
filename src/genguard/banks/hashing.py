"""The hashes a bank lookup needs from an image: PDQ of all eight rotations/flips, MD5, SHA-256.

Banks list the hash of the image as published; querying with every dihedral variant of the
item at hand catches a mirrored or rotated copy without storing eight codes per entry, so
imported lists (one hash per item) get the same protection as images banked here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from genguard.banks.matching import Query
from genguard.detectors.hashes import DIHEDRAL, pdq_dihedral
from genguard.media.image import DecodedImage


@dataclass(frozen=True, slots=True)
class ImageHashes:
    pdq: str
    pdq_quality: int
    md5: str
    sha256: str
    #: (variant name, PDQ hex) for the eight variants, ``original`` first.
    variants: tuple[tuple[str, str], ...]

    def query(self) -> Query:
        return Query(pdq=self.variants, pdq_quality=self.pdq_quality, md5=self.md5, sha256=self.sha256)

    def public(self) -> dict[str, Any]:
        return {
            "pdq": self.pdq, "pdq_quality": self.pdq_quality, "md5": self.md5, "sha256": self.sha256,
            "pdq_variants": dict(self.variants),
        }


def image_hashes(image: DecodedImage) -> ImageHashes:
    """Hashes of the first frame as decoded (the same array the hash detector sees)."""
    variants = pdq_dihedral(image.rgb)
    quality = variants[0][1]
    named = tuple((name, value) for name, (value, _) in zip(DIHEDRAL, variants, strict=True))
    return ImageHashes(named[0][1], quality, image.md5, image.sha256, named)
