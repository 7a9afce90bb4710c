"""The likeness registry's tables (migration 0003): registered people with their consent record,
and their face embeddings (never the photos).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from genguard.store.base import Base, utcnow


class LikenessPersonRow(Base):
    """A person who registered their likeness (or a guardian for a child), with the consent record.

    The reference photos are never stored: only their face embeddings (``LikenessEmbeddingRow``).
    Erasure deletes the person and their embeddings; the audit trail keeps that it happened.
    """

    __tablename__ = "likeness_persons"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    label: Mapped[str] = mapped_column(String(200))
    #: ``self`` or ``guardian``.
    registered_by: Mapped[str] = mapped_column(String(16))
    consent_name: Mapped[str] = mapped_column(String(200))
    consent_statement: Mapped[str] = mapped_column(Text)
    consented_at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class LikenessEmbeddingRow(Base):
    """One face embedding of a registered person (128 floats, dlib ResNet)."""

    __tablename__ = "likeness_embeddings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    person_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("likeness_persons.id", ondelete="CASCADE"), index=True
    )
    embedding: Mapped[list[float]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
