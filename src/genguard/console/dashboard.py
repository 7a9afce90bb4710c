"""The dashboard: screening volumes and block rates, queue sizes, clocks at risk, recent
decisions. Every role of the console may read it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from genguard.web import services
from genguard.web.bodies import StrictRoute
from genguard.console import stats
from genguard.console.access import CONSOLE_ROLES, Viewer, viewer
from genguard.console.render import PREFIX, page

router = APIRouter(route_class=StrictRoute, prefix=PREFIX)


@router.get("/", response_class=HTMLResponse)
def dashboard(request: Request, who: Annotated[Viewer, Depends(viewer(*CONSOLE_ROLES))]) -> HTMLResponse:
    audit = services.audit(request)
    cases = request.app.state.cases
    at_risk = [c for c in cases.list_cases(status="open", order="due", limit=200)
               if c["clock_state"] in stats.AT_RISK]
    return page(
        request, "dashboard.html", who,
        volumes=audit.verdict_volumes(),
        verdicts=audit.recent(("screen.verdict",)),
        decisions=audit.recent(("case.decided", "appeal.decided"), limit=10),
        queue=stats.queue_sizes(services.platform(request).store),
        at_risk=at_risk,
    )
