"""Fixtures for the image detector tests: real models, loaded once per test session."""

from __future__ import annotations

import pytest

from genguard.detectors.faces import CenterFaceDetector
from genguard.detectors.hashes import PdqHashDetector
from genguard.detectors.nudity import NudeNet320nDetector


@pytest.fixture(scope="session")
def nudity_detector() -> NudeNet320nDetector:
    detector = NudeNet320nDetector()
    detector.load()
    return detector


@pytest.fixture(scope="session")
def face_detector() -> CenterFaceDetector:
    """The default face backend."""
    detector = CenterFaceDetector()
    detector.load()
    return detector


@pytest.fixture(scope="session")
def hash_detector() -> PdqHashDetector:
    return PdqHashDetector()
