"""The escalation queue: what screening and the banks hand to a human, and cases pick up (0001).

Its rows point at the audit record that raised them, so this module imports the audit table
(a foreign key is a schema dependency; importing these tables registers the one they reference).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from genguard.audit.tables import AuditRecordRow
from genguard.store.base import Base, utcnow


class EscalationRow(Base):
    """Something that must reach a human (e.g. a suspected minor); a case system picks these up."""

    __tablename__ = "escalations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    reason: Mapped[str] = mapped_column(String(64), index=True)
    audit_seq: Mapped[int | None] = mapped_column(BigInteger, ForeignKey(AuditRecordRow.seq))
    payload: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
