"""Load time, latency at 1024 px and process RSS of the bundled image detectors (not a test).

Run: ``.venv/bin/python tests/detectors/measure_detector_costs.py`` — figures go to
``docs/detectors.md``. Latency is the median of 7 calls on a 1024 x 1024 photo.
"""

from __future__ import annotations

import resource
import statistics
import time

from detector_images import shared_image

from genguard.detectors.registry import default_backend, resolve


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    image = shared_image("portraits/joe_biden_official_vp_portrait_2013.jpg", max_side=1024)
    print(f"baseline RSS {rss_mb():.0f} MB; image {image.rgb.shape[1]}x{image.rgb.shape[0]}")
    print("| detector | load s | p50 ms at 1024 px | RSS after load MB |")
    print("|---|---|---|---|")
    for slot in ("nudity", "faces", "hashes"):
        backend = default_backend(slot)
        detector = resolve(slot, backend)()
        start = time.perf_counter()
        detector.load()
        loaded = time.perf_counter() - start
        detector.detect(image)
        runs = []
        for _ in range(7):
            start = time.perf_counter()
            detector.detect(image)
            runs.append((time.perf_counter() - start) * 1000)
        print(f"| {slot}: {backend} | {loaded:.2f} | {statistics.median(runs):.0f} | {rss_mb():.0f} |")


if __name__ == "__main__":
    main()
