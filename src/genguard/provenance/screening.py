"""Provenance as screening signals: read an output's or upload's manifest, then follow its soft
binding and its recorded parents into genguard's lineage and likeness registry.

Why the parents matter: an image whose manifest says "edited from photo P" where P shows a
registered person is an edit of that person, even when the edit changed the face past
recognition. The claim counts from a manifest in any state, valid or not (a tampered file is
more suspect, not less), and only ever adds risk.
"""

from __future__ import annotations

from genguard.config import MediaLimits
from genguard.provenance.read import read_provenance
from genguard.provenance.softbinding import find_record
from genguard.screening.memory import ScreeningMemory
from genguard.signals import Face, ImageRole, ProvenanceParent, ProvenanceSignal


def read_signal(data: bytes, mime: str | None, *, trust_anchors: bytes | None, limits: MediaLimits) -> ProvenanceSignal:
    """The manifest of ``data`` as a signal (errors propagate: the caller records a failure)."""
    report = read_provenance(data, mime, trust_anchors=trust_anchors, limits=limits)
    return ProvenanceSignal(
        state=report.state.value, ai_generated=report.ai_generated, generator=report.generator,
        signer=report.signer, development=report.development, verdict_id=report.verdict_id,
        policy=report.policy, soft_binding=report.soft_binding, failures=report.failures, warnings=report.warnings,
        parents=[ProvenanceParent(title=p.title, relationship=p.relationship, pdq=p.pdq) for p in report.parents],
    )


def annotate(signal: ProvenanceSignal, own_pdq: str | None, memory: ScreeningMemory, same_person: float) -> ProvenanceSignal:
    """Where the soft binding (else the image's own PDQ) and the recorded parents lead.

    Parents are looked up by the PDQ genguard recorded when it signed; a parent found in
    lineage brings the faces remembered for it, which are matched against the likeness registry.
    """
    binding = signal.soft_binding or own_pdq
    record = find_record(memory.lineage, binding) if binding else None
    parents: list[ProvenanceParent] = []
    faces: list[tuple[ImageRole, int, int, Face]] = []
    for i, parent in enumerate(signal.parents):
        found = memory.lineage.find(parent.pdq) if parent.pdq else None
        if found is not None:
            node = memory.lineage.node(found[0])
            faces.extend((ImageRole.SOURCE, i, k, face) for k, face in enumerate(node.faces))
        parents.append(parent.model_copy(update={"lineage_node": found[0] if found else None}))
    matches = memory.likeness.match(faces, same_person)[0] if faces else []
    return signal.model_copy(update={
        "parents": parents, "parent_likeness": matches,
        "record_node": record.node_id if record else None, "record_audit_seq": record.audit_seq if record else None,
    })
