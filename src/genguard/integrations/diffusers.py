"""genguard inside a diffusers pipeline: a drop-in safety checker and a screening wrapper.

``GenguardSafetyChecker`` takes the place of diffusers' ``StableDiffusionSafetyChecker``: the
pipeline calls it with the decoded images (``images``, ``clip_input``) and gets back
``(images, has_nsfw_concept)`` with every image genguard does not allow replaced by black,
exactly where the stock checker blacks out what its CLIP concepts flag. It screens each image as
an ``output`` (banks, faces and ages, nudity, the undress delta against the sources).

``ScreenedPipeline`` wraps a text-to-image or image-to-image/edit pipeline: it screens the
prompt (and source images) as a ``generate`` or ``edit`` request *before* any compute, installs
the checker so the real pipeline code screens its outputs against that prompt and those sources,
and then either raises :class:`GenerationRefused` or returns the blanked images, as chosen.
The verdicts are the Guard's own, so a refusal here is the refusal the HTTP API would give.

Install with ``pip install 'genguard[diffusers]'`` (torch 2.13.0, diffusers, transformers).
"""

from __future__ import annotations

import contextvars
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import torch
from PIL import Image

from genguard.errors import GenguardError, RequestError
from genguard.guard import Guard
from genguard.provenance import ManifestSigner, OutputClaim, sign_output
from genguard.request import ImageInput, ScreenRequest, RequestKind
from genguard.verdict import Decision, Verdict

OnRefusal = Literal["raise", "blank"]


class GenerationRefused(GenguardError):
    """genguard refused a generation: ``stage`` is ``request`` (before any compute) or
    ``output`` (after it); ``verdicts`` are the Guard's, one per screened request or image."""

    code = "content_policy_violation"
    status = 400

    def __init__(self, stage: Literal["request", "output"], verdicts: Sequence[Verdict]) -> None:
        refused = [v for v in verdicts if v.decision is not Decision.ALLOW]
        reasons = sorted({r for v in refused for r in v.reasons})
        super().__init__(f"genguard refused the {stage}: {', '.join(reasons) or 'not allowed'}")
        self.stage = stage
        self.verdicts = list(verdicts)
        self.reasons = reasons


@dataclass(frozen=True)
class _Context:
    """What the wrapper knows about the generation the checker is screening."""

    prompt: str = ""
    sources: tuple[ImageInput, ...] = ()
    account: str | None = None
    session_id: str | None = None
    age_assured: bool = False
    verdicts: list[Verdict] = field(default_factory=list)
    #: The PNG of each screened image, exactly the pixels the pipeline returns (for signing).
    pngs: list[bytes] = field(default_factory=list)


_current: contextvars.ContextVar[_Context | None] = contextvars.ContextVar("genguard_diffusers", default=None)


class GenguardSafetyChecker:
    """A drop-in for ``pipeline.safety_checker`` that screens every output with genguard.

    Alone it screens each image as an output without context; inside :class:`ScreenedPipeline`
    the prompt and source images of the call are screened with it. Anything but ``allow``
    (``review`` included: nothing unreviewed leaves) is blanked and flagged; a screening error
    flags too (fail closed). ``last_verdicts`` holds the verdicts of the latest call.
    """

    def __init__(self, guard: Guard, *, actor: str = "diffusers") -> None:
        self.guard = guard
        self.actor = actor
        self.last_verdicts: list[Verdict] = []

    def __call__(self, images: Any, clip_input: Any = None) -> tuple[Any, list[bool]]:
        context = _current.get() or _Context()
        flags: list[bool] = []
        verdicts: list[Verdict] = []
        pngs = _as_png(images)
        for i, png in enumerate(pngs):
            request = ScreenRequest(kind=RequestKind.OUTPUT, prompt=context.prompt, sources=list(context.sources),
                              output=ImageInput(data=png, declared_type="image/png"),
                              account=context.account, session_id=context.session_id,
                              age_assured=context.age_assured)
            try:
                verdict = self.guard.screen(request, actor=self.actor)
            except GenguardError as exc:
                verdict = self.guard.error_verdict(None, "output", exc)
            verdicts.append(verdict)
            refused = verdict.decision is not Decision.ALLOW
            flags.append(refused)
            if refused:
                images[i] = torch.zeros_like(images[i]) if torch.is_tensor(images) else np.zeros_like(images[i])
        self.last_verdicts = verdicts
        context.verdicts.extend(verdicts)
        context.pngs.extend(pngs)
        return images, flags


@dataclass
class ScreenedResult:
    """The pipeline's output and genguard's verdicts: ``request`` (the prompt screen) and one
    ``outputs`` entry per image; ``refused[i]`` is whether image ``i`` was blanked."""

    images: list[Image.Image]
    request: Verdict
    outputs: list[Verdict]
    pipeline_output: Any
    #: With a signer: each allowed image as PNG with a signed C2PA manifest; None where refused.
    signed: list[bytes | None] = field(default_factory=list)

    @property
    def refused(self) -> list[bool]:
        return [v.decision is not Decision.ALLOW for v in self.outputs]


class ScreenedPipeline:
    """A diffusers pipeline whose every call is screened before and after generation.

    ``pipeline`` is any pipeline that runs a ``safety_checker`` on its decoded images (Stable
    Diffusion text-to-image, image-to-image, inpainting, InstructPix2Pix). ``on_refusal``:
    ``raise`` raises :class:`GenerationRefused` on any refusal (the default: a service should
    answer with an error, not a black square); ``blank`` returns black images where the output
    was refused, as diffusers' own checker does. A refused prompt always raises: nothing was
    generated to return. With ``signer``, every allowed image is also returned as a PNG carrying
    a signed C2PA manifest (``docs/provenance.md``) naming ``generator`` (default: the
    pipeline's class), the source images as parents and the output verdict.
    """

    def __init__(self, pipeline: Any, guard: Guard, *, on_refusal: OnRefusal = "raise",
                 actor: str = "diffusers", signer: ManifestSigner | None = None, generator: str = "") -> None:
        if on_refusal not in ("raise", "blank"):
            raise ValueError("on_refusal must be 'raise' or 'blank'")
        self.pipeline = pipeline
        self.guard = guard
        self.on_refusal = on_refusal
        self.actor = actor
        self.signer = signer
        self.generator = generator or type(pipeline).__name__
        self.checker = GenguardSafetyChecker(guard, actor=actor)
        pipeline.safety_checker = self.checker
        if getattr(pipeline, "feature_extractor", None) is None:
            # The pipeline prepares CLIP input for its checker; genguard reads the images instead.
            from transformers import CLIPImageProcessor

            pipeline.feature_extractor = CLIPImageProcessor()

    def __call__(self, prompt: str, image: Any = None, *, account: str | None = None,
                 session_id: str | None = None, age_assured: bool = False, **kwargs: Any) -> ScreenedResult:
        """Screen ``prompt`` (and ``image``, the source of an edit), generate, screen the output.

        ``account``, ``session_id`` and ``age_assured`` (the caller's word that the user passed
        age assurance) mean what they mean on a Guard request; the rest goes to the pipeline.
        """
        if not isinstance(prompt, str):
            raise RequestError("ScreenedPipeline takes one prompt string per call", code="prompt_required")
        if kwargs.get("output_type", "pil") != "pil" or kwargs.get("return_dict") is False:
            # Latents skip the pipeline's safety checker; only PIL outputs are screened and returned.
            raise RequestError("ScreenedPipeline returns PIL images only (output_type='pil')", code="request_invalid")
        sources = tuple(ImageInput(data=png, declared_type="image/png") for png in _source_pngs(image))
        request = ScreenRequest(kind=RequestKind.EDIT if sources else RequestKind.GENERATE, prompt=prompt,
                          sources=list(sources), account=account, session_id=session_id, age_assured=age_assured)
        first = self.guard.screen(request, actor=self.actor)
        if first.decision is not Decision.ALLOW:
            raise GenerationRefused("request", [first])
        token = _current.set(_Context(prompt=prompt, sources=sources, account=account, age_assured=age_assured))
        try:
            call = dict(kwargs, output_type="pil")
            if image is not None:
                call["image"] = image
            out = self.pipeline(prompt, **call)
            done = _current.get()
            assert done is not None
            verdicts, pngs = list(done.verdicts), list(done.pngs)
        finally:
            _current.reset(token)
        if len(verdicts) != len(out.images):
            # The pipeline did not run the checker on every image: nothing unscreened leaves.
            raise GenerationRefused("output", verdicts)
        result = ScreenedResult(images=list(out.images), request=first, outputs=verdicts, pipeline_output=out)
        if self.on_refusal == "raise" and any(result.refused):
            raise GenerationRefused("output", verdicts)
        if self.signer is not None:
            sources_with_type = [(source.data, "image/png") for source in sources]
            result.signed = [
                sign_output(png, "image/png", OutputClaim.from_verdict(verdict, generator=self.generator,
                                                                        sources=sources_with_type), self.signer)
                if verdict.decision is Decision.ALLOW else None
                for png, verdict in zip(pngs, verdicts, strict=True)
            ]
        return result


def _as_png(images: Any) -> list[bytes]:
    """PNG bytes of a checker batch: a torch tensor in [-1, 1] (N, C, H, W), or numpy in [0, 1] (N, H, W, C)."""
    if torch.is_tensor(images):
        array = ((images.detach().float().cpu() / 2 + 0.5).clamp(0, 1).permute(0, 2, 3, 1).numpy())
    else:
        array = np.clip(np.asarray(images, dtype=np.float32), 0.0, 1.0)
    out = []
    for frame in (array * 255).round().astype(np.uint8):
        buffer = io.BytesIO()
        Image.fromarray(frame).save(buffer, "PNG")
        out.append(buffer.getvalue())
    return out


def _source_pngs(image: Any) -> list[bytes]:
    """The edit's source images as PNG (PIL images, or a list of them); none for text-to-image."""
    if image is None:
        return []
    items = image if isinstance(image, list | tuple) else [image]
    out = []
    for item in items:
        if not isinstance(item, Image.Image):
            raise RequestError("source images must be PIL images", code="request_invalid")
        buffer = io.BytesIO()
        item.convert("RGB").save(buffer, "PNG")
        out.append(buffer.getvalue())
    return out
