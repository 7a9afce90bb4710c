"""The whole text decision, as a user gets it: intent scores + parsed evidence → policy pack.

The model-only report (``eval.prompts``) asks "does the learned score cross its threshold"; a
user gets the policy pack's decision, in which the parsed evidence (``text.*``) and the learned
scores combine. This module decides a prompt the way ``Guard.screen`` does for a request with no
image (``generate``), or for an edit of an adult's photo, with the person in the photo given as
an injected face signal (no pixels are needed to test what the policy does with the text).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from genguard.detectors.base import TextDetector
from genguard.policy.engine import evaluate
from genguard.policy.pack import PolicyPack, load_pack
from genguard.request import RequestKind
from genguard.screening.facts import build_facts
from genguard.signals import Box, Face, FacesSignal, ImageSignals, IntentSignal, NuditySignal, ImageRole, SignalSet
from genguard.verdict import Decision

#: An adult, confidently over Challenge 25, as the source of an edit: the policy's real-person
#: rules apply and its minor rules do not, so what decides is the text.
ADULT_SOURCE = ImageSignals(
    role=ImageRole.SOURCE, index=0, width=512, height=512, format="jpeg",
    faces=FacesSignal(faces=[Face(box=Box(x0=10, y0=10, x1=110, y1=130), age=40.0, age_sd=3.0)], model="injected"),
    nudity=NuditySignal(regions=[], model="injected"),
)


def decide_signal(pack: PolicyPack, kind: RequestKind, signal: IntentSignal, *, age_assured: bool = False) -> Decision:
    """The pack's decision for one intent signal, for a ``generate`` or an adult-photo ``edit``."""
    images = [ADULT_SOURCE] if kind is RequestKind.EDIT else []
    signals = SignalSet(intent=signal, images=images)
    facts = build_facts(signals, pack.thresholds, has_text=True, age_assured=age_assured)
    return evaluate(pack, kind, facts, []).decision


def policy_systems(detector: TextDetector, pack: PolicyPack | str = "uk-osa") -> dict[str, Callable[[str], bool]]:
    """``text → blocked?`` under ``pack``, as a text-to-image prompt and as an edit of an adult's
    photo (review counts as not blocked: a human decides). The two share one detector call per
    text, so evaluating both costs what one does."""
    chosen = pack if isinstance(pack, PolicyPack) else load_pack(pack)
    signal = lru_cache(maxsize=None)(lambda text: detector.detect(text, []))

    def deciding(kind: RequestKind) -> Callable[[str], bool]:
        return lambda text: decide_signal(chosen, kind, signal(text)) is Decision.BLOCK

    return {f"{chosen.label} generate": deciding(RequestKind.GENERATE),
            f"{chosen.label} edit of an adult": deciding(RequestKind.EDIT)}


__all__ = ["ADULT_SOURCE", "decide_signal", "policy_systems"]
