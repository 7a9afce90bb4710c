"""Measure how far PDQ moves under re-encoding, resizing and crops (not a test).

Run: ``.venv/bin/python tests/screening/measure_lineage_pdq.py`` — prints, per shared portrait
and athlete, the smallest distance from a resized (500 px, JPEG q70) and centre-cropped copy to the
codes ``screening.lineage`` indexes (the image and its centre crops), for crops of 0-10 % per
side, and for a 5 % crop from the left only. Figures are quoted in ``docs/screening.md``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from genguard.banks.index.codes import hamming, pdq_code, pdq_codes  # noqa: E402
from genguard.detectors.hashes import pdq  # noqa: E402
from genguard.screening.lineage import crop_codes  # noqa: E402
from tests.images import SHARED_IMAGES  # noqa: E402
from tests.screening.injected import open_rgb, resized_cropped  # noqa: E402

CROPS = (0.0, 0.02, 0.04, 0.05, 0.06, 0.08, 0.10)


def code(image: Image.Image) -> np.ndarray:
    return pdq_code(pdq(np.ascontiguousarray(np.asarray(image)))[0])


def main() -> None:
    files = sorted((SHARED_IMAGES / "portraits").glob("*")) + sorted((SHARED_IMAGES / "athletes").glob("*"))
    print("| file | " + " | ".join(f"crop {c:.0%}" for c in CROPS) + " | left 5 % only |")
    print("|---|" + "---|" * (len(CROPS) + 1))
    for path in files:
        image = open_rgb(path)
        indexed = pdq_codes(crop_codes(np.ascontiguousarray(np.asarray(image))))
        row = [int(hamming(indexed, code(open_rgb(resized_cropped(path.read_bytes(), side=500, crop=c)))).min())
               for c in CROPS]
        left = image.crop((int(image.width * 0.05), 0, image.width, image.height))
        row.append(int(hamming(indexed, code(left)).min()))
        print(f"| {path.name} | " + " | ".join(map(str, row)) + " |")


if __name__ == "__main__":
    main()
