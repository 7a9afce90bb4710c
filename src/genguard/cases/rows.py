"""Row access shared by the case modules."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from genguard.errors import NotFound
from genguard.cases.tables import AppealRow, CaseRow


def case_row(session: Any, case_id: int, *, lock: bool = False) -> CaseRow:
    """The case (locked ``FOR UPDATE`` with ``lock``), or a ``case_not_found`` error."""
    row = session.get(CaseRow, case_id, with_for_update=lock)
    if row is None:
        raise NotFound(f"no case {case_id}", code="case_not_found")
    return row


def appeal_view(a: AppealRow) -> dict[str, Any]:
    return {"id": a.id, "case_id": a.case_id, "filed_at": a.filed_at.isoformat(), "appellant": a.appellant,
            "status": a.status, "decided_by": a.decided_by, "decided_at": iso(a.decided_at)}


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
