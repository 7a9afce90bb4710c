"""Challenge 25 on age-labelled faces: how often each age group is a possible or a likely minor.

Each image goes through what ``Guard.screen`` does with a source photo: the same size limits and
decoder, the configured face backend, and the pack's age thresholds applied by the same
functions as the ``<role>.possible_minor`` and ``<role>.likely_minor`` facts (any face in the
image counts). An image without a face is not flagged, as a request's facts would not flag it;
the share of images with a face is reported beside the rates.

Labels come from the folder itself: ``MANIFEST.json`` (a list of objects with ``file`` and
``age_group``, the layout of ``shared/data/faces``) or ``labels.csv`` (a header with ``file``
and ``age_group`` columns). Age groups are free text; groups named ``A-B`` or ``A+`` (years)
are also pooled into the summary rows the calibration targets: under 10, 20 and over, 30 and
over.
"""

from __future__ import annotations

import csv
import json
import math
import re
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from genguard.config import Settings
from genguard.detectors.base import Detector, ImageDetector
from genguard.errors import GenguardError
from genguard.eval.metrics import Rate
from genguard.media.decode import decode_image, read_file
from genguard.screening.facts import AgeThresholds, face_is_likely_minor, face_is_possible_minor, kleene_any
from genguard.signals import Face

_GROUP = re.compile(r"^\s*(\d+)\s*(?:-\s*(\d+)|\+)\s*$")
#: Pooled rows: name → (lowest first year, highest last year) of the groups it pools.
SUMMARIES: dict[str, tuple[float, float]] = {"under 10": (0, 9), "20+": (20, math.inf), "30+": (30, math.inf)}


class FaceLabelsError(GenguardError):
    """A face folder is missing, has no labels file, or a label row is malformed."""

    code = "eval_faces_invalid"
    status = 422


@dataclass(frozen=True)
class LabelledImage:
    path: Path
    age_group: str


@dataclass(frozen=True)
class ImageResult:
    """One image's faces and flags; ``error`` is set (and flags unknown) when screening failed."""

    file: str
    age_group: str
    faces: list[Face] = field(default_factory=list)
    possible_minor: bool | None = None
    likely_minor: bool | None = None
    error: str | None = None


def read_face_labels(directory: Path) -> list[LabelledImage]:
    """The labelled images of ``directory`` (``MANIFEST.json`` first, else ``labels.csv``)."""
    if not directory.is_dir():
        raise FaceLabelsError(f"{directory} is not a folder", code="eval_faces_missing")
    manifest, table = directory / "MANIFEST.json", directory / "labels.csv"
    if manifest.is_file():
        records, name = _manifest_records(manifest), manifest.name
    elif table.is_file():
        with table.open(encoding="utf-8", newline="") as handle:
            records, name = list(csv.DictReader(handle)), table.name
    else:
        raise FaceLabelsError(f"{directory} has neither MANIFEST.json nor labels.csv", code="eval_faces_no_labels")
    images = [_labelled(directory, record, f"{name} row {number}") for number, record in enumerate(records, 1)]
    if not images:
        raise FaceLabelsError(f"{directory / name} lists no images", code="eval_faces_empty")
    return images


def _manifest_records(path: Path) -> list[Any]:
    try:
        records = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise FaceLabelsError(f"{path} is not JSON: {exc}") from exc
    if not isinstance(records, list):
        raise FaceLabelsError(f"{path} must hold a JSON list of objects with 'file' and 'age_group'")
    return records


def _labelled(directory: Path, record: object, where: str) -> LabelledImage:
    if not isinstance(record, dict):
        raise FaceLabelsError(f"{where}: must be an object with 'file' and 'age_group'")
    file, group = record.get("file"), record.get("age_group")
    if not isinstance(file, str) or not file.strip() or not isinstance(group, str) or not group.strip():
        raise FaceLabelsError(f"{where}: 'file' and 'age_group' must be non-empty strings")
    path = (directory / file).resolve()
    if not path.is_relative_to(directory.resolve()):  # a label file must not point outside its folder
        raise FaceLabelsError(f"{where}: {file!r} is outside {directory}")
    if not path.is_file():
        raise FaceLabelsError(f"{where}: {file!r} does not exist in {directory}", code="eval_faces_missing_image")
    return LabelledImage(path=path, age_group=group.strip())


def screen_faces(
    images: Iterable[LabelledImage], detector: Detector[Any], settings: Settings, thresholds: AgeThresholds
) -> list[ImageResult]:
    """Faces and minor flags of each image, decoded and detected as ``Guard.screen`` does."""
    if not isinstance(detector, ImageDetector):
        raise TypeError(f"the faces slot holds {type(detector).__name__}, not an image detector")
    results: list[ImageResult] = []
    for image in images:
        try:
            decoded = decode_image(read_file(image.path, limits=settings.media), limits=settings.media)
            faces = detector.detect(decoded).faces
        except Exception as exc:  # noqa: BLE001 - as in Guard.screen: a failure is an unknown, counted
            results.append(ImageResult(file=image.path.name, age_group=image.age_group, error=str(exc)))
            continue
        results.append(ImageResult(
            file=image.path.name,
            age_group=image.age_group,
            faces=faces,
            possible_minor=kleene_any(face_is_possible_minor(f, thresholds) for f in faces),
            likely_minor=kleene_any(face_is_likely_minor(f, thresholds) for f in faces),
        ))
    return results


def group_years(group: str) -> tuple[float, float] | None:
    """``"10-19"`` → (10, 19), ``"70+"`` → (70, inf); None for a label that names no years."""
    match = _GROUP.match(group)
    if not match:
        return None
    first = float(match.group(1))
    return first, float(match.group(2)) if match.group(2) else math.inf


def _main_age(faces: list[Face]) -> float | None:
    """Age of the largest face: in a face crop, the labelled one."""
    aged = [f for f in faces if f.age is not None]
    return max(aged, key=lambda f: f.box.area).age if aged else None


def _summary(results: list[ImageResult]) -> dict[str, object]:
    ages = [a for r in results if (a := _main_age(r.faces)) is not None]
    total = len(results)
    return {
        "images": total,
        "faces_found": Rate(sum(bool(r.faces) for r in results), total).as_dict(),
        "errors": sum(r.error is not None for r in results),
        "median_age": round(statistics.median(ages), 1) if ages else None,
        "possible_minor": Rate(sum(r.possible_minor is True for r in results), total).as_dict(),
        "likely_minor": Rate(sum(r.likely_minor is True for r in results), total).as_dict(),
    }


def faces_report(results: list[ImageResult], thresholds: AgeThresholds, detector: str) -> dict[str, object]:
    """Per age group (youngest first) and pooled: face rate, median age, flag rates with CIs."""
    groups = sorted({r.age_group for r in results}, key=lambda g: (group_years(g) or (math.inf, math.inf), g))
    pooled: dict[str, object] = {}
    for name, (low, high) in SUMMARIES.items():
        members = [r for r in results if (years := group_years(r.age_group)) and years[0] >= low and years[1] <= high]
        if members:
            pooled[name] = _summary(members)
    return {
        "detector": detector,
        "thresholds": {
            "possible_minor_age": thresholds.possible_minor_age,
            "likely_minor_age": thresholds.likely_minor_age,
            "likely_minor_margin_sd": thresholds.likely_margin_sd,
            "child_face_score": thresholds.child_face_score,
        },
        "images": len(results),
        "groups": {g: _summary([r for r in results if r.age_group == g]) for g in groups},
        "pooled": pooled,
        "per_image": [
            {
                "file": r.file,
                "age_group": r.age_group,
                "faces": [{"age": f.age, "age_sd": f.age_sd, "age_low": f.age_low, "box": f.box.model_dump()}
                          for f in r.faces],
                "possible_minor": r.possible_minor,
                "likely_minor": r.likely_minor,
                "error": r.error,
            }
            for r in results
        ],
    }
