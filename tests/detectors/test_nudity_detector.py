"""NudeNet 320n on decoded arrays: parity with NudeNet's own entry point, summaries, frames, boxes,
the art controls and benign photos for every registered nudity backend."""

from __future__ import annotations

import numpy as np
import pytest
from detector_images import IMAGES, files_of_kind, needs_images, shared_image
from nudenet import NudeDetector

from genguard.detectors.nudity import (
    EXPOSED,
    FACE_LABELS,
    MINIMAL_CLOTHING,
    NudeNet320nDetector,
    NudeNet320nMirror640Detector,
)
from genguard.detectors.nudity_views import ViewPlan
from genguard.detectors.registry import BUILTIN, resolve
from genguard.media.image import DecodedImage
from genguard.policy.pack import load_pack
from genguard.signals import Region

pytestmark = [needs_images, pytest.mark.slow]

CLOTHED = files_of_kind("portrait", "elderly_portrait", "child_portrait", "scene")
BENIGN = files_of_kind("portrait", "elderly_portrait", "child_portrait", "athlete", "scene")
THRESHOLDS = load_pack("uk-osa").thresholds
NUDITY_BACKENDS = list(BUILTIN["nudity"])

#: What each backend reads on the two nude paintings, (exposed, minimal_clothing, skin), as
#: measured by ``tests/detectors/measure_nudity_variants.py`` (docs/detectors.md, "Nudity").
#: No way of running NudeNet 320n that was tried brings either painting to the pack's
#: ``exposed`` threshold; this pins that known recall gap so that a change shows up here.
ART_MEASURED: dict[str, dict[str, tuple[float, float, float]]] = {
    "nudenet-320n": {
        "art/botticelli_birth_of_venus.jpg": (0.0, 0.0, 0.0),
        "art/ingres_valpincon_bather.jpg": (0.0, 0.0, 0.49),
    },
    "nudenet-320n-640-mirror": {
        "art/botticelli_birth_of_venus.jpg": (0.0, 0.30, 0.63),
        "art/ingres_valpincon_bather.jpg": (0.0, 0.0, 0.39),
    },
}


@pytest.fixture(scope="module")
def backends() -> dict[str, NudeNet320nDetector]:
    loaded = {name: resolve("nudity", name)() for name in NUDITY_BACKENDS}
    for detector in loaded.values():
        detector.load()
    return loaded  # type: ignore[return-value]


@pytest.mark.parametrize("backend", NUDITY_BACKENDS)
@pytest.mark.parametrize("relative", BENIGN)
def test_benign_photos_stay_below_the_pack_thresholds(
    backends: dict[str, NudeNet320nDetector], backend: str, relative: str
) -> None:
    """Portraits (children included), athletes in sport kit and scenes: no exposure, no minimal
    clothing, for every registered backend."""
    signal = backends[backend].detect(shared_image(relative))
    assert signal.exposed < THRESHOLDS["exposed"], signal.regions
    assert signal.minimal_clothing < THRESHOLDS["covered"], signal.regions


@pytest.mark.parametrize("backend", NUDITY_BACKENDS)
@pytest.mark.parametrize("relative", files_of_kind("art"))
def test_art_controls_read_as_measured_below_the_exposed_threshold(
    backends: dict[str, NudeNet320nDetector], backend: str, relative: str
) -> None:
    signal = backends[backend].detect(shared_image(relative))
    got = (signal.exposed, signal.minimal_clothing, signal.skin)
    assert got == pytest.approx(ART_MEASURED[backend][relative], abs=0.03)
    assert signal.exposed < THRESHOLDS["exposed"]


def test_backends_record_their_view_plan_in_the_version() -> None:
    assert NudeNet320nDetector().version == "nudenet-320n@3.4.2"
    assert NudeNet320nMirror640Detector().version == "nudenet-320n@3.4.2+640+mirror-consensus"
    assert NudeNet320nDetector(ViewPlan(tile_fraction=0.5)).version == "nudenet-320n@3.4.2+320+tiles0.5"


def test_mirror_consensus_keeps_only_regions_the_mirror_image_confirms(
    backends: dict[str, NudeNet320nDetector],
) -> None:
    """Every region of the 640-px consensus backend is also found (same label, overlapping, at
    least as high) by the plain 640-px pass: the mirror image only removes or lowers."""
    image = shared_image("art/botticelli_birth_of_venus.jpg")
    consensus = backends["nudenet-320n-640-mirror"].detect(image).regions
    plain = NudeNet320nDetector(ViewPlan(side=640)).detect(image).regions
    assert consensus
    for region in consensus:
        assert any(
            p.label == region.label and p.score >= region.score - 1e-6 and _iou(p, region) >= 0.3
            for p in plain
        ), region


@pytest.mark.parametrize("relative", CLOTHED)
def test_no_exposure_on_clothed_people_and_scenes(
    nudity_detector: NudeNet320nDetector, relative: str
) -> None:
    signal = nudity_detector.detect(shared_image(relative))
    assert signal.exposed == 0.0
    assert signal.minimal_clothing == 0.0
    assert not [r for r in signal.regions if r.label in EXPOSED | MINIMAL_CLOTHING]
    assert signal.model == NudeNet320nDetector.version


@pytest.mark.parametrize(
    "relative",
    ["portraits/grace_hopper_usn_1984.jpg", "athletes/usain_bolt_rio2016_agencia_brasil.jpg",
     "art/ingres_valpincon_bather.jpg", "scenes/coffee_cup_skimage.png"],
)
def test_same_regions_as_nudenet_itself(nudity_detector: NudeNet320nDetector, relative: str) -> None:
    """Same labels, scores within 0.06 and boxes within 3 % of the side as ``NudeDetector.detect``.

    The small gap comes from resizing before padding (NudeNet pads the full image first).
    """
    path = IMAGES / relative
    reference = sorted(NudeDetector().detect(str(path)), key=lambda d: (d["class"], d["box"][0]))
    ours = sorted(
        nudity_detector.detect(shared_image(relative, max_side=4096)).regions,
        key=lambda r: (r.label, r.box.x0),
    )
    assert [r.label for r in ours] == [d["class"] for d in reference]
    image = shared_image(relative, max_side=4096)
    tolerance = 0.03 * max(image.width, image.height)
    for region, ref in zip(ours, reference, strict=True):
        assert region.score == pytest.approx(ref["score"], abs=0.06)
        x, y, w, h = ref["box"]
        got = (region.box.x0, region.box.y0, region.box.x1, region.box.y1)
        assert np.allclose(got, (x, y, x + w, y + h), atol=tolerance)


def test_skin_summary_on_painting(nudity_detector: NudeNet320nDetector) -> None:
    signal = nudity_detector.detect(shared_image("art/ingres_valpincon_bather.jpg"))
    assert signal.skin > 0.4  # feet and armpits of the bather
    assert signal.skin == max(r.score for r in signal.regions)


def test_boxes_are_in_original_pixels(nudity_detector: NudeNet320nDetector) -> None:
    relative = "portraits/barack_obama_official_portrait_2012.jpg"
    full = _face(nudity_detector.detect(shared_image(relative, max_side=4096)).regions)
    small = _face(nudity_detector.detect(shared_image(relative, max_side=600)).regions)
    assert shared_image(relative, max_side=600).scale == pytest.approx(0.5)
    assert np.allclose(
        (small.box.x0, small.box.y0, small.box.x1, small.box.y1),
        (full.box.x0, full.box.y0, full.box.x1, full.box.y1),
        atol=0.03 * 1200,
    )


def test_every_frame_is_screened(nudity_detector: NudeNet320nDetector) -> None:
    """A region only in a later frame of an animation still shows up, and the summary is a max."""
    scene = shared_image("scenes/coffee_cup_skimage.png").rgb
    bather = shared_image("art/ingres_valpincon_bather.jpg")
    bather_alone = nudity_detector.detect(bather)
    frames = [scene] * 9 + [bather.rgb]  # past one batch of 8
    animated = DecodedImage(
        frames=frames, width=bather.width, height=bather.height, format="GIF",
        md5=bather.md5, sha256=bather.sha256, scale=bather.scale,
    )
    signal = nudity_detector.detect(animated)
    assert signal.frames == 10
    assert signal.skin == pytest.approx(bather_alone.skin, abs=1e-5)
    assert len(signal.regions) == len(bather_alone.regions)


def _iou(a: Region, b: Region) -> float:
    ix = max(0.0, min(a.box.x1, b.box.x1) - max(a.box.x0, b.box.x0))
    iy = max(0.0, min(a.box.y1, b.box.y1) - max(a.box.y0, b.box.y0))
    inter = ix * iy
    return inter / (a.box.area + b.box.area - inter)


def _face(regions: list[Region]) -> Region:
    faces = [r for r in regions if r.label in FACE_LABELS]
    assert len(faces) == 1
    return faces[0]
