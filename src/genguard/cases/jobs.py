"""The case worker's jobs: every step of acting on a decision, durable and leased.

A reviewer's decision only records itself and enqueues its steps in the same transaction
(:func:`enqueue`); the worker (:func:`run_due`, in the API process's background thread or the
``genguard worker`` command) runs them. Steps, one row each in ``case_jobs``:

``remove``  the removal webhook for the item, and the uploader's strike
``bank``    the item's hashes into the re-upload bank (then enqueues ``sweep``)
``sweep``   copies already on the platform: each linked to the case once, with its removal
            webhook stored in the outbox (sent by the outbox's own retries)
``notify``  restriction, statement of reasons to the uploader, the decision to the reporter
``report``  the NCMEC / NCA report files
``reinstate`` a removal reversed on appeal: the reinstatement webhook, the hashes unbanked
            (enqueued with the appeal decision, which cancels the removal's pending steps)

Why jobs: a step that runs inside the reviewer's HTTP request dies with it (a ``database is
locked`` after 8 of 46 copies left the rest up). Here a worker takes a job under a lease; if it
crashes (``kill -9``) the lease expires and another run takes the job up again; a lock or a
dropped connection (``OperationalError``) puts the job back with backoff. Every step is
idempotent (unique keys on jobs, copies and webhooks; strikes once per case), so running a job
twice has the effect of running it once. Each outcome is in the audit trail (``job.*``).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from genguard.cases import takedown
from genguard.cases.views import Step, TakedownProgress, iso
from genguard.errors import GenguardError
from genguard.cases.tables import CaseCopyRow, CaseJobRow, WebhookOutboxRow

if TYPE_CHECKING:
    from genguard.cases.service import CaseService

log = logging.getLogger(__name__)

#: Attempts before a job is given up as failed (an operator can requeue it: ``retry``).
MAX_ATTEMPTS = 20
_FIRST_RETRY_S = 2.0
_MAX_RETRY_S = 600.0
_BATCH = 20


class NotReady(GenguardError):
    """A step that must wait for another (retried with backoff, like any failure)."""

    code = "case_job_not_ready"


def enqueue(session: Session, case_id: int, kind: str, payload: dict[str, Any], now: datetime, *,
            suffix: str = "") -> None:
    """Add the ``kind`` step of a case in the caller's transaction (once: the key is unique;
    ``suffix`` tells a later round of the same step apart)."""
    key = f"case-{case_id}-{kind}{suffix}"
    if session.scalar(select(CaseJobRow.id).where(CaseJobRow.key == key)) is None:
        session.add(CaseJobRow(key=key, case_id=case_id, kind=kind, payload=payload, status="pending",
                               attempts=0, next_attempt_at=now, created_at=now))


def worker_id() -> str:
    """Who holds a lease (host, process, thread): shown on the case while a step runs."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{threading.get_ident() % 100000}"


def run_due(svc: CaseService, *, owner: str | None = None, limit: int = _BATCH) -> int:
    """Take up to ``limit`` due jobs (pending and due, or running with an expired lease) and
    run each; returns how many finished."""
    owner = owner or worker_id()
    done = 0
    for job_id, kind in _claim(svc, owner, limit):
        done += _run(svc, job_id, kind, owner)
    return done


def anything_due(svc: CaseService) -> bool:
    """A read-only look (no write lock) whether a job or a webhook is due: the worker's poll."""
    now = svc.clock()
    with svc.store.transaction() as session:
        job = session.scalar(select(CaseJobRow.id).where(_due(now)).limit(1))
        hook = session.scalar(select(WebhookOutboxRow.id).where(WebhookOutboxRow.status == "pending",
                                                                WebhookOutboxRow.next_attempt_at <= now).limit(1))
        return job is not None or hook is not None


def _due(now: datetime) -> ColumnElement[bool]:
    return or_((CaseJobRow.status == "pending") & (CaseJobRow.next_attempt_at <= now),
               (CaseJobRow.status == "running") & (CaseJobRow.lease_expires_at <= now))


def _claim(svc: CaseService, owner: str, limit: int) -> list[tuple[int, str]]:
    now = svc.clock()
    with svc.store.transaction(write_lock=True) as session:
        query = (select(CaseJobRow)
                 .where(_due(now))
                 .order_by(CaseJobRow.id).limit(limit))
        if svc.store.dialect == "postgresql":
            query = query.with_for_update(skip_locked=True)
        rows = session.scalars(query).all()
        for row in rows:
            if row.status == "running":  # its worker died or hung past the lease
                svc.audit.append("job.lease_expired", {"job": row.key, "case_id": row.case_id,
                                                       "owner": row.lease_owner, "attempts": row.attempts},
                                 actor="system", subject=f"case:{row.case_id}", session=session)
            row.status, row.lease_owner = "running", owner
            row.lease_expires_at = now + svc.settings.job_lease
            row.attempts += 1
        return [(r.id, r.kind) for r in rows]


def _run(svc: CaseService, job_id: int, kind: str, owner: str) -> int:
    with svc.store.transaction() as session:
        job = session.get_one(CaseJobRow, job_id)
        case_id, payload = job.case_id, dict(job.payload)
    try:
        getattr(takedown, f"run_{kind}")(svc, case_id, payload)
    except Exception as exc:  # noqa: BLE001 - any failure is retried; the job's row keeps the reason
        transient = isinstance(exc, (OperationalError, NotReady))
        (log.warning if transient else log.exception)("case job %s of case %s failed: %s", kind, case_id, exc)
        _fail(svc, job_id, owner, f"{type(exc).__name__}: {exc}"[:300])
        return 0
    now = svc.clock()
    with svc.store.transaction(write_lock=True) as session:
        job = session.get_one(CaseJobRow, job_id)
        if job.lease_owner != owner:  # our lease ran out and another worker took the job: it finishes it
            return 0
        job.status, job.done_at, job.lease_owner, job.lease_expires_at = "done", now, None, None
        svc.audit.append("job.done", {"job": job.key, "case_id": case_id, "kind": kind, "attempts": job.attempts,
                                      "at": now.isoformat()}, actor="system", subject=f"case:{case_id}",
                         session=session)
    return 1


def _fail(svc: CaseService, job_id: int, owner: str, error: str) -> None:
    """Back to pending with backoff, or failed after :data:`MAX_ATTEMPTS`. Recording the failure
    may itself meet the lock: then the lease's expiry brings the job back."""
    now = svc.clock()
    try:
        with svc.store.transaction(write_lock=True) as session:
            job = session.get_one(CaseJobRow, job_id)
            if job.lease_owner != owner:
                return
            job.last_error, job.lease_owner, job.lease_expires_at = error, None, None
            if job.attempts >= MAX_ATTEMPTS:
                job.status = "failed"
            else:
                delay = min(_MAX_RETRY_S, _FIRST_RETRY_S * 2 ** (job.attempts - 1))
                job.status, job.next_attempt_at = "pending", now + timedelta(seconds=delay)
            svc.audit.append("job.failed" if job.status == "failed" else "job.retry",
                             {"job": job.key, "case_id": job.case_id, "attempts": job.attempts, "error": error,
                              "next_attempt_at": job.next_attempt_at.isoformat() if job.status == "pending" else None},
                             actor="system", subject=f"case:{job.case_id}", session=session)
    except OperationalError:
        log.warning("could not record the failure of job %s; its lease will expire", job_id)


def requeue(svc: CaseService, case_id: int) -> int:
    """Failed steps of a case back to pending (an operator's retry); returns how many."""
    now = svc.clock()
    with svc.store.transaction(write_lock=True) as session:
        rows = session.scalars(select(CaseJobRow).where(CaseJobRow.case_id == case_id,
                                                        CaseJobRow.status == "failed")).all()
        for row in rows:
            row.status, row.next_attempt_at, row.attempts = "pending", now, 0
        return len(rows)


def settled(session: Session, case_id: int) -> bool:
    """No step of the case is still to run (each is done, failed or cancelled): what anything
    that reports a final outcome (e.g. a requester's outcome notice) must wait for."""
    return session.scalar(select(CaseJobRow.id).where(
        CaseJobRow.case_id == case_id, CaseJobRow.status.in_(("pending", "running"))).limit(1)) is None


def progress(session: Session, case_id: int) -> TakedownProgress:
    """What the case page shows: each step's state and "n of m copies removed"."""
    jobs = session.scalars(select(CaseJobRow).where(CaseJobRow.case_id == case_id).order_by(CaseJobRow.id)).all()
    counts = session.execute(
        select(func.count(CaseCopyRow.id), func.count(CaseCopyRow.removed_at), func.count(CaseCopyRow.notify_error))
        .where(CaseCopyRow.case_id == case_id)).one()
    found, removed, cannot = (int(v) for v in counts)
    sweep = next((j for j in jobs if j.kind == "sweep"), None)
    return TakedownProgress(
        steps=[Step(j.kind, j.status, j.attempts, j.last_error, iso(j.done_at)) for j in jobs],
        done=bool(jobs) and all(j.status == "done" for j in jobs),
        settled=settled(session, case_id),
        sweep_done=sweep is not None and sweep.status == "done",
        copies_found=found, copies_removed=removed, copies_cannot_notify=cannot,
    )
