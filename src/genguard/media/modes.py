"""Bring any Pillow image mode to 8-bit RGB, the one layout every detector receives."""

from __future__ import annotations

import numpy as np
from PIL import Image

#: Background that transparent pixels are composited over.
#:
#: Why mid-grey: what a viewer sees of a transparent image is its composite over the page, and
#: the page may be light or dark. Over white, white-drawn content vanishes; over black, dark
#: content vanishes; so an abuser could hide a figure from the detectors by drawing it in the
#: background's colour on transparency. Mid-grey keeps both light and dark content visible.
#: (Dropping alpha instead would show the detectors colour values under fully transparent
#: pixels that no viewer ever sees, while still not showing what viewers do see.)
BACKGROUND = (128, 128, 128)

# 16- and 32-bit integer greyscale modes; ``convert("RGB")`` would clip them at 255, not scale.
_WIDE_GREY = {"I", "I;16", "I;16L", "I;16B", "I;16N"}
_ALPHA_MODES = {"RGBA", "LA", "PA", "RGBa", "La"}


def to_rgb(im: Image.Image) -> Image.Image:
    """Return ``im`` as mode ``RGB`` (``im`` itself when it already is)."""
    if im.mode == "RGB":
        return im
    if im.mode in _WIDE_GREY:
        # These modes hold 16-bit samples (a 16-bit PNG or a TIFF-style "I" image); keep the
        # 8 most significant bits so the full tonal range survives instead of saturating.
        wide = np.clip(np.asarray(im, dtype=np.int64), 0, 0xFFFF)
        return Image.fromarray((wide >> 8).astype(np.uint8)).convert("RGB")
    if im.mode in _ALPHA_MODES or "transparency" in im.info:
        rgba = im.convert("RGBA")
        flat = Image.new("RGB", rgba.size, BACKGROUND)
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    # CMYK (Adobe-inverted CMYK JPEGs are undone by the JPEG plugin), L, 1, P, YCbCr, LAB, HSV.
    return im.convert("RGB")
