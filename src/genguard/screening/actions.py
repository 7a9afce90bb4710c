"""What follows a verdict: the audit record and, for escalating rules, an escalation record.

The audit record holds what an auditor needs to re-check the decision — input hashes, signals,
scores, rule, reasons, policy and model versions, latency — and never pixels or the prompt text
(its SHA-256 links it to the caller's own logs) or face embeddings (biometric data).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from genguard.audit.chain import AuditLog, Entry
from genguard.config import Settings
from genguard.request import ScreenRequest
from genguard.store.db import Store, open_store
from genguard.escalations.queue import escalate
from genguard.verdict import Verdict


class Actions:
    """Records verdicts in the audit trail of one store."""

    def __init__(self, store: Store, *, owns_store: bool = False) -> None:
        self.store = store
        self.audit = AuditLog(store)
        self._owns_store = owns_store

    @classmethod
    def open(cls, settings: Settings, store: Store | None) -> Actions:
        if store is not None:
            return cls(store)
        return cls(open_store(settings.resolved_database_url()), owns_store=True)

    def record(self, request: ScreenRequest, verdict: Verdict, *, actor: str, prompt_sha256: str) -> Verdict:
        """Append the verdict to the audit chain; open an escalation when a rule asks for one."""
        return self.record_many([(request, verdict, prompt_sha256)], actor=actor)[0]

    def record_many(self, items: Sequence[tuple[ScreenRequest, Verdict, str]], *, actor: str) -> list[Verdict]:
        """``record`` of many (request, verdict, prompt SHA-256), in order, in one transaction:
        an escalating verdict is never on record without the escalation that opens its case (a
        crash between two commits could leave it so)."""
        with self.store.transaction(write_lock=True) as session:
            records = self.audit.append_many([
                Entry("screen.verdict", _payload(request, verdict, prompt_sha256), actor, request.id)
                for request, verdict, prompt_sha256 in items
            ], session=session)
            for (request, verdict, _), record in zip(items, records, strict=True):
                if verdict.escalate:
                    escalate(session, verdict.reasons[0] if verdict.reasons else "ESCALATION",
                             {"request_id": request.id, "kind": request.kind.value,
                              "account": request.account, "reasons": verdict.reasons, "rule": verdict.rule},
                             audit_seq=record.seq)
        return [
            verdict.model_copy(update={"audit_seq": record.seq})
            for (_, verdict, _), record in zip(items, records, strict=True)
        ]

    def close(self) -> None:
        if self._owns_store:
            self.store.close()


def _payload(request: ScreenRequest, verdict: Verdict, prompt_sha256: str) -> dict[str, Any]:
    """What the audit record of one verdict holds (see the module docstring)."""
    public = verdict.public()
    if public["signals"].get("intent"):
        public["signals"]["intent"].pop("normalised_text", None)  # the prompt itself, reworded
    return {
        "request": {
            "id": request.id,
            "kind": request.kind.value,
            "account": request.account,
            "session_id": request.session_id,
            "prompt_sha256": prompt_sha256 if (request.prompt or request.history) else None,
            "history_turns": len(request.history),
            "images": [
                {"role": i.role.value, "index": i.index, "width": i.width, "height": i.height,
                 "format": i.format, "frames": i.frames,
                 **({"sha256": i.hashes.sha256, "md5": i.hashes.md5, "pdq": i.hashes.pdq,
                     "pdq_quality": i.hashes.pdq_quality} if i.hashes else {})}
                for i in verdict.signals.images
            ],
        },
        "decision": verdict.decision.value,
        "reasons": verdict.reasons,
        "rule": verdict.rule,
        "policy": verdict.policy,
        "hits": public["hits"],
        "facts": public["facts"],
        "signals": public["signals"],
        "models": verdict.models,
        "latency_ms": round(verdict.latency_ms, 3),
        "escalate": verdict.escalate,
    }
