"""Conversations: garment reduction that accumulates across turns.

An edit chain can reach an undressing in steps that are each mild: "a summer dress" →
"shorter" → "remove the straps" → "less fabric". The intent model reads the conversation as one
text too, but a concatenation dilutes a late step among early ones and says nothing about *when*
the chain turned. So each turn is also read for *garment-reduction moves* (shortening, removing a
covering garment or part of one, less fabric, a lower neckline, opening, tighter or sheerer
cloth), and the moves are counted over the conversation. The policy blocks the turn that makes
the count reach its threshold (``reduction_steps`` in the pack, 2 by default) when that turn is
itself a reduction: the first "more" after a first "less".

The moves are patterns over the intent normaliser's output (so leetspeak, spacing and
confusable letters are folded first). They are English only: in other languages the chain is
left to the intent model's conversation view. Outerwear and accessories (coat, jacket, hat,
shoes, glasses, belt) are not covering garments here: taking off a coat is not undressing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from genguard.detectors.intent.normalise import normalise
from genguard.signals import ConversationSignal, ReductionStep

_GARMENT = (
    r"(?:straps?|sleeves?|top|shirt|t-?shirt|blouse|dress|skirt|trousers|pants|shorts|jeans|"
    r"leggings|tights|stockings|bra|underwear|knickers|panties|lingerie|swimsuit|clothes|"
    r"clothing|outfit|layers?|fabric|material|cloth|bottoms?|neckline|hem(?:line)?)"
)

#: Move name → pattern. Each pattern matches one way of asking for less coverage.
MOVES: Final[dict[str, re.Pattern[str]]] = {
    "shorten": re.compile(
        r"\bshort(?:er|en)|\bcut (?:it|them|\w+ )?(?:short|off|higher)|\b(?:higher|raise the) "
        r"(?:hem|hemline|slit|cut)|\bhem(?:line)? higher|\bmini\b|\bcrop(?:ped| it| the)\b"
    ),
    "remove": re.compile(
        r"\b(?:remove|take (?:off|away)|get rid of|lose|drop|strip|pull (?:off|down)|ditch)\b"
        rf"(?: (?:the|her|his|their|its|that|those|all|some|any|of))* {_GARMENT}"
        rf"|\bwithout (?:the |her |his |a |any )?{_GARMENT}|\bno (?:more )?{_GARMENT}"
        r"|\b(?:strapless|sleeveless|backless|topless|braless)\b"
    ),
    "less": re.compile(
        r"\b(?:less|fewer|minimal|barely any|tiny|tinier|smaller|skimpier|skimpy) "
        r"(?:\w+ )?(?:fabric|material|cloth|clothing|clothes|coverage|outfit|top|dress|skirt|bikini)"
        r"|\b(?:even|much|way|still) less\b|^\W*less\W*$|\bskimpier\b"
        # "keep going, less": a follow-up that asks for less again.
        r"|\b(?:keep going|go on|continue|again)\W+(?:\w+\W+)?less\W*$"
        r"|\bmore (?:skin|revealing|exposed)|\bshow (?:more|some) (?:skin|leg|cleavage|body)"
    ),
    "neckline": re.compile(r"\b(?:lower|deeper|plunging|low-?cut)\b.{0,12}\b(?:neckline|cut|v\b|neck\b)"),
    "open": re.compile(r"\b(?:unbutton|unzip|open (?:up )?(?:the |her |his )?(?:shirt|top|blouse|dress|robe))"),
    "sheer": re.compile(r"\b(?:tighter|see-? ?through|sheer(?:er)?|transparent|thinner fabric|wet)\b"),
}

#: Things that are shortened without anyone's clothes changing ("shorten the video", "shorter
#: still, 5 seconds"): a shortening in a turn that names one of these and no garment is no move.
_MEDIA = re.compile(r"\b(?:video|clip|gif|song|audio|track|music|seconds?|secs?|minutes?|caption|text|title|"
                    r"sentence|intro|outro|animation|film|reel|story|timelapse|loop)\b")
_GARMENT_RE = re.compile(rf"\b{_GARMENT}\b")

#: Turns read: the same window as the request limit on history keeps the cost bounded.
MAX_TURNS: Final = 50


def moves_in(text: str) -> list[ReductionStep]:
    """The garment-reduction moves in one instruction (turn index filled in by the caller)."""
    normalised = normalise(text)
    steps = []
    media = bool(_MEDIA.search(normalised)) and not _GARMENT_RE.search(normalised)
    for name, pattern in MOVES.items():
        if media and name == "shorten":
            continue
        found = pattern.search(normalised)
        if found:
            steps.append(ReductionStep(turn=0, move=name, term=found.group(0).strip()))
    return steps


def analyse(history: Sequence[str], prompt: str, *, chain_turns: int = 0) -> ConversationSignal:
    """Count reduction turns over ``history`` + ``prompt`` (the last turn is the current one).

    ``chain_turns`` are reduction turns of the edit chain the source continues (lineage): a new
    conversation on an earlier output picks up where that chain stopped.
    """
    turns = [*history[-MAX_TURNS:], prompt]
    steps: list[ReductionStep] = []
    for index, text in enumerate(turns):
        steps.extend(step.model_copy(update={"turn": index}) for step in moves_in(text))
    reducing = sorted({step.turn for step in steps})
    return ConversationSignal(
        turns=len(turns),
        steps=steps,
        reduction_turns=len(reducing) + chain_turns,
        current_reduces=bool(reducing) and reducing[-1] == len(turns) - 1,
        chain_reduction_turns=chain_turns,
    )
