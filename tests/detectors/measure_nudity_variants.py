"""Which way of running NudeNet 320n sees the nude paintings without seeing nudity in benign photos.

Run: ``PYTHONPATH=src python tests/detectors/measure_nudity_variants.py [--repeats N] [--regions]``.

Every variant is the real detector (``NudeNet320nDetector`` with a :class:`ViewPlan`) on the
shared images as the decoder hands them over (longest side at most 1024 px). The two paintings in
``art/`` are the only positive controls the project may hold; every other image is benign, the two
athletes in sport kit being the hard negatives for "minimal clothing". Prints markdown tables for
``docs/detectors.md``: per variant the controls' summary scores, how many benign images reach the
pack's 0.45 thresholds and the highest benign scores (the margin left), and the median time per
1024-px image (the two paintings, which are 1024 px on their long side, ``--repeats`` times each,
single process, variants in turn) with the fastest run beside it. ``--regions`` also lists every
region of the default backend per image.
"""

from __future__ import annotations

import argparse
import statistics
import time

from detector_images import files_of_kind, shared_image

from genguard.detectors.nudity import EXPOSED, LABELS, MINIMAL_CLOTHING, SKIN, NudeNet320nDetector
from genguard.detectors.nudity_views import ViewPlan, plan_views
from genguard.signals import NuditySignal

THRESHOLD = 0.45  # the uk-osa pack's `exposed` and `covered`

VARIANTS: list[ViewPlan] = [
    ViewPlan(),
    ViewPlan(mirror="union"),
    ViewPlan(mirror="consensus"),
    ViewPlan(side=480),
    ViewPlan(side=512),
    ViewPlan(side=640),
    ViewPlan(side=480, mirror="consensus"),
    ViewPlan(side=512, mirror="consensus"),
    ViewPlan(side=640, mirror="consensus"),
    ViewPlan(tile_fraction=0.5),
    ViewPlan(tile_fraction=0.5, mirror="consensus"),
    ViewPlan(tile_fraction=0.35),
    ViewPlan(tile_fraction=0.35, mirror="consensus"),
]

CONTROLS = files_of_kind("art")
BENIGN = files_of_kind("portrait", "elderly_portrait", "child_portrait", "athlete", "scene")
ATHLETES = files_of_kind("athlete")


def _times_ms(detectors: list[NudeNet320nDetector], repeats: int) -> list[tuple[float, float]]:
    """Median and fastest ms per image for each detector, timed round-robin so that load from
    other processes on the shared cores falls on every variant alike."""
    images = [shared_image(relative) for relative in CONTROLS]
    times: list[list[float]] = [[] for _ in detectors]
    for _ in range(repeats):
        for detector, spent in zip(detectors, times, strict=True):
            for image in images:
                start = time.perf_counter()
                detector.detect(image)
                spent.append((time.perf_counter() - start) * 1000.0)
    return [(statistics.median(spent), min(spent)) for spent in times]


def _work(plan: ViewPlan) -> float:
    """Network work per painting in default passes (views x (side / 320)^2): load-independent."""
    images = [shared_image(relative) for relative in CONTROLS]
    views = [len(plan_views(i.rgb.shape[1], i.rgb.shape[0], plan)) for i in images]
    return statistics.mean(views) * (plan.side / ViewPlan().side) ** 2


def _group_max(signal: NuditySignal, label: str) -> float:
    return max((r.score for r in signal.regions if r.label == label), default=0.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--regions", action="store_true")
    args = parser.parse_args()
    files = CONTROLS + BENIGN
    images = {relative: shared_image(relative) for relative in files}
    print("| variant | Venus exposed / minimal / skin | bather exposed / minimal / skin "
          f"| benign ≥ {THRESHOLD} exposed, minimal | benign max exposed / minimal / skin "
          "| athletes max exposed / minimal | network work (320-px passes) "
          "| ms per 1024-px image, median (fastest) |")
    print("|---|---|---|---|---|---|---|---|")
    per_class: dict[str, dict[str, tuple[float, float]]] = {}
    detectors = [NudeNet320nDetector(plan) for plan in VARIANTS]
    all_signals = [{relative: d.detect(image) for relative, image in images.items()} for d in detectors]
    for plan, signals, (median, fastest) in zip(VARIANTS, all_signals, _times_ms(detectors, args.repeats), strict=True):
        venus, bather = (signals[c] for c in CONTROLS)
        benign = [signals[b] for b in BENIGN]
        athletes = [signals[a] for a in ATHLETES]

        def triple(s: NuditySignal) -> str:
            return f"{s.exposed:.2f} / {s.minimal_clothing:.2f} / {s.skin:.2f}"

        print(
            f"| {plan.name} | {triple(venus)} | {triple(bather)} "
            f"| {sum(s.exposed >= THRESHOLD for s in benign)}, "
            f"{sum(s.minimal_clothing >= THRESHOLD for s in benign)} "
            f"| {max(s.exposed for s in benign):.2f} / {max(s.minimal_clothing for s in benign):.2f} / "
            f"{max(s.skin for s in benign):.2f} "
            f"| {max(s.exposed for s in athletes):.2f} / {max(s.minimal_clothing for s in athletes):.2f} "
            f"| {_work(plan):g} | {median:.0f} ({fastest:.0f}) |"
        )
        per_class[plan.name] = {
            label: (
                max(_group_max(signals[c], label) for c in CONTROLS),
                max(_group_max(signals[b], label) for b in BENIGN),
            )
            for label in LABELS
            if label in EXPOSED | MINIMAL_CLOTHING | SKIN
        }
    print("\nPer class, highest score on a control / on a benign image (a per-class threshold can only "
          "separate where the first is higher):\n")
    labels = sorted(EXPOSED | MINIMAL_CLOTHING | SKIN)
    print("| variant | " + " | ".join(labels) + " |")
    print("|---" * (len(labels) + 1) + "|")
    for name, maxima in per_class.items():
        print(f"| {name} | " + " | ".join(f"{maxima[label][0]:.2f} / {maxima[label][1]:.2f}" for label in labels) + " |")
    if args.regions:
        detector = NudeNet320nDetector()
        print("\n| image | exposed / minimal / skin | regions (label score) |\n|---|---|---|")
        for relative in files:
            signal = detector.detect(images[relative])
            regions = ", ".join(f"{r.label} {r.score:.2f}" for r in sorted(signal.regions, key=lambda r: -r.score))
            print(f"| `{relative}` | {signal.exposed:.2f} / {signal.minimal_clothing:.2f} / {signal.skin:.2f} "
                  f"| {regions or '—'} |")


if __name__ == "__main__":
    main()
