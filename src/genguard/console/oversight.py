"""Appeals (list, decide by a second reviewer) and the transparency report with charts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool

from genguard.web import services
from genguard.web.bodies import StrictRoute
from genguard.web.params import RowId
from genguard.vocabulary import Role
from genguard.compliance import render
from genguard.console.access import Viewer, viewer
from genguard.console.render import PREFIX, page, redirect
from genguard.console.review import case_page
from genguard.errors import GenguardError

router = APIRouter(route_class=StrictRoute, prefix=PREFIX)
Reviewer = Annotated[Viewer, Depends(viewer(Role.REVIEWER))]
Reader = Annotated[Viewer, Depends(viewer(Role.REVIEWER, Role.AUDITOR))]


@router.get("/appeals", response_class=HTMLResponse)
def appeals(request: Request, who: Reader) -> HTMLResponse:
    """Open appeals first (oldest first), then the latest decided ones."""
    return page(request, "appeals.html", who, appeals=services.cases(request).appeals(limit=200))


@router.post("/appeals/{appeal_id}/decide")
async def decide_appeal(request: Request, appeal_id: RowId, who: Reviewer,
                        case_id: Annotated[int, Form()], outcome: Annotated[str, Form(max_length=16)] = "",
                        explanation: Annotated[str, Form(max_length=10_000)] = "") -> Response:
    await who.check_csrf(request)
    try:
        await run_in_threadpool(lambda: services.cases(request).decide_appeal(appeal_id, who.actor, outcome,
                                                                           explanation=explanation))
    except GenguardError as exc:
        return await run_in_threadpool(case_page, request, who, case_id, status=exc.status, error=exc)
    return redirect(f"/cases/{case_id}?decided=1")


def _day(value: str | None, default: datetime) -> datetime:
    if not value:
        return default
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


@router.get("/reports", response_class=HTMLResponse)
async def report(request: Request, who: Annotated[Viewer, Depends(viewer(Role.AUDITOR))],
                 start: Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}-\d{2}$")] = None,
                 end: Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}-\d{2}$")] = None) -> HTMLResponse:
    """The transparency report for a period of whole UTC days (default: the last 30 days)."""
    today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    try:
        first, last = _day(start, today - timedelta(days=30)), _day(end, today)
        if last <= first:
            raise GenguardError("the end day must be after the start day", code="period_invalid", status=422)
    except ValueError:
        return page(request, "error.html", who, status=422, heading="Bad period", message="dates are YYYY-MM-DD")
    except GenguardError as exc:
        return page(request, "error.html", who, status=exc.status, heading="Bad period", message=exc.message)
    built = await run_in_threadpool(services.reports(request).transparency, first, last)
    charts = [Markup(render.bar_chart(title, counts)) for title, counts in (  # noqa: S704 - render escapes every label
        ("Cases by category", built["cases"]["by_category"]), ("Cases by source", built["cases"]["by_source"]),
        ("Notices by regime", built["notices"]["by_regime"]), ("Actions", built["actions"]["by_action"]),
        ("Matches per bank", built["bank_matches"]))]
    return page(request, "reports.html", who, report=built, charts=charts, start=first.date().isoformat(),
                end=last.date().isoformat())
