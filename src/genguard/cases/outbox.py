"""Durable webhook delivery: every case webhook is kept until the platform acknowledges it.

``deliver`` stores the event under its idempotency key, then tries at once (the sender's own
retries with backoff). What is still undelivered stays ``pending`` and the case tick retries it
later, on a backoff that grows to an hour, until it is delivered, refused (a 4xx the sender does
not retry) or out of attempts. ``stage`` stores one in the caller's transaction without sending
it (a job hands many over this way); ``send_case`` sends a case's due ones. A worker sending a
row holds it for the job lease, so a worker killed mid-send leaves it to the next after expiry. An acknowledgement can mean something for the case (``effect``):
the item or a copy is removed at that moment, which is what stops a statutory clock. Calling
``deliver`` again with a delivered key sends nothing; with a pending one it tries again.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from genguard.cases.views import Webhook, iso
from genguard.cases.webhooks import Delivery
from genguard.cases.tables import CaseCopyRow, CaseRow, WebhookOutboxRow

if TYPE_CHECKING:
    from genguard.cases.service import CaseService

#: Total attempts (over all rounds) before a pending webhook is given up as failed.
MAX_ATTEMPTS = 60
_FIRST_RETRY_S = 30
_MAX_RETRY_S = 3600
_BATCH = 100


def deliver(svc: CaseService, case_id: int | None, event: str, payload: dict[str, Any], key: str,
            *, effect: str | None = None) -> Delivery:
    """Store (once per key) and send now; the outcome is recorded in the audit trail."""
    now = svc.clock()
    with svc.store.transaction(write_lock=True) as session:
        row = session.scalars(select(WebhookOutboxRow).where(WebhookOutboxRow.idempotency_key == key)
                              .with_for_update()).one_or_none()
        if row is not None and row.status == "delivered":
            return Delivery(event, key, True, 0, None, None, row.delivered_at)
        if row is not None and row.status == "cancelled":  # a removal reversed on appeal
            return Delivery(event, key, False, 0, None, "cancelled", None)
        if row is None:
            row = WebhookOutboxRow(idempotency_key=key, event=event, case_id=case_id, payload=payload, effect=effect,
                                   status="pending", attempts=0, next_attempt_at=now, created_at=now)
            session.add(row)
            session.flush()
        row_id, payload = row.id, row.payload
    return _send(svc, row_id, case_id, event, payload, key, effect)


def stage(session: Session, case_id: int, event: str, payload: dict[str, Any], key: str, *,
          effect: str | None, now: datetime) -> None:
    """Store a webhook in the caller's transaction (once per key) for the worker to send: how a
    job hands over many webhooks without sending them while it holds the write lock."""
    if session.scalar(select(WebhookOutboxRow.id).where(WebhookOutboxRow.idempotency_key == key)) is None:
        session.add(WebhookOutboxRow(idempotency_key=key, event=event, case_id=case_id, payload=payload,
                                     effect=effect, status="pending", attempts=0, next_attempt_at=now,
                                     created_at=now))


def redeliver_due(svc: CaseService) -> int:
    """Retry every pending webhook whose time has come; returns how many were delivered."""
    return sum(_send(svc, *item).delivered for item in _claim_due(svc, None))


def send_case(svc: CaseService, case_id: int) -> int:
    """Send a case's due webhooks until none is left (what a copy sweep calls after each batch
    it stages); returns how many were delivered."""
    delivered = 0
    while work := _claim_due(svc, case_id):
        delivered += sum(_send(svc, *item).delivered for item in work)
    return delivered


def _claim_due(svc: CaseService, case_id: int | None) -> list[tuple[int, int | None, str, dict[str, Any], str, str | None]]:
    """Due webhooks (of one case, or all), each held for the job lease: another worker does not
    send it meanwhile, and a crashed worker's hold expires."""
    now = svc.clock()
    with svc.store.transaction(write_lock=True) as session:
        query = (select(WebhookOutboxRow)
                 .where(WebhookOutboxRow.status == "pending", WebhookOutboxRow.next_attempt_at <= now)
                 .order_by(WebhookOutboxRow.id).limit(_BATCH))
        if case_id is not None:
            query = query.where(WebhookOutboxRow.case_id == case_id)
        if svc.store.dialect == "postgresql":
            query = query.with_for_update(skip_locked=True)
        due = session.scalars(query).all()
        for row in due:
            row.next_attempt_at = now + svc.settings.job_lease
        return [(r.id, r.case_id, r.event, r.payload, r.idempotency_key, r.effect) for r in due]


def pending(svc: CaseService, case_id: int) -> list[Webhook]:
    """A case's webhooks and their delivery state (for reviewers and the case page)."""
    with svc.store.transaction() as session:
        rows = session.scalars(select(WebhookOutboxRow).where(WebhookOutboxRow.case_id == case_id)
                               .order_by(WebhookOutboxRow.id))
        return [Webhook(r.event, r.idempotency_key, r.status, r.attempts, r.last_error, iso(r.delivered_at),
                             iso(r.next_attempt_at) if r.status == "pending" else None) for r in rows]


def _send(svc: CaseService, row_id: int, case_id: int | None, event: str, payload: dict[str, Any], key: str,
          effect: str | None) -> Delivery:
    delivery = svc.sender.send(event, payload, key)
    now = svc.clock()
    with svc.store.transaction(write_lock=True) as session:
        row = session.get_one(WebhookOutboxRow, row_id)
        row.attempts += delivery.attempts
        row.last_error = delivery.error
        if delivery.delivered:
            row.status, row.delivered_at, row.next_attempt_at = "delivered", delivery.delivered_at or now, None
        elif delivery.error == "rejected" or row.attempts >= MAX_ATTEMPTS:
            row.status, row.next_attempt_at = "failed", None
        elif delivery.error != "not_configured":
            rounds = row.attempts // max(1, svc.sender.attempts)
            row.next_attempt_at = now + timedelta(seconds=min(_MAX_RETRY_S, _FIRST_RETRY_S * 2 ** min(rounds, 10)))
        svc.audit.append("webhook.delivery", {"case_id": case_id, **delivery.public(), "outbox": row.status},
                         actor="system", subject=f"case:{case_id}" if case_id else None, session=session)
        # In the transaction that marks it delivered: a crash leaves both or neither.
        if delivery.delivered and effect is not None and case_id is not None:
            _EFFECTS[effect](svc, session, case_id, payload, delivery.delivered_at or now)
    return delivery


def _case_removed(svc: CaseService, session: Session, case_id: int, payload: dict[str, Any], at: datetime) -> None:
    """The platform acknowledged the removal: the case's clock stops at ``at`` (once)."""
    if session.execute(update(CaseRow).where(CaseRow.id == case_id, CaseRow.removed_at.is_(None))
                       .values(removed_at=at)).rowcount != 1:  # type: ignore[attr-defined]
        return
    svc.audit.append("case.removed", {"case_id": case_id, "at": at.isoformat()}, actor="system",
                     subject=f"case:{case_id}", session=session)
    svc.record_action(case_id, at, session=session)


def _copy_removed(svc: CaseService, session: Session, case_id: int, payload: dict[str, Any], at: datetime) -> None:
    copy = session.get_one(CaseCopyRow, payload["copy_id"])
    if copy.removed_at is not None:
        return
    copy.removed_at = at
    svc.audit.append("takedown.copy_removed", {
        "case_id": case_id, "copy_id": payload["copy_id"], "ref": payload["content"]["platform_id"],
        "bank": payload["bank"], "category": payload["category"], "automated": True,
        "statement": payload["statement"], "found_at": copy.found_at.isoformat(), "at": at.isoformat()},
        actor="system", subject=f"case:{case_id}", session=session)


_EFFECTS = {"case_removed": _case_removed, "copy_removed": _copy_removed}
