"""Negative prompts: the part of a generation prompt that lists what the picture must not show.

Stable Diffusion front ends write it after "Negative prompt:", Midjourney after "--no". Read as
ordinary words, a careful user's "Negative prompt: nsfw, nude, cleavage" looks like a request for
exactly those things (the eighth blind probe blocked such prompts). Read as what it is, the same
section can also *ask* for nudity: "Negative prompt: clothes, bra, censored" means a picture
without clothes, bra or censoring. So the section is rewritten into what it asks for before
anything scores or parses the text: sexual words there are dropped (not shown), clothing and
censoring words become "without ..." / "uncensored" (fail closed: a negative list of clothes is
a request to undress). One exception keeps careful users' lists readable: where the list also
leaves out sexual content ("nsfw, nude, underwear", "--no nudity, cleavage, lingerie"), the
intimate garments in it (underwear, lingerie, bras, swimwear) are part of that exclusion, not a
request to take them off; outer clothing ("nsfw, clothes") still reads as undressing. The
verdict's normalised text shows the rewritten form.
"""

from __future__ import annotations

import re
from typing import Final

from genguard.detectors.intent.normalise import normalise
from genguard.detectors.intent.semantics import clothing_in, clothing_named, parse
from genguard.signals import EditSemantics

#: "Negative prompt:", "negative_prompt =", "Negative:", "neg:", Midjourney's "--no".
_MARKER: Final = re.compile(
    r"(?i)\bnegative[\s_-]*prompts?\s*[:=]|\bneg(?:ative)?\s*[:=]|(?<!\S)--no(?=\s)"
    r"|\bprompts?\s+negativ[oae]?s?\s*[:=]|\bprompt\s+n[ée]gatif\s*[:=]|\bnegativ(?:er)?[\s-]*prompt\s*[:=]"
    r"|\bnegatywny\s+prompt\s*[:=]|\bnegativn[ií]\s+prompt\s*[:=]|\bnegatif\s+prompt\s*[:=]|\bprompt\s+negatif\s*[:=]"
    r"|פרומפט\s+שלילי\s*[:：]|\bnegatieve\s+prompt\s*[:=]|\bnegat[ií]v\s+prompt\s*[:=]|негативный\s+промпт\s*[:=]|негативна\s+підказка\s*[:=]"
    r"|موجه\s+سلبي\s*[:：]|नेगेटिव\s+प्रॉम्प्ट\s*[:：]"
    r"|ネガティブプロンプト\s*[:：]|(?:反向|负面)提示词\s*[:：]|(?:네거티브|부정)\s*프롬프트\s*[:：]"
)
#: What ends a negative list: another "--" parameter, a line break, or the end of a sentence.
_END: Final = re.compile(r"\s(?=--)|\n|[.。]\s+")
#: Emphasis syntax around a term: "(nsfw:1.4)", "[[cleavage]]", "{bra}".
_WEIGHT: Final = re.compile(r"[()\[\]{}]|:\s*-?\d+(?:\.\d+)?")
#: Negated, these ask for the opposite: no censoring, no "safe" picture.
_UNCENSOR: Final = frozenset({
    "sfw", "safe for work", "censored", "censor", "censorship", "censor bar", "censor bars", "bar censor",
    "mosaic", "mosaic censoring", "pixelated", "blurred genitals", "modest", "covered", "covered up",
    "censuur", "cenzura", "zensur", "zensiert", "censura", "censure", "censurado", "цензура", "sansur", "審查", "モザイク",
})
#: Garments whose absence a list that also leaves out sexual content asks for as part of it.
_INTIMATE: Final = frozenset({"bra", "underwear", "swimwear", "towel", "stripwear"})


def positive_reading(text: str) -> str:
    """``text`` with its negative section (if any) rewritten into what it asks for."""
    match = _MARKER.search(text)
    if match is None:
        return text
    head, tail = text[: match.start()], text[match.end():]
    # The list ends at Midjourney's next parameter ("--ar 3:2"), a line break (a web UI's
    # "Steps: 20, Sampler: ..." line) or a sentence ("Negative prompt: nsfw. A knight ..."); what
    # follows is read as it is.
    end = _END.search(tail)
    tail, rest = (tail[: end.start()], tail[end.end():]) if end else (tail, "")
    clothes = clothing_in(normalise(tail))
    terms = [" ".join(normalise(_WEIGHT.sub(" ", term)).split()) for term in re.split(r"[,;，、]", tail)]
    sexual = {term: _sexual(parse(term)) for term in terms if term}  # each term parsed once
    excluding = any(flag for term, flag in sexual.items() if term not in _UNCENSOR)
    asked = [_asked(term, clothes, excluding, sexual.get(term, False)) for term in terms]
    wanted = [term for term in asked if term]
    parts = (re.sub(r"[\s,.;]+$", "", head), *wanted, rest.strip())
    return ", ".join(part for part in parts if part)


def _sexual(sem: EditSemantics) -> bool:
    """Whether a listed term's reading is itself sexual or revealing ("nsfw", "nude", "revealing
    clothes", "exposed skin"): leaving it out asks for nothing; a garment alone ("bra") is not."""
    return sem.explicit or sem.suggestive or sem.body_focus or any(
        e.startswith(("nudity:", "reduce:", "undress:", "sheer:")) for e in sem.evidence)


def _asked(word: str, clothes: bool, excluding: bool, sexual: bool) -> str | None:
    """What leaving ``word`` (a normalised term) out of the picture asks for, or None when it asks
    for nothing (``clothes``: whether the list names any clothing at all; ``excluding``: whether
    it also leaves out sexual content; ``sexual``: whether the term itself is sexual)."""
    if not word:
        return None
    if word in _UNCENSOR:
        return "uncensored nsfw"
    worn = clothing_named(word) if clothes else None
    if worn is None or sexual or (excluding and _garment(worn) in _INTIMATE):
        return None
    return f"without {worn}"


def _garment(worn: str) -> str | None:
    """The ontology's name for the garment ``worn`` names ("lingerie" -> "underwear")."""
    garments = parse(worn).garments
    return garments[0] if garments else None


__all__ = ["positive_reading"]
