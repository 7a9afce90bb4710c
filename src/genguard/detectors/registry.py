"""Which backend fills which detector slot, and loading them once per process.

The manifest maps slot → backend name → ``"module:Class"``. A deployment swaps in a heavier
model (a GPU classifier, a licensed hash service) by naming another backend, without touching
screening or policy code. Third-party packages add backends through the entry-point group
``genguard.detectors``: an entry named ``"<slot>.<backend>"`` pointing at the class, e.g.
``nudity.my-gpu-model = "my_pkg.detectors:GpuNudity"``.

Unknown slots or backends, and classes that do not implement the slot they are named for, are
configuration errors and fail at load time with a clear message and a stable code, so a
mis-configured service never starts screening with a detector missing.
"""

from __future__ import annotations

import importlib
import threading
from importlib.metadata import entry_points
from typing import Any, Final

from genguard.detectors.base import (
    Detector,
    FaceDetector,
    HashDetector,
    NudityDetector,
    TextDetector,
)
from genguard.errors import GenguardError

ENTRY_POINT_GROUP: Final = "genguard.detectors"

#: The interface each slot's backend must implement.
SLOT_TYPES: Final[dict[str, type[Detector[Any]]]] = {
    "intent": TextDetector,
    "nudity": NudityDetector,
    "faces": FaceDetector,
    "hashes": HashDetector,
}

#: Bundled backends. The first backend listed per slot is its default.
BUILTIN: Final[dict[str, dict[str, str]]] = {
    "intent": {
        # Default: the intent model plus the person-name tagger (named real people, docs/intent.md).
        "genguard-intent-names": "genguard.detectors.names:NamedPersonIntentDetector",
        "genguard-intent": "genguard.detectors.intent:IntentDetector",
    },
    "nudity": {
        # Default: NudeNet's own way (whole image at 320 px). Both are AGPL-3.0 (docs/detectors.md).
        "nudenet-320n": "genguard.detectors.nudity:NudeNet320nDetector",
        "nudenet-320n-640-mirror": "genguard.detectors.nudity:NudeNet320nMirror640Detector",
    },
    "faces": {
        "centerface": "genguard.detectors.faces:CenterFaceDetector",
        "centerface-full": "genguard.detectors.faces:CenterFaceFullDetector",
        "dlib-hog": "genguard.detectors.faces:DlibHogFaceDetector",
        "dlib-hog-fast": "genguard.detectors.faces:DlibHogFastFaceDetector",
    },
    "hashes": {"pdq": "genguard.detectors.hashes:PdqHashDetector"},
}

#: Slots loaded when no names are given: every request kind is covered.
DEFAULT_SLOTS: Final = ("intent", "nudity", "faces", "hashes")


#: One instance per (slot, backend) per process: models are large and sessions thread-safe.
_instances: dict[tuple[str, str], Detector[Any]] = {}
_instances_lock = threading.Lock()


class DetectorConfigError(GenguardError):
    """A detector slot or backend name is unknown, or its class does not fit the slot."""

    code = "detector_config_invalid"
    status = 500


def manifest() -> dict[str, dict[str, str]]:
    """Built-in backends merged with those third-party packages register (built-ins win)."""
    merged = {slot: dict(backends) for slot, backends in BUILTIN.items()}
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        slot, _, backend = entry.name.partition(".")
        if not backend:
            raise DetectorConfigError(
                f"entry point {entry.name!r} in group {ENTRY_POINT_GROUP!r} must be named "
                "'<slot>.<backend>'"
            )
        merged.setdefault(slot, {}).setdefault(backend, entry.value)
    return merged


def default_backend(slot: str) -> str:
    backends = manifest().get(slot)
    if not backends:
        raise DetectorConfigError(f"no backend is registered for detector slot {slot!r}")
    return next(iter(backends))


def resolve(slot: str, backend: str) -> type[Detector[Any]]:
    """The class registered as ``backend`` for ``slot``, checked against the slot's interface."""
    if slot not in SLOT_TYPES:
        raise DetectorConfigError(
            f"unknown detector slot {slot!r}; known slots: {', '.join(sorted(SLOT_TYPES))}"
        )
    backends = manifest().get(slot, {})
    if backend not in backends:
        known = ", ".join(sorted(backends)) or "none"
        raise DetectorConfigError(
            f"unknown backend {backend!r} for detector slot {slot!r}; known backends: {known}"
        )
    target = backends[backend]
    module_name, _, class_name = target.partition(":")
    try:
        cls = getattr(importlib.import_module(module_name), class_name)
    except (ImportError, AttributeError) as error:
        raise DetectorConfigError(
            f"backend {backend!r} for slot {slot!r} points at {target!r}, which cannot be "
            f"imported: {error}"
        ) from error
    if not (isinstance(cls, type) and issubclass(cls, SLOT_TYPES[slot])):
        raise DetectorConfigError(
            f"backend {backend!r} ({target}) is not a {SLOT_TYPES[slot].__name__}"
        )
    return cls


def load_detector(slot: str, backend: str | None = None) -> Detector[Any]:
    """One slot's loaded detector (``backend`` or the slot's default), shared in this process.

    For tools that need one slot only (``genguard eval faces``): the same instance, hence the
    same model and settings, that :func:`load_detectors` gives ``Guard.screen``.
    """
    chosen = backend or default_backend(slot)
    cls = resolve(slot, chosen)
    with _instances_lock:
        detector = _instances.get((slot, chosen))
        if detector is None:
            detector = _instances[(slot, chosen)] = cls()
    detector.load()
    return detector


def load_detectors(names: dict[str, str] | None = None) -> dict[str, Detector[Any]]:
    """Loaded detectors by slot, shared by every caller in this process.

    ``names`` maps slot → backend; slots it leaves out among :data:`DEFAULT_SLOTS` get their
    default backend. Models are read here, once per process, so no request pays for it.
    """
    chosen = {slot: default_backend(slot) for slot in DEFAULT_SLOTS}
    chosen.update(names or {})
    for slot, backend in chosen.items():  # every name is checked before any model loads
        resolve(slot, backend)
    return {slot: load_detector(slot, backend) for slot, backend in chosen.items()}
