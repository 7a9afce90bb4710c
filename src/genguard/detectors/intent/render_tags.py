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

Since the thirty-fifth blind probe the tags also cover photographic finish (camera bodies, film
stocks, lenses, ISO, light set-ups), artists and sites named for a look ("by artgerm", "trending
on pixiv"), Midjourney parameters (never "--no", a negative prompt) and negative prompts' quality
words: on benign prompts in users' styles the encoder scored "red panda cub in a tree, ...,
Hasselblad X2D, medium format" 0.995 and the prompt alone 0.004. The first stage reads the prompt
both with and without its tags (``IntentModel``): tags dilute its averaged features, so it keeps
the higher score.
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
    # photographic finish (since the thirty-fifth blind probe's styled prompts)
    "medium format", "large format", "35mm film", "film", "analog", "analog photo", "fine grain", "grain",
    "telephoto", "wide angle", "macro", "tilt shift", "long exposure", "motion blur", "shot on film",
    "muted tones", "natural colors", "natural colours", "true colors", "crisp detail", "crisp details",
    "highly realistic", "true to life", "editorial photography", "editorial", "photography", "professional",
    "high quality photo", "softbox", "backlit", "backlight", "golden ratio", "rule of thirds",
    "detailed eyes", "beautiful detailed eyes", "detailed face", "perfect face", "symmetrical face",
    "skin texture", "skin textures", "detailed skin", "realistic skin", "skin pores",
    # quality words of negative prompts
    "worst quality", "low quality", "normal quality", "lowres", "low res", "bad anatomy", "bad hands",
    "easynegative", "bad hands 5", "watermark", "username", "signature", "blurry", "jpeg artifacts",
    "deformed", "mutated hands", "extra fingers", "extra limbs", "duplicate", "out of frame", "ugly",
    "disfigured", "poorly drawn", "text", "logo", "monochrome", "cartoon", "3d", "painting",
)
#: Camera bodies and film stocks: the maker, then up to three model words ("canon eos r5",
#: "ilford hp5" normalised to "ilford hps", "sony a7iii"), after "shot on" or "taken with".
_CAMERA: Final = (r"(?:(?:shot|taken) (?:on|with) )?(?:canon|nikon|sony|fujifilm|fuji|hasselblad|leica|pentax|olympus"
                  r"|panasonic|lumix|ricoh|phase one|mamiya|kodak|ilford|cinestill|polaroid|portra|velvia|ektar)"
                  r"(?: [a-z0-9]+){0,3}")
#: Lighting set-ups: light words before "light"/"lighting" ("soft diffused light", "natural window light").
_LIGHT: Final = (r"(?:(?:soft|natural|diffused|dramatic|studio|rim|ambient|warm|cool|hard|window|volumetric|cinematic"
                 r"|moody|museum|skylight|overcast|softbox) )+(?:light|lighting)|soft skylight"
                 # Texture finish: "true-to-life skin and fabric textures", "realistic fabric texture".
                 r"|(?:true to life |realistic |detailed |natural )?(?:skin|fabric)(?: and (?:skin|fabric))? textures?")
_TAG: Final = "|".join(re.escape(t) for t in sorted(RENDER_TAGS, key=len, reverse=True))
_LENS: Final = r"\d{2,3} ?mm|f ?/ ?\d+(?:\.\d+)?|iso ?\d+|1 ?/ ?\d+ ?s?"
#: Artists and sites named for a look ("by artgerm and greg rutkowski", "trending on pixiv"): up to
#: four words of a name after "by", "art by" or "in the style of".
_ARTIST: Final = (r"(?:art |artwork |painting |illustration )?(?:by|in the style of) (?!the |a |an |her |his |their )[a-z'.-]+(?: [a-z'.-]+){0,3}"
                  r"|trending on (?:pixiv|deviantart|behance)|pixiv|deviantart|behance|cel shaded")
_TAG_SEGMENT: Final = re.compile(rf"(?:(?:{_ARTIST}|{_CAMERA}|{_LIGHT}|{_TAG}|{_LENS})\s*)+")
#: Prompt-weight syntax: "(masterpiece:1.2)", "[best quality]", "{8k}".
_WEIGHT: Final = re.compile(r"[()\[\]{}]|:\s*\d+(?:\.\d+)?")
#: Segments end at commas, "|", ";", line breaks, a full stop before a space, and a negative
#: prompt's label (its quality words are tags like any other; its subjects stay to be read).
_SEPARATOR: Final = re.compile(r"[,|;\n]+|\.(?:\s|$)|\bnegative(?: prompt)?\s*:")
#: Midjourney's parameters ("--ar 16:9 --v 6 --style raw"): settings, never a subject.
#: "--no clothes" is a negative prompt, read like any other text: never left out.
_PARAMETER: Final = re.compile(r"(?:^|\s)--(?!no\b)[a-z]+(?:\s+(?!--)[^\s,]+)?")


def without_render_tags(normalised: str) -> str:
    """``normalised`` without its segments of render and quality tags and its Midjourney
    parameters, segments joined by ", "; unchanged when it has none, or when nothing but tags
    would be left (then there is no subject to read apart from them)."""
    settings = _PARAMETER.sub(" ", normalised)
    segments = [s.strip() for s in _SEPARATOR.split(settings) if s.strip()]
    kept = [s for s in segments if not _is_tags(s)]
    if not kept or len(kept) == len(segments) and settings == normalised:
        return normalised
    return ", ".join(kept)


def _is_tags(segment: str) -> bool:
    words = " ".join(_WEIGHT.sub(" ", segment).replace("-", " ").split())
    return bool(words) and _TAG_SEGMENT.fullmatch(words + " ") is not None
