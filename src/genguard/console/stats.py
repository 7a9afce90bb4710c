"""Dashboard figures from the case tables (never from a cache, so every worker shows the same
numbers). The audit-trail figures (verdict volumes, recent records) come from
:class:`genguard.audit.service.AuditService`.

Known debt: :func:`queue_sizes` still reads ``CaseRow`` itself; it moves into the case service's
read model when that service is rewritten (the import-linter contract names it as an exception).
"""

from __future__ import annotations

from sqlalchemy import func, select

from genguard.store.db import Store
from genguard.cases.tables import CaseRow

#: Clock states a dashboard lists as needing attention.
AT_RISK = ("escalated", "breached")


def queue_sizes(store: Store) -> list[tuple[str, int]]:
    """(category, open cases) in queue order: the category's priority tier (harm) first."""
    with store.transaction() as session:
        return [(str(c), int(n)) for c, n, _ in session.execute(
            select(CaseRow.category, func.count(), func.max(CaseRow.priority)).where(CaseRow.status == "open")
            .group_by(CaseRow.category).order_by(func.max(CaseRow.priority).desc())).all()]
