"""Short test videos encoded on the fly from the licensed benign scene images (never stored)."""

from __future__ import annotations

import io
from pathlib import Path

import av
import numpy as np
from PIL import Image

SCENES = Path(__file__).resolve().parents[2] / "shared" / "data" / "images" / "scenes"
CAT = SCENES / "chelsea_cat_skimage.png"
CUP = SCENES / "coffee_cup_skimage.png"
ROCKET = SCENES / "falcon9_dscovr_launch_skimage.jpg"


def encode(
    stills: list[Path], *, container: str = "mp4", codec: str = "libx264", seconds_each: int = 2,
    rate: int = 10, size: tuple[int, int] = (320, 240),
) -> bytes:
    """A video showing each still for ``seconds_each`` seconds, in order."""
    buffer = io.BytesIO()
    with av.open(buffer, "w", format=container) as media:
        stream = media.add_stream(codec, rate=rate)
        stream.width, stream.height = size
        stream.pix_fmt = "yuvj420p" if codec == "mjpeg" else "yuv420p"
        for still in stills:
            rgb = np.asarray(Image.open(still).convert("RGB").resize(size))
            for _ in range(seconds_each * rate):
                for packet in stream.encode(av.VideoFrame.from_ndarray(rgb, format="rgb24")):
                    media.mux(packet)
        for packet in stream.encode():
            media.mux(packet)
    return buffer.getvalue()
