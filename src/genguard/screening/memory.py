"""What screening remembers between requests: sessions, lineage and the likeness registry.

``Guard`` calls three things here, in request order: :meth:`ScreeningMemory.history` (the
session's earlier turns, before the detectors run), :meth:`ScreeningMemory.annotate` (lineage
links with their root photos as extra sources, and likeness-registry matches, before the facts)
and :meth:`ScreeningMemory.remember` (after the verdict is recorded: the turn, and an allowed
output's place in its chain).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from genguard.likeness.registry import LikenessRegistry
from genguard.request import ScreenRequest, RequestKind
from genguard.screening.collect import Target
from genguard.screening.lineage import Lineage
from genguard.screening.sessions import Sessions
from genguard.signals import LikenessSignal, ImageRole, SignalSet
from genguard.store.db import Store
from genguard.verdict import Decision, Verdict


class ScreeningMemory:
    """Sessions, lineage and likeness registry of one store."""

    def __init__(self, store: Store) -> None:
        self.sessions = Sessions(store)
        self.lineage = Lineage(store)
        self.likeness = LikenessRegistry(store)

    def load(self) -> None:
        """Index every remembered output and load the registry now, not on the first request."""
        self.lineage.sync()
        self.likeness.match([], 0.0)

    @staticmethod
    def scope(request: ScreenRequest, actor: str) -> str:
        """Whose sessions: the caller's account if it names one, else the authenticated actor."""
        return request.account or actor

    def history(self, request: ScreenRequest, actor: str, max_history: int) -> list[str]:
        """Stored turns of the request's session (if any), then the request's own ``history``."""
        if not request.session_id:
            return list(request.history)
        room = max(0, max_history - len(request.history))
        stored = self.sessions.history(self.scope(request, actor), request.session_id, room) if room else []
        return [*stored, *request.history]

    def annotate(self, signals: SignalSet, same_person: float) -> SignalSet:
        """Add lineage (roots join the sources) and likeness-registry matches."""
        sources = signals.by_role(ImageRole.SOURCE)
        lineage, roots = self.lineage.annotate(sources)
        images = [*signals.images, *roots]
        faces = [(image.role, image.index, k, face)
                 for image in images if image.faces for k, face in enumerate(image.faces.faces)]
        likeness = None  # no face, nothing to match: the registry is not asked (a text prompt)
        if faces:
            matches, registered = self.likeness.match(faces, same_person)
            likeness = LikenessSignal(matches=matches, registered=registered)
        return signals.model_copy(update={"images": images, "lineage": lineage, "likeness": likeness})

    def remember(
        self, request: ScreenRequest, verdict: Verdict, targets: Sequence[Target], *, actor: str,
        crops: Mapping[str, list[str]] | None = None,
    ) -> None:
        """Keep the turn of a session; remember an allowed output in its chain (``crops``: the
        centre-crop PDQs by image SHA-256, when hashed beside the detectors)."""
        if request.session_id and request.prompt.strip():
            self.sessions.append(self.scope(request, actor), request.session_id, request.prompt,
                                 verdict.decision.value, verdict.audit_seq)
        if request.kind is not RequestKind.OUTPUT or verdict.decision is not Decision.ALLOW:
            return
        by_key = {(i.role, i.index): i for i in verdict.signals.images}
        output = next(t for t in targets if t.role is ImageRole.OUTPUT)
        source = next((t for t in targets if t.role is ImageRole.SOURCE), None)
        links = verdict.signals.lineage.links if verdict.signals.lineage else []
        link = next((lk for lk in links if source is not None and lk.source_index == source.index), None)
        conversation = verdict.signals.conversation
        self.lineage.remember(
            (output.image, by_key[(ImageRole.OUTPUT, 0)]),
            (source.image, by_key[(ImageRole.SOURCE, source.index)]) if source else None,
            link,
            reduction_turns=conversation.reduction_turns if conversation else (link.reduction_turns if link else 0),
            audit_seq=verdict.audit_seq,
            crops=crops,
        )


def chain_turns(signals: SignalSet) -> int:
    """Garment-reduction turns inherited from the chains the sources continue."""
    links = signals.lineage.links if signals.lineage else []
    return max((link.reduction_turns for link in links), default=0)
