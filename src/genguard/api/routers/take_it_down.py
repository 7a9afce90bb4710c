"""TAKE IT DOWN requests without an account, and outcome notices (see cases/take_it_down.py).

``/public/...`` routes take no API key: they are for the depicted person (or their
representative) directly. ``/v1/notices/{id}/outcome`` is the same outcome for a platform
that relayed the request with its key.
"""

from __future__ import annotations

from functools import partial
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Path, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from genguard.web import services
from genguard.api.auth import require
from genguard.web.bodies import StrictRoute
from genguard.web.errors import error_body
from genguard.auth.keys import Principal
from genguard.vocabulary import Role
from genguard.cases import take_it_down
from genguard.cases.notices import Notice, NoticeInvalid

router = APIRouter(route_class=StrictRoute, prefix="/v1/notices", tags=["notices"])
public_router = APIRouter(route_class=StrictRoute, prefix="/public/take-it-down", tags=["take it down (public)"])
Reader = Annotated[Principal, Depends(require(Role.SERVICE, Role.REVIEWER, Role.AUDITOR))]
RequestId = Annotated[str, Path(min_length=1, max_length=36)]


@router.get("/{notice_id}/outcome")
def outcome(notice_id: RequestId, request: Request, who: Reader) -> dict[str, object]:
    """Per item: removed, refused (with reasons), restricted or pending; copies found and removed."""
    return take_it_down.outcome(services.cases(request), notice_id).to_json()


@public_router.post("", status_code=201)
async def submit(body: Notice, request: Request) -> object:
    """File a TAKE IT DOWN request without an account. The answer's ``request_id`` and
    ``requester_token`` (shown once) read the outcome later. 429 ``rate_limited`` past the
    per-sender or overall hourly limit; 422 with ``missing``/``problems`` for an invalid request."""
    address = request.client.host if request.client else "unknown"
    client = request.app.state.console_signer.pseudonym("public-intake", address)
    try:
        receipt = await run_in_threadpool(partial(take_it_down.submit_public, services.cases(request), body,
                                                  client=client, policy=request.app.state.public_intake))
    except NoticeInvalid as exc:
        return JSONResponse(error_body(exc.code, exc.message, **exc.details()), status_code=exc.status)
    except take_it_down.TooManyRequests as exc:
        return JSONResponse(error_body(exc.code, exc.message), status_code=exc.status, headers={"Retry-After": "3600"})
    return JSONResponse(take_it_down.for_requester(receipt.to_json()), status_code=201, headers={"Cache-Control": "no-store"})


@public_router.get("/{request_id}")
def public_outcome(request_id: RequestId, request: Request,
                   requester_token: Annotated[str, Header(min_length=1, max_length=200, description=(
                       "the token the request's receipt gave (a header, so it stays out of URLs and logs)"))]
                   ) -> dict[str, object]:
    """The outcome notice of your request; 404 for an unknown id or a wrong token alike."""
    return take_it_down.outcome_for_requester(services.cases(request), request_id, requester_token)
