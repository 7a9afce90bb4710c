"""The auth domain's tables: API keys (migration 0001) and each key's console settings (0006).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Enum, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from genguard.store.base import Base, utcnow
from genguard.vocabulary import Role

#: Roles are stored as their string values without a CHECK constraint or a native enum type,
#: so adding a role later needs no migration.
RoleColumn = Enum(
    Role,
    native_enum=False,
    create_constraint=False,
    length=16,
    values_callable=lambda roles: [r.value for r in roles],
)


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


class ConsolePrefsRow(Base):
    """A console user's settings, keyed by their API key, shared by every worker."""

    __tablename__ = "console_prefs"

    key_id: Mapped[int] = mapped_column(Integer, ForeignKey("api_keys.id", ondelete="CASCADE"), primary_key=True)
    #: Whether review media starts revealed; blurred greyscale is the default (reviewer wellbeing).
    reveal_media: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
