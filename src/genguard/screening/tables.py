"""Screening memory's tables (issue 3, migration 0003): conversation turns and the lineage of
images in edit chains. None holds pixels. Rows point at the audit record of their verdict.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from genguard.audit.tables import AuditRecordRow
from genguard.store.base import Base, utcnow


class SessionTurnRow(Base):
    """One instruction of a conversation genguard keeps for a caller's ``session_id``.

    The text is kept (unlike the audit trail, which keeps only its SHA-256) because a later turn
    is judged with the earlier ones, exactly as if the caller had sent them as ``history``.
    Sessions are scoped by account: two callers' equal session ids never share a history.
    """

    __tablename__ = "session_turns"
    __table_args__ = (UniqueConstraint("account", "session_id", "turn"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True)
    account: Mapped[str] = mapped_column(String(200))
    session_id: Mapped[str] = mapped_column(String(200))
    turn: Mapped[int] = mapped_column(Integer)
    prompt: Mapped[str] = mapped_column(Text)
    decision: Mapped[str] = mapped_column(String(16))
    audit_seq: Mapped[int | None] = mapped_column(BigInteger, ForeignKey(AuditRecordRow.seq))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class LineageNodeRow(Base):
    """An image in an edit chain: an allowed output, or the source photo a chain starts from.

    Kept: PDQ codes (the image and centre crops, so a re-encoded, resized or lightly cropped copy
    is found again), the faces (box, age, identity embedding: biometric data, needed to judge a
    later edit against the original person) and the body regions NudeNet saw — never pixels.
    ``root_id`` is the source photo the chain started from (a root points at itself).
    """

    __tablename__ = "lineage_nodes"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True)
    root_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    parent_id: Mapped[int | None] = mapped_column(BigInteger)
    depth: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    #: Hex PDQ codes: the whole image first, then centre crops (see ``screening.lineage``).
    pdq: Mapped[list[str]] = mapped_column(JSON)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    faces: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    regions: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    #: Garment-reduction turns accumulated along the chain up to this image.
    reduction_turns: Mapped[int] = mapped_column(Integer, default=0)
    audit_seq: Mapped[int | None] = mapped_column(BigInteger, ForeignKey(AuditRecordRow.seq))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
