"""Render and quality tags of text-to-image prompts, which the second-stage encoder does not read.

Prompts written for Stable Diffusion and its descendants carry tags that say how to render, not
what to show: "masterpiece, best quality, 8k", "photorealistic, sharp focus", "octane render". The
encoder's training data held them far more often in sexual prompts than in benign captions, and it
learned them as a sexual cue: 600 benign COCO captions with one of six tag groups put in front
were blocked 32 times (5.3 %; "photorealistic, ultra detailed, sharp focus, 4k, a big boat is
going down a small river"), against 2 without tags, 25 of the 32 by the encoder alone. Shown the
prompt without its tag segments the encoder blocked 4 of them, and the development sets' sexual
rows were blocked as before (docs/evaluation.md, "Render tags"). What is drawn is in the other
segments; a tag never carries it.

Only whole segments (between commas, "|", ";" or line breaks) made of nothing but tags are left
out, so "a woman lying in bed, soft lighting" keeps its subject and "a nude photo" is untouched.
"""

from __future__ import annotations

import re
from typing import Final

#: Tags that describe rendering quality, resolution, realism, render engines, lighting set-ups and
#: cameras. Hyphens are read as spaces; a segment of several tags ("8k uhd") is a tag segment too.
RENDER_TAGS: Final = (
    # quality
    "masterpiece", "best quality", "high quality", "highest quality", "top quality", "amazing quality",
    "ultra detailed", "highly detailed", "extremely detailed", "very detailed", "hyper detailed",
    "hyperdetailed", "super detailed", "insanely detailed", "intricate", "intricate details",
    "intricate detail", "fine details", "detailed", "high detail", "sharp", "sharp focus", "in focus",
    # resolution
    "4k", "8k", "16k", "32k", "uhd", "hdr", "hd", "fhd", "full hd", "ultra hd", "high resolution",
    "high res", "highres", "absurdres",
    # realism
    "photorealistic", "photo realistic", "hyperrealistic", "hyper realistic", "hyperrealism",
    "ultra realistic", "realistic", "realism", "lifelike",
    # platforms and render engines
    "trending on artstation", "artstation", "featured on artstation", "trending on cgsociety",
    "cgsociety", "octane render", "octane", "unreal engine", "unreal engine 5", "ue5", "ray tracing",
    "raytracing", "vray", "v ray", "3d render", "cgi", "global illumination", "subsurface scattering",
    # lighting set-ups
    "cinematic", "cinematic lighting", "studio lighting", "volumetric lighting", "volumetric light",
    "dramatic lighting", "natural lighting", "soft lighting", "soft light", "rim lighting",
    "ambient occlusion",
    # cameras and photography
    "dslr", "bokeh", "depth of field", "shallow depth of field", "film grain", "raw photo", "raw",
    "award winning", "award winning photo", "award winning photograph", "award winning photography",
    "professional photo", "professional photograph", "professional photography",
    "vivid colors", "vibrant colors", "high contrast",
)
_TAG: Final = "|".join(re.escape(t) for t in sorted(RENDER_TAGS, key=len, reverse=True))
_LENS: Final = r"\d{2,3} ?mm|f ?/ ?\d+(?:\.\d+)?"
_TAG_SEGMENT: Final = re.compile(rf"(?:(?:{_TAG}|{_LENS})\s*)+")
#: Prompt-weight syntax: "(masterpiece:1.2)", "[best quality]", "{8k}".
_WEIGHT: Final = re.compile(r"[()\[\]{}]|:\s*\d+(?:\.\d+)?")
_SEPARATOR: Final = re.compile(r"[,|;\n]+")


def without_render_tags(normalised: str) -> str:
    """``normalised`` without its segments of render and quality tags, joined by ", "; unchanged
    when it has none, or when nothing but tags would be left (then there is no subject to read
    apart from them)."""
    segments = [s.strip() for s in _SEPARATOR.split(normalised) if s.strip()]
    kept = [s for s in segments if not _is_tags(s)]
    if not kept or len(kept) == len(segments):
        return normalised
    return ", ".join(kept)


def _is_tags(segment: str) -> bool:
    words = " ".join(_WEIGHT.sub(" ", segment).replace("-", " ").split())
    return bool(words) and _TAG_SEGMENT.fullmatch(words + " ") is not None
