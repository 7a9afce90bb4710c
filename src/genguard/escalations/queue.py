"""Raising an escalation: the one call screening and the banks make, so only this domain writes
``escalations`` rows (the case intake reads them; see ``cases/intake.py``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from genguard.escalations.tables import EscalationRow


def escalate(session: Session, reason: str, payload: dict[str, Any], *, audit_seq: int | None = None) -> None:
    """Queue one escalation in the caller's transaction, so that it commits (or not) together with
    what raised it: a verdict on record without its escalation would never reach a human."""
    session.add(EscalationRow(reason=reason, payload=payload, audit_seq=audit_seq, status="open"))
