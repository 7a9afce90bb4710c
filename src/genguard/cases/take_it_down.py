"""TAKE IT DOWN Act details around the generic notice intake: requests from people without an
account, a request id and token to follow them, and the outcome notice with reasons.

* **Intake without an account** (:func:`submit_public`): the depicted person (or their
  representative) files directly. Only TAKE IT DOWN requests are taken there, with abuse
  controls that keep one sender from flooding the reviewers' queue: a request count per
  client per hour (the client is kept only as a keyed hash of its address), a count for all
  anonymous requests per hour, and fewer items per request than a platform may send. The
  request itself is validated exactly like a relayed one (signature, good-faith statement,
  contact), and opens cases with the same 48-hour clock.
* **Request id and requester token**: the receipt's ``request_id`` (the notice id) and a random
  token shown once; only its SHA-256 is stored. Id and token together read the outcome; a wrong
  token and an unknown id get the same 404.
* **Outcome notice** (:func:`outcome`): per item removed, refused (with the reviewer's stated
  reasons) or still pending, whether it came down within 48 hours, and the known identical
  copies the copy sweep found and removed, with the same 48-hour check. The sweep itself is the
  takedown service's (``cases/takedown.py``); this module only reads what it recorded.
* **Delivery** (:func:`deliver_outcomes`, run by the case tick): when every item of a request is
  final, one ``notify.requester`` webhook goes through the outbox (kept and retried until
  acknowledged) with the outcome and a ready e-mail (to, subject, text) for the platform's mailer:
  genguard sends no e-mail itself.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import exists, func, or_, select

from genguard.audit.service import find_records
from genguard.cases import intake, jobs, outbox
from genguard.cases.notices import Notice, Regime
from genguard.cases.takedown import REMOVING
from genguard.cases.views import CopyCounts, Outcome, OutcomeItem, PublicReceipt, iso
from genguard.errors import GenguardError, NotFound, RequestError
from genguard.cases.tables import CaseCopyRow, CaseRow, NoticeRow, RequesterAccessRow

if TYPE_CHECKING:
    from genguard.cases.service import CaseService
    from genguard.config import Settings

#: The actor prefix of requests filed without an account.
PUBLIC = "public:"
_HOUR = timedelta(hours=1)
_BATCH = 100


class TooManyRequests(GenguardError):
    code = "rate_limited"
    status = 429


@dataclass(frozen=True)
class PublicIntakePolicy:
    """Whether the account-less intake is open, and its abuse limits."""

    enabled: bool = False
    per_client_per_hour: int = 5
    total_per_hour: int = 200
    max_items: int = 20

    @classmethod
    def from_settings(cls, settings: Settings) -> PublicIntakePolicy:
        """``GENGUARD_PUBLIC_INTAKE=1`` opens it; ``GENGUARD_PUBLIC_INTAKE_PER_CLIENT_HOUR``,
        ``GENGUARD_PUBLIC_INTAKE_PER_HOUR`` and ``GENGUARD_PUBLIC_INTAKE_MAX_ITEMS`` bound it."""
        return cls(enabled=settings.public_intake, per_client_per_hour=settings.public_intake_per_client_hour,
                   total_per_hour=settings.public_intake_per_hour, max_items=settings.public_intake_max_items)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def submit_public(svc: CaseService, notice: Notice, *, client: str, policy: PublicIntakePolicy) -> PublicReceipt:
    """File a TAKE IT DOWN request for someone without an account. ``client`` is the keyed hash
    of the sender's address. Returns the receipt with ``request_id`` and ``requester_token``."""
    if not policy.enabled:
        raise GenguardError("requests without an account are not accepted here; file through the platform",
                            code="public_intake_closed", status=404)
    if notice.regime is not Regime.TAKE_IT_DOWN:
        raise RequestError("this endpoint takes TAKE IT DOWN requests only (regime: take_it_down)",
                           code="regime_not_accepted")
    if len(notice.items) > policy.max_items:
        raise RequestError(f"at most {policy.max_items} items per request here", code="too_many_items")
    actor = PUBLIC + client
    since = svc.clock() - _HOUR
    with svc.store.transaction() as session:
        mine = session.scalar(select(func.count()).where(NoticeRow.submitted_by == actor,
                                                         NoticeRow.received_at >= since)) or 0
        everyone = session.scalar(select(func.count()).where(NoticeRow.submitted_by.startswith(PUBLIC),
                                                             NoticeRow.received_at >= since)) or 0
    if mine >= policy.per_client_per_hour:
        raise TooManyRequests(f"at most {policy.per_client_per_hour} requests an hour from one sender; "
                              "try again later or file through the platform")
    if everyone >= policy.total_per_hour:
        raise TooManyRequests("too many requests without an account right now; try again later or file "
                              "through the platform")
    receipt = intake.submit_notice(svc, notice, actor=actor).body
    token = secrets.token_urlsafe(32)
    with svc.store.transaction(write_lock=True) as session:
        session.add(RequesterAccessRow(notice_id=receipt.notice_id, token_sha256=_token_hash(token),
                                       created_at=svc.clock()))
    return PublicReceipt(receipt.notice_id, receipt.received_at, receipt.digest, receipt.regime, receipt.cases,
                         request_id=receipt.notice_id, requester_token=token)


def for_requester(body: Mapping[str, Any]) -> dict[str, Any]:
    """A receipt or outcome as an anonymous requester sees it: without internal case ids
    (sequential numbers would tell anyone the platform's case volume)."""
    items = body.get("items", body.get("cases", []))
    return {**{k: v for k, v in body.items() if k not in ("cases", "items", "notice_id")},
            "items": [{k: v for k, v in item.items() if k != "case_id"} for item in items]}


def outcome_for_requester(svc: CaseService, request_id: str, token: str) -> dict[str, Any]:
    """The outcome, if ``token`` is the one issued with ``request_id`` (else 404, either way)."""
    with svc.store.transaction() as session:
        row = session.get(RequesterAccessRow, request_id)
        stored = row.token_sha256 if row is not None else None
    if stored is None or not hmac.compare_digest(stored, _token_hash(token)):
        raise NotFound("no request with this id and token", code="request_not_found")
    return for_requester(outcome(svc, request_id).to_json())


def outcome(svc: CaseService, request_id: str) -> Outcome:
    """The outcome notice of one request: per item, what happened and why, and its copies."""
    with svc.store.transaction() as session:
        notice = session.get(NoticeRow, request_id)
        if notice is None:
            raise NotFound(f"no request {request_id}", code="request_not_found")
        cases = session.scalars(select(CaseRow).where(CaseRow.notice_id == request_id).order_by(CaseRow.id)).all()
        items = [_item(session, svc, c) for c in cases]
        received_at, regime = notice.received_at, notice.regime
    return Outcome(request_id, regime, received_at.isoformat(), all(i.final for i in items), items)


def _item(session: Any, svc: CaseService, case: CaseRow) -> OutcomeItem:
    deadline = case.clock_started_at + timedelta(seconds=case.budget_s + case.paused_s)
    found = session.scalars(select(CaseCopyRow).where(CaseCopyRow.case_id == case.id)).all()
    # A copy without a platform id cannot be notified, so it is never removed through genguard:
    # it is reported apart ("cannot_notify") instead of holding the outcome open for ever.
    copies = [c for c in found if c.notify_error is None]
    removed_copies = [c for c in copies if c.removed_at is not None]
    statement = _statement(session, case.id) if case.decision else None
    if case.decision in REMOVING:
        state = "removed" if case.removed_at is not None else "removal_pending"
    elif case.decision in ("no_action", "restrict"):
        state = "refused" if case.decision == "no_action" else "restricted"
    else:
        state = "pending"
    # Final only once every takedown step (removal, sweep, notices) has run: an outcome notice
    # sent before the sweep finished would under-report the copies removed.
    final = (state in ("removed", "refused", "restricted") and len(removed_copies) == len(copies)
             and jobs.settled(session, case.id))
    return OutcomeItem(
        case_id=case.id, platform_id=case.platform_id, url=case.url, outcome=state, final=final,
        reasons=statement["facts_and_circumstances"] if statement else None,
        ground=(statement.get("legal_ground") or statement.get("contractual_ground")) if statement else None,
        decided_at=iso(case.decided_at), removed_at=iso(case.removed_at), due_at=deadline.isoformat(),
        within_48h=None if case.removed_at is None else case.removed_at <= deadline,
        copies=CopyCounts(found=len(copies), removed=len(removed_copies), cannot_notify=len(found) - len(copies),
                          removed_within_48h=sum(1 for c in removed_copies if c.removed_at <= deadline)),
    )


def _statement(session: Any, case_id: int) -> dict[str, Any] | None:
    """The statement of reasons the decision issued (kept in the audit trail, not on the case)."""
    last = find_records(session, subject=f"case:{case_id}", kind="case.decided", newest_first=True, limit=1)
    return last[0].payload.get("statement") if last else None


def deliver_outcomes(svc: CaseService) -> int:
    """Send the outcome notice of every TAKE IT DOWN request that became complete; returns how
    many went out. Each is sent once (outbox idempotency key per request) and then marked. Every
    unsent request is looked at, page by page, so requests that stay open (escalated, awaiting
    the platform) never starve the ones behind them."""
    delivered = 0
    last = ""
    while True:
        with svc.store.transaction() as session:
            sent = exists().where(RequesterAccessRow.notice_id == NoticeRow.id,
                                  RequesterAccessRow.outcome_sent_at.is_not(None))
            # Requests with an undecided or unacknowledged item are skipped in SQL: the tick
            # then reads only the few that may have become complete.
            unfinished = exists().where(CaseRow.notice_id == NoticeRow.id, or_(
                CaseRow.status == "open", CaseRow.decision.in_(REMOVING) & CaseRow.removed_at.is_(None)))
            page = session.scalars(select(NoticeRow.id).where(NoticeRow.regime == Regime.TAKE_IT_DOWN.value,
                                                              NoticeRow.id > last, ~sent, ~unfinished)
                                   .order_by(NoticeRow.id).limit(_BATCH)).all()
        if not page:
            return delivered
        last = page[-1]
        for request_id in page:
            delivered += _deliver_if_complete(svc, request_id)


def _deliver_if_complete(svc: CaseService, request_id: str) -> int:
    result = outcome(svc, request_id).to_json()  # the webhook's payload and the e-mail's source
    if not result["complete"]:
        return 0
    with svc.store.transaction() as session:
        contact = session.get_one(NoticeRow, request_id).body.get("reporter") or {}
    payload = {"request_id": request_id, "outcome": result, "reporter": contact,
               "email": _email(contact.get("email"), result)}
    delivery = outbox.deliver(svc, None, "notify.requester", payload, f"request-{request_id}-outcome")
    _mark_sent(svc, request_id, svc.clock())
    return int(delivery.delivered)


def _mark_sent(svc: CaseService, request_id: str, at: datetime) -> None:
    """Queued in the outbox counts as sent: the outbox retries until the platform acknowledges."""
    with svc.store.transaction(write_lock=True) as session:
        row = session.get(RequesterAccessRow, request_id)
        if row is None:
            session.add(RequesterAccessRow(notice_id=request_id, token_sha256=None, created_at=at,
                                           outcome_sent_at=at))
        else:
            row.outcome_sent_at = at
        svc.audit.append("request.outcome_sent", {"request_id": request_id, "at": at.isoformat()},
                         actor="system", subject=f"notice:{request_id}", session=session)


_WORDS = {"removed": "removed", "refused": "not removed", "restricted": "restricted but not removed"}


def _email(to: str | None, result: dict[str, Any]) -> dict[str, Any] | None:
    """The outcome as a plain-text e-mail the platform's mailer can send as is."""
    if not to:
        return None
    lines = [f"Your removal request {result['request_id']} (received {result['received_at']}) has been decided.", ""]
    for item in result["items"]:
        where = item["platform_id"] or item["url"] or f"item of case {item['case_id']}"
        line = f"- {where}: {_WORDS.get(item['outcome'], item['outcome'])}"
        if item["outcome"] == "removed":
            line += " within 48 hours" if item["within_48h"] else " (after the 48-hour deadline)"
        lines.append(line)
        if item["outcome"] != "removed" and item["reasons"]:
            lines.append(f"  Reasons: {item['reasons']}")
        if item["copies"]["found"]:
            lines.append(f"  Identical copies found and removed: {item['copies']['removed']} of "
                         f"{item['copies']['found']}.")
    lines += ["", "If you disagree with a decision, you can ask the platform to review it again."]
    return {"to": to, "subject": f"Outcome of your removal request {result['request_id']}", "text": "\n".join(lines)}
