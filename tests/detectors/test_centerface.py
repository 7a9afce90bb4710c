"""CenterFace box decoding and the checks on its vendored model (real model, no images needed)."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from genguard.detectors.faces.centerface import (
    MODEL_DIR,
    CenterFaceDetector,
    FaceModelError,
    centerface_boxes,
    dlib_box,
    non_max_suppression,
)
from genguard.detectors.registry import default_backend


def test_centerface_is_the_default_face_backend() -> None:
    assert default_backend("faces") == "centerface"


def test_a_blank_or_odd_sized_image_has_no_faces(face_detector: CenterFaceDetector) -> None:
    # 37 x 53 is not a multiple of 32: the input is padded, never resized.
    for rgb in (np.zeros((37, 53, 3), np.uint8), np.full((64, 64, 3), 255, np.uint8)):
        assert len(centerface_boxes(face_detector._session, rgb)) == 0


def test_non_max_suppression_keeps_the_best_of_overlapping_boxes() -> None:
    boxes = np.array(
        [
            [0, 0, 10, 10, 0.6],
            [1, 1, 11, 11, 0.9],  # overlaps the first by 0.68: the first goes
            [20, 20, 30, 30, 0.7],  # apart from both: stays
            [20, 25, 30, 35, 0.8],  # overlaps the third by 0.33 > 0.3: the third goes
        ],
        dtype=np.float32,
    )
    kept = non_max_suppression(boxes, 0.3)
    assert kept[:, 4].tolist() == pytest.approx([0.9, 0.8])


def test_dlib_box_is_square_as_wide_as_the_face_and_slightly_lower() -> None:
    box = dlib_box(np.array([100, 100, 200, 240, 0.9]))
    assert box.width() == box.height()
    assert box.left() == 100 and box.right() == 200
    assert (box.top() + box.bottom()) / 2 == pytest.approx(170 + 0.03 * 140, abs=1)


def test_an_altered_model_is_refused(tmp_path: Path) -> None:
    copy = tmp_path / "centerface_model"
    shutil.copytree(MODEL_DIR, copy)
    model = copy / "centerface.onnx"
    data = bytearray(model.read_bytes())
    data[-1] ^= 0xFF
    model.write_bytes(bytes(data))
    with pytest.raises(FaceModelError) as error:
        CenterFaceDetector(model_dir=copy).load()
    assert error.value.code == "face_model_invalid"


def test_a_model_without_checksums_is_refused(tmp_path: Path) -> None:
    copy = tmp_path / "centerface_model"
    shutil.copytree(MODEL_DIR, copy)
    (copy / "SHA256SUMS").unlink()
    with pytest.raises(FaceModelError) as error:
        CenterFaceDetector(model_dir=copy).load()
    assert error.value.code == "face_model_missing"
