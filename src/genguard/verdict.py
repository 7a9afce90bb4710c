"""What genguard answers: a decision with the reasons, rule, scores and versions behind it."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from genguard.signals import SignalSet


class Decision(StrEnum):
    ALLOW = "allow"
    REVIEW = "review"
    BLOCK = "block"

    @property
    def severity(self) -> int:
        return _SEVERITY[self]


_SEVERITY = {Decision.ALLOW: 0, Decision.REVIEW: 1, Decision.BLOCK: 2}


class RuleHit(BaseModel):
    """One policy rule that fired, with the facts it read (so a reviewer sees why)."""

    model_config = ConfigDict(frozen=True)

    rule: str
    decision: Decision
    reasons: list[str]
    facts: dict[str, float | bool | None] = Field(default_factory=dict)
    escalate: bool = False
    description: str = ""


class Verdict(BaseModel):
    """The answer to one request. Everything here goes into the audit record except pixels."""

    id: str | None = None
    kind: str
    decision: Decision
    reasons: list[str]
    rule: str | None
    policy: str
    hits: list[RuleHit] = Field(default_factory=list)
    facts: dict[str, float | bool | None] = Field(default_factory=dict)
    signals: SignalSet = Field(default_factory=SignalSet)
    models: dict[str, str] = Field(default_factory=dict)
    escalate: bool = False
    latency_ms: float = 0.0
    stages_ms: dict[str, float] = Field(default_factory=dict)
    audit_seq: int | None = None
    error: dict[str, str] | None = None
    #: The account's strike standing under the pack's ``[strikes]`` (None: no account or table).
    strikes: dict[str, object] | None = None

    def public(self) -> dict[str, Any]:
        """Everything a caller may see; face embeddings (biometric data) are left out."""
        data = self.model_dump(mode="json")
        for image in data["signals"]["images"]:
            for face in (image.get("faces") or {}).get("faces", []):
                face.pop("embedding", None)
        return data

    def summary(self) -> dict[str, object]:
        """The compact form of the batch and HTTP answers."""
        out: dict[str, object] = {
            "id": self.id,
            "decision": self.decision.value,
            "reasons": self.reasons,
            "rule": self.rule,
            "policy": self.policy,
            "latency_ms": round(self.latency_ms, 2),
        }
        if self.error:
            out["error"] = self.error
        return out
