"""Transparency reports and DSA Transparency Database statements for any period (auditors)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response
from starlette.concurrency import run_in_threadpool

from genguard.web import services
from genguard.api.auth import require
from genguard.web.bodies import StrictRoute
from genguard.compliance import dsa_schema, render
from genguard.vocabulary import Role
from genguard.errors import RequestError

router = APIRouter(route_class=StrictRoute, prefix="/v1/reports", tags=["reports"], dependencies=[Depends(require(Role.AUDITOR))])
Start = Annotated[datetime, Query(description="period start (inclusive), ISO 8601 with a time zone")]
End = Annotated[datetime, Query(description="period end (exclusive), ISO 8601 with a time zone")]


def _period(start: datetime, end: datetime) -> tuple[datetime, datetime]:
    if start.tzinfo is None or end.tzinfo is None:
        raise RequestError("start and end need a time zone (e.g. 2026-01-01T00:00:00Z)", code="period_invalid")
    if end <= start:
        raise RequestError("end must be after start", code="period_invalid")
    return start, end


@router.get("/transparency", responses={200: {"content": {
    "application/json": {}, "text/csv": {"schema": {"type": "string"}}, "text/html": {"schema": {"type": "string"}}}}})
async def transparency_report(
    request: Request, start: Start, end: End,
    format: Annotated[Literal["json", "csv", "html"], Query()] = "json",
) -> Response:
    report = await run_in_threadpool(services.reports(request).transparency, *_period(start, end))
    if format == "csv":
        return PlainTextResponse(render.to_csv(report), media_type="text/csv")
    if format == "html":
        return HTMLResponse(render.to_html(report))
    return PlainTextResponse(render.to_json(report), media_type="application/json")


@router.get("/dsa-statements")
async def dsa_statements(
    request: Request, start: Start, end: End,
    version: Annotated[dsa_schema.Version, Query(description="submission schema version")] = dsa_schema.LATEST,
) -> dict[str, object]:
    """Validated statements in the Transparency Database's batch body (``{"statements": [...]}``)."""
    found = await run_in_threadpool(lambda: services.reports(request).dsa_statements(*_period(start, end),
                                                                                   version=version))
    return {"statements": found.statements, "schema_version": found.version, "outside_eea": found.outside_eea}
