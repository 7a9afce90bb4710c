"""Named real people in prompts: the intent detector plus a person-name tagger.

"<a famous name> in lingerie" names a real person without any pronoun or "this photo", so the
intent model's ``real_person_reference`` stays low. This backend runs the intent model and the
Rampart name tagger (``tagger.py``) and raises ``real_person_reference`` to the best name span's
score, with ``name:<span>`` as evidence. A name alone never blocks: the policy blocks only a
named person *and* intimate intent (``generate.intimate_real_person`` in the policy pack).

A given-name gazetteer (``gazetteer.py``) adds full names the tagger misses ("Barack Obama")
and possessive kin ("Obama's wife"), and drops a very common first name alone ("Victoria's").

The tagger reads the prompt as written, its normalised form when the normaliser changed more
than letter case (leetspeak, spacing, look-alike letters), and the recent history, so a name
given two turns earlier still counts. Words that are intent lexicon terms ("bikini",
"topless") are never part of a name: the model sometimes tags them as surnames.

If the tagger fails the whole intent signal fails (the slot raises), so screening records the
intent facts as unknown and the policy's fail-closed rule applies: never "allow".
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from genguard.config import Settings
from genguard.detectors.intent import HISTORY_WINDOW, IntentDetector
from genguard.detectors.intent.lexicon import match
from genguard.detectors.intent.model import ARTEFACT
from genguard.detectors.intent.normalise import normalise, strip_accents
from genguard.detectors.names.gazetteer import NameGazetteer
from genguard.detectors.names.tagger import MODEL_DIR, NameSpan, NameTagger
from genguard.signals import IntentCategory, IntentSignal

REAL_PERSON = IntentCategory.REAL_PERSON_REFERENCE


def is_intent_term(word: str) -> bool:
    """Whether ``word`` is a clothing/sexual lexicon term, which is never part of a name."""
    return bool(match(normalise(word)))


class NamedPersonIntentDetector(IntentDetector):
    """Intent scores in which a person's name counts as a real-person reference."""

    version: ClassVar[str] = f"{IntentDetector.version}+names-rampart-q4+gazetteer-nqg"

    def __init__(
        self, settings: Settings | None = None, artefact: Path = ARTEFACT, names: Path = MODEL_DIR
    ) -> None:
        super().__init__(settings, artefact)
        self._names_dir = names
        self._tagger: NameTagger | None = None
        self._gazetteer: NameGazetteer | None = None

    def _load(self) -> None:
        super()._load()
        self._tagger = NameTagger(self._names_dir)
        self._gazetteer = NameGazetteer()

    #: The tagger only raises this category: screening skips it where that cannot matter.
    refines: ClassVar[frozenset[IntentCategory]] = frozenset({REAL_PERSON})

    def names(self, text: str, history: list[str]) -> list[tuple[str, NameSpan]]:
        """Name spans as (view, span): view "current" for the prompt, "conversation" for history."""
        return self._names_many([(text, history)])[0]

    def _names_many(self, items: list[tuple[str, list[str]]]) -> list[list[tuple[str, NameSpan]]]:
        """``names`` of many (text, history) pairs with every reading in one tagger batch."""
        self.load()
        assert self._tagger is not None
        texts: list[str] = []
        views: list[tuple[int, str]] = []  # (item, view) of each text
        cased: list[str | None] = []  # the text as written, for a normalised (lower-cased) view
        for item, (text, history) in enumerate(items):
            texts.append(text)
            views.append((item, "current"))
            cased.append(None)
            normalised = normalise(text)
            if normalised != text.lower():
                texts.append(normalised)
                views.append((item, "current"))
                # Where normalising only took accents off ("Schaufensterpuppe, weißer"), the
                # writer's capitals still say what is a name; after spelling tricks ("T4yl0r
                # Sw1ft") they say nothing, and a lower-case pair may be a name.
                cased.append(text if strip_accents(text.casefold()) == normalised else None)
            if history:
                texts.append(" \n ".join(history[-HISTORY_WINDOW:]))
                views.append((item, "conversation"))
                cased.append(None)
        found = self._tagger.find(texts, skip=is_intent_term) if texts else []
        assert self._gazetteer is not None  # the gazetteer stage: full names the tagger misses
        found = [self._gazetteer.combine(t, spans, skip=is_intent_term, cased=c)
                 for t, spans, c in zip(texts, found, cased, strict=True)]
        spans: list[list[tuple[str, NameSpan]]] = [[] for _ in items]
        for (item, view), text_spans in zip(views, found, strict=True):
            spans[item].extend((view, span) for span in text_spans)
        return spans

    def first_pass(self, text: str, history: list[str]) -> IntentSignal:
        """The intent model's signal, names not looked for (validates the input)."""
        return super().detect(text, history)

    def refine(self, signal: IntentSignal, text: str, history: list[str]) -> IntentSignal:
        """``signal`` with ``real_person_reference`` raised by any name found."""
        return _with_names(signal, self.names(text, history))

    def refine_many(self, items: list[tuple[IntentSignal, str, list[str]]]) -> list[IntentSignal]:
        """``refine`` of many prompts with one tagger batch for all of them."""
        found = self._names_many([(text, history) for _, text, history in items])
        return [_with_names(signal, spans) for (signal, _, _), spans in zip(items, found, strict=True)]

    def detect(self, text: str, history: list[str]) -> IntentSignal:
        """The intent signal with ``real_person_reference`` raised by any name found."""
        return self.refine(self.first_pass(text, history), text, history)


def _with_names(signal: IntentSignal, spans: list[tuple[str, NameSpan]]) -> IntentSignal:
    """Raise ``real_person_reference`` to the best name score, with ``<view>:name:<span>`` evidence."""
    if not spans:
        return signal
    scores = dict(signal.scores)
    scores[REAL_PERSON] = max(scores.get(REAL_PERSON, 0.0), *(span.score for _, span in spans))
    evidence = {c: list(v) for c, v in signal.evidence.items()}
    # One entry per name and view: the normalised reading repeats the name in lower case.
    named = {(view, span.text.casefold()): f"{view}:name:{span.text}" for view, span in reversed(spans)}
    evidence.setdefault(REAL_PERSON, []).extend(reversed(named.values()))
    return signal.model_copy(update={"scores": scores, "evidence": evidence})


__all__ = ["NamedPersonIntentDetector", "is_intent_term"]
