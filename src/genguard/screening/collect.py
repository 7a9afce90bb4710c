"""Run the detectors of one request concurrently and gather their signals.

Each (detector, image) pair is one task on a shared thread pool: ONNX Runtime and dlib release
the GIL, so two cores are used while one thread hashes and another runs a network. The text is
scored in the calling thread meanwhile, which would otherwise only wait: a text-only request
never pays for a hand-over to the pool and back (two thread wake-ups, 0.1-1 ms on a busy
machine). A task that raises or outlives its deadline becomes a :class:`DetectorFailure` — the
caller's policy decides what that means, and it never means "safe".

The ``hashes`` job also computes every further registered exact hash type of the image
(:func:`genguard.banks.hashing.with_exact`), so the bank lookup and seen content get them.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from concurrent.futures import Executor, Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Any, TypeVar

from genguard.banks.hashing import exact_names, with_exact
from genguard.detectors.base import Detector, ImageDetector, TextDetector
from genguard.media.image import DecodedImage
from genguard.screening.recent import RecentSourceSignals
from genguard.signals import DetectorFailure, HashSignal, ImageSignals, IntentSignal, ImageRole, SignalSet

#: Image detector slots, longest-running first (the order jobs are submitted in).
IMAGE_SLOTS = ("faces", "nudity", "hashes")


@dataclass(frozen=True)
class Target:
    role: ImageRole
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
    refine_when: Callable[[IntentSignal], bool] | None = None,
) -> tuple[SignalSet, dict[str, float]]:
    """Signals for the text (if any) and every target image, plus wall time per slot in ms.

    With ``recent``, a source image's signals from a recent screen are reused (see
    :mod:`genguard.screening.recent`) and fresh ones are kept there. ``refine_when`` decides
    from the text detector's first pass whether its costly step runs (default: always).
    """
    started = time.perf_counter()
    jobs: dict[tuple[str, str], Future[tuple[object, float]]] = {}
    failures: list[DetectorFailure] = []
    results: dict[tuple[str, str], object] = {}
    to_keep: dict[tuple[str, str], tuple[str, str]] = {}  # job -> (detector version, image sha256)

    def submit(slot: str, target_name: str, fn: Callable[..., object], *args: object) -> None:
        jobs[(slot, target_name)] = pool.submit(_timed, fn, *args)

    intent = detectors.get("intent")
    if text is not None and not isinstance(intent, TextDetector):
        failures.append(DetectorFailure(detector="intent", error="not configured", target="text"))
    # Slot by slot, the longest first (faces), so that every image's face chain starts at once
    # even when the pool has fewer threads than jobs.
    for slot in IMAGE_SLOTS:
        for target in targets:
            name = f"{target.role.value}[{target.index}]"
            detector = detectors.get(slot)
            if isinstance(detector, ImageDetector):
                reusable = recent is not None and target.role is ImageRole.SOURCE
                # A kept hash signal holds the exact types registered when it was computed.
                version = "+".join((detector.version, *exact_names())) if slot == "hashes" else detector.version
                known = recent.get(slot, version, target.image.sha256) if reusable else None  # type: ignore[union-attr]
                if known is not None:
                    results[(slot, name)] = known
                    continue
                detect = _hash_step(detector) if slot == "hashes" else detector.detect
                submit(slot, name, detect, target.image)
                if reusable:
                    to_keep[(slot, name)] = (version, target.image.sha256)
            else:
                failures.append(DetectorFailure(detector=slot, error="not configured", target=name))

    deadline = started + timeout_s
    stage_ms: dict[str, float] = {}
    if text is not None and isinstance(intent, TextDetector):
        # In this thread while the pool works on the images; the same deadline and failures.
        try:
            signal, elapsed = _timed(detect_text, intent, text, history, refine_when)
        except Exception as exc:  # noqa: BLE001 - any detector fault is a failure, reported, never allow
            error = f"{type(exc).__name__}: {exc}"[:500]
            failures.append(DetectorFailure(detector="intent", error=error, target="text"))
        else:
            if time.perf_counter() > deadline:
                error = f"timed out after {timeout_s:g}s"
                failures.append(DetectorFailure(detector="intent", error=error, target="text"))
            else:
                results[("intent", "text")] = signal
                stage_ms["intent"] = elapsed
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


def detect_text(
    detector: TextDetector, text: str, history: list[str], refine_when: Callable[[IntentSignal], bool] | None
) -> IntentSignal:
    """The detector's first pass, refined where ``refine_when`` says the costly step can matter."""
    signal = detector.first_pass(text, history)
    if detector.refines and (refine_when is None or refine_when(signal)):
        signal = detector.refine(signal, text, history)
    return signal


def _hash_step(detector: ImageDetector[Any]) -> Callable[[DecodedImage], object]:
    """The hash detector's signal plus every further registered exact type of the image."""

    def step(image: DecodedImage) -> object:
        signal = detector.detect(image)
        return with_exact(signal, image) if isinstance(signal, HashSignal) else signal

    return step


T = TypeVar("T")


def _timed(fn: Callable[..., T], *args: Any) -> tuple[T, float]:
    start = time.perf_counter()
    value = fn(*args)
    return value, (time.perf_counter() - start) * 1000.0


#: Prompts whose refining step (the name tagger) shares one model call in ``collect_texts``.
#: Larger batches gain little (the model's cost is per token) and would stretch the time that
#: every prompt of a batch is charged against its deadline.
REFINE_BATCH = 16


def collect_texts(
    *,
    items: list[tuple[str, list[str]]],
    detector: Detector[object] | None,
    timeout_s: float,
    refine_when: Callable[[IntentSignal], bool] | None = None,
) -> list[tuple[SignalSet, dict[str, float]]]:
    """``collect`` for many text-only requests, (text, history) each, in the calling thread.

    First passes run one prompt at a time (their numbers must equal ``collect``'s); the
    refining step runs for those that need it in batches of ``REFINE_BATCH``. A prompt's time
    is its first pass plus its batch's refining time, checked against ``timeout_s`` as
    ``collect`` checks one request; an error fails the prompts it touched, never the others.
    """
    if not isinstance(detector, TextDetector):
        failure = DetectorFailure(detector="intent", error="not configured", target="text")
        return [(SignalSet(failures=[failure]), {}) for _ in items]
    signals: list[IntentSignal | None] = [None] * len(items)
    elapsed = [0.0] * len(items)
    errors: list[str | None] = [None] * len(items)
    for i, (text, history) in enumerate(items):
        try:
            signals[i], elapsed[i] = _timed(detector.first_pass, text, history)
        except Exception as exc:  # noqa: BLE001 - any detector fault is a failure, reported, never allow
            errors[i] = f"{type(exc).__name__}: {exc}"[:500]
    wanted = [
        i for i, signal in enumerate(signals)
        if signal is not None and detector.refines and (refine_when is None or refine_when(signal))
    ]
    for start in range(0, len(wanted), REFINE_BATCH):
        chunk = wanted[start:start + REFINE_BATCH]
        batch = [(signals[i], *items[i]) for i in chunk]
        try:
            refined, spent = _timed(detector.refine_many, batch)
        except Exception as exc:  # noqa: BLE001 - as above, for every prompt of the batch
            for i in chunk:
                errors[i] = f"{type(exc).__name__}: {exc}"[:500]
            continue
        for i, better in zip(chunk, refined, strict=True):
            signals[i] = better
            elapsed[i] += spent
    results: list[tuple[SignalSet, dict[str, float]]] = []
    for signal, ms, error in zip(signals, elapsed, errors, strict=True):
        if error is None and ms > timeout_s * 1000.0:
            error = f"timed out after {timeout_s:g}s"
        if error is not None:
            failure = DetectorFailure(detector="intent", error=error, target="text")
            results.append((SignalSet(failures=[failure]), {}))
        else:
            results.append((SignalSet(intent=signal), {"intent": ms}))
    return results
