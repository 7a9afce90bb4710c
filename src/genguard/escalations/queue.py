"""The escalation queue: screening and the banks raise escalations here, the case intake claims
and closes them, so only this domain reads or writes ``escalations`` rows (``cases/intake.py``
and ``scan/retro_job.py`` call the functions below, never the table)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from genguard.escalations.tables import EscalationRow

#: What a claimed escalation becomes: a case opened or joined (``cased``), nothing to act on
#: (``no_case``), or a copy the takedown sweep already linked to its case (``linked``).
CLOSED = frozenset({"cased", "no_case", "linked"})


@dataclass(frozen=True, slots=True)
class Escalation:
    """One open escalation as the case intake reads it (a frozen view, not the row)."""

    id: int
    created_at: datetime
    reason: str
    audit_seq: int | None
    payload: dict[str, Any]


def escalate(session: Session, reason: str, payload: dict[str, Any], *, audit_seq: int | None = None) -> None:
    """Queue one escalation in the caller's transaction, so that it commits (or not) together with
    what raised it: a verdict on record without its escalation would never reach a human."""
    session.add(EscalationRow(reason=reason, payload=payload, audit_seq=audit_seq, status="open"))


def claim_open(session: Session) -> list[Escalation]:
    """Every open escalation, oldest first, locked for the caller's transaction: on PostgreSQL
    ``FOR UPDATE SKIP LOCKED`` (racing workers each claim others), on SQLite the caller's write
    lock. Each must be :func:`close`\\ d in the same transaction."""
    query = select(EscalationRow).where(EscalationRow.status == "open").order_by(EscalationRow.id)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return [Escalation(r.id, r.created_at, r.reason, r.audit_seq, r.payload) for r in session.scalars(query)]


def close(session: Session, escalation_id: int, status: str) -> None:
    """Mark a claimed escalation ``status`` (one of :data:`CLOSED`) in the caller's transaction."""
    if status not in CLOSED:
        raise ValueError(f"an escalation is closed as one of {sorted(CLOSED)}, not {status!r}")
    session.execute(update(EscalationRow).where(EscalationRow.id == escalation_id).values(status=status))


def raised(session: Session, reason: str) -> list[dict[str, Any]]:
    """The payloads of every escalation raised for ``reason`` (whatever became of it)."""
    return list(session.scalars(select(EscalationRow.payload).where(EscalationRow.reason == reason)))
