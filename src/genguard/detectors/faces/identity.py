"""dlib's 128-d identity descriptor, computed by onnxruntime.

The network is dlib's face recognition ResNet (``dlib_face_recognition_resnet_model_v1.dat``,
public domain, from the ``face_recognition_models`` wheel) rewritten as ONNX by
``tools/vendor_dlib_identity.py`` and vendored in ``identity_model/``; its sha256 is checked
before loading, and a missing, unlisted or altered file raises :class:`IdentityModelError`, which
stops the face detector from loading (it fails closed). Its descriptors equal dlib's
``compute_face_descriptor`` to within 1e-6 on the shared images (a test asserts 1e-4).

Why not dlib itself: dlib-bin is built without BLAS, so ``compute_face_descriptor`` took ~73 ms a
face on this CPU while holding the GIL, which stalled every other detector thread of the service
(it ran in worker processes for that reason). onnxruntime computes a face in ~5 ms on one thread
and releases the GIL. dlib still cuts the 150-px aligned chip (``get_face_chip``: the chip its
descriptor cuts internally) from the 5-point landmarks; all chips of a frame go in one run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import dlib
import numpy as np

from genguard.detectors.runtime import onnx_session, verified_files
from genguard.errors import GenguardError

MODEL_DIR: Final = Path(__file__).with_name("identity_model")
MODEL_FILE: Final = "dlib-resnet-v1.onnx"
#: Side of the aligned chip the network reads, and the margin around the face it expects
#: (``dlib.get_face_chip``'s defaults, as ``compute_face_descriptor`` uses them).
CHIP_SIDE: Final = 150
CHIP_PADDING: Final = 0.25
DESCRIPTOR_SIZE: Final = 128


class IdentityModelError(GenguardError):
    """The bundled identity model is missing or altered (sha256 mismatch)."""

    code = "identity_model_invalid"
    status = 500


class IdentityModel:
    """dlib's ResNet descriptor as an ONNX session; ``descriptors`` is thread-safe."""

    def __init__(self, model_dir: Path = MODEL_DIR, *, threads: int | None = None) -> None:
        files = verified_files(model_dir, IdentityModelError, "identity_model")
        if MODEL_FILE not in files:
            raise IdentityModelError(f"{model_dir}/SHA256SUMS does not list {MODEL_FILE}", code="identity_model_missing")
        self._session = onnx_session(files[MODEL_FILE], threads=threads)

    def descriptors(self, rgb: np.ndarray, shapes: list[dlib.full_object_detection]) -> np.ndarray:
        """The descriptor (float64, ``len(shapes) x 128``) of each face the ``shapes`` locate in ``rgb``."""
        if not shapes:
            return np.empty((0, DESCRIPTOR_SIZE), dtype=np.float64)
        chips = np.stack([dlib.get_face_chip(rgb, shape, CHIP_SIDE, CHIP_PADDING) for shape in shapes])
        (descriptors,) = self._session.run(["descriptors"], {"chips": chips})
        return descriptors.astype(np.float64)
