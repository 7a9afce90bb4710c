"""SQLAlchemy models: the schema every backend (SQLite, PostgreSQL) shares.

The schema itself is created and changed only by the Alembic revisions in
``store/migrations/versions``; these classes must describe the same tables (a test compares
them). Other areas add their tables here and in a new revision (see docs/store-and-audit.md).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from genguard.vocabulary import Role

#: prev_hash of the first audit record: 64 zeros, the same width as a SHA-256 hex digest.
GENESIS_HASH = "0" * 64


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that always comes back timezone-aware in UTC.

    SQLite has no time zones and returns naive values; PostgreSQL returns aware ones. The audit
    chain hashes timestamps, so both backends must hand back exactly the same value.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: store timezone-aware UTC times only")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


#: Roles are stored as their string values without a CHECK constraint or a native enum type,
#: so adding a role later needs no migration.
RoleColumn = Enum(
    Role,
    native_enum=False,
    create_constraint=False,
    length=16,
    values_callable=lambda roles: [r.value for r in roles],
)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON}


class ApiKeyRow(Base):
    """An API key. Only the SHA-256 of the secret is kept; the secret is shown once at creation."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(100))
    #: Public part of the secret (``gg_<prefix>_...``): finds the row without scanning hashes.
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    secret_sha256: Mapped[str] = mapped_column(String(64))
    role: Mapped[Role] = mapped_column(RoleColumn)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]

    def __repr__(self) -> str:  # never show the hash: it is the verifier of a live credential
        return f"ApiKeyRow(id={self.id!r}, name={self.name!r}, prefix={self.prefix!r}, role={self.role!r})"


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


class EscalationRow(Base):
    """Something that must reach a human (e.g. a suspected minor); a case system picks these up."""

    __tablename__ = "escalations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    reason: Mapped[str] = mapped_column(String(64), index=True)
    audit_seq: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("audit_records.seq"))
    payload: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)


# --- Hash banks (issue 5; see docs/banks.md) ---------------------------------------------------


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
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    md5: Mapped[str] = mapped_column(String(32), index=True)
    pdq: Mapped[str | None] = mapped_column(String(64))
    pdq_quality: Mapped[int | None] = mapped_column(Integer)
    #: PDQ of the seven rotations/flips (``detectors.hashes.DIHEDRAL`` after ``original``), hex
    #: concatenated: a rotated or mirrored copy seen earlier is found when its original is banked.
    pdq_variants: Mapped[str | None] = mapped_column(Text)


# --- Screening memory (issue 3): conversation sessions, lineage of outputs, likeness registry ---
# Migration 0003. None of these tables holds pixels.


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
    audit_seq: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("audit_records.seq"))
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
    audit_seq: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("audit_records.seq"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


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


# --- Cases and compliance (issue 6; see docs/cases.md) ----------------------------------------


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
    escalation_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("escalations.id"), unique=True)
    #: ``notice``, ``trusted_flagger``, ``hotline`` or ``screening``.
    source: Mapped[str] = mapped_column(String(32))
    regime: Mapped[str] = mapped_column(String(16))
    category: Mapped[str] = mapped_column(String(40))
    reporter_type: Mapped[str | None] = mapped_column(String(32))
    platform_id: Mapped[str | None] = mapped_column(String(200), index=True)
    url: Mapped[str | None] = mapped_column(String(2000))
    sha256: Mapped[str | None] = mapped_column(String(64))
    md5: Mapped[str | None] = mapped_column(String(32))
    pdq: Mapped[str | None] = mapped_column(String(64))
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


# --- Web console (issue 7; see docs/console.md) --------------------------------------------------


class ConsolePrefsRow(Base):
    """A console user's settings, keyed by their API key, shared by every worker."""

    __tablename__ = "console_prefs"

    key_id: Mapped[int] = mapped_column(Integer, ForeignKey("api_keys.id", ondelete="CASCADE"), primary_key=True)
    #: Whether review media starts revealed; blurred greyscale is the default (reviewer wellbeing).
    reveal_media: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


# --- Item media URLs, TAKE IT DOWN requester access, match feedback (issue 17, migration 0009) ---


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
