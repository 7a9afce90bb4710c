"""The likeness registry in the console: consent records (reviewers, auditors) and erasure
(admins). Registration stays with the platform (``POST /v1/likeness`` with a service key),
which collects the person's consent and photos; genguard keeps only face embeddings."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from genguard.web import services
from genguard.web.bodies import StrictRoute
from genguard.web.params import RowId
from genguard.vocabulary import Role
from genguard.console.access import Viewer, viewer
from genguard.console.render import PREFIX, page, redirect
from genguard.errors import GenguardError

router = APIRouter(route_class=StrictRoute, prefix=f"{PREFIX}/likeness")
Reader = Annotated[Viewer, Depends(viewer(Role.REVIEWER, Role.AUDITOR))]


@router.get("", response_class=HTMLResponse)
def people(request: Request, who: Reader, erased: int | None = None) -> HTMLResponse:
    try:
        found = services.likeness(request).list()
    except GenguardError as exc:
        return page(request, "likeness.html", who, status=exc.status, people=[], error=exc)
    return page(request, "likeness.html", who, people=found,
                notice=f"Person {erased} erased: consent record and embeddings deleted." if erased else None)


@router.post("/{person_id}/erase")
async def erase(request: Request, person_id: RowId, who: Annotated[Viewer, Depends(viewer())]) -> Response:
    await who.check_csrf(request)
    try:
        await run_in_threadpool(lambda: services.likeness(request).erase(person_id, actor=who.actor))
    except GenguardError as exc:
        return page(request, "likeness.html", who, status=exc.status, people=services.likeness(request).list(), error=exc)
    return redirect(f"/likeness?erased={person_id}")
