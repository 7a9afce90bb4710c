"""Calibrate the same-person distance and the Challenge 25 margin on the shared images (not a test).

Run: ``.venv/bin/python tests/screening/measure_identity_and_age.py`` — prints the tables kept in
``docs/screening.md``. Same-person pairs are each portrait against edits of itself that an image
editor produces without changing who is shown (re-encode, resize, crop, flip, colour, blur, a
block over the hair like a hat, a new background strip); different-person pairs are every two
different portraits. Ages: the median and sd the face detector reports for every labelled face.
"""

from __future__ import annotations

import io
import itertools
import json
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageEnhance, ImageFilter, ImageOps

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "detectors"))
from detector_images import IMAGES, decoded_from_pil  # noqa: E402

from genguard.detectors.faces import CenterFaceDetector  # noqa: E402
from genguard.signals import Face  # noqa: E402


def _jpeg(image: Image.Image, quality: int) -> Image.Image:
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=quality)
    return Image.open(io.BytesIO(buf.getvalue())).convert("RGB")


def _crop(image: Image.Image, frac: float) -> Image.Image:
    w, h = image.size
    dx, dy = int(w * frac), int(h * frac)
    return image.crop((dx, dy, w - dx, h - dy))


def _hat(image: Image.Image, face: Face) -> Image.Image:
    """A flat block over the hair above the face box (in the original's pixels, as every face
    box is), like a hat an editor adds."""
    out = image.copy()
    b = face.box
    height = (b.y1 - b.y0) * 0.6
    ImageDraw.Draw(out).rectangle((b.x0 - 10, max(0, b.y0 - height), b.x1 + 10, b.y0 + 4), fill=(40, 30, 90))
    return out


def _background(image: Image.Image) -> Image.Image:
    """The outer fifth on each side painted over (a new background)."""
    out = image.copy()
    w, h = out.size
    draw = ImageDraw.Draw(out)
    draw.rectangle((0, 0, w // 5, h), fill=(20, 120, 60))
    draw.rectangle((w - w // 5, 0, w, h), fill=(20, 120, 60))
    return out


EDITS: dict[str, Callable[[Image.Image], Image.Image]] = {
    "jpeg q40": lambda im: _jpeg(im, 40),
    "resize 50%": lambda im: im.resize((im.width // 2, im.height // 2), Image.Resampling.LANCZOS),
    "crop 10%": lambda im: _crop(im, 0.10),
    "mirror": ImageOps.mirror,
    "brightness 1.3": lambda im: ImageEnhance.Brightness(im).enhance(1.3),
    "contrast 0.7": lambda im: ImageEnhance.Contrast(im).enhance(0.7),
    "greyscale": lambda im: ImageOps.grayscale(im).convert("RGB"),
    "blur r2": lambda im: im.filter(ImageFilter.GaussianBlur(2)),
    "rotate 5": lambda im: im.rotate(5, resample=Image.Resampling.BILINEAR, expand=False),
    "background": _background,
}


def main_face(detector: CenterFaceDetector, image: Image.Image) -> Face | None:
    faces = detector.detect(decoded_from_pil(image)).faces
    return max(faces, key=lambda f: f.score) if faces else None


def distance(a: Face, b: Face) -> float:
    return float(np.linalg.norm(np.subtract(a.embedding or [], b.embedding or [])))


def main() -> None:
    manifest = json.loads((IMAGES / "MANIFEST.json").read_text())
    detector = CenterFaceDetector()  # the default backend
    people = [e for e in manifest if e["kind"] in ("portrait", "elderly_portrait", "child_portrait", "athlete")]
    originals: dict[str, tuple[Image.Image, Face]] = {}
    for entry in people:
        with Image.open(IMAGES / entry["file"]) as im:
            rgb = im.convert("RGB")
        face = main_face(detector, rgb)
        if face is not None:
            originals[entry["file"]] = (rgb, face)

    same: list[tuple[str, str, float]] = []
    for name, (rgb, face) in originals.items():
        edits = {**EDITS, "hat": lambda im, f=face: _hat(im, f)}
        for edit, fn in edits.items():
            again = main_face(detector, fn(rgb))
            same.append((name, edit, distance(face, again) if again else float("nan")))
    different = [
        (a, b, distance(originals[a][1], originals[b][1]))
        for a, b in itertools.combinations(sorted(originals), 2)
    ]
    found = [d for *_, d in same if d == d]
    print(f"same-person pairs: {len(same)} ({len(same) - len(found)} edits lost the face)")
    print(f"  max {max(found):.3f}  p95 {np.percentile(found, 95):.3f}  median {np.median(found):.3f}")
    worst = sorted((d, n, e) for n, e, d in same if d == d)[-5:]
    for d, n, e in worst:
        print(f"    {d:.3f}  {n}  {e}")
    print(f"different-person pairs: {len(different)}")
    for a, b, d in sorted(different, key=lambda x: x[2])[:5]:
        print(f"    {d:.3f}  {a}  {b}")

    print("\n| file | label | age median | sd | median - 1 sd | median - 0.5 sd |")
    print("|---|---|---|---|---|---|")
    for entry in people:
        if entry["file"] not in originals:
            print(f"| {entry['file']} | {entry['approx_ages']} | no face | | | |")
            continue
        f = originals[entry["file"]][1]
        assert f.age is not None and f.age_sd is not None
        print(f"| {entry['file']} | {entry['approx_ages']} | {f.age:.1f} | {f.age_sd:.1f} | "
              f"{f.age - f.age_sd:.1f} | {f.age - 0.5 * f.age_sd:.1f} |")


if __name__ == "__main__":
    main()
