"""Appeals: filed by the platform for the uploader or reporter, decided by a second reviewer."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from genguard.web import services
from genguard.api.auth import require
from genguard.web.bodies import StrictRoute
from genguard.web.params import RowId
from genguard.api.routers.cases import actor
from genguard.auth.keys import Principal
from genguard.vocabulary import Role

router = APIRouter(route_class=StrictRoute, tags=["appeals"])
Service = Annotated[Principal, Depends(require(Role.SERVICE))]
Reviewer = Annotated[Principal, Depends(require(Role.REVIEWER))]


class AppealBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    #: The uploader's account, or ``reporter``.
    appellant: str = Field(min_length=1, max_length=200)
    grounds: str = Field(min_length=1, max_length=10_000)


class AppealDecisionBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    outcome: Literal["upheld", "reversed"]
    explanation: str = Field(min_length=1, max_length=10_000)


@router.post("/v1/cases/{case_id}/appeals", status_code=201)
def file_appeal(case_id: RowId, body: AppealBody, request: Request, who: Service) -> dict[str, object]:
    return services.cases(request).file_appeal(case_id, body.appellant, body.grounds, actor=actor(who)).to_json()


@router.post("/v1/appeals/{appeal_id}/decision")
async def decide_appeal(appeal_id: RowId, body: AppealDecisionBody, request: Request, who: Reviewer) -> dict[str, object]:
    decided = await run_in_threadpool(
        lambda: services.cases(request).decide_appeal(appeal_id, actor(who), body.outcome,
                                                      explanation=body.explanation))
    return decided.to_json()
