"""Dashboard figures, read from the audit trail and the case tables (never from a cache, so
every worker shows the same numbers)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from genguard.store.db import Store
from genguard.store.models import AuditRecordRow, CaseRow, utcnow

#: Clock states a dashboard lists as needing attention.
AT_RISK = ("escalated", "breached")


@dataclass(frozen=True)
class Volume:
    """Screening verdicts in one window: counts per decision and the block rate."""

    label: str
    allow: int
    review: int
    block: int

    @property
    def total(self) -> int:
        return self.allow + self.review + self.block

    @property
    def block_rate(self) -> float | None:
        return self.block / self.total if self.total else None


def volumes(store: Store, *, now: datetime | None = None) -> list[Volume]:
    """Verdict counts in the last hour, day and week (one grouped query per window)."""
    now = now or utcnow()
    decision = AuditRecordRow.payload["decision"].as_string()
    out = []
    for label, span in (("last hour", timedelta(hours=1)), ("last 24 hours", timedelta(days=1)),
                        ("last 7 days", timedelta(days=7))):
        with store.transaction() as session:
            counts = dict(session.execute(
                select(decision, func.count()).where(AuditRecordRow.kind == "screen.verdict",
                                                     AuditRecordRow.ts >= now - span).group_by(decision)).all())
        out.append(Volume(label, counts.get("allow", 0), counts.get("review", 0), counts.get("block", 0)))
    return out


def recent(store: Store, kinds: tuple[str, ...] | None, limit: int = 15) -> list[dict[str, Any]]:
    """The newest audit records of ``kinds`` (None: of every kind), newest first."""
    query = select(AuditRecordRow)
    if kinds is not None:
        query = query.where(AuditRecordRow.kind.in_(kinds))
    with store.transaction() as session:
        rows = session.scalars(query.order_by(AuditRecordRow.seq.desc()).limit(limit)).all()
        return [{"seq": r.seq, "ts": r.ts, "actor": r.actor, "kind": r.kind, "subject": r.subject,
                 "payload": r.payload} for r in rows]


def queue_sizes(store: Store) -> list[tuple[str, int]]:
    """(category, open cases) in queue order: the category's priority tier (harm) first."""
    with store.transaction() as session:
        return [(str(c), int(n)) for c, n, _ in session.execute(
            select(CaseRow.category, func.count(), func.max(CaseRow.priority)).where(CaseRow.status == "open")
            .group_by(CaseRow.category).order_by(func.max(CaseRow.priority).desc())).all()]
