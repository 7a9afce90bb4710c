"""NudeNet 320n on decoded arrays: parity with NudeNet's own entry point, summaries, frames, boxes."""

from __future__ import annotations

import numpy as np
import pytest
from detector_images import IMAGES, files_of_kind, needs_images, shared_image
from nudenet import NudeDetector

from genguard.detectors.nudity import EXPOSED, FACE_LABELS, MINIMAL_CLOTHING, NudeNet320nDetector
from genguard.media.image import DecodedImage
from genguard.signals import Region

pytestmark = [needs_images, pytest.mark.slow]

CLOTHED = files_of_kind("portrait", "elderly_portrait", "child_portrait", "scene")


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


def _face(regions: list[Region]) -> Region:
    faces = [r for r in regions if r.label in FACE_LABELS]
    assert len(faces) == 1
    return faces[0]
