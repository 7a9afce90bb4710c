"""Video hashing for the banks: what the sandboxed decoder costs against decoding in process.

``python -m bench.video [--runs 5]``

Clips are encoded once from the benign scene images (H.264 and VP9, up to 30 s of 720p at
30 fps). Each is hashed by ``genguard.media.video.decode_video`` (child process with memory
and CPU limits, container and codec allowlists, JSON answer checked by the parent) and, as the
baseline, by the same PyAV decode and PDQ of one frame a second run directly in this process,
with none of the isolation. Runs alternate; the table gives medians and their ratio, i.e. the
price of the isolation.
"""

from __future__ import annotations

import argparse
import io
import statistics
import time

import av
import numpy as np
import pdqhash
from rich.console import Console
from rich.table import Table

from genguard.media.video import decode_video
from tests.videos import CAT, CUP, ROCKET, encode

CLIPS = (
    ("H.264 640x360 25 fps, 12 s", "mp4", "libx264", (640, 360), 25, 4),
    ("H.264 1280x720 30 fps, 30 s", "mp4", "libx264", (1280, 720), 30, 10),
    ("VP9 640x360 25 fps, 12 s", "webm", "libvpx-vp9", (640, 360), 25, 4),
)


def in_process(data: bytes) -> int:
    """Baseline: decode and hash one frame a second here, without the child process."""
    hashed, next_time = 0, 0.0
    with av.open(io.BytesIO(data)) as media:
        stream = media.streams.video[0]
        for frame in media.decode(stream):
            if frame.time is not None and frame.time + 1e-6 < next_time:
                continue
            rgb = frame.to_ndarray(format="rgb24", width=512, height=round(512 * stream.height / stream.width))
            pdqhash.compute(np.ascontiguousarray(rgb))
            hashed += 1
            next_time = (frame.time or next_time) + 1.0
    return hashed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    table = Table(title=f"video hashing, median of {args.runs} alternating runs")
    for column in ("clip", "bytes", "frames hashed", "genguard (isolated) s", "in-process s", "ratio"):
        table.add_column(column, justify="right")
    for name, container, codec, size, rate, seconds_each in CLIPS:
        data = encode([CAT, CUP, ROCKET], container=container, codec=codec, size=size, rate=rate,
                      seconds_each=seconds_each)
        ours: list[float] = []
        theirs: list[float] = []
        frames = 0
        for _ in range(args.runs):
            start = time.perf_counter()
            frames = len(decode_video(data).frames)
            ours.append(time.perf_counter() - start)
            start = time.perf_counter()
            assert in_process(data) == frames
            theirs.append(time.perf_counter() - start)
        a, b = statistics.median(ours), statistics.median(theirs)
        table.add_row(name, f"{len(data):,}", str(frames), f"{a:.3f}", f"{b:.3f}", f"{a / b:.2f}x")
    Console().print(table)


if __name__ == "__main__":
    main()
