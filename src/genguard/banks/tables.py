"""The hash banks' tables (issue 5, migrations 0002, 0009 and 0012; see docs/banks.md): banks,
entries, the change log every live index tails, flood counters, match feedback, and
``seen_content`` / ``seen_hashes``, the hashes of what was screened that a retro-scan searches
when a hash is banked.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from genguard.store.base import Base, utcnow


class BankRow(Base):
    """A named hash list with a kind (``child_abuse``, ``intimate_image``, ``terror``,
    ``internal_blocked``, ``allow``), its own PDQ threshold and where the list came from."""

    __tablename__ = "banks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    pdq_threshold: Mapped[int] = mapped_column(Integer)
    enabled: Mapped[bool] = mapped_column(Boolean)
    #: Matching is off until this time (a noisy list under review), then on again by itself.
    disabled_until: Mapped[datetime | None]
    #: Flood quarantine: an entry matching more than ``flood_limit`` items within
    #: ``flood_window_s`` seconds is quarantined for review instead of acting.
    flood_limit: Mapped[int] = mapped_column(Integer)
    flood_window_s: Mapped[int] = mapped_column(Integer)
    list_owner: Mapped[str | None] = mapped_column(String(200))
    list_version: Mapped[str | None] = mapped_column(String(100))
    imported_at: Mapped[datetime | None]
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class BankEntryRow(Base):
    """One hash in a bank. Never deleted while its bank exists: a withdrawn or tombstoned row
    remembers its value, so a re-import of the same list cannot bring it back."""

    __tablename__ = "bank_entries"
    __table_args__ = (UniqueConstraint("bank_id", "signal_type", "value"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    bank_id: Mapped[int] = mapped_column(Integer, ForeignKey("banks.id", ondelete="CASCADE"), index=True)
    signal_type: Mapped[str] = mapped_column(String(16))
    value: Mapped[str] = mapped_column(String(64), index=True)
    external_id: Mapped[str | None] = mapped_column(String(200), index=True)
    #: ``active`` or ``withdrawn`` (by the list owner; sticky across re-imports).
    status: Mapped[str] = mapped_column(String(16))
    #: Deleted by an operator (kept so the change log and re-imports can see it).
    tombstone: Mapped[bool] = mapped_column(Boolean)
    quarantined_at: Mapped[datetime | None]
    tags: Mapped[list[str]] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(Text)
    extra: Mapped[dict[str, Any]]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class BankChangeRow(Base):
    """The change log every worker's in-memory index tails (``WHERE seq > last``).

    ``seq`` is assigned from :class:`BankChangeHeadRow` under its row lock in the same
    transaction as the entry change, so seqs become visible in commit order with no gaps.
    """

    __tablename__ = "bank_changes"

    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    ts: Mapped[datetime]
    entry_id: Mapped[int] = mapped_column(Integer, ForeignKey("bank_entries.id", ondelete="CASCADE"))
    #: ``add`` (matchable from now on) or ``remove``.
    op: Mapped[str] = mapped_column(String(8))


class BankChangeHeadRow(Base):
    """The single row holding the change log's last seq; writers lock it."""

    __tablename__ = "bank_change_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(BigInteger)


class BankEntryHitRow(Base):
    """Match count of one entry in one time window (flood quarantine)."""

    __tablename__ = "bank_entry_hits"

    entry_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("bank_entries.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    window_start: Mapped[datetime] = mapped_column(primary_key=True)
    count: Mapped[int] = mapped_column(Integer)


class SeenContentRow(Base):
    """Hashes of an item screening or an upload has seen, and where: retro-scan searches these
    when a hash is added to a bank. Holds no media."""

    __tablename__ = "seen_content"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True)
    seen_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    #: ``screen``, ``upload``, ``output``...
    source: Mapped[str] = mapped_column(String(32))
    #: The caller's reference for the item (request id, content id, URL).
    ref: Mapped[str | None] = mapped_column(String(500))
    #: The item's identity (a case opened from a sighting is keyed ``sha256:<hex>``), kept as a
    #: column of its own. Not indexed here: exact lookups of every exact type, SHA-256 included,
    #: go through ``seen_hashes``' index.
    sha256: Mapped[str] = mapped_column(String(64))
    #: The nearest type's value and quality (PDQ: the one the banks index by distance). A retro-scan
    #: reads these in id order, chunk by chunk, so they stay columns rather than child rows.
    pdq: Mapped[str | None] = mapped_column(String(64))
    pdq_quality: Mapped[int | None] = mapped_column(Integer)
    #: PDQ of the seven rotations/flips (``detectors.hashes.DIHEDRAL`` after ``original``), hex
    #: concatenated: a rotated or mirrored copy seen earlier is found when its original is banked.
    pdq_variants: Mapped[str | None] = mapped_column(Text)


class SeenHashRow(Base):
    """One exact-type value of a seen item (``md5``, ``sha256``, any registered exact type): what
    a retro-scan looks up, through the ``(signal_type, value)`` index, when such a hash is banked."""

    __tablename__ = "seen_hashes"
    __table_args__ = (Index("ix_seen_hashes_lookup", "signal_type", "value"),)

    seen_id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), ForeignKey("seen_content.id", ondelete="CASCADE"), primary_key=True
    )
    signal_type: Mapped[str] = mapped_column(String(16), primary_key=True)
    value: Mapped[str] = mapped_column(String(64))


class MatchFeedbackRow(Base):
    """A reviewer's or platform's verdict on one bank match (StopNCII-style): true or false
    positive, one per reporter and matched item, counted per bank entry."""

    __tablename__ = "match_feedback"
    __table_args__ = (UniqueConstraint("entry_id", "actor", "subject"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entry_id: Mapped[int] = mapped_column(Integer, ForeignKey("bank_entries.id", ondelete="CASCADE"), index=True)
    #: What matched: ``case:<id>`` or the platform's item id.
    subject: Mapped[str] = mapped_column(String(200))
    #: ``true_positive`` or ``false_positive``.
    verdict: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(String(1000))
    at: Mapped[datetime]
