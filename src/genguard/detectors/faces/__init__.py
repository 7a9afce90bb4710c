"""Faces: box sources (:mod:`.centerface`, the default; :mod:`.hog`) and the shared analysis of
every box (:mod:`.analysis`: age with its spread, identity embedding)."""

from genguard.detectors.faces.analysis import AgeStatistics, FaceAnalyser, age_statistics, iou
from genguard.detectors.faces.centerface import CenterFaceDetector, CenterFaceFullDetector
from genguard.detectors.faces.hog import DlibHogFaceDetector, DlibHogFastFaceDetector

__all__ = [
    "AgeStatistics",
    "CenterFaceDetector",
    "CenterFaceFullDetector",
    "DlibHogFaceDetector",
    "DlibHogFastFaceDetector",
    "FaceAnalyser",
    "age_statistics",
    "iou",
]
