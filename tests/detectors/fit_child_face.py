"""Fit the young-child face score on an age-labelled face folder (not a test).

Run: ``PYTHONPATH=src .venv/bin/python tests/detectors/fit_child_face.py [DIR] [--write]``
(DIR defaults to ``../shared/data/faces``). ``--write`` stores the fitted weights in
``src/genguard/detectors/faces/age_calibration.json`` (key ``child_face``).

Why: the age net reads some babies and young children as adults (FairFace 0443, a 0-2-year-old,
27.5 ± 4.0), and no bound on its output flags them without flagging many adults
(docs/detectors.md). dlib's 128-d identity descriptor, which every face already has, carries
age-related shape too. A logistic model on it, trained on the largest face of each image labelled
0-2 or 3-9 (1) against 20+ (0), is read *beside* the age rule: a face is a possible minor when
either says so (a signal only raises risk), never for escalation.

The fit is plain Newton-Raphson with an L2 penalty ``L2`` on the weights (not the bias), from
zero, a fixed number of steps: the same numbers on every run. Each image is also judged
leave-one-out (the model fitted on all other images), and those held-out flags are what the
report compares with the age rule alone, at the threshold ``THRESHOLD``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

from genguard.config import Settings
from genguard.detectors.faces import CenterFaceDetector
from genguard.eval.faces import read_face_labels, screen_faces
from genguard.policy.pack import load_pack
from genguard.screening.facts import AgeThresholds

DEFAULT_DIR = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "faces"
CALIBRATION = Path(__file__).resolve().parents[2] / "src" / "genguard" / "detectors" / "faces" / "age_calibration.json"
CHILD, ADULT = {"0-2", "3-9"}, {"20-29", "30-39", "40-49", "50-59", "60-69", "70+"}
L2, STEPS, THRESHOLD = 0.01, 50, 0.8


def fit(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Weights then bias of an L2-penalised logistic regression (Newton-Raphson)."""
    xb = np.hstack([x, np.ones((len(x), 1))])
    w = np.zeros(xb.shape[1])
    penalty = L2 * np.diag(np.r_[np.ones(x.shape[1]), 0.0])
    for _ in range(STEPS):
        p = 1.0 / (1.0 + np.exp(-xb @ w))
        w -= np.linalg.solve((xb.T * (p * (1 - p))) @ xb + penalty, xb.T @ (p - y) + penalty @ w)
    return w


def score(w: np.ndarray, embedding: list[float]) -> float:
    return float(1.0 / (1.0 + np.exp(-(np.asarray(embedding) @ w[:-1] + w[-1]))))


def main(directory: Path, write: bool) -> None:
    thresholds = AgeThresholds.from_pack(load_pack("uk-osa").thresholds)
    results = screen_faces(read_face_labels(directory), CenterFaceDetector(), Settings(), thresholds)
    labelled = [(i, r) for i, r in enumerate(results) if r.faces and r.age_group in CHILD | ADULT]
    main_faces = [max(r.faces, key=lambda f: f.box.area) for _, r in labelled]
    x = np.asarray([f.embedding for f in main_faces], dtype=np.float64)
    y = np.asarray([1.0 if r.age_group in CHILD else 0.0 for _, r in labelled])
    held: dict[int, float] = {}
    for k, (i, r) in enumerate(labelled):
        w = fit(np.delete(x, k, axis=0), np.delete(y, k))
        held[i] = max(score(w, f.embedding) for f in r.faces if f.embedding)
    w_all = fit(x, y)
    print("| group | images | possible minor, age rule | + child score (leave-one-out) |")
    print("|---|---|---|---|")
    for group in ("0-2", "3-9", "10-19", "20-29", "30-39", "40-49", "50-59", "60-69", "70+"):
        rows = [(i, r) for i, r in enumerate(results) if r.age_group == group]
        age_rule = sum(bool(r.possible_minor) for _, r in rows)
        # 10-19 is not in the training labels: its scores come from the model fitted on all images.
        both = sum(bool(r.possible_minor) or (held.get(i) if i in held else max(
            (score(w_all, f.embedding) for f in r.faces if f.embedding), default=0.0)) >= THRESHOLD for i, r in rows)
        print(f"| {group} | {len(rows)} | {age_rule} | {both} |")
    if write:
        w = w_all
        calibration = json.loads(CALIBRATION.read_text())
        calibration["child_face"] = {
            "weights": [round(float(v), 8) for v in w[:-1]], "bias": round(float(w[-1]), 8),
            "about": "Face.child_score: logistic model on dlib's 128-d descriptor, the largest face of each image "
                     "labelled 0-2/3-9 (1) vs 20+ (0) in shared/data/faces (developer half), L2 0.01; fitted by "
                     "tests/detectors/fit_child_face.py. The pack's child_face_score is the threshold.",
        }
        CALIBRATION.write_text(json.dumps(calibration, indent=2) + "\n")
        print(f"wrote {CALIBRATION}")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--write"]
    main(Path(args[0]) if args else DEFAULT_DIR, "--write" in sys.argv)
