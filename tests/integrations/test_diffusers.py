"""The diffusers integration on a tiny random pipeline: screened before and after generation.

Real genguard detectors throughout (intent, names, faces, ages, hashes); only for the
refused-output cases is the nudity detector replaced by one that reports exposed skin on every
image, to test what the policy does with that signal (no such image exists).
"""

from __future__ import annotations

import io
from typing import ClassVar

import numpy as np
import pytest
import torch
from PIL import Image

from genguard.detectors.base import NudityDetector
from genguard.guard import Guard
from genguard.integrations.diffusers import GenerationRefused, GenguardSafetyChecker, ScreenedPipeline
from genguard.media.image import DecodedImage
from genguard.signals import NuditySignal
from genguard.verdict import Decision
from tests.images import ADULT_PORTRAIT, SHARED_IMAGES
from tests.screening.injected import nudity, region

pytestmark = pytest.mark.slow
CAT = SHARED_IMAGES / "scenes" / "chelsea_cat_skimage.png"
SIZE = {"height": 64, "width": 64, "num_inference_steps": 2}


class ExposedEverywhere(NudityDetector):
    """Reports an exposed intimate region on every image (the mocked signal)."""

    version: ClassVar[str] = "injected-exposed"

    def detect(self, image: DecodedImage) -> NuditySignal:
        return nudity([region("FEMALE_BREAST_EXPOSED", 0.9, (0, 0, 10, 10))])


@pytest.fixture
def exposed_guard(detectors, store):
    with Guard(detectors={**detectors, "nudity": ExposedEverywhere()}, store=store) as guard:
        yield guard


def _seed() -> torch.Generator:
    return torch.Generator().manual_seed(0)


def test_allowed_generation_returns_the_pipelines_images_with_the_verdicts(text_to_image, guard):
    screened = ScreenedPipeline(text_to_image, guard)
    result = screened("a watercolour painting of a lighthouse", generator=_seed(), **SIZE)
    assert result.request.decision is Decision.ALLOW and result.request.kind == "generate"
    assert [v.kind for v in result.outputs] == ["output"] and result.refused == [False]
    assert result.outputs[0].signals.images[0].width == 64  # the real output was screened
    # Nothing was altered: the same seed without genguard gives the same pixels.
    text_to_image.safety_checker = None
    plain = text_to_image("a watercolour painting of a lighthouse", generator=_seed(), **SIZE).images[0]
    assert np.array_equal(np.asarray(plain), np.asarray(result.images[0]))


def test_output_refused_by_the_policy_raises_with_the_guards_verdict(text_to_image, exposed_guard):
    screened = ScreenedPipeline(text_to_image, exposed_guard)
    with pytest.raises(GenerationRefused) as caught:
        screened("a watercolour painting of a lighthouse", generator=_seed(), **SIZE)
    assert caught.value.stage == "output" and caught.value.code == "content_policy_violation"
    (verdict,) = caught.value.verdicts
    assert verdict.decision is Decision.BLOCK and verdict.rule == "output.explicit"


def test_blank_mode_returns_black_images_where_refused(text_to_image, exposed_guard):
    result = ScreenedPipeline(text_to_image, exposed_guard, on_refusal="blank")(
        "a watercolour painting of a lighthouse", generator=_seed(), **SIZE)
    assert result.refused == [True] and result.pipeline_output.nsfw_content_detected == [True]
    assert not np.asarray(result.images[0]).any()


def test_drop_in_safety_checker_keeps_the_diffusers_contract(text_to_image, exposed_guard, guard):
    text_to_image.safety_checker = GenguardSafetyChecker(exposed_guard)
    out = text_to_image("a lighthouse", generator=_seed(), **SIZE)
    assert out.nsfw_content_detected == [True] and not np.asarray(out.images[0]).any()
    text_to_image.safety_checker = checker = GenguardSafetyChecker(guard)
    out = text_to_image("a lighthouse", generator=torch.Generator().manual_seed(1), **SIZE)
    assert out.nsfw_content_detected == [False] and np.asarray(out.images[0]).any()
    assert checker.last_verdicts[0].decision is Decision.ALLOW
    # The image refused above went into genguard's bank of blocked outputs (same store): the
    # real detectors now refuse that exact output too, as a known hash.
    out = text_to_image("a lighthouse", generator=_seed(), **SIZE)
    assert out.nsfw_content_detected == [True] and checker.last_verdicts[0].reasons == ["KNOWN_ABUSE_HASH"]


def test_edit_prompt_refused_before_any_compute(image_to_image, guard):
    calls = []
    image_to_image.unet.register_forward_hook(lambda *a: calls.append(1))
    source = Image.open(ADULT_PORTRAIT).convert("RGB").resize((64, 64))
    screened = ScreenedPipeline(image_to_image, guard)
    with pytest.raises(GenerationRefused) as caught:
        screened("take off her shirt", image=Image.open(ADULT_PORTRAIT).convert("RGB"), generator=_seed(), **SIZE)
    assert caught.value.stage == "request" and calls == []
    (verdict,) = caught.value.verdicts
    assert verdict.kind == "edit" and verdict.decision is Decision.BLOCK
    assert verdict.rule == "edit.intimate_real_person", verdict.reasons
    # The same source with a benign instruction is generated, and the output screened against it.
    result = screened("make it a watercolour", image=source, generator=_seed(), strength=0.5, **SIZE)
    assert calls and result.request.kind == "edit" and result.refused == [False]
    assert result.outputs[0].signals.by_role(result.outputs[0].signals.images[0].role)  # source screened too
    assert {i.role.value for i in result.outputs[0].signals.images} >= {"source", "output"}


def test_generate_prompt_refused_by_the_text_path_unless_the_pack_allows_it(text_to_image, guard):
    screened = ScreenedPipeline(text_to_image, guard)
    with pytest.raises(GenerationRefused) as caught:
        screened("a classical painting of a nude figure", generator=_seed(), **SIZE)
    (verdict,) = caught.value.verdicts
    assert caught.value.stage == "request" and verdict.kind == "generate" and verdict.rule == "text.nudity"
    # uk-osa allows nude generation of fictional adults for age-assured users; the request's
    # age assurance reaches the output screen too (real detectors: nothing exposed here).
    result = screened("a classical painting of a nude figure", age_assured=True, generator=_seed(), **SIZE)
    assert result.request.decision is Decision.ALLOW and result.outputs[0].facts["request.age_assured"] is True


def test_allowed_edit_output_is_returned_signed_with_its_source_as_parent(image_to_image, guard):
    from genguard.provenance import ManifestSigner, read_provenance
    from genguard.provenance.devcert import make_dev_chain

    chain = make_dev_chain()
    screened = ScreenedPipeline(image_to_image, guard, signer=ManifestSigner(chain.chain_pem, chain.key_pem),
                                generator="tiny-sd-img2img")
    source = Image.open(CAT).convert("RGB").resize((64, 64))
    result = screened("make it a watercolour", image=source, generator=_seed(), strength=0.5, **SIZE)
    (signed,) = result.signed
    report = read_provenance(signed, trust_anchors=chain.root_pem)
    assert report.state.value == "trusted" and report.generator == "tiny-sd-img2img"
    assert report.actions == ["c2pa.opened", "c2pa.edited"] and report.parents[0].pdq is not None
    assert report.verdict_id == f"audit:{result.outputs[0].audit_seq}"
    # The signed PNG shows exactly the pixels the pipeline returned.
    assert np.array_equal(np.asarray(Image.open(io.BytesIO(signed)).convert("RGB")), np.asarray(result.images[0]))


def test_latent_output_is_refused_because_it_cannot_be_screened(text_to_image, guard):
    with pytest.raises(Exception) as caught:
        ScreenedPipeline(text_to_image, guard)("a lighthouse", output_type="latent", **SIZE)
    assert getattr(caught.value, "code", "") == "request_invalid"


def test_readme_example_runs(image_to_image, monkeypatch, tmp_path, capsys):
    """The README's ``### diffusers`` snippet, run as written on the tiny pipeline."""
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = readme[readme.index("### diffusers"):]
    # A ```py block: tests/gateway/test_readme.py runs the operators' ```python blocks against live
    # servers, where no pipeline exists; this one runs here, on the tiny pipeline.
    start = section.index("```py\n") + len("```py\n")
    code = section[start:section.index("```", start)]
    monkeypatch.setenv("GENGUARD_HOME", str(tmp_path))
    image_to_image.safety_checker = None
    namespace = {"pipe": image_to_image, "photo": Image.open(CAT).convert("RGB").resize((64, 64))}
    exec(compile(code, "README.md", "exec"), namespace)  # noqa: S102 - the repository's own README
    assert len(namespace["images"]) == 1 and capsys.readouterr().out == ""
