"""The audit domain's service: record events, read the chain, verify it, count verdicts.

Routes, console pages and the dashboard reach the audit tables only through this class, so the
queries over ``audit_records`` live next to the chain that writes them (and change with it),
and callers get typed frozen views (:class:`AuditRecord`, :class:`Head`, :class:`VerifyReport`,
:class:`Volume`) instead of rows or dicts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from genguard.audit.chain import AuditLog, AuditRecord, Head, record_view
from genguard.audit.verify import VerifyReport, verify
from genguard.store.db import Store
from genguard.audit.tables import AuditRecordRow
from genguard.store.base import utcnow

#: The windows the dashboard shows verdict volumes for, newest first.
WINDOWS = (("last hour", timedelta(hours=1)), ("last 24 hours", timedelta(days=1)), ("last 7 days", timedelta(days=7)))


@dataclass(frozen=True, slots=True)
class Volume:
    """Screening verdicts in one window: counts per decision and the block rate."""

    label: str
    allow: int
    review: int
    block: int

    @property
    def total(self) -> int:
        return self.allow + self.review + self.block

    @property
    def block_rate(self) -> float | None:
        return self.block / self.total if self.total else None


def find_records(
    session: Session,
    *,
    after: int = 0,
    limit: int | None = None,
    kind: str | None = None,
    subject: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    newest_first: bool = False,
) -> list[AuditRecord]:
    """Records with seq over ``after`` in ``session``'s transaction, oldest first (``newest_first``:
    newest first): of one ``kind`` and ``subject`` when given, with ``since <= ts < until`` when
    given, at most ``limit``. Other domains read the chain through this (and
    :meth:`AuditService.records`), never through the table: a case's history, the statement a
    decision issued, a report's period."""
    query = select(AuditRecordRow).where(AuditRecordRow.seq > after)
    if kind:
        query = query.where(AuditRecordRow.kind == kind)
    if subject is not None:
        query = query.where(AuditRecordRow.subject == subject)
    if since is not None:
        query = query.where(AuditRecordRow.ts >= since)
    if until is not None:
        query = query.where(AuditRecordRow.ts < until)
    query = query.order_by(AuditRecordRow.seq.desc() if newest_first else AuditRecordRow.seq)
    if limit is not None:
        query = query.limit(limit)
    return [record_view(r) for r in session.scalars(query)]


def get_record(session: Session, seq: int) -> AuditRecord | None:
    """One record by seq in ``session``'s transaction, or None."""
    row = session.get(AuditRecordRow, seq)
    return None if row is None else record_view(row)


class AuditService:
    """Append to, read and verify the audit chain of one store. Safe to share between threads."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.log = AuditLog(store)

    def record(self, kind: str, payload: Mapping[str, Any], *, actor: str, subject: str | None = None) -> AuditRecord:
        """Record an event that changes nothing else (a sign-in, an export) in its own transaction.

        A state change records itself inside its own transaction through its domain's service,
        never through this method (see :meth:`AuditLog.append`)."""
        return self.log.append(kind, payload, actor=actor, subject=subject)

    def head(self) -> Head:
        """The chain's last seq and hash, to publish as an external anchor."""
        return self.log.head()

    def verify(self, *, anchor: Head | None = None) -> VerifyReport:
        """Walk the whole chain (constant memory) and report every tampering found."""
        return verify(self.store, anchor=anchor)

    def records(self, *, after: int = 0, limit: int | None = 100, kind: str | None = None,
                subject: str | None = None, since: datetime | None = None, until: datetime | None = None,
                newest_first: bool = False) -> list[AuditRecord]:
        """Records with seq greater than ``after``, oldest first: a reader pages with the last seq.
        The filters are :func:`find_records`'; ``limit=None`` reads every match."""
        with self.store.transaction() as session:
            return find_records(session, after=after, limit=limit, kind=kind, subject=subject, since=since,
                                until=until, newest_first=newest_first)

    def recent(self, kinds: tuple[str, ...] | None, limit: int = 15) -> list[AuditRecord]:
        """The newest records of ``kinds`` (None: of every kind), newest first."""
        query = select(AuditRecordRow)
        if kinds is not None:
            query = query.where(AuditRecordRow.kind.in_(kinds))
        with self.store.transaction() as session:
            rows = session.scalars(query.order_by(AuditRecordRow.seq.desc()).limit(limit)).all()
            return [record_view(r) for r in rows]

    def verdict_volumes(self, *, now: datetime | None = None) -> list[Volume]:
        """Screening verdict counts per decision in each of :data:`WINDOWS`, read from the
        chain itself (never a cache, so every worker shows the same numbers)."""
        now = now or utcnow()
        decision = AuditRecordRow.payload["decision"].as_string()
        out = []
        for label, span in WINDOWS:
            with self.store.transaction() as session:
                counts: dict[str, int] = dict(session.execute(
                    select(decision, func.count()).where(AuditRecordRow.kind == "screen.verdict",
                                                         AuditRecordRow.ts >= now - span).group_by(decision)).all())
            out.append(Volume(label, counts.get("allow", 0), counts.get("review", 0), counts.get("block", 0)))
        return out
