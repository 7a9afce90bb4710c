"""API keys: creation (secret shown once), authentication, revocation.

A secret looks like ``gg_<prefix>_<43 urlsafe chars>``: the prefix is public and finds the
row; only the SHA-256 of the whole secret is stored. A fast hash is enough because the secret
carries 256 random bits (nothing to brute-force, unlike a password); the comparison is
constant-time. Secrets never appear in reprs, logs or error messages.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from sqlalchemy import or_, select, update

from genguard.audit.chain import AuditLog
from genguard.vocabulary import Role
from genguard.errors import NotFound, RequestError
from genguard.store.db import Store
from genguard.auth.tables import ApiKeyRow

_SCHEME = "gg"
_PREFIX_BYTES = 6  # 12 hex characters: public, unique, and never contains the separator
_SECRET_BYTES = 32
#: ``last_used_at`` is written at most this often per key, so authentication stays a read.
LAST_USED_GRANULARITY = timedelta(minutes=1)
#: Compared against when the prefix is unknown, so both paths do the same hashing work.
_DUMMY_DIGEST = hashlib.sha256(b"genguard-no-such-key").hexdigest()


class NewKey(NamedTuple):
    """What :func:`create_key` returns; unpacks as ``key_id, secret``."""

    key_id: int
    secret: str

    def __repr__(self) -> str:
        return f"NewKey(key_id={self.key_id}, secret='{self.secret[: len(_SCHEME) + 1 + 2 * _PREFIX_BYTES]}_...')"


@dataclass(frozen=True, slots=True)
class Principal:
    """The authenticated caller: which key, its name and role. Holds no secret."""

    key_id: int
    name: str
    prefix: str
    role: Role


@dataclass(frozen=True, slots=True)
class KeyInfo:
    """A key as listed to admins."""

    key_id: int
    name: str
    prefix: str
    role: Role
    created_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _parse_role(role: Role | str) -> Role:
    try:
        return Role(role)
    except ValueError:
        allowed = ", ".join(r.value for r in Role)
        raise RequestError(f"unknown role {role!r}; one of: {allowed}", code="role_invalid") from None


def create_key(store: Store, role: Role | str, name: str, *, actor: str | None = None) -> NewKey:
    """Create a key and return its id and secret. The secret cannot be recovered later.

    With ``actor`` the ``key.created`` audit record commits in the same transaction."""
    parsed_role = _parse_role(role)
    if not isinstance(name, str) or not name.strip() or len(name) > 100:
        raise RequestError("key name must be 1-100 characters", code="key_name_invalid")
    prefix = secrets.token_hex(_PREFIX_BYTES)
    secret = f"{_SCHEME}_{prefix}_{secrets.token_urlsafe(_SECRET_BYTES)}"
    with store.transaction(write_lock=True) as session:
        row = ApiKeyRow(name=name.strip(), prefix=prefix, secret_sha256=_digest(secret), role=parsed_role)
        session.add(row)
        session.flush()
        if actor is not None:
            AuditLog(store).append("key.created", {"key_id": row.id, "role": parsed_role.value, "name": row.name},
                                   actor=actor, subject=f"key:{row.id}", session=session)
        return NewKey(row.id, secret)


def authenticate(store: Store, secret: str) -> Principal | None:
    """The principal for ``secret``, or None for anything that is not a live key."""
    if not isinstance(secret, str):
        return None
    scheme, _, rest = secret.partition("_")
    prefix, _, _ = rest.partition("_")
    row: ApiKeyRow | None = None
    with store.transaction() as session:
        if scheme == _SCHEME and prefix:
            row = session.execute(select(ApiKeyRow).where(ApiKeyRow.prefix == prefix)).scalar_one_or_none()
    stored = row.secret_sha256 if row is not None else _DUMMY_DIGEST
    matches = hmac.compare_digest(_digest(secret), stored)
    if row is None or not matches or row.revoked_at is not None:
        return None
    now = datetime.now(UTC)
    if row.last_used_at is None or now - row.last_used_at >= LAST_USED_GRANULARITY:
        # A separate write transaction (an SQLite reader cannot upgrade to a writer safely),
        # and conditional, so concurrent requests with the same key write at most once.
        with store.transaction() as session:
            session.execute(
                update(ApiKeyRow)
                .where(ApiKeyRow.id == row.id)
                .where(or_(ApiKeyRow.last_used_at.is_(None), ApiKeyRow.last_used_at <= now - LAST_USED_GRANULARITY))
                .values(last_used_at=now)
            )
    return Principal(key_id=row.id, name=row.name, prefix=row.prefix, role=row.role)


def revoke_key(store: Store, key_id: int, *, actor: str | None = None) -> KeyInfo:
    """Revoke a key for good (idempotent); raises NotFound for an unknown id. With ``actor``
    the ``key.revoked`` audit record commits in the same transaction."""
    with store.transaction(write_lock=True) as session:
        row = session.get(ApiKeyRow, key_id)
        if row is None:
            raise NotFound(f"no API key with id {key_id}", code="key_not_found")
        if row.revoked_at is None:
            row.revoked_at = datetime.now(UTC)
        if actor is not None:
            AuditLog(store).append("key.revoked", {"key_id": key_id}, actor=actor, subject=f"key:{key_id}",
                                   session=session)
        return _info(row)


def get_key(store: Store, key_id: int) -> KeyInfo | None:
    """One key by id, revoked or not; None for an unknown id."""
    with store.transaction() as session:
        row = session.get(ApiKeyRow, key_id)
        return None if row is None else _info(row)


def list_keys(store: Store) -> list[KeyInfo]:
    """All keys, revoked ones included, oldest first."""
    with store.transaction() as session:
        return [_info(row) for row in session.execute(select(ApiKeyRow).order_by(ApiKeyRow.id)).scalars()]


def _info(row: ApiKeyRow) -> KeyInfo:
    return KeyInfo(
        key_id=row.id,
        name=row.name,
        prefix=row.prefix,
        role=row.role,
        created_at=row.created_at,
        revoked_at=row.revoked_at,
        last_used_at=row.last_used_at,
    )


class KeyService:
    """The keys domain bound to one store: what routes, pages and the request gate call.

    The functions above stay the implementation (the CLI and tests call them with a store);
    this class is what the composition root builds once and hands out, so no caller outside
    ``genguard.auth`` touches the ``api_keys`` table."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def create(self, role: Role | str, name: str, *, actor: str | None = None) -> NewKey:
        """See :func:`create_key`: the secret is in the result and nowhere else."""
        return create_key(self.store, role, name, actor=actor)

    def authenticate(self, secret: str) -> Principal | None:
        """See :func:`authenticate`."""
        return authenticate(self.store, secret)

    def get(self, key_id: int) -> KeyInfo | None:
        """See :func:`get_key`."""
        return get_key(self.store, key_id)

    def list(self) -> list[KeyInfo]:
        """See :func:`list_keys`."""
        return list_keys(self.store)

    def revoke(self, key_id: int, *, actor: str | None = None) -> KeyInfo:
        """See :func:`revoke_key`."""
        return revoke_key(self.store, key_id, actor=actor)
