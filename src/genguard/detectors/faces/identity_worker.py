"""A worker process that turns aligned face chips into dlib identity descriptors.

Run by :mod:`genguard.detectors.faces.identity` as ``python -I identity_worker.py MODEL``, never
imported: it loads nothing of genguard, so each worker holds only dlib, numpy and the model.
Protocol on stdin/stdout, raw bytes only (no pickle): after loading, the worker writes one byte
``R``; then for each 150 x 150 x 3 uint8 chip it reads, it writes the 128 float64 values of the
descriptor, little-endian. End of input ends the worker, so it dies with its parent.
"""

from __future__ import annotations

import sys

import dlib
import numpy as np

CHIP_SIDE = 150
CHIP_BYTES = CHIP_SIDE * CHIP_SIDE * 3


def read_exactly(stream, size: int) -> bytes:  # noqa: ANN001 - a binary stream
    """``size`` bytes from ``stream``, or fewer if it ends first."""
    data = bytearray()
    while len(data) < size:
        chunk = stream.read(size - len(data))
        if not chunk:
            return bytes(data)
        data += chunk
    return bytes(data)


def main(model_path: str) -> None:
    network = dlib.face_recognition_model_v1(model_path)
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    stdout.write(b"R")
    stdout.flush()
    while True:
        data = read_exactly(stdin, CHIP_BYTES)
        if len(data) < CHIP_BYTES:
            return
        chip = np.frombuffer(data, dtype=np.uint8).reshape(CHIP_SIDE, CHIP_SIDE, 3)
        descriptor = np.asarray(network.compute_face_descriptor(chip), dtype="<f8")
        stdout.write(descriptor.tobytes())
        stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1])
