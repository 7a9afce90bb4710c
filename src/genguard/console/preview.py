"""Reviewer-safe previews: greyscale, blurred by default, with detector boxes drawn on top.

Rendered in memory for one response and returned as ``data:`` URIs; the pixels are never
written to disk, the database or the audit trail. Greyscale and blur lower the impact of
harmful imagery on reviewers (the wellbeing practice Coop and the TSPA recommend); the boxes
are drawn after blurring so a reviewer sees *where* each signal is without seeing the detail.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from typing import Any

from PIL import Image, ImageDraw, ImageFilter, ImageOps

from genguard.media.image import DecodedImage

#: Longest side of a preview: enough to place the boxes, small enough not to invite detail.
MAX_SIDE = 480
#: Blur radius as a fraction of the preview's longer side.
BLUR = 0.03


@dataclass(frozen=True)
class DrawnBox:
    """A box to draw, in original-image pixels, with its caption."""

    x0: float
    y0: float
    x1: float
    y1: float
    caption: str
    kind: str  # "region" or "face"


@dataclass(frozen=True)
class Preview:
    blurred: str
    clear: str
    width: int
    height: int


def boxes_of(image_signals: dict[str, Any]) -> list[DrawnBox]:
    """NudeNet regions and face boxes of one image of a verdict's public signals."""
    out = []
    for region in (image_signals.get("nudity") or {}).get("regions", []):
        b = region["box"]
        out.append(DrawnBox(b["x0"], b["y0"], b["x1"], b["y1"], f"{region['label']} {region['score']:.2f}", "region"))
    for i, face in enumerate((image_signals.get("faces") or {}).get("faces", [])):
        b = face["box"]
        age = f" age≈{face['age']:.0f}" if face.get("age") is not None else ""
        out.append(DrawnBox(b["x0"], b["y0"], b["x1"], b["y1"], f"face {i + 1}{age}", "face"))
    return out


def _data_uri(image: Image.Image) -> str:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _draw(base: Image.Image, boxes: list[DrawnBox], scale: float) -> Image.Image:
    canvas = base.convert("RGB")
    draw = ImageDraw.Draw(canvas)
    for box in boxes:
        colour = (255, 196, 0) if box.kind == "region" else (0, 200, 255)
        xy = (box.x0 * scale, box.y0 * scale, box.x1 * scale, box.y1 * scale)
        draw.rectangle(xy, outline=colour, width=3)
        at = (xy[0] + 4, xy[1] + 3) if box.kind == "region" else (xy[0] + 4, xy[3] + 3)  # captions apart
        draw.text(at, box.caption, fill=colour, stroke_width=2, stroke_fill=(0, 0, 0))
    return canvas


def render(decoded: DecodedImage, boxes: list[DrawnBox]) -> Preview:
    """Greyscale preview at most :data:`MAX_SIDE` wide, blurred and clear, boxes on both."""
    grey = ImageOps.grayscale(Image.fromarray(decoded.rgb))
    grey.thumbnail((MAX_SIDE, MAX_SIDE))
    scale = grey.width / decoded.width  # boxes are in original pixels
    blurred = grey.filter(ImageFilter.GaussianBlur(max(4.0, BLUR * max(grey.size))))
    return Preview(_data_uri(_draw(blurred, boxes, scale)), _data_uri(_draw(grey, boxes, scale)),
                   grey.width, grey.height)
