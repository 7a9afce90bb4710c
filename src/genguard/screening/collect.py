"""Run the detectors of one request concurrently and gather their signals.

Each (detector, target) pair is one task on a shared thread pool: ONNX Runtime and dlib release
the GIL, so two cores are used while one thread hashes and another runs a network. A task that
raises or outlives its deadline becomes a :class:`DetectorFailure` — the caller's policy decides
what that means, and it never means "safe".
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from concurrent.futures import Executor, Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass

from genguard.detectors.base import Detector, ImageDetector, TextDetector
from genguard.media.image import DecodedImage
from genguard.screening.recent import RecentSourceSignals
from genguard.signals import DetectorFailure, ImageSignals, Role, SignalSet

#: Image detector slots, longest-running first (the order jobs are submitted in).
IMAGE_SLOTS = ("faces", "nudity", "hashes")


@dataclass(frozen=True)
class Target:
    role: Role
    index: int
    image: DecodedImage


def collect(
    *,
    text: str | None,
    history: list[str],
    targets: list[Target],
    detectors: Mapping[str, Detector[object]],
    pool: Executor,
    timeout_s: float,
    recent: RecentSourceSignals | None = None,
) -> tuple[SignalSet, dict[str, float]]:
    """Signals for the text (if any) and every target image, plus wall time per slot in ms.

    With ``recent``, a source image's signals from a recent screen are reused (see
    :mod:`genguard.screening.recent`) and fresh ones are kept there.
    """
    started = time.perf_counter()
    jobs: dict[tuple[str, str], Future[object]] = {}
    failures: list[DetectorFailure] = []
    results: dict[tuple[str, str], object] = {}
    to_keep: dict[tuple[str, str], tuple[str, str]] = {}  # job -> (detector version, image sha256)

    def submit(slot: str, target_name: str, fn: object, *args: object) -> None:
        jobs[(slot, target_name)] = pool.submit(_timed, fn, *args)  # type: ignore[arg-type]

    intent = detectors.get("intent")
    if text is not None:
        if isinstance(intent, TextDetector):
            submit("intent", "text", intent.detect, text, history)
        else:
            failures.append(DetectorFailure(detector="intent", error="not configured", target="text"))
    # Slot by slot, the longest first (faces), so that every image's face chain starts at once
    # even when the pool has fewer threads than jobs.
    for slot in IMAGE_SLOTS:
        for target in targets:
            name = f"{target.role.value}[{target.index}]"
            detector = detectors.get(slot)
            if isinstance(detector, ImageDetector):
                reusable = recent is not None and target.role is Role.SOURCE
                known = recent.get(slot, detector.version, target.image.sha256) if reusable else None  # type: ignore[union-attr]
                if known is not None:
                    results[(slot, name)] = known
                    continue
                submit(slot, name, detector.detect, target.image)
                if reusable:
                    to_keep[(slot, name)] = (detector.version, target.image.sha256)
            else:
                failures.append(DetectorFailure(detector=slot, error="not configured", target=name))

    deadline = started + timeout_s
    stage_ms: dict[str, float] = {}
    for (slot, target_name), future in jobs.items():
        try:
            value, elapsed = future.result(timeout=max(0.0, deadline - time.perf_counter()))
        except FutureTimeout:
            future.cancel()
            failures.append(
                DetectorFailure(detector=slot, error=f"timed out after {timeout_s:g}s", target=target_name)
            )
            continue
        except Exception as exc:  # noqa: BLE001 - any detector fault is a failure, reported, never allow
            failures.append(
                DetectorFailure(detector=slot, error=f"{type(exc).__name__}: {exc}"[:500], target=target_name)
            )
            continue
        results[(slot, target_name)] = value
        stage_ms[slot] = stage_ms.get(slot, 0.0) + elapsed
        if recent is not None and (slot, target_name) in to_keep:
            recent.put(slot, *to_keep[(slot, target_name)], value)

    images = []
    for target in targets:
        name = f"{target.role.value}[{target.index}]"
        img = target.image
        images.append(
            ImageSignals(
                role=target.role,
                index=target.index,
                width=img.width,
                height=img.height,
                format=img.format,
                frames=len(img.frames),
                hashes=results.get(("hashes", name)),  # type: ignore[arg-type]
                nudity=results.get(("nudity", name)),  # type: ignore[arg-type]
                faces=results.get(("faces", name)),  # type: ignore[arg-type]
            )
        )
    signals = SignalSet(
        intent=results.get(("intent", "text")),  # type: ignore[arg-type]
        images=images,
        failures=failures,
    )
    return signals, stage_ms


def _timed(fn: object, *args: object) -> tuple[object, float]:
    start = time.perf_counter()
    value = fn(*args)  # type: ignore[operator]
    return value, (time.perf_counter() - start) * 1000.0
