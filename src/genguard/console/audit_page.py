"""The audit page: the chain verified on every visit, and the latest records (auditors, admins)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from genguard.api.bodies import StrictRoute
from genguard.audit.verify import verify
from genguard.vocabulary import Role
from genguard.console import stats
from genguard.console.access import Viewer, viewer
from genguard.console.render import PREFIX, page
from genguard.store.models import utcnow

router = APIRouter(route_class=StrictRoute, prefix=PREFIX)


@router.get("/audit", response_class=HTMLResponse)
async def audit(request: Request, who: Annotated[Viewer, Depends(viewer(Role.AUDITOR))],
                kind: Annotated[str | None, Query(max_length=64)] = None) -> HTMLResponse:
    store = request.app.state.store
    report = await run_in_threadpool(verify, store)
    records = await run_in_threadpool(stats.recent, store, (kind,) if kind else None, 50)
    return page(request, "audit.html", who, report=report, verified_at=utcnow(), records=records, kind=kind)
