"""SQLAlchemy models: the schema every backend (SQLite, PostgreSQL) shares.

The schema itself is created and changed only by the Alembic revisions in
``store/migrations/versions``; these classes must describe the same tables (a test compares
them). Other areas add their tables here and in a new revision (see docs/store-and-audit.md).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, DateTime, Enum, ForeignKey, Integer, String, TypeDecorator
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from genguard.auth.roles import Role

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
