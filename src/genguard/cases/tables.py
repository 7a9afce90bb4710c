"""The cases domain's tables (issue 6, migrations 0004, 0005, 0009, 0010; see docs/cases.md):
notices, cases and their copies, appeals, strikes, the webhook outbox, takedown jobs, item media
URLs and TAKE IT DOWN requester access. A case opened from screening points at its escalation.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from genguard.escalations.tables import EscalationRow
from genguard.store.base import Base


class NoticeRow(Base):
    """A valid notice as received (contact details included: they are needed to answer it)."""

    __tablename__ = "notices"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(index=True)
    regime: Mapped[str] = mapped_column(String(16))
    reporter_type: Mapped[str] = mapped_column(String(32))
    category: Mapped[str] = mapped_column(String(40))
    #: SHA-256 of the canonical notice, quoted in the receipt.
    digest: Mapped[str] = mapped_column(String(64))
    body: Mapped[dict[str, Any]]
    submitted_by: Mapped[str] = mapped_column(String(200))
    #: The client's ``Idempotency-Key`` (unique per submitter) and the receipt it was given,
    #: so a retry after a crash or a timeout gets the same answer and opens no second case.
    idempotency_key: Mapped[str | None] = mapped_column(String(200))
    receipt: Mapped[dict[str, Any] | None]

    __table_args__ = (Index("ux_notices_idempotency", "submitted_by", "idempotency_key", unique=True),)


class CaseRow(Base):
    """One item to act on, with its statutory clock, review claim and decision."""

    __tablename__ = "cases"
    __table_args__ = (
        # One open case per screened item (see cases/intake.py): racing ingesters cannot open two.
        Index("ux_cases_open_item", "item_key", unique=True, sqlite_where=text("status = 'open'"),
              postgresql_where=text("status = 'open'")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    notice_id: Mapped[str | None] = mapped_column(String(36), ForeignKey("notices.id"), index=True)
    escalation_id: Mapped[int | None] = mapped_column(Integer, ForeignKey(EscalationRow.id), unique=True)
    #: ``notice``, ``trusted_flagger``, ``hotline`` or ``screening``.
    source: Mapped[str] = mapped_column(String(32))
    regime: Mapped[str] = mapped_column(String(16))
    category: Mapped[str] = mapped_column(String(40))
    reporter_type: Mapped[str | None] = mapped_column(String(32))
    platform_id: Mapped[str | None] = mapped_column(String(200), index=True)
    url: Mapped[str | None] = mapped_column(String(2000))
    #: The item's hashes, signal type -> value (any registered type; see banks/signal_types.py).
    #: Never searched by value: an item is found again by ``item_key`` and bank lookups go
    #: through the banks' own indexed entries.
    hashes: Mapped[dict[str, Any]] = mapped_column(server_default=text("'{}'"))
    account: Mapped[str | None] = mapped_column(String(200), index=True)
    #: What makes two screenings the same item (``sha256:<hex>`` or ``request:<id>``); None for notices.
    item_key: Mapped[str | None] = mapped_column(String(220))
    #: Queue order, highest first (see cases/triage.py).
    priority: Mapped[int] = mapped_column(Integer, index=True)
    signals: Mapped[dict[str, Any]]
    #: ``open``, ``decided`` or ``closed``.
    status: Mapped[str] = mapped_column(String(16), index=True)
    clock: Mapped[str] = mapped_column(String(32))
    opened_at: Mapped[datetime]
    clock_started_at: Mapped[datetime]
    budget_s: Mapped[int] = mapped_column(Integer)
    paused_s: Mapped[int] = mapped_column(Integer, default=0)
    paused_since: Mapped[datetime | None]
    pause_reason: Mapped[str | None] = mapped_column(String(32))
    due_at: Mapped[datetime] = mapped_column(index=True)
    escalated_at: Mapped[datetime | None]
    breached_at: Mapped[datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(String(200))
    claim_expires_at: Mapped[datetime | None]
    decision: Mapped[str | None] = mapped_column(String(24))
    decided_by: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[datetime | None]
    removed_at: Mapped[datetime | None]


class CaseCopyRow(Base):
    """A copy of a case's item found in seen content by the takedown sweep, and its removal."""

    __tablename__ = "case_copies"
    __table_args__ = (UniqueConstraint("case_id", "seen_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(Integer, ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    seen_id: Mapped[int] = mapped_column(BigInteger)
    ref: Mapped[str | None] = mapped_column(String(500))
    bank: Mapped[str] = mapped_column(String(100))
    signal_type: Mapped[str] = mapped_column(String(16))
    distance: Mapped[int] = mapped_column(Integer)
    found_at: Mapped[datetime]
    removed_at: Mapped[datetime | None]
    #: Why no removal webhook was sent (``no_platform_id``): the platform could not find the copy.
    notify_error: Mapped[str | None] = mapped_column(String(40))


class AppealRow(Base):
    """An appeal against a case decision, decided by a reviewer other than the original one."""

    __tablename__ = "appeals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(Integer, ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    filed_at: Mapped[datetime]
    appellant: Mapped[str] = mapped_column(String(200))
    grounds: Mapped[str] = mapped_column(Text)
    #: ``open``, ``upheld`` or ``reversed``.
    status: Mapped[str] = mapped_column(String(16), index=True)
    decided_by: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[datetime | None]


class StrikeRow(Base):
    """One strike against an account: a blocked generation attempt or an upheld removal."""

    __tablename__ = "strikes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account: Mapped[str] = mapped_column(String(200), index=True)
    at: Mapped[datetime]
    reason: Mapped[str] = mapped_column(String(64))
    case_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("cases.id", ondelete="SET NULL"))
    audit_seq: Mapped[int | None] = mapped_column(BigInteger)


class WebhookOutboxRow(Base):
    """A webhook kept until the platform acknowledges it; the case tick retries pending ones."""

    __tablename__ = "webhook_outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    event: Mapped[str] = mapped_column(String(40))
    case_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("cases.id", ondelete="SET NULL"), index=True)
    payload: Mapped[dict[str, Any]]
    #: What the acknowledgement means for the case: ``case_removed``, ``copy_removed`` or None.
    effect: Mapped[str | None] = mapped_column(String(32))
    #: ``pending``, ``delivered``, ``failed`` (refused by the receiver, or out of attempts) or
    #: ``cancelled`` (a removal reversed on appeal before it was sent).
    status: Mapped[str] = mapped_column(String(16), index=True)
    attempts: Mapped[int] = mapped_column(Integer)
    next_attempt_at: Mapped[datetime | None] = mapped_column(index=True)
    last_error: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime]
    delivered_at: Mapped[datetime | None]


class CaseJobRow(Base):
    """One step of acting on a decision (removal, banking, copy sweep, notices, report filing),
    run by the case worker under a lease so a crashed worker's step is taken up again."""

    __tablename__ = "case_jobs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    #: ``case-<id>-<kind>``: a decision enqueues each step once.
    key: Mapped[str] = mapped_column(String(200), unique=True)
    case_id: Mapped[int] = mapped_column(Integer, ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    payload: Mapped[dict[str, Any]]
    #: ``pending``, ``running`` (leased), ``done``, ``failed`` or ``cancelled`` (a reversed removal).
    status: Mapped[str] = mapped_column(String(16), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(index=True)
    lease_owner: Mapped[str | None] = mapped_column(String(100))
    lease_expires_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime]
    done_at: Mapped[datetime | None]


class ItemMediaRow(Base):
    """Where a platform item's media can be fetched (a signed URL the platform registered).
    The URL is a credential while it is valid: it is shown and logged only redacted."""

    __tablename__ = "item_media"

    platform_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    url: Mapped[str] = mapped_column(String(2000))
    registered_by: Mapped[str] = mapped_column(String(200))
    registered_at: Mapped[datetime]
    #: When the platform's signature stops working (None: not said); an expired URL is not fetched.
    expires_at: Mapped[datetime | None]


class RequesterAccessRow(Base):
    """A TAKE IT DOWN request's requester side: the hash of the token a requester without an
    account was given to read the outcome (None for a request a platform relayed with its key),
    and when the outcome notice went out."""

    __tablename__ = "requester_access"

    notice_id: Mapped[str] = mapped_column(String(36), ForeignKey("notices.id", ondelete="CASCADE"),
                                           primary_key=True)
    token_sha256: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime]
    outcome_sent_at: Mapped[datetime | None] = mapped_column(index=True)
