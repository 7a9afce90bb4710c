"""The hash-chained audit log: appending records and the digest that links them.

Each record's hash is ``sha256(prev_hash || canonical_json({seq, ts, actor, kind, subject,
payload}))``, with ``prev_hash`` the previous record's hash as ASCII hex (64 zeros for the
first). Changing, removing, adding or moving any record therefore breaks a hash or a link
that :func:`genguard.audit.verify.verify` finds. Appends are serialised through the
``audit_head`` row so that concurrent writers, in threads or processes, never fork the chain.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, select
from sqlalchemy.orm import Session

from genguard.errors import GenguardError
from genguard.store.db import Store
from genguard.audit.tables import GENESIS_HASH, AuditHeadRow, AuditRecordRow

#: Longest string a payload may hold (UTF-8 bytes). Audit records carry hashes, scores and
#: reasons; anything this big is almost certainly encoded media, which must never be logged.
MAX_STRING_BYTES = 64 * 1024
#: Longest whole payload (canonical JSON bytes).
MAX_PAYLOAD_BYTES = 1024 * 1024
_MAX_DEPTH = 32
_MAX_LABEL = 200  # actor and subject column width
_MAX_KIND = 64
#: First letters of a "data:" URI, the only strings ``_plainly_valid`` must look into.
_DATA_INITIALS = frozenset("dD")
_STR_ONLY = {str}

# Declarative classes type __table__ as a FromClause; these are plain Tables.
_HEAD_TABLE = cast(Table, AuditHeadRow.__table__)
_READ_HEAD = select(_HEAD_TABLE.c.seq, _HEAD_TABLE.c.hash).where(_HEAD_TABLE.c.id == 1).with_for_update()
_WRITE_HEAD = (
    _HEAD_TABLE.update().where(_HEAD_TABLE.c.id == 1).values(seq=bindparam("new_seq"), hash=bindparam("new_hash"))
)
_INSERT_RECORD = cast(Table, AuditRecordRow.__table__).insert()


class AuditPayloadError(GenguardError):
    """A payload cannot go into the audit log (media bytes, oversized or non-JSON values)."""

    code = "audit_payload_invalid"
    status = 422


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """One record of the log, as stored and hashed."""

    seq: int
    ts: datetime
    actor: str
    kind: str
    subject: str | None
    payload: dict[str, Any]
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class Entry:
    """A record to append: what happened, its payload, who did it and what it is about."""

    kind: str
    payload: Mapping[str, Any]
    actor: str
    subject: str | None = None


@dataclass(frozen=True, slots=True)
class Head:
    """The chain's last seq and hash: publish or store it elsewhere to anchor the log."""

    seq: int
    hash: str


def canonical_json(value: Any) -> bytes:
    """Sorted keys, no whitespace, UTF-8, no NaN: one byte string per value on every machine."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def format_ts(ts: datetime) -> str:
    """The timestamp as hashed: UTC, microseconds, ``Z`` suffix (what both backends keep)."""
    return ts.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def record_digest(
    prev_hash: str,
    seq: int,
    ts: datetime,
    actor: str,
    kind: str,
    subject: str | None,
    payload: Mapping[str, Any],
    *,
    payload_json: bytes | None = None,
) -> str:
    """The hash a record with these fields must carry.

    That is ``sha256(prev_hash || canonical_json({"actor", "kind", "payload", "seq", "subject",
    "ts"}))``; ``payload_json``, when given, must be ``canonical_json(payload)`` (appending has it
    from the payload's check): the body is written around it, byte for byte what encoding the
    whole body gives, without encoding the payload, most of the record, a second time.
    """
    encoded = canonical_json(payload) if payload_json is None else payload_json
    rest = canonical_json({"seq": seq, "ts": format_ts(ts), "actor": actor, "kind": kind, "subject": subject})
    # Keys sort as actor, kind, payload, seq, subject, ts. A string value cannot hold an
    # unescaped quote, so the first ',"seq":' is the key itself, where "payload" goes before.
    body = rest.replace(b',"seq":', b',"payload":' + encoded + b',"seq":', 1)
    return hashlib.sha256(prev_hash.encode("ascii") + body).hexdigest()


def _check_value(value: Any, path: str, depth: int) -> None:
    """Reject anything that is not plain JSON, and anything that looks like media."""
    if depth > _MAX_DEPTH:
        raise AuditPayloadError(f"{path}: nested deeper than {_MAX_DEPTH} levels")
    if isinstance(value, (bytes, bytearray, memoryview)):
        raise AuditPayloadError(
            f"{path}: bytes are not allowed in audit payloads (never log pixels; log hashes)",
            code="audit_payload_bytes",
        )
    if isinstance(value, str):
        if len(value.encode("utf-8")) > MAX_STRING_BYTES:
            raise AuditPayloadError(
                f"{path}: string longer than {MAX_STRING_BYTES} bytes (encoded media is not "
                "allowed in audit payloads)",
                code="audit_payload_too_large",
            )
        if value[:11].lower().startswith("data:image/"):
            raise AuditPayloadError(f"{path}: data: image URIs are not allowed", code="audit_payload_bytes")
        return
    if isinstance(value, bool) or value is None or isinstance(value, int):
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise AuditPayloadError(f"{path}: non-finite number {value!r}")
        return
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                raise AuditPayloadError(f"{path}: key {key!r} is not a string")
            _check_value(item, f"{path}.{key}", depth + 1)
        return
    if isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            _check_value(item, f"{path}[{i}]", depth + 1)
        return
    raise AuditPayloadError(
        f"{path}: {type(value).__name__} is not JSON (convert to str, int, float, bool, list or dict)",
        code="audit_payload_bytes" if hasattr(value, "__array__") else AuditPayloadError.code,
    )


def _plainly_valid(payload: Any) -> bool:
    """True when every value is an exact dict (string keys), list, str, int, float, bool or None
    within the limits ``_check_value`` enforces.

    The common case, checked level by level without a recursion or a path string per value (a
    verdict payload has about a hundred and fifty values). False only means "look closer":
    ``_check_value`` then names the problem, or accepts a less common valid type such as a tuple
    or a Mapping.
    """
    level: list[Any] = [payload]
    for _ in range(_MAX_DEPTH + 1):
        deeper: list[Any] = []
        for value in level:
            kind = type(value)
            if kind is str:
                if len(value) * 4 > MAX_STRING_BYTES and len(value.encode("utf-8")) > MAX_STRING_BYTES:
                    return False
                if value[:1] in _DATA_INITIALS and value[:11].lower().startswith("data:image/"):
                    return False
            elif kind is dict:
                if value and set(map(type, value)) != _STR_ONLY:
                    return False
                deeper.extend(value.values())
            elif kind is list:
                deeper.extend(value)
            elif kind is float:
                if not math.isfinite(value):
                    return False
            elif kind is not int and kind is not bool and value is not None:
                return False
        if not deeper:
            return True
        level = deeper
    return False  # nested deeper than _MAX_DEPTH


def _clean(payload: Mapping[str, Any]) -> tuple[dict[str, Any], bytes]:
    """``clean_payload`` and its canonical JSON (which the record's digest embeds)."""
    if not isinstance(payload, Mapping):
        raise AuditPayloadError("payload must be a JSON object (a dict)")
    if not _plainly_valid(payload):
        _check_value(payload, "payload", 0)
    encoded = canonical_json(payload)
    if len(encoded) > MAX_PAYLOAD_BYTES:
        raise AuditPayloadError(
            f"payload is {len(encoded)} bytes, over {MAX_PAYLOAD_BYTES}", code="audit_payload_too_large"
        )
    result: dict[str, Any] = json.loads(encoded)
    return result, encoded


def clean_payload(payload: Mapping[str, Any]) -> dict[str, Any]:
    """Validate ``payload`` and return it as it will read back from the database.

    The JSON round trip turns tuples into lists and so on, so the hash computed now equals the
    hash recomputed from the stored row later (the canonical JSON of the two is the same).
    """
    return _clean(payload)[0]


def _check_label(name: str, value: str | None, limit: int, *, required: bool) -> None:
    if value is None and not required:
        return
    if not isinstance(value, str) or not value or len(value) > limit:
        raise AuditPayloadError(f"{name} must be a non-empty string of at most {limit} characters")


def record_view(row: AuditRecordRow) -> AuditRecord:
    """The frozen view of a stored record (what services hand out instead of the row)."""
    return AuditRecord(
        seq=row.seq,
        ts=row.ts,
        actor=row.actor,
        kind=row.kind,
        subject=row.subject,
        payload=row.payload,
        prev_hash=row.prev_hash,
        hash=row.hash,
    )


def _append(
    session: Session, entries: Sequence[Entry], clean: list[tuple[dict[str, Any], bytes]]
) -> list[AuditRecord]:
    """Write ``entries`` after the head in ``session``'s transaction. Core statements built
    once: the ORM's unit of work and statement building cost more than the hashing. The lock on
    the head row is what serialises appenders on PostgreSQL; on SQLite the transaction already
    holds the database write lock."""
    connection = session.connection()
    seq, prev = connection.execute(_READ_HEAD).one()
    records: list[AuditRecord] = []
    for entry, (payload, encoded) in zip(entries, clean, strict=True):
        seq += 1
        ts = datetime.now(UTC)  # taken under the lock, so timestamps follow seq order
        digest = record_digest(prev, seq, ts, entry.actor, entry.kind, entry.subject, payload, payload_json=encoded)
        records.append(AuditRecord(seq, ts, entry.actor, entry.kind, entry.subject, payload, prev, digest))
        prev = digest
    connection.execute(_INSERT_RECORD, [
        {"seq": r.seq, "ts": r.ts, "actor": r.actor, "kind": r.kind, "subject": r.subject,
         "payload": r.payload, "prev_hash": r.prev_hash, "hash": r.hash}
        for r in records
    ])
    connection.execute(_WRITE_HEAD, {"new_seq": seq, "new_hash": prev})
    return records


class AuditLog:
    """Append-only access to the audit chain of one store. Safe to share between threads."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def append(
        self,
        kind: str,
        payload: Mapping[str, Any],
        *,
        actor: str,
        subject: str | None = None,
        session: Session | None = None,
    ) -> AuditRecord:
        """Add one record at the end of the chain and return it.

        ``kind`` names what happened (``"verdict"``, ``"key.created"``...), ``actor`` who did
        it (a key name, ``"system"``), ``subject`` what it is about (a request or case id).
        Pass the ``session`` of the transaction that makes the state change being recorded:
        the change and its record then commit together or not at all (a crash between two
        commits once left cases without ``case.opened``). That transaction must hold the
        write lock on SQLite (``store.transaction(write_lock=True)``). Without ``session`` the
        record is written in a transaction of its own (for events that change nothing else).
        Raises :class:`AuditPayloadError` for media bytes, huge strings or non-JSON values.
        """
        return self.append_many([Entry(kind, payload, actor, subject)], session=session)[0]

    def append_many(self, entries: Sequence[Entry], *, session: Session | None = None) -> list[AuditRecord]:
        """Add records at the end of the chain in order, in one transaction, and return them.

        Every payload is checked before anything is written, so a bad one adds none. One
        transaction for many records is what lets batch screening keep up: the write lock, the
        head row and the commit are paid once, not once per verdict. ``session``: as for
        :meth:`append`, the transaction of the state change being recorded.
        """
        for entry in entries:
            _check_label("kind", entry.kind, _MAX_KIND, required=True)
            _check_label("actor", entry.actor, _MAX_LABEL, required=True)
            _check_label("subject", entry.subject, _MAX_LABEL, required=False)
        clean = [_clean(entry.payload) for entry in entries]
        if not entries:
            return []
        if session is not None:
            return _append(session, entries, clean)
        with self.store.transaction(write_lock=True) as own:
            return _append(own, entries, clean)

    def head(self) -> Head:
        """The last seq and hash as the head row records them (seq 0: empty log)."""
        with self.store.transaction() as session:
            row = session.get_one(AuditHeadRow, 1)
            return Head(seq=row.seq, hash=row.hash)

    def get(self, seq: int) -> AuditRecord | None:
        """One record by seq, or None."""
        with self.store.transaction() as session:
            row = session.get(AuditRecordRow, seq)
            return None if row is None else record_view(row)


__all__ = [
    "GENESIS_HASH",
    "AuditLog",
    "AuditPayloadError",
    "AuditRecord",
    "Entry",
    "Head",
    "canonical_json",
    "clean_payload",
    "record_digest",
    "record_view",
]
