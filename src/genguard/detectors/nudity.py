"""Nudity and clothing regions with NudeNet's 320n detector, run on the already-decoded pixels.

NudeNet's own ``NudeDetector.detect`` re-reads the image from a path (or re-decodes bytes) and
post-processes box by box in Python. Here the ONNX graph from the ``nudenet`` wheel runs directly
on the array genguard already decoded, with the same pre-processing (zero padding at the
bottom/right to a square, bilinear 320x320, values in [0, 1], channels in *BGR* order) and the
same post-processing (YOLOv8 head: class-agnostic NMS at score 0.25 / IoU 0.45 over candidates
whose best class is at least 0.2), vectorised. All frames of an animated image go through the
network in batches. A backend may run more views of each frame than the whole of it (larger
side, tiles, mirror image; ``nudity_views``); what each measured is in ``docs/detectors.md``.

Licence: the ``nudenet`` wheel's metadata says MIT but its licence files and upstream say
AGPL-3.0, which is why this is only the default behind the ``nudity`` slot (see ``registry``).
"""

from __future__ import annotations

from typing import ClassVar, Final

import numpy as np
import onnxruntime as ort

from genguard.detectors.base import NudityDetector
from genguard.detectors.nudity_views import Found, ViewPlan, merge_views, nms, plan_views
from genguard.detectors.runtime import onnx_session, package_file
from genguard.media.image import DecodedImage
from genguard.media.resize import resize_linear
from genguard.signals import Box, NuditySignal, Region

#: Output channels 4.. of the graph, in the order the model was trained with.
LABELS: Final[tuple[str, ...]] = (
    "FEMALE_GENITALIA_COVERED",
    "FACE_FEMALE",
    "BUTTOCKS_EXPOSED",
    "FEMALE_BREAST_EXPOSED",
    "FEMALE_GENITALIA_EXPOSED",
    "MALE_BREAST_EXPOSED",
    "ANUS_EXPOSED",
    "FEET_EXPOSED",
    "BELLY_COVERED",
    "FEET_COVERED",
    "ARMPITS_COVERED",
    "ARMPITS_EXPOSED",
    "FACE_MALE",
    "BELLY_EXPOSED",
    "MALE_GENITALIA_EXPOSED",
    "ANUS_COVERED",
    "FEMALE_BREAST_COVERED",
    "BUTTOCKS_COVERED",
)

#: Summary groups (see :class:`~genguard.signals.NuditySignal`).
EXPOSED: Final = frozenset(
    {
        "FEMALE_BREAST_EXPOSED",
        "FEMALE_GENITALIA_EXPOSED",
        "MALE_GENITALIA_EXPOSED",
        "BUTTOCKS_EXPOSED",
        "ANUS_EXPOSED",
    }
)
MINIMAL_CLOTHING: Final = frozenset(
    {"FEMALE_BREAST_COVERED", "FEMALE_GENITALIA_COVERED", "BUTTOCKS_COVERED", "ANUS_COVERED"}
)
SKIN: Final = frozenset({"BELLY_EXPOSED", "ARMPITS_EXPOSED", "MALE_BREAST_EXPOSED", "FEET_EXPOSED"})
FACE_LABELS: Final = frozenset({"FACE_FEMALE", "FACE_MALE"})

INPUT_SIDE: Final = 320
NMS_SCORE_THRESHOLD: Final = 0.25
NMS_IOU_THRESHOLD: Final = 0.45
#: Views per ONNX call: bounds the batch tensor (8 x 3 x 320 x 320 floats = 10 MB).
BATCH: Final = 8


def letterbox(rgb: np.ndarray, side: int = INPUT_SIDE) -> tuple[np.ndarray, float]:
    """Scale ``rgb`` so its longer side is ``side`` and pad bottom/right with black.

    Returns the ``3 x side x side`` float32 tensor and the factor from model pixels back to
    ``rgb`` pixels. Scaling before padding (rather than padding the full-size image first, as
    NudeNet does) gives the same geometry with less resizing work on large images.

    Channels go in as BGR because that is what NudeNet feeds the graph (``cvtColor(RGBA2BGR)`` on
    a BGR image swaps to RGB, then ``blobFromImage(swapRB=True)`` swaps back). Feeding RGB moves
    scores: it reported BUTTOCKS_EXPOSED 0.33 on scikit-image's coffee cup, BGR reports nothing.
    """
    h, w = rgb.shape[:2]
    longest = max(h, w)
    ratio = side / longest
    size = (max(1, min(side, round(w * ratio))), max(1, min(side, round(h * ratio))))
    small = resize_linear(rgb, size)  # OpenCV's INTER_LINEAR, as NudeNet scales (genguard.media.resize)
    canvas = np.zeros((side, side, 3), dtype=np.float32)
    canvas[: size[1], : size[0]] = small[..., ::-1].astype(np.float32) * np.float32(1 / 255)
    return canvas.transpose(2, 0, 1), longest / side


def decode_output(
    output: np.ndarray, to_pixels: float, width: float, height: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Turn one view's ``22 x N`` head output into ``(label indices, scores, N x 4 boxes)``.

    Boxes are in the letterboxed view's pixels (``to_pixels`` maps model pixels to them) and
    clipped to ``width`` x ``height``; NudeNet's own class-agnostic NMS has been applied.
    """
    rows = output.T
    class_scores = rows[:, 4:]
    best = class_scores.argmax(axis=1)
    score = class_scores[np.arange(len(rows)), best]
    # NudeNet keeps candidates whose best class reaches 0.2, then its NMS (OpenCV's NMSBoxes)
    # drops those not above 0.25 first: only the second filter binds.
    keep = score > NMS_SCORE_THRESHOLD
    if not keep.any():
        return np.zeros(0, dtype=int), np.zeros(0), np.zeros((0, 4))
    cx, cy, bw, bh = (rows[keep, i] * to_pixels for i in range(4))
    score, best = score[keep], best[keep]
    x0 = np.clip(cx - bw / 2, 0, width)
    y0 = np.clip(cy - bh / 2, 0, height)
    x1 = np.clip(cx + bw / 2, 0, width)
    y1 = np.clip(cy + bh / 2, 0, height)
    boxes = np.stack([x0, y0, x1, y1], axis=1)
    chosen = nms(np.zeros(len(score), dtype=int), score, boxes, iou=NMS_IOU_THRESHOLD)  # class-agnostic
    return best[chosen], score[chosen].astype(np.float64), boxes[chosen].astype(np.float64)


class NudeNet320nDetector(NudityDetector):
    """NudeNet 320n on every frame; summary scores are the maximum over frames.

    ``plan`` says which views of each frame the network sees (:mod:`nudity_views`); the default
    is the whole frame at 320 px, as NudeNet itself runs it. Subclasses registered as other
    backends only change :attr:`default_plan`.
    """

    model_version: ClassVar[str] = "nudenet-320n@3.4.2"
    version: ClassVar[str] = model_version
    default_plan: ClassVar[ViewPlan] = ViewPlan()

    def __init__(self, plan: ViewPlan | None = None) -> None:
        super().__init__()
        self.plan = plan or self.default_plan
        # Recorded in every verdict: a non-default plan is part of what produced the signal.
        self.version = (  # type: ignore[misc]
            self.model_version if self.plan == ViewPlan() else f"{self.model_version}+{self.plan.name}"
        )
        self._session: ort.InferenceSession | None = None
        self._input = ""

    def _load(self) -> None:
        self._session = onnx_session(package_file("nudenet", "320n.onnx"))
        self._input = self._session.get_inputs()[0].name

    def detect(self, image: DecodedImage) -> NuditySignal:
        self.load()
        assert self._session is not None
        jobs = [
            (index, view)
            for index, frame in enumerate(image.frames)
            for view in plan_views(frame.shape[1], frame.shape[0], self.plan)
        ]
        found: list[list[Found]] = [[] for _ in image.frames]
        for start in range(0, len(jobs), BATCH):
            batch = jobs[start : start + BATCH]
            crops = [view.crop(image.frames[index]) for index, view in batch]
            tensors, factors = zip(*(letterbox(crop, self.plan.side) for crop in crops), strict=True)
            outputs = self._session.run(None, {self._input: np.stack(tensors)})[0]
            for (index, view), crop, factor, output in zip(batch, crops, factors, outputs, strict=True):
                labels, scores, boxes = decode_output(output, factor, crop.shape[1], crop.shape[0])
                found[index].append((labels, scores, view.to_frame(boxes)))
        to_original = 1.0 / image.scale
        regions = [
            Region(
                label=LABELS[int(label)],
                score=float(score),
                box=Box(x0=x0 * to_original, y0=y0 * to_original, x1=x1 * to_original, y1=y1 * to_original),
            )
            for views in found
            for label, score, (x0, y0, x1, y1) in zip(*merge_views(self.plan, views), strict=True)
        ]
        return NuditySignal(
            regions=regions,
            exposed=_max_score(regions, EXPOSED),
            minimal_clothing=_max_score(regions, MINIMAL_CLOTHING),
            skin=_max_score(regions, SKIN),
            frames=len(image.frames),
            model=self.version,
        )


def _max_score(regions: list[Region], labels: frozenset[str]) -> float:
    return max((region.score for region in regions if region.label in labels), default=0.0)


class NudeNet320nMirror640Detector(NudeNet320nDetector):
    """Opt-in: the whole frame at 640 px and its mirror image, keeping regions both agree on.

    Measured on the shared images (``docs/detectors.md``, "Nudity"): no benign photo gets any
    exposed, covered-intimate or skin region, as with the default, while the body of the
    Botticelli Venus (about 100 px tall at 320) is seen (bare belly 0.63, covered breast 0.30);
    neither painting reaches the ``exposed`` threshold. Costs about eight default passes.
    """

    default_plan: ClassVar[ViewPlan] = ViewPlan(side=640, mirror="consensus")
