"""Match feedback (StopNCII-style): reviewers and platforms say whether a bank match was right."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from genguard.web import services
from genguard.api.auth import require
from genguard.web.bodies import StrictRoute
from genguard.web.params import RowId
from genguard.auth.keys import Principal
from genguard.vocabulary import Role
from genguard.banks import feedback

router = APIRouter(route_class=StrictRoute, prefix="/v1/banks/entries", tags=["banks"])
Reporter = Annotated[Principal, Depends(require(Role.REVIEWER, Role.SERVICE))]
Reader = Annotated[Principal, Depends(require(Role.REVIEWER, Role.SERVICE, Role.AUDITOR))]


class FeedbackBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    verdict: feedback.Verdict
    subject: str = Field(min_length=1, max_length=200, description="what matched: case:<id> or the platform item id")
    note: str | None = Field(None, max_length=1000)


@router.post("/{entry_id}/feedback", summary="Report a match of this entry as a true or false positive")
async def report(entry_id: RowId, body: FeedbackBody, request: Request, who: Reporter) -> dict[str, object]:
    """One verdict per reporter and subject (a new one replaces it); returns the entry's counts."""
    return await run_in_threadpool(lambda: services.banks(request).record_feedback(
        entry_id, body.subject, body.verdict, actor=f"key:{who.key_id}", note=body.note))


@router.get("/{entry_id}/feedback")
def counts(entry_id: RowId, request: Request, who: Reader) -> dict[str, object]:
    return services.banks(request).feedback_counts(entry_id)
