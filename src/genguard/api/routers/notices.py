"""Notice intake: UK complaints, TAKE IT DOWN requests and DSA Art. 16 notices (platforms relay them)."""

from __future__ import annotations

from functools import partial
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from genguard.web import services
from genguard.api.auth import require
from genguard.web.bodies import StrictRoute
from genguard.web.errors import error_body
from genguard.auth.keys import Principal
from genguard.vocabulary import Role
from genguard.cases import intake
from genguard.cases.notices import Notice, NoticeInvalid

router = APIRouter(route_class=StrictRoute, prefix="/v1/notices", tags=["notices"])
Intake = Annotated[Principal, Depends(require(Role.SERVICE))]
Reader = Annotated[Principal, Depends(require(Role.SERVICE, Role.REVIEWER, Role.AUDITOR))]


@router.post("", status_code=201)
async def submit(
    body: Notice,
    request: Request,
    who: Intake,
    idempotency_key: Annotated[str | None, Header(
        description="the client's key for this notice (1-200 printable ASCII): a retry with the same key and "
                    "body gets the first receipt (Idempotent-Replayed: true) and opens no case; the same key "
                    "with another body is 409 idempotency_key_reused. Scoped to the API key.")] = None,
) -> object:
    """A valid notice opens one case per item and returns a receipt; an invalid one gets 422
    with ``missing`` (every absent field its regime needs) and ``problems`` (malformed ones)."""
    try:
        receipt = await run_in_threadpool(partial(intake.submit_notice, services.cases(request), body,
                                                  actor=f"key:{who.key_id}", idempotency_key=idempotency_key))
    except NoticeInvalid as exc:
        return JSONResponse(error_body(exc.code, exc.message, **exc.details()), status_code=exc.status)
    headers = {"Idempotent-Replayed": "true"} if receipt.replayed else None
    return JSONResponse(receipt.body.to_json(), status_code=201, headers=headers)


@router.get("/{notice_id}")
def status(notice_id: str, request: Request, who: Reader) -> dict[str, object]:
    """Where a notice stands: its cases' status, decision, due and removal times."""
    return intake.notice_status(services.cases(request), notice_id).to_json()
