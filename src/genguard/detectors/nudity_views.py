"""Several looks at one frame for the nudity detector: which crops, mapping their boxes back, merging.

NudeNet 320n sees a whole image squeezed into 320 px, where a standing figure in a wide painting is
about 100 px tall. A backend may therefore run the network on more *views* of a frame: the whole
frame, overlapping square tiles of it (each enlarged to the network's side) and mirror images of
either. This module is the geometry of that, kept apart from the model so it can be tested
against brute-force oracles: planning the views, mapping a view's boxes back to frame pixels, and
merging the boxes of all views into one set of regions.

Two merges, because the two kinds of extra view answer different questions:

- **Union** (tiles, or mirror images added as more views): every view's boxes go into one pool
  and per-label non-maximum suppression keeps the best of overlapping boxes. A region any view
  sees is kept, which raises recall and also lets one view's mistake through.
- **Mirror consensus**: a box counts only where the mirrored view finds a box of the same label
  on the same spot (IoU at least :data:`CONSENSUS_IOU`), at the lower of the two scores. A
  mistake the network makes on texture rarely survives mirroring; a body part does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

import numpy as np

#: Overlap, as intersection over union, at which two boxes of one label are the same region.
MERGE_IOU: Final = 0.45
#: Overlap at which a box and its mirror-view twin count as the same finding.
CONSENSUS_IOU: Final = 0.3


Mirror = Literal["none", "union", "consensus"]
#: One view's findings: label indices, scores and ``N x 4`` boxes ``(x0, y0, x1, y1)``.
Found = tuple[np.ndarray, np.ndarray, np.ndarray]


@dataclass(frozen=True)
class ViewPlan:
    """Which views a backend runs: the network's input side, tiles, and what mirror images do."""

    #: Side of the square each view is scaled into; the graph takes any multiple of 32.
    side: int = 320
    #: Tile side as a fraction of the frame's longer side; ``None``: the whole frame only.
    tile_fraction: float | None = None
    mirror: Mirror = "none"

    def __post_init__(self) -> None:
        if self.side <= 0 or self.side % 32:
            raise ValueError(f"view side must be a positive multiple of 32, not {self.side}")
        if self.tile_fraction is not None and not 0 < self.tile_fraction < 1:
            raise ValueError(f"tile_fraction must lie in (0, 1), not {self.tile_fraction}")

    @property
    def name(self) -> str:
        """Short, stable description recorded in the detector's version, e.g. ``512+mirror-consensus``."""
        parts = [str(self.side)]
        if self.tile_fraction is not None:
            parts.append(f"tiles{self.tile_fraction:g}")
        if self.mirror != "none":
            parts.append(f"mirror-{self.mirror}")
        return "+".join(parts)


@dataclass(frozen=True)
class View:
    """A crop of a frame, ``[x0, x1) x [y0, y1)`` in frame pixels, optionally mirrored left-right."""

    x0: int
    y0: int
    x1: int
    y1: int
    mirrored: bool = False

    def crop(self, frame: np.ndarray) -> np.ndarray:
        """The pixels this view shows, mirrored where asked (contiguous, as OpenCV wants them)."""
        pixels = frame[self.y0 : self.y1, self.x0 : self.x1]
        return np.ascontiguousarray(pixels[:, ::-1] if self.mirrored else pixels)

    def to_frame(self, boxes: np.ndarray) -> np.ndarray:
        """Map ``N x 4`` boxes ``(x0, y0, x1, y1)`` in this view's pixels back to frame pixels."""
        out = np.array(boxes, dtype=np.float64).reshape(-1, 4)
        if self.mirrored:
            width = self.x1 - self.x0
            out[:, [0, 2]] = width - out[:, [2, 0]]
        out[:, [0, 2]] += self.x0
        out[:, [1, 3]] += self.y0
        return out


def plan_views(width: int, height: int, plan: ViewPlan) -> list[View]:
    """The whole frame first, then overlapping square tiles, then (unless ``plan.mirror`` is
    ``"none"``) each of those mirrored, in the same order.

    Tiles have side ``tile_fraction`` of the frame's longer side (at most the frame itself), start
    every half tile and end flush with the right and bottom edges, so every pixel is in at least
    one tile and every region up to half a tile wide lies whole inside one.
    """
    views = [View(0, 0, width, height)]
    if plan.tile_fraction is not None:
        side = max(1, round(plan.tile_fraction * max(width, height)))
        xs, ys = _starts(width, side), _starts(height, side)
        views += [View(x, y, min(width, x + side), min(height, y + side)) for y in ys for x in xs]
    if plan.mirror != "none":
        views += [View(v.x0, v.y0, v.x1, v.y1, mirrored=True) for v in views]
    return views


def _starts(length: int, side: int) -> list[int]:
    if side >= length:
        return [0]
    starts = list(range(0, length - side + 1, max(1, side // 2)))
    if starts[-1] + side < length:
        starts.append(length - side)
    return starts


def iou_matrix(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Intersection over union of every box in ``a`` (``N x 4``) with every box in ``b`` (``M x 4``)."""
    a = np.asarray(a, dtype=np.float64).reshape(-1, 4)
    b = np.asarray(b, dtype=np.float64).reshape(-1, 4)
    ix = np.clip(np.minimum(a[:, None, 2], b[None, :, 2]) - np.maximum(a[:, None, 0], b[None, :, 0]), 0, None)
    iy = np.clip(np.minimum(a[:, None, 3], b[None, :, 3]) - np.maximum(a[:, None, 1], b[None, :, 1]), 0, None)
    inter = ix * iy
    area_a = (a[:, 2] - a[:, 0]) * (a[:, 3] - a[:, 1])
    area_b = (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])
    union = area_a[:, None] + area_b[None, :] - inter
    return np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)


def nms(labels: np.ndarray, scores: np.ndarray, boxes: np.ndarray, iou: float = MERGE_IOU) -> np.ndarray:
    """Indices kept by greedy per-label non-maximum suppression, best score first.

    A box is dropped when a better box *of the same label* overlaps it by more than ``iou``;
    boxes of different labels never suppress each other (a covered and an exposed breast on the
    same spot are both evidence). Ties keep the earlier box, so the result is deterministic.
    """
    labels, scores = np.asarray(labels), np.asarray(scores, dtype=np.float64)
    order = np.lexsort((np.arange(len(scores)), -scores))
    overlaps = iou_matrix(boxes, boxes)
    kept: list[int] = []
    for i in order:
        if not any(labels[j] == labels[i] and overlaps[i, j] > iou for j in kept):
            kept.append(int(i))
    return np.asarray(kept, dtype=int)


def mirror_consensus(plain: Found, mirrored: Found, iou: float = CONSENSUS_IOU) -> Found:
    """The boxes of ``plain`` that ``mirrored`` confirms, each at the lower score of the pair.

    Both arguments are findings in frame pixels (the mirrored view's boxes
    already mapped back). A plain box is confirmed by the best-scoring mirrored box of the same
    label that overlaps it by at least ``iou``.
    """
    labels, scores, boxes = plain
    m_labels, m_scores, m_boxes = mirrored
    overlaps = iou_matrix(boxes, m_boxes)
    same = (np.asarray(labels)[:, None] == np.asarray(m_labels)[None, :]) & (overlaps >= iou)
    support = np.where(same, np.asarray(m_scores, dtype=np.float64)[None, :], -1.0).max(axis=1, initial=-1.0)
    keep = support >= 0
    return (
        np.asarray(labels)[keep],
        np.minimum(np.asarray(scores, dtype=np.float64)[keep], support[keep]),
        np.asarray(boxes, dtype=np.float64).reshape(-1, 4)[keep],
    )


def merge_views(plan: ViewPlan, found: list[Found]) -> Found:
    """One frame's regions from its views' findings, in :func:`plan_views` order (see the module doc)."""
    if plan.mirror == "consensus":
        half = len(found) // 2
        found = [mirror_consensus(found[i], found[half + i]) for i in range(half)]
    if len(found) == 1:
        return found[0]
    labels, scores, boxes = (np.concatenate(parts) for parts in zip(*found, strict=True))
    kept = nms(labels, scores, boxes.reshape(-1, 4))
    return labels[kept], scores[kept], boxes.reshape(-1, 4)[kept]
