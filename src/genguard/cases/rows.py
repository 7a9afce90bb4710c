"""Row access shared by the case modules."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from genguard.cases.views import Appeal, iso
from genguard.errors import NotFound
from genguard.cases.tables import AppealRow, CaseRow
from genguard.store.db import Store


def case_row(session: Session, case_id: int, *, lock: bool = False) -> CaseRow:
    """The case (locked ``FOR UPDATE`` with ``lock``), or a ``case_not_found`` error."""
    row = session.get(CaseRow, case_id, with_for_update=lock)
    if row is None:
        raise NotFound(f"no case {case_id}", code="case_not_found")
    return row


def appeal_view(a: AppealRow) -> Appeal:
    return Appeal(a.id, a.case_id, a.filed_at.isoformat(), a.appellant, a.status, a.decided_by, iso(a.decided_at))


def regimes(store: Store, case_ids: set[int]) -> dict[int, str]:
    """Each case's regime, read in chunks: what the DSA export asks the case domain
    (``compliance.dsa_tdb.statements(regimes=...)``), whose older audit payloads lack it."""
    ids = sorted(case_ids)
    out: dict[int, str] = {}
    with store.transaction() as session:
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            for case_id, regime in session.execute(select(CaseRow.id, CaseRow.regime).where(CaseRow.id.in_(chunk))):
                out[case_id] = regime
    return out
