"""Queue order and the claim lock.

Order: harm first (child safety above everything), then a bank match, then signal strength,
then reporter trust; ties go to the earliest due time. The whole order is folded into one
integer column (``cases.priority``) so the queue is a single indexed ``ORDER BY``.

Claiming takes the first claimable case and marks it held by one reviewer until a lease ends:
* PostgreSQL: ``SELECT ... FOR UPDATE SKIP LOCKED`` — concurrent claimers skip rows another
  transaction is taking instead of queueing behind it, then the row is updated in the same
  transaction.
* SQLite: the transaction takes the database write lock at ``BEGIN`` and the update is
  conditional (``WHERE claimed_by IS NULL OR lease expired``), so a row taken by another
  claimer is never overwritten.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select, update
from sqlalchemy.orm import Session

from genguard.cases.notices import Category, ReporterType
from genguard.cases.tables import CaseRow

HARM = {Category.CHILD_SEXUAL_ABUSE: 4, Category.INTIMATE_IMAGE_ABUSE: 3,
        Category.AI_GENERATED_INTIMATE_IMAGE: 3, Category.OTHER: 1}
#: How much a report from this source is trusted (0-99): hotlines and trusted flagger reports
#: are processed with priority (DSA Art. 22).
TRUST = {ReporterType.HOTLINE.value: 90, ReporterType.TRUSTED_FLAGGER.value: 70, ReporterType.VICTIM.value: 60,
         ReporterType.AUTHORISED_REPRESENTATIVE.value: 50, "screening": 40, ReporterType.USER.value: 20}


def priority(category: Category, *, bank_match: bool, signal: int, reporter: str) -> int:
    """harm · 10000 + bank match · 1000 + signal (0-9) · 100 + trust (0-99)."""
    return HARM[category] * 10_000 + (1000 if bank_match else 0) + max(0, min(9, signal)) * 100 + TRUST.get(reporter, 0)


def reference_order(cases: list[dict[str, Any]]) -> list[int]:
    """The queue order computed factor by factor from case views, without the priority
    integer: the reference the indexed ``ORDER BY`` is tested against."""

    def key(c: dict[str, Any]) -> tuple[Any, ...]:
        signal = 6 if c["source"] == "screening" else 0
        trust = TRUST.get(c["reporter_type"] or "screening", 0)
        return (-HARM[Category(c["category"])], not c["signals"].get("bank_matches"), -signal, -trust,
                c["due_at"], c["id"])

    return [c["id"] for c in sorted(cases, key=key)]


def claimable(now: datetime) -> ColumnElement[bool]:
    return and_(CaseRow.status == "open",
                or_(CaseRow.claimed_by.is_(None), CaseRow.claim_expires_at <= now))


def queue_order() -> tuple[ColumnElement[int], ...]:
    return (CaseRow.priority.desc(), CaseRow.due_at.asc(), CaseRow.id.asc())  # type: ignore[return-value]


def claim_next(session: Session, dialect: str, reviewer: str, now: datetime, lease: timedelta) -> CaseRow | None:
    """Claim the first claimable case for ``reviewer`` inside ``session``'s transaction."""
    query = select(CaseRow).where(claimable(now)).order_by(*queue_order()).limit(1)
    if dialect == "postgresql":
        row = session.scalars(query.with_for_update(skip_locked=True)).first()
        if row is None:
            return None
        row.claimed_by, row.claim_expires_at = reviewer, now + lease
        return row
    row = session.scalars(query).first()
    if row is None or not claim_one(session, row.id, reviewer, now, lease):
        return None
    session.refresh(row)
    return row


def claim_one(session: Session, case_id: int, reviewer: str, now: datetime, lease: timedelta) -> bool:
    """Conditional update: True when this call took (or renewed its own hold on) the case."""
    result = session.execute(
        update(CaseRow)
        .where(CaseRow.id == case_id,
               or_(claimable(now), and_(CaseRow.status == "open", CaseRow.claimed_by == reviewer)))
        .values(claimed_by=reviewer, claim_expires_at=now + lease)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]
