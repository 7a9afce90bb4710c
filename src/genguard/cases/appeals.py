"""Appeals: within the window, one open at a time, decided by a second reviewer.

Reversing a removal or restriction reinstates the item and its swept copies, unbanks its hashes
and deletes the removal's strike (the reinstatement is a job of the case worker, enqueued with
the appeal decision); reversing "no action" puts the case back in the queue.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import delete, func, select

from genguard.cases import takedown
from genguard.cases.rows import appeal_view, case_row
from genguard.cases.views import Appeal
from genguard.cases.takedown import REMOVING
from genguard.errors import Conflict, NotFound, RequestError
from genguard.cases.tables import AppealRow, StrikeRow

if TYPE_CHECKING:
    from genguard.cases.service import CaseService

def file_appeal(svc: CaseService, case_id: int, appellant: str, grounds: str, *, actor: str) -> Appeal:
    """An appeal by the uploader (account) or the reporter, within the appeal window."""
    if not grounds.strip():
        raise RequestError("an appeal needs grounds", code="appeal_invalid")
    now = svc.clock()
    with svc.store.transaction(write_lock=True) as session:
        row = case_row(session, case_id, lock=True)
        if row.status != "decided" or row.decided_at is None:
            raise Conflict("only a decided case can be appealed", code="appeal_not_open")
        if now - row.decided_at > svc.settings.appeal_window:
            raise Conflict("the appeal window has closed", code="appeal_window_closed")
        if appellant not in (row.account, "reporter"):
            raise RequestError("the appellant must be the uploader's account or 'reporter'", code="appeal_invalid")
        if session.scalar(select(func.count()).where(AppealRow.case_id == case_id, AppealRow.status == "open")):
            raise Conflict("an appeal of this case is already open", code="appeal_exists")
        appeal = AppealRow(case_id=case_id, filed_at=now, appellant=appellant, grounds=grounds, status="open")
        session.add(appeal)
        session.flush()
        view = appeal_view(appeal)
        svc.audit.append("appeal.filed", {"appeal_id": view.id, "case_id": case_id, "appellant": appellant,
                                           "at": now.isoformat()}, actor=actor, subject=f"case:{case_id}",
                         session=session)
    return view


def decide_appeal(svc: CaseService, appeal_id: int, reviewer: str, outcome: str, *, explanation: str) -> Appeal:
    """Upheld or reversed by a reviewer who did not take the original decision. Reversing a
    removal reinstates the item and its swept copies, unbanks its hashes and lifts the strike."""
    if outcome not in ("upheld", "reversed"):
        raise RequestError("outcome must be 'upheld' or 'reversed'", code="appeal_invalid")
    if not explanation.strip():
        raise RequestError("an appeal decision needs an explanation", code="appeal_invalid")
    now = svc.clock()
    with svc.store.transaction(write_lock=True) as session:
        appeal = session.get(AppealRow, appeal_id, with_for_update=True)
        if appeal is None:
            raise NotFound(f"no appeal {appeal_id}", code="appeal_not_found")
        if appeal.status != "open":
            raise Conflict("the appeal is already decided", code="appeal_decided")
        row = case_row(session, appeal.case_id, lock=True)
        case_id, original = row.id, row.decision
        if row.decided_by == reviewer:
            raise Conflict("an appeal is decided by a reviewer other than the one who decided the case",
                           code="appeal_same_reviewer")
        appeal.status, appeal.decided_by, appeal.decided_at = outcome, reviewer, now
        reinstate = outcome == "reversed" and original in (*REMOVING, "restrict")
        if reinstate:
            row.status = "reinstated"
            session.execute(delete(StrikeRow).where(StrikeRow.case_id == row.id))
        elif outcome == "reversed":  # "no action" was wrong: back to the queue, clock running
            row.status, row.decision, row.decided_by, row.decided_at = "open", None, None, None
        view = appeal_view(appeal)
        if reinstate:
            takedown.plan_reinstatement(svc, session, case_id, appeal_id, reviewer, now)
        svc.audit.append("appeal.decided", {"appeal_id": appeal_id, "case_id": case_id, "outcome": outcome,
                                             "original_decision": original, "reviewer": reviewer,
                                             "explanation": explanation, "at": now.isoformat()},
                         actor=reviewer, subject=f"case:{case_id}", session=session)
    svc.wake()
    return view
