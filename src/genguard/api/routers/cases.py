"""Cases: listing by due time, the triage queue, claims, decisions, clock pauses, metrics."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import PlainTextResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from genguard.web import services
from genguard.api.auth import require
from genguard.web.bodies import StrictRoute
from genguard.web.params import Offset, RowId
from genguard.auth.keys import Principal
from genguard.vocabulary import Role
from genguard.cases import takedown
from genguard.cases.clocks import PauseReason

router = APIRouter(route_class=StrictRoute, prefix="/v1/cases", tags=["cases"])
Reviewer = Annotated[Principal, Depends(require(Role.REVIEWER))]
Reader = Annotated[Principal, Depends(require(Role.REVIEWER, Role.AUDITOR))]
Admin = Annotated[Principal, Depends(require())]


def actor(who: Principal) -> str:
    """The reviewer identity recorded on claims, decisions and appeals: the API key."""
    return f"key:{who.key_id}"


class DecisionBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: Literal["remove", "restrict", "no_action", "escalate", "mandatory_report"]
    explanation: str = Field(min_length=1, max_length=10_000)
    ground: Literal["illegal", "contractual"] | None = None
    reference: str | None = Field(None, max_length=1000)
    territorial_scope: list[str] | None = Field(None, max_length=300)
    #: NCMEC's industry classification of the material (mandatory reports only).
    industry_classification: Literal["A1", "A2", "B1", "B2"] | None = None


class PauseBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: PauseReason


@router.get("")
def list_cases(
    request: Request, who: Reader,
    status: Annotated[Literal["open", "decided", "reinstated", "all"], Query()] = "open",
    order: Annotated[Literal["due", "queue"], Query()] = "due",
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Offset = 0,
) -> dict[str, object]:
    cases = services.cases(request).list_cases(status=None if status == "all" else status, order=order,
                                               limit=limit, offset=offset)
    return {"cases": [c.to_json() for c in cases]}


@router.get("/metrics", response_model=None,  # errors stay JSON: no PlainTextResponse route class
            responses={200: {"content": {"text/plain": {"schema": {"type": "string"}}}}})
def metrics(request: Request, who: Reader) -> PlainTextResponse:
    """Prometheus text: open cases per clock, escalations and breaches."""
    return PlainTextResponse(services.cases(request).metrics())


@router.post("/tick")
async def tick(request: Request, who: Admin) -> dict[str, object]:
    """Open cases for screening escalations, send due clock alerts, run due case jobs and retry
    due webhooks now (the server's worker also does this on a timer)."""
    return (await run_in_threadpool(services.cases(request).tick)).to_json()


@router.post("/claim", response_model=None, responses={204: {"description": "nothing is claimable"}})
async def claim_next(request: Request, who: Reviewer) -> dict[str, object] | Response:
    """The first case in queue order, held by you; 204 when nothing is claimable."""
    case = await run_in_threadpool(services.cases(request).claim, actor(who))
    return Response(status_code=204) if case is None else case.to_json()


@router.get("/{case_id}")
def get_case(case_id: RowId, request: Request, who: Reader) -> dict[str, object]:
    return services.cases(request).get(case_id).to_json()


@router.post("/{case_id}/claim")
async def claim(case_id: RowId, request: Request, who: Reviewer) -> dict[str, object]:
    claimed = await run_in_threadpool(services.cases(request).claim, actor(who), case_id)
    assert claimed is not None  # a named case is claimed or refused with an error
    return claimed.to_json()


@router.post("/{case_id}/release")
def release(case_id: RowId, request: Request, who: Reviewer) -> dict[str, object]:
    return services.cases(request).release(case_id, actor(who)).to_json()


@router.post("/{case_id}/decision")
async def decide(case_id: RowId, body: DecisionBody, request: Request, who: Reviewer) -> dict[str, object]:
    """Decide a case you hold. The decision is recorded and its steps enqueued (a removal: the
    takedown, banking the hashes, the copy sweep; notices; a report); the case worker runs them
    and the case's ``takedown`` field shows their progress."""
    decided = await run_in_threadpool(
        lambda: services.cases(request).decide(case_id, actor(who), body.decision, explanation=body.explanation,
                                               ground=body.ground, reference=body.reference,
                                               territorial_scope=body.territorial_scope,
                                               industry_classification=body.industry_classification))
    return decided.to_json()


@router.post("/{case_id}/pause")
def pause(case_id: RowId, body: PauseBody, request: Request, who: Reviewer) -> dict[str, object]:
    return services.cases(request).pause(case_id, body.reason, actor=actor(who)).to_json()


@router.post("/{case_id}/resume")
def resume(case_id: RowId, request: Request, who: Reviewer) -> dict[str, object]:
    return services.cases(request).resume(case_id, actor=actor(who)).to_json()


@router.post("/{case_id}/takedown/retry")
async def retry_takedown(case_id: RowId, request: Request, who: Reviewer) -> dict[str, object]:
    """Resend a removal the platform has not acknowledged (same idempotency key) and requeue
    the case's failed steps."""
    return (await run_in_threadpool(takedown.retry, services.cases(request), case_id)).to_json()
