"""Fit and check the face-age calibration on an age-labelled face folder (not a test).

Run: ``PYTHONPATH=src .venv/bin/python tests/detectors/measure_age_calibration.py [DIR]``
(DIR defaults to ``../shared/data/faces``; labels as ``genguard eval faces`` reads them). Prints
the markdown tables kept in ``docs/detectors.md``.

Both rules are fitted at the image level, as a request's facts see an image (any face counts):

- *possible minor*: the ``level`` quantile of the age distribution is under ``age``. Grid over
  level x age; chosen: the most under-10 images flagged, then the most 10-19, with at most
  ``POSSIBLE_CAP`` of the 30+ images flagged.
- *likely minor*: ``median + k * sd < 18``. Grid over k; chosen: the most under-10 images
  flagged with at most ``LIKELY_CAP`` of the 20+ images flagged.

271 faces are few for a fitted rule, so each is also fitted leave-one-out: every image is
judged by the rule fitted on all the others, and those held-out verdicts are reported beside the
in-sample ones. The "before" column is the rule genguard used until this calibration
(median - 1 sd < 25).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from genguard.config import Settings
from genguard.detectors.faces import CenterFaceDetector
from genguard.eval.faces import group_years, read_face_labels
from genguard.media.decode import decode_image, read_file

DEFAULT_DIR = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "faces"
POSSIBLE_CAP = 0.09
LIKELY_CAP = 0.02
LEVELS = (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4)
AGES = tuple(float(a) for a in range(10, 26))
KS = (0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0)


class RecordingDetector(CenterFaceDetector):
    """The default backend, keeping each face's averaged age distribution."""

    def __init__(self) -> None:
        super().__init__()
        self.distributions: list[np.ndarray] = []

    def _age_distributions(self, chips: np.ndarray, per_face: int) -> np.ndarray:
        averaged = super()._age_distributions(chips, per_face)
        self.distributions.extend(averaged)
        return averaged


@dataclass(frozen=True)
class ImageAges:
    group: str
    cdfs: np.ndarray  # faces x classes
    median: np.ndarray
    sd: np.ndarray


def record(directory: Path) -> tuple[list[ImageAges], np.ndarray]:
    settings, detector = Settings(), RecordingDetector()
    images: list[ImageAges] = []
    for labelled in read_face_labels(directory):
        detector.distributions.clear()
        data = read_file(labelled.path, limits=settings.media)
        faces = detector.detect(decode_image(data, limits=settings.media)).faces
        cdfs = np.cumsum(np.array(detector.distributions).reshape(len(faces), -1), axis=1)
        images.append(ImageAges(labelled.age_group, cdfs, np.array([f.age for f in faces]),
                                np.array([f.age_sd for f in faces])))
    return images, detector._age.weights


def quantiles(images: Sequence[ImageAges], weights: np.ndarray, level: float) -> list[np.ndarray]:
    return [np.array([np.interp(level, cdf, weights) for cdf in image.cdfs]) for image in images]




def pools(images: Sequence[ImageAges]) -> dict[str, np.ndarray]:
    years = [group_years(i.group) or (np.inf, np.inf) for i in images]
    return {
        "under 10": np.array([y[1] <= 9 for y in years]),
        "10-19": np.array([y == (10, 19) for y in years]),
        "20+": np.array([y[0] >= 20 for y in years]),
        "30+": np.array([y[0] >= 30 for y in years]),
    }


def fit(candidates: dict[tuple[float, float], np.ndarray], pool: dict[str, np.ndarray], mask: np.ndarray,
        capped: str, cap: float, wanted: Sequence[str]) -> tuple[float, float]:
    """The candidate flagging the most of ``wanted`` (in order) with ``capped`` at most ``cap``."""
    best: tuple[tuple[float, ...], tuple[float, float]] | None = None
    for key, flags in candidates.items():
        if flags[mask & pool[capped]].mean() > cap:
            continue
        score = tuple(flags[mask & pool[w]].mean() for w in wanted)
        if best is None or score > best[0]:
            best = (score, key)
    assert best is not None, "no candidate meets the cap"
    return best[1]


def fitted_and_held_out(candidates: dict[tuple[float, float], np.ndarray], pool: dict[str, np.ndarray],
                        capped: str, cap: float, wanted: Sequence[str]) -> tuple[tuple[float, float], np.ndarray]:
    n = len(next(iter(candidates.values())))
    everything = np.ones(n, bool)
    chosen = fit(candidates, pool, everything, capped, cap, wanted)
    held = np.zeros(n, bool)
    for i in range(n):
        others = everything.copy()
        others[i] = False
        held[i] = candidates[fit(candidates, pool, others, capped, cap, wanted)][i]
    return chosen, held


def rate(flags: np.ndarray, mask: np.ndarray) -> str:
    return f"{flags[mask].mean():.0%} ({flags[mask].sum()}/{mask.sum()})"


def main(directory: Path) -> None:
    images, weights = record(directory)
    pool = pools(images)
    possible = {
        (level, age): np.array([bool((low < age).any()) for low in quantiles(images, weights, level)])
        for level in LEVELS for age in AGES
    }
    likely = {(k, 18.0): np.array([bool((i.median + k * i.sd < 18).any()) for i in images]) for k in KS}
    before = np.array([bool((i.median - i.sd < 25).any()) for i in images])
    (level, age), possible_held = fitted_and_held_out(possible, pool, "30+", POSSIBLE_CAP, ("under 10", "10-19"))
    (k, _), likely_held = fitted_and_held_out(likely, pool, "20+", LIKELY_CAP, ("under 10", "10-19"))
    print(f"possible minor: quantile {level} < {age}; likely minor: median + {k} sd < 18\n")
    print("| age group | images | possible before (median - 1 sd < 25) | possible, fitted | possible, "
          "leave-one-out | likely, fitted | likely, leave-one-out |")
    print("|---|---|---|---|---|---|---|")
    groups = sorted({i.group for i in images}, key=lambda g: group_years(g) or (np.inf, np.inf))
    rows = [(g, np.array([i.group == g for i in images])) for g in groups] + list(pool.items())
    for name, mask in rows:
        print(f"| {name} | {mask.sum()} | {rate(before, mask)} | {rate(possible[(level, age)], mask)} | "
              f"{rate(possible_held, mask)} | {rate(likely[(k, 18.0)], mask)} | {rate(likely_held, mask)} |")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_DIR)
