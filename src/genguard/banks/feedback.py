"""Feedback on bank matches (as StopNCII asks of its partner platforms): was a match a true or
a false positive? Each reporter gives one verdict per matched item (a later one replaces it);
verdicts are counted per bank entry, so an entry that keeps matching the wrong images shows up
and can be withdrawn or quarantined, and the transparency report states the overall rate."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sqlalchemy import func, select

from genguard.audit.chain import AuditLog
from genguard.errors import NotFound, RequestError
from genguard.store.db import Store
from genguard.banks.tables import BankEntryRow, BankRow, MatchFeedbackRow
from genguard.store.base import utcnow


class Verdict(StrEnum):
    TRUE_POSITIVE = "true_positive"
    FALSE_POSITIVE = "false_positive"


def record(store: Store, entry_id: int, subject: str, verdict: Verdict, *, actor: str,
           note: str | None = None) -> dict[str, Any]:
    """Store ``actor``'s verdict on the match of ``entry_id`` against ``subject`` (``case:<id>``
    or a platform item id); returns the entry's counts after it."""
    if not subject or len(subject) > 200:
        raise RequestError("subject (what matched: case:<id> or the platform item id) must be 1-200 characters",
                           code="feedback_invalid")
    now = utcnow()
    with store.transaction(write_lock=True) as session:
        entry = session.get(BankEntryRow, entry_id)
        if entry is None:
            raise NotFound(f"no bank entry {entry_id}", code="entry_not_found")
        bank = session.get_one(BankRow, entry.bank_id).name
        row = session.scalars(select(MatchFeedbackRow).where(
            MatchFeedbackRow.entry_id == entry_id, MatchFeedbackRow.actor == actor,
            MatchFeedbackRow.subject == subject)).one_or_none()
        previous = row.verdict if row is not None else None
        if row is None:
            session.add(MatchFeedbackRow(entry_id=entry_id, subject=subject, verdict=verdict.value, actor=actor,
                                         note=note, at=now))
        else:
            row.verdict, row.note, row.at = verdict.value, note, now
        session.flush()
        AuditLog(store).append("bank.match_feedback", {"entry_id": entry_id, "bank": bank, "subject": subject,
                                                       "verdict": verdict.value, "previous": previous,
                                                       "at": now.isoformat()},
                               actor=actor, subject=f"entry:{entry_id}", session=session)
        return _counts(session, entry_id)


def counts(store: Store, entry_id: int) -> dict[str, Any]:
    with store.transaction() as session:
        if session.get(BankEntryRow, entry_id) is None:
            raise NotFound(f"no bank entry {entry_id}", code="entry_not_found")
        return _counts(session, entry_id)


def _counts(session: Any, entry_id: int) -> dict[str, Any]:
    found = dict(session.execute(select(MatchFeedbackRow.verdict, func.count())
                                 .where(MatchFeedbackRow.entry_id == entry_id)
                                 .group_by(MatchFeedbackRow.verdict)).all())
    true_pos, false_pos = found.get(Verdict.TRUE_POSITIVE.value, 0), found.get(Verdict.FALSE_POSITIVE.value, 0)
    total = true_pos + false_pos
    return {"entry_id": entry_id, "true_positive": true_pos, "false_positive": false_pos, "total": total,
            "false_positive_rate": round(false_pos / total, 4) if total else None}


def summary(session: Any) -> dict[str, Any]:
    """All feedback: totals and the entries with the most false positives (for the report)."""
    totals = dict(session.execute(select(MatchFeedbackRow.verdict, func.count())
                                  .group_by(MatchFeedbackRow.verdict)).all())
    worst = session.execute(select(MatchFeedbackRow.entry_id, func.count().label("n"))
                            .where(MatchFeedbackRow.verdict == Verdict.FALSE_POSITIVE.value)
                            .group_by(MatchFeedbackRow.entry_id).order_by(func.count().desc(),
                                                                          MatchFeedbackRow.entry_id)
                            .limit(10)).all()
    true_pos, false_pos = totals.get(Verdict.TRUE_POSITIVE.value, 0), totals.get(Verdict.FALSE_POSITIVE.value, 0)
    total = true_pos + false_pos
    return {"true_positive": true_pos, "false_positive": false_pos,
            "false_positive_rate": round(false_pos / total, 4) if total else None,
            "entries_most_false_positives": [{"entry_id": e, "false_positive": n} for e, n in worst]}
