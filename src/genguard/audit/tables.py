"""The audit trail's tables: the hash chain and its head (migration 0001; see docs/store-and-audit.md).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from genguard.store.base import Base

#: prev_hash of the first audit record: 64 zeros, the same width as a SHA-256 hex digest.
GENESIS_HASH = "0" * 64


class AuditRecordRow(Base):
    """One link of the hash chain; see ``genguard.audit.chain`` for how ``hash`` is computed."""

    __tablename__ = "audit_records"

    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    ts: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(64), index=True)
    subject: Mapped[str | None] = mapped_column(String(200), index=True)
    payload: Mapped[dict[str, Any]]
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHeadRow(Base):
    """The single row holding the chain's last seq and hash.

    Appenders lock this row (``SELECT ... FOR UPDATE``) so that two processes can never both
    extend the chain from the same record; verify compares it with the last record, which
    catches records cut off or added at the end.
    """

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[str] = mapped_column(String(64))
