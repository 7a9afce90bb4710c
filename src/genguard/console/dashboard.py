"""The dashboard: screening volumes and block rates, queue sizes, clocks at risk, recent
decisions. Every role of the console may read it. The case figures come from the case service
(from the database, never a cache, so every worker shows the same numbers), the audit-trail
figures from :class:`genguard.audit.service.AuditService`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from genguard.web import services
from genguard.web.bodies import StrictRoute
from genguard.console.access import CONSOLE_ROLES, Viewer, viewer
from genguard.console.render import PREFIX, page

router = APIRouter(route_class=StrictRoute, prefix=PREFIX)
#: Clock states a dashboard lists as needing attention.
AT_RISK = ("escalated", "breached")


@router.get("/", response_class=HTMLResponse)
def dashboard(request: Request, who: Annotated[Viewer, Depends(viewer(*CONSOLE_ROLES))]) -> HTMLResponse:
    audit = services.audit(request)
    cases = services.cases(request)
    at_risk = [c for c in cases.list_cases(status="open", order="due", limit=200) if c.clock_state in AT_RISK]
    return page(
        request, "dashboard.html", who,
        volumes=audit.verdict_volumes(),
        verdicts=audit.recent(("screen.verdict",)),
        decisions=audit.recent(("case.decided", "appeal.decided"), limit=10),
        queue=cases.queue_sizes(),
        at_risk=at_risk,
    )
