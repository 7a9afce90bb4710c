"""The audit page: the chain verified on every visit, and the latest records (auditors, admins)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from genguard.web import services
from genguard.web.bodies import StrictRoute
from genguard.vocabulary import Role
from genguard.console.access import Viewer, viewer
from genguard.console.render import PREFIX, page

router = APIRouter(route_class=StrictRoute, prefix=PREFIX)


@router.get("/audit", response_class=HTMLResponse)
async def audit(request: Request, who: Annotated[Viewer, Depends(viewer(Role.AUDITOR))],
                kind: Annotated[str | None, Query(max_length=64)] = None) -> HTMLResponse:
    audit = services.audit(request)
    report = await run_in_threadpool(audit.verify)
    records = await run_in_threadpool(audit.recent, (kind,) if kind else None, 50)
    return page(request, "audit.html", who, report=report, verified_at=datetime.now(UTC), records=records, kind=kind)
