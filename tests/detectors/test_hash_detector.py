"""PDQ, MD5 and SHA-256: format, stability under re-encoding, dihedral variants, bad input."""

from __future__ import annotations

import hashlib
import io

import numpy as np
import pytest
from detector_images import IMAGES, decoded_from_pil, manifest, needs_images, reencoded, shared_image
from PIL import Image

from genguard.detectors.hashes import DIHEDRAL, PdqHashDetector, bits_to_hex, hamming, pdq, pdq_dihedral

pytestmark = needs_images

ALL = [entry["file"] for entry in manifest()]
#: The match radius PDQ's authors suggest for 256-bit hashes.
PDQ_MATCH = 31


def test_signal_fields(hash_detector: PdqHashDetector) -> None:
    relative = "portraits/grace_hopper_usn_1984.jpg"
    data = (IMAGES / relative).read_bytes()
    signal = hash_detector.detect(shared_image(relative))
    assert len(signal.pdq) == 64 and int(signal.pdq, 16) >= 0
    assert 0 <= signal.pdq_quality <= 100
    assert signal.md5 == hashlib.md5(data).hexdigest()
    assert signal.sha256 == hashlib.sha256(data).hexdigest()
    assert signal.model == PdqHashDetector.version


def test_hex_is_most_significant_bit_first() -> None:
    bits = np.zeros(256, dtype=np.int64)
    bits[0] = 1  # pdqhash's first entry is bit 255, the reference hasher's first hex digit
    bits[255] = 1
    assert bits_to_hex(bits) == "8" + "0" * 62 + "1"


@pytest.mark.parametrize("relative", ALL)
def test_stable_under_reencode(relative: str) -> None:
    with Image.open(IMAGES / relative) as image:
        original, _ = pdq(np.asarray(image.convert("RGB")))
        side = max(image.size)
    same_size = reencoded(IMAGES / relative, side=side, quality=70)
    smaller = reencoded(IMAGES / relative, side=400, quality=85)
    assert hamming(original, _pdq_of(same_size)) <= 4  # measured 0-2
    assert hamming(original, _pdq_of(smaller)) <= PDQ_MATCH  # measured 2-18


def test_different_images_do_not_match() -> None:
    hashes = {relative: pdq(shared_image(relative).rgb)[0] for relative in ALL}
    for i, a in enumerate(ALL):
        for b in ALL[i + 1 :]:
            assert hamming(hashes[a], hashes[b]) > PDQ_MATCH, (a, b)


def test_dihedral_variants_match_rotated_and_mirrored_copies() -> None:
    rgb = shared_image("scenes/chelsea_cat_skimage.png").rgb
    variants = dict(zip(DIHEDRAL, pdq_dihedral(rgb), strict=True))
    assert len(variants) == 8
    assert variants["original"] == pdq(rgb)
    rotated = pdq(np.ascontiguousarray(np.rot90(rgb)))[0]
    mirrored = pdq(np.ascontiguousarray(rgb[:, ::-1]))[0]
    assert min(hamming(rotated, h) for h, _ in variants.values()) <= 8
    assert min(hamming(mirrored, h) for h, _ in variants.values()) <= 8
    assert hamming(rotated, variants["original"][0]) > PDQ_MATCH  # why the variants are needed


def test_bad_array_is_rejected() -> None:
    with pytest.raises(ValueError, match="uint8 RGB"):
        pdq(np.zeros((8, 8), dtype=np.uint8))
    with pytest.raises(ValueError, match="uint8 RGB"):
        pdq_dihedral(np.zeros((8, 8, 3), dtype=np.float32))


def _pdq_of(data: bytes) -> str:
    with Image.open(io.BytesIO(data)) as image:
        return pdq(decoded_from_pil(image, data, max_side=4096).rgb)[0]
