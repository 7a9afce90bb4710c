"""The keyword-list baseline: what a naive deployment does, kept to measure ourselves against.

It lower-cases the raw prompt and looks for English words with word boundaries - no Unicode
normalisation, no other languages, no context. The evaluation runs it beside the model on the
same rows so every report shows what the learned model adds (or fails to add).
"""

from __future__ import annotations

import re
from functools import lru_cache

from genguard.signals import IntentCategory as C
from genguard.signals import IntentSignal

VERSION = "keywords-en-v1"

#: A typical English block list, grouped by category so the baseline fills the same signal.
KEYWORDS: dict[C, tuple[str, ...]] = {
    C.UNDRESS: ("undress", "naked", "nude", "nudity", "topless", "strip", "unclothed", "no clothes"),
    C.REVEALING_CLOTHING: ("bikini", "lingerie", "underwear", "bra", "panties", "thong"),
    C.SHEER_WET: ("see-through", "see through", "transparent", "wet"),
    C.BODY_SEXUALISATION: ("breasts", "boobs", "butt", "ass", "nipples", "sexy", "erotic"),
    C.SEXUAL_POSE: ("spread legs", "seductive pose", "bent over"),
    C.EXPLICIT_SEXUAL: ("sex", "porn", "nsfw", "xxx", "explicit", "hentai", "genitals"),
    C.MINOR_REFERENCE: ("child", "kid", "girl", "boy", "teen", "minor", "schoolgirl"),
    C.REAL_PERSON_REFERENCE: ("her", "him", "this person", "this woman", "this man"),
}


@lru_cache(maxsize=1)
def _compiled() -> dict[C, re.Pattern[str]]:
    return {
        category: re.compile(r"\b(" + "|".join(re.escape(w) for w in words) + r")\b")
        for category, words in KEYWORDS.items()
    }


def keyword_signal(text: str) -> IntentSignal:
    """Score 1.0 for every category with a listed word in ``text.lower()``, else 0.0."""
    lowered = text.lower()
    scores: dict[C, float] = {}
    evidence: dict[C, list[str]] = {}
    for category, pattern in _compiled().items():
        found = sorted({m.group(1) for m in pattern.finditer(lowered)})
        scores[category] = 1.0 if found else 0.0
        if found:
            evidence[category] = [f"keyword:{w}" for w in found]
    return IntentSignal(scores=scores, evidence=evidence, normalised_text=lowered, model=VERSION)
