"""The detector interface: one small contract every backend implements.

A detector is loaded once per process (``load`` is idempotent and thread-safe) and then called
from many threads at once, so ``detect`` must not mutate shared state. A detector that cannot
answer raises; the caller turns that into a :class:`~genguard.signals.DetectorFailure`, and the
policy into ``review`` or ``block`` — never ``allow``.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from typing import ClassVar, Generic, TypeVar

from genguard.media.image import DecodedImage
from genguard.signals import FacesSignal, HashSignal, IntentCategory, IntentSignal, NuditySignal

S = TypeVar("S")


class Detector(ABC, Generic[S]):
    """Base of every detector. Subclasses set ``slot`` and implement ``_load`` and ``detect``."""

    #: Which signal this detector fills: "intent", "nudity", "faces" or "hashes".
    slot: ClassVar[str]
    #: Backend name and version, recorded in every verdict for audit.
    version: ClassVar[str]

    def __init__(self) -> None:
        self._loaded = False
        self._lock = threading.Lock()

    def load(self) -> None:
        """Load models once; later calls return at once."""
        if self._loaded:
            return
        with self._lock:
            if not self._loaded:
                self._load()
                self._loaded = True

    @property
    def loaded(self) -> bool:
        return self._loaded

    def _load(self) -> None:  # noqa: B027 - a detector without models has nothing to load
        """Read model files. Override when the backend has any."""


class TextDetector(Detector[IntentSignal]):
    """Scores an instruction; may split off a costly step that only some policies need.

    A backend whose extra step can only *raise* the categories in ``refines`` (a name tagger
    raising ``real_person_reference``) implements ``first_pass`` and ``refine``; screening then
    runs ``refine`` only when a rule that reads one of those categories is still undecided
    after the first pass, so a prompt pays for the step only where it can change the verdict.
    ``detect`` stays the whole computation for every other caller.
    """

    slot: ClassVar[str] = "intent"
    #: Categories that ``refine`` can raise; empty when ``first_pass`` is the whole detector.
    refines: ClassVar[frozenset[IntentCategory]] = frozenset()

    @abstractmethod
    def detect(self, text: str, history: list[str]) -> IntentSignal:
        """Score the instruction ``text`` in the context of earlier instructions ``history``."""

    def first_pass(self, text: str, history: list[str]) -> IntentSignal:
        """The signal without the costly step (by default the whole ``detect``)."""
        return self.detect(text, history)

    def refine(self, signal: IntentSignal, text: str, history: list[str]) -> IntentSignal:
        """``first_pass``'s signal completed by the costly step (by default unchanged)."""
        return signal

    def refine_many(self, items: list[tuple[IntentSignal, str, list[str]]]) -> list[IntentSignal]:
        """``refine`` of many (signal, text, history) at once; backends batch their model here."""
        return [self.refine(signal, text, history) for signal, text, history in items]


class ImageDetector(Detector[S]):
    @abstractmethod
    def detect(self, image: DecodedImage) -> S:
        """Return this detector's signal for one decoded image (all frames where relevant)."""


class NudityDetector(ImageDetector[NuditySignal]):
    slot: ClassVar[str] = "nudity"


class FaceDetector(ImageDetector[FacesSignal]):
    """Finds faces and fills age and identity embedding for each."""

    slot: ClassVar[str] = "faces"


class HashDetector(ImageDetector[HashSignal]):
    slot: ClassVar[str] = "hashes"
