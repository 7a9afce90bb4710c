"""The case service: notices in, cases with clocks, review, takedown, appeals — all audited.

One instance per process (the API holds one in ``app.state.cases``). Every state change is a
short database transaction that also appends its audit record (both commit or neither); webhooks are sent after the
transaction commits, never while a row lock is held. Times come from ``clock`` so tests can
drive breaches and pauses; the audit record's own timestamp stays the real time of writing.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, Table, case, func, select, update
from sqlalchemy.orm import Session

from genguard.audit.chain import AuditLog
from genguard.audit.service import find_records
from genguard.banks.service import BankService
from genguard.cases import appeals, intake, jobs, outbox, take_it_down, takedown
from genguard.cases.clocks import ClockState, ClockView, PauseReason
from genguard.cases.notices import Category, Notice, Regime
from genguard.cases.rows import appeal_view, case_row
from genguard.cases.settings import CaseSettings
from genguard.cases.takedown import REMOVING
from genguard.cases.triage import claim_next, claim_one, queue_order
from genguard.cases.views import (Appeal, AppealItem, Case, CaseMetrics, ClockAlert, CaseSummary, Content, HistoryRecord,
                                   NoticeReceipt, NoticeRef, QueueSize, TickDone, WorkDone, iso)
from genguard.cases.webhooks import WebhookSender
from genguard.compliance.mandatory import INDUSTRY_CLASSES
from genguard.compliance.statements import Ground, statement_of_reasons
from genguard.config import Settings
from genguard.errors import Conflict, RequestError
from genguard.store.db import Store
from genguard.cases.tables import AppealRow, CaseRow, NoticeRow, StrikeRow
from genguard.store.base import utcnow

log = logging.getLogger(__name__)
DECISIONS = ("remove", "restrict", "no_action", "escalate", "mandatory_report")


class CaseService:
    def __init__(
        self,
        store: Store,
        *,
        settings: CaseSettings | None = None,
        sender: WebhookSender | None = None,
        banks: BankService | None = None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.store = store
        self.settings = settings or CaseSettings()
        self.sender = sender or WebhookSender(url=None)
        self.banks = banks
        self.clock = clock
        self.audit = AuditLog(store)
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._ticker: threading.Thread | None = None

    @classmethod
    def for_app(cls, settings: Settings, store: Store, banks: BankService | None,
                sender: WebhookSender | None = None) -> CaseService:
        """The API's service: case settings and webhook target from ``settings``, the platform's
        banks, and the in-process case worker (a background thread: decisions' steps as soon as
        they are recorded, due work polled every second, the full tick every
        ``settings.cases_tick_s`` seconds; 0: no thread, run ``genguard worker`` instead)."""
        svc = cls(store, settings=CaseSettings.from_settings(settings),
                  sender=sender or WebhookSender.from_settings(settings), banks=banks)
        interval = settings.cases_tick_s
        if interval > 0:
            svc._ticker = threading.Thread(target=svc._tick_loop, args=(interval,), daemon=True,
                                           name="genguard-case-worker")
            svc._ticker.start()
        return svc

    def _tick_loop(self, interval: float) -> None:
        """The in-process worker: a full tick every ``interval`` seconds, and the jobs of a
        decision as soon as it is recorded (``_wake``)."""
        last = time.monotonic()
        while not self._stop.is_set():
            woken = self._wake.wait(min(interval, 1.0))
            self._wake.clear()
            try:
                if time.monotonic() - last >= interval:
                    last = time.monotonic()
                    self.tick()
                elif woken or jobs.anything_due(self):
                    self.work()
            except Exception:  # noqa: BLE001 - the loop must survive a database hiccup; next tick retries
                log.exception("case worker tick failed")

    def run_worker(self, *, interval: float, stop: threading.Event | None = None) -> None:
        """The ``genguard worker`` loop in the calling thread, until ``stop`` is set."""
        if stop is not None:
            self._stop = stop
        self._tick_loop(interval)

    def close(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._ticker is not None:
            self._ticker.join(timeout=10)
        self.sender.close()

    # -- intake (cases/intake.py) ---------------------------------------------------------------

    def submit_notice(self, notice: Notice, *, actor: str, idempotency_key: str | None = None) -> NoticeReceipt:
        """Validate, store and open one case per item; the receipt names each case and its clock
        (a retry with the same ``idempotency_key`` gets the first receipt, see intake)."""
        return intake.submit_notice(self, notice, actor=actor, idempotency_key=idempotency_key).body

    def ingest_escalations(self, *, actor: str = "system") -> list[int]:
        """Open a case for every open screening escalation, each exactly once."""
        return intake.ingest_escalations(self, actor=actor)

    # -- reading -----------------------------------------------------------------------------

    def get(self, case_id: int) -> Case:
        """The case in full: clock, takedown progress, copies swept, appeals, its notice and
        its webhooks' outbox state."""
        now = self.clock()
        with self.store.transaction() as session:
            row = case_row(session, case_id)
            summary = self.view_of(row, now)
            notice = None
            if row.notice_id:
                found = session.get_one(NoticeRow, row.notice_id)
                notice = NoticeRef(found.id, found.received_at.isoformat(), found.reporter_type, found.digest)
            parts = {f: getattr(summary, f) for f in CaseSummary.__dataclass_fields__}
            view = Case(**parts, copies=takedown.copies(session, case_id), takedown=jobs.progress(session, case_id),
                        appeals=[appeal_view(a) for a in session.scalars(
                            select(AppealRow).where(AppealRow.case_id == case_id).order_by(AppealRow.id))],
                        notice=notice, webhooks=outbox.pending(self, case_id))
        return view

    def list_cases(self, *, status: str | None = "open", order: str = "due", limit: int = 100,
                   offset: int = 0) -> list[CaseSummary]:
        """Cases by due time (``order="due"``) or queue order (``order="queue"``)."""
        now = self.clock()
        query = select(CaseRow)
        if status:
            query = query.where(CaseRow.status == status)
        ordering = queue_order() if order == "queue" else (CaseRow.due_at.asc(), CaseRow.id.asc())
        with self.store.transaction() as session:
            rows = session.scalars(query.order_by(*ordering).limit(limit).offset(offset)).all()
            return [self.view_of(r, now) for r in rows]

    def history(self, case_id: int) -> list[HistoryRecord]:
        """Every audit record about the case (subject ``case:<id>``), oldest first: the case
        page's timeline. A missing case is a ``case_not_found`` error, not an empty timeline."""
        with self.store.transaction() as session:
            case_row(session, case_id)
            records = find_records(session, subject=f"case:{case_id}")
            return [HistoryRecord(r.seq, r.ts, r.actor, r.kind, r.payload) for r in records]

    def appeals(self, *, limit: int = 200) -> list[AppealItem]:
        """Appeals for the oversight list: open ones first (oldest first), then decided ones."""
        with self.store.transaction() as session:
            rows = session.scalars(select(AppealRow).order_by(case((AppealRow.status == "open", 0), else_=1),
                                                              AppealRow.filed_at).limit(limit)).all()
            return [AppealItem(a.id, a.case_id, a.filed_at, a.appellant, a.grounds, a.status, a.decided_by)
                    for a in rows]

    def queue_sizes(self) -> list[QueueSize]:
        """Open cases per category in queue order: the category's priority tier (harm) first."""
        with self.store.transaction() as session:
            return [QueueSize(str(c), int(n)) for c, n, _ in session.execute(
                select(CaseRow.category, func.count(), func.max(CaseRow.priority)).where(CaseRow.status == "open")
                .group_by(CaseRow.category).order_by(func.max(CaseRow.priority).desc())).all()]

    def view_of(self, row: CaseRow, now: datetime) -> CaseSummary:
        """The summary view of a case row with its clock as of ``now`` (the intake and review
        modules use it on rows they hold inside their own transaction)."""
        clock = self.clock_of(row)
        return CaseSummary(
            id=row.id, source=row.source, regime=row.regime, category=row.category,
            reporter_type=row.reporter_type, notice_id=row.notice_id, escalation_id=row.escalation_id,
            content=Content.of(row.platform_id, row.url, row.hashes),
            account=row.account, priority=row.priority, signals=row.signals, status=row.status,
            clock=row.clock, clock_started_at=row.clock_started_at.isoformat(),
            opened_at=row.opened_at.isoformat(),
            budget_s=row.budget_s, due_at=clock.due_at(now).isoformat(),
            clock_state=clock.state(now, self.settings.clocks.escalate_at).value,
            clock_elapsed_s=round(clock.elapsed(now).total_seconds(), 3),
            paused=row.paused_since is not None, pause_reason=row.pause_reason,
            escalated_at=iso(row.escalated_at), breached_at=iso(row.breached_at),
            claimed_by=row.claimed_by if row.claim_expires_at and row.claim_expires_at > now else None,
            decision=row.decision, decided_by=row.decided_by, decided_at=iso(row.decided_at),
            removed_at=iso(row.removed_at),
        )

    @staticmethod
    def clock_of(row: CaseRow) -> ClockView:
        """The clock stops at the action: the platform's removal acknowledgement for a removal,
        the decision itself otherwise."""
        stopped = row.removed_at if row.decision in REMOVING else row.decided_at
        if row.decision == "escalate":
            stopped = None
        return ClockView(row.clock_started_at, timedelta(seconds=row.budget_s), timedelta(seconds=row.paused_s),
                         row.paused_since, stopped)

    # -- clocks ------------------------------------------------------------------------------

    def pause(self, case_id: int, reason: PauseReason, *, actor: str) -> CaseSummary:
        now = self.clock()
        with self.store.transaction(write_lock=True) as session:
            row = case_row(session, case_id, lock=True)
            if not self.settings.clocks.pausable(Regime(row.regime)):
                raise Conflict(f"a {row.regime} clock cannot be paused", code="clock_not_pausable")
            if row.paused_since is not None or self.clock_of(row).stopped_at is not None:
                raise Conflict("the clock is already paused or stopped", code="clock_not_running")
            row.paused_since, row.pause_reason = now, reason.value
            view = self.view_of(row, now)
            self.audit.append("case.paused", {"case_id": case_id, "reason": reason.value, "at": now.isoformat()},
                              actor=actor, subject=f"case:{case_id}", session=session)
        return view

    def resume(self, case_id: int, *, actor: str) -> CaseSummary:
        now = self.clock()
        with self.store.transaction(write_lock=True) as session:
            row = case_row(session, case_id, lock=True)
            if row.paused_since is None:
                raise Conflict("the clock is not paused", code="clock_not_paused")
            paused = int((now - row.paused_since).total_seconds())
            row.paused_s += paused
            row.paused_since, reason, row.pause_reason = None, row.pause_reason, None
            row.due_at = self.clock_of(row).due_at(now)
            view = self.view_of(row, now)
            self.audit.append("case.resumed", {"case_id": case_id, "reason": reason, "paused_s": paused,
                                               "due_at": view.due_at, "at": now.isoformat()},
                              actor=actor, subject=f"case:{case_id}", session=session)
        return view

    def check_clocks(self) -> list[ClockAlert]:
        """Escalation and breach alerts for every running clock past its point, each sent once
        (a conditional update claims the alert, so concurrent workers do not both send it)."""
        now = self.clock()
        alerts: list[ClockAlert] = []
        with self.store.transaction() as session:
            rows = session.scalars(select(CaseRow).where(
                CaseRow.breached_at.is_(None),
                (CaseRow.status == "open") | CaseRow.decision.in_(REMOVING) & CaseRow.removed_at.is_(None),
            ).order_by(CaseRow.id)).all()
            due = [(r.id, self.clock_of(r).state(now, self.settings.clocks.escalate_at), r.escalated_at) for r in rows]
        for case_id, state, escalated_at in due:
            if state is ClockState.BREACHED:
                alerts += self._alert(case_id, "breached", now)
            elif state is ClockState.ESCALATED and escalated_at is None:
                alerts += self._alert(case_id, "escalated", now)
        return alerts

    def _alert(self, case_id: int, kind: str, now: datetime) -> list[ClockAlert]:
        column = CaseRow.breached_at if kind == "breached" else CaseRow.escalated_at
        with self.store.transaction(write_lock=True) as session:
            # A Core update (no ORM synchronisation): the row count says whether this worker won.
            result = session.execute(update(cast(Table, CaseRow.__table__))
                                     .where(CaseRow.id == case_id, column.is_(None)).values({column.key: now}))
            won = cast("CursorResult[Any]", result).rowcount == 1
            if not won:
                return []
            row = case_row(session, case_id)
            view = self.view_of(row, now)
            alert = ClockAlert(case_id, kind, view.clock, view.due_at, view.category, now.isoformat())
            self.audit.append(f"case.{kind}", alert.to_json(), actor="system", subject=f"case:{case_id}",
                              session=session)
        outbox.deliver(self, case_id, f"case.{kind}", alert.to_json(), f"case-{case_id}-{kind}")
        return [alert]

    def tick(self) -> TickDone:
        """What a background loop runs: screening escalations to cases, clock alerts, due case
        jobs, webhooks still waiting for the platform's acknowledgement, and TAKE IT DOWN outcome
        notices."""
        opened, alerts, done = self.ingest_escalations(), self.check_clocks(), self.work()
        return TickDone(opened, alerts, done.jobs, done.redelivered,
                        take_it_down.deliver_outcomes(self))

    def work(self, *, rounds: int = 1000) -> WorkDone:
        """Run due jobs and due webhooks until none is left (or ``rounds``): what the worker does
        between ticks. Returns how many jobs finished and webhooks were delivered."""
        done = delivered = 0
        for _ in range(rounds):
            ran, sent = jobs.run_due(self), outbox.redeliver_due(self)
            done, delivered = done + ran, delivered + sent
            if not ran and not sent:
                break
        return WorkDone(done, delivered)

    def wake(self) -> None:
        """Start the in-process worker on newly enqueued steps now (a decision, an appeal)."""
        self._wake.set()

    def case_metrics(self) -> CaseMetrics:
        """Open cases, clocks escalated and breached, overdue cases (from the database, so every
        worker reports the same numbers)."""
        now = self.clock()
        with self.store.transaction() as session:
            open_by_clock = {str(k): int(v) for k, v in session.execute(
                select(CaseRow.clock, func.count()).where(CaseRow.status == "open").group_by(CaseRow.clock)).all()}
            breached = session.scalar(select(func.count()).where(CaseRow.breached_at.is_not(None))) or 0
            escalated = session.scalar(select(func.count()).where(CaseRow.escalated_at.is_not(None))) or 0
            overdue = session.scalar(select(func.count()).where(
                CaseRow.status == "open", CaseRow.paused_since.is_(None), CaseRow.due_at < now)) or 0
        return CaseMetrics(open_by_clock, int(breached), int(escalated), int(overdue))

    def metrics(self) -> str:
        """:meth:`case_metrics` as Prometheus text (what ``/v1/cases/metrics`` serves)."""
        return self.case_metrics().prometheus()

    # -- review ------------------------------------------------------------------------------

    def claim(self, reviewer: str, case_id: int | None = None) -> CaseSummary | None:
        """The next case in queue order (or ``case_id``), held by ``reviewer`` for the lease.
        None: the queue has nothing claimable. A case held by another reviewer is a conflict."""
        now = self.clock()
        lease = self.settings.claim_lease
        with self.store.transaction(write_lock=True) as session:
            if case_id is None:
                row = claim_next(session, self.store.dialect, reviewer, now, lease)
                if row is None:
                    return None
            else:
                case_row(session, case_id)
                if not claim_one(session, case_id, reviewer, now, lease):
                    raise Conflict(f"case {case_id} is held by another reviewer or closed", code="case_not_claimable")
                row = case_row(session, case_id)
                session.refresh(row)
            view = self.view_of(row, now)
            self.audit.append("case.claimed", {"case_id": view.id, "reviewer": reviewer, "at": now.isoformat()},
                              actor=reviewer, subject=f"case:{view.id}", session=session)
        return view

    def release(self, case_id: int, reviewer: str) -> CaseSummary:
        now = self.clock()
        with self.store.transaction(write_lock=True) as session:
            row = self._held(session, case_id, reviewer, now)
            row.claimed_by, row.claim_expires_at = None, None
            view = self.view_of(row, now)
            self.audit.append("case.released", {"case_id": case_id, "reviewer": reviewer, "at": now.isoformat()},
                              actor=reviewer, subject=f"case:{case_id}", session=session)
        return view

    def _held(self, session: Any, case_id: int, reviewer: str, now: datetime) -> CaseRow:
        row = case_row(session, case_id, lock=True)
        if row.status != "open" or row.claimed_by != reviewer or not row.claim_expires_at or row.claim_expires_at <= now:
            raise Conflict(f"case {case_id} is not held by you (claim it first)", code="case_not_claimed")
        return row

    def decide(self, case_id: int, reviewer: str, decision: str, *, explanation: str,
               ground: str | None = None, reference: str | None = None,
               territorial_scope: list[str] | None = None,
               industry_classification: str | None = None) -> CaseSummary:
        """Record a reviewer's decision and enqueue its steps (takedown, banking, copy sweep,
        report, notifications) in the same transaction; the case worker runs them.

        ``industry_classification`` (NCMEC's A1/A2/B1/B2, a mandatory report only) is the
        reviewer's own reading of the material; the CyberTipline report carries it as given and
        omits it when none was given, never a guess."""
        if industry_classification is not None and (
                decision != "mandatory_report" or industry_classification not in INDUSTRY_CLASSES):
            raise RequestError(f"an industry classification ({', '.join(INDUSTRY_CLASSES)}) goes with a "
                               "mandatory report only", code="decision_invalid")
        if decision not in DECISIONS:
            raise RequestError(f"decision must be one of {', '.join(DECISIONS)}", code="decision_invalid")
        if ground not in (None, "illegal", "contractual"):
            raise RequestError("ground must be 'illegal' or 'contractual'", code="decision_invalid")
        if not explanation.strip():
            raise RequestError("a decision needs an explanation (the facts relied on)", code="decision_invalid")
        now = self.clock()
        with self.store.transaction(write_lock=True) as session:
            row = self._held(session, case_id, reviewer, now)
            if decision == "escalate":
                row.claimed_by, row.claim_expires_at = None, None
                row.priority += 500
                self.audit.append("case.review_escalated", {"case_id": case_id, "reviewer": reviewer,
                                                            "explanation": explanation, "at": now.isoformat()},
                                  actor=reviewer, subject=f"case:{case_id}", session=session)
                return self.view_of(row, now)
            if decision == "mandatory_report" and row.category != Category.CHILD_SEXUAL_ABUSE.value:
                raise RequestError("a mandatory report is for child sexual abuse material", code="decision_invalid")
            row.status, row.decision, row.decided_by, row.decided_at = "decided", decision, reviewer, now
            row.claimed_by, row.claim_expires_at = None, None
            if row.paused_since is not None:  # an action ends any pause
                row.paused_s += int((now - row.paused_since).total_seconds())
                row.paused_since = None
            view = self.view_of(row, now)
            notice = session.get(NoticeRow, row.notice_id) if row.notice_id else None
            notice_body = notice.body if notice else None
            statement = self.statement(view, decision, explanation, decided_at=now, ground=ground,
                                       reference=reference, territorial_scope=territorial_scope)
            self.audit.append("case.decided", {"case_id": case_id, "decision": decision, "reviewer": reviewer,
                                               "automated": False, "category": view.category,
                                               "source": view.source, "statement": statement,
                                               "at": now.isoformat(),
                                               **({"industry_classification": industry_classification}
                                                  if industry_classification else {})},
                              actor=reviewer, subject=f"case:{case_id}", session=session)
            session.flush()
            if decision not in REMOVING:  # the decision itself is the action; a removal's is the acknowledgement
                self.record_action(case_id, now, session=session)
            takedown.plan(self, session, row, statement, reviewer, notice_body, now)
        self.wake()  # the in-process worker starts on the steps now
        return self.get(case_id)

    @staticmethod
    def statement(case: CaseSummary, decision: str, explanation: str, *, decided_at: datetime,
                  ground: str | None = None, reference: str | None = None,
                  territorial_scope: list[str] | None = None) -> dict[str, Any]:
        """The DSA statement of reasons for ``decision`` on ``case``: what :meth:`decide` issues
        and the console previews (one builder, so the preview is the statement)."""
        chosen = Ground.default(Regime(case.regime), Category(case.category), explanation,
                                kind=ground, reference=reference)
        notice = {"id": case.notice_id, "reporter_type": case.reporter_type} if case.notice_id else None
        return statement_of_reasons(case_id=case.id, decision=decision, ground=chosen, decided_at=decided_at,
                                    automated_detection=case.source == "screening", automated_decision=False,
                                    notice=notice, content=case.content.to_json(),
                                    territorial_scope=territorial_scope)

    def record_action(self, case_id: int, at: datetime, *, session: Session | None = None) -> None:
        """The action moment of a case: the point its statutory clock is measured to (the
        decision, or for a removal the platform's acknowledgement, see ``outbox``)."""
        if session is None:
            with self.store.transaction(write_lock=True) as own:
                return self.record_action(case_id, at, session=own)
        row = case_row(session, case_id)
        elapsed = self.clock_of(row).elapsed(at).total_seconds()
        payload = {"case_id": case_id, "clock": row.clock, "decision": row.decision, "category": row.category,
                   "source": row.source, "budget_s": row.budget_s, "clock_elapsed_s": round(elapsed, 3),
                   "within_clock": elapsed <= row.budget_s, "at": at.isoformat()}
        self.audit.append("case.actioned", payload, actor="system", subject=f"case:{case_id}", session=session)
        return None

    # -- appeals (cases/appeals.py) -------------------------------------------------------------

    def file_appeal(self, case_id: int, appellant: str, grounds: str, *, actor: str) -> Appeal:
        return appeals.file_appeal(self, case_id, appellant, grounds, actor=actor)

    def decide_appeal(self, appeal_id: int, reviewer: str, outcome: str, *, explanation: str) -> Appeal:
        return appeals.decide_appeal(self, appeal_id, reviewer, outcome, explanation=explanation)

    def strikes(self, account: str, *, since: datetime | None = None) -> int:
        with self.store.transaction() as session:
            query = select(func.count()).where(StrikeRow.account == account)
            if since is not None:
                query = query.where(StrikeRow.at >= since)
            return int(session.scalar(query) or 0)
