"""Detector manifest: defaults, one instance per process, plug-in discovery, clear errors."""

from __future__ import annotations

from importlib.metadata import EntryPoint

import pytest

from genguard.detectors import registry
from genguard.detectors.base import FaceDetector, HashDetector, NudityDetector
from genguard.detectors.faces import DlibHogFastFaceDetector
from genguard.detectors.hashes import PdqHashDetector
from genguard.detectors.registry import DetectorConfigError, load_detectors, resolve


def _plugins(monkeypatch: pytest.MonkeyPatch, **entries: str) -> None:
    found = [EntryPoint(name, value, registry.ENTRY_POINT_GROUP) for name, value in entries.items()]

    def fake_entry_points(*, group: str) -> list[EntryPoint]:
        return found if group == registry.ENTRY_POINT_GROUP else []

    monkeypatch.setattr(registry, "entry_points", fake_entry_points)


@pytest.mark.slow
def test_defaults_load_once_per_process() -> None:
    first = load_detectors()
    assert isinstance(first["nudity"], NudityDetector)
    assert isinstance(first["faces"], FaceDetector)
    assert isinstance(first["hashes"], HashDetector)
    assert all(detector.loaded for detector in first.values())
    second = load_detectors({"hashes": "pdq"})
    assert all(second[slot] is first[slot] for slot in first)


def test_named_backend_is_used() -> None:
    assert resolve("faces", "dlib-hog-fast") is DlibHogFastFaceDetector


def test_unknown_backend_is_a_clear_error() -> None:
    with pytest.raises(DetectorConfigError, match="unknown backend 'photodna' for detector slot 'hashes'") as info:
        load_detectors({"hashes": "photodna"})
    assert info.value.code == "detector_config_invalid"
    assert "pdq" in info.value.message  # lists what is available


def test_unknown_slot_is_a_clear_error() -> None:
    with pytest.raises(DetectorConfigError, match="unknown detector slot 'voice'"):
        resolve("voice", "x")


def test_third_party_backend_through_entry_point(monkeypatch: pytest.MonkeyPatch) -> None:
    _plugins(monkeypatch, **{"hashes.other-pdq": "genguard.detectors.hashes:PdqHashDetector"})
    assert resolve("hashes", "other-pdq") is PdqHashDetector
    assert "other-pdq" in registry.manifest()["hashes"]


def test_plugin_cannot_shadow_a_builtin(monkeypatch: pytest.MonkeyPatch) -> None:
    _plugins(monkeypatch, **{"hashes.pdq": "genguard.detectors.faces:DlibHogFaceDetector"})
    assert resolve("hashes", "pdq") is PdqHashDetector


def test_plugin_of_the_wrong_kind_is_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    _plugins(monkeypatch, **{"nudity.wrong": "genguard.detectors.hashes:PdqHashDetector"})
    with pytest.raises(DetectorConfigError, match="is not a NudityDetector"):
        resolve("nudity", "wrong")


def test_plugin_that_cannot_be_imported_is_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    _plugins(monkeypatch, **{"nudity.gone": "no_such_package.detectors:Gpu"})
    with pytest.raises(DetectorConfigError, match="cannot be imported"):
        resolve("nudity", "gone")


def test_badly_named_entry_point_is_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    _plugins(monkeypatch, **{"nudity": "genguard.detectors.nudity:NudeNet320nDetector"})
    with pytest.raises(DetectorConfigError, match="'<slot>.<backend>'"):
        registry.manifest()


def test_nudity_default_is_nudenet_at_320_and_the_mirror_backend_is_selectable() -> None:
    from genguard.detectors.nudity import NudeNet320nDetector, NudeNet320nMirror640Detector
    from genguard.detectors.nudity_views import ViewPlan

    assert registry.default_backend("nudity") == "nudenet-320n"
    assert resolve("nudity", "nudenet-320n") is NudeNet320nDetector
    chosen = resolve("nudity", "nudenet-320n-640-mirror")
    assert chosen is NudeNet320nMirror640Detector
    assert chosen().plan == ViewPlan(side=640, mirror="consensus")
    assert NudeNet320nDetector().plan == ViewPlan()
