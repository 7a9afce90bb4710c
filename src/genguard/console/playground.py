"""The screening playground: one image and a prompt through the real guard, the verdict with
each signal explained, and the regions drawn on a blurred greyscale preview.

It screens for real (the verdict is audited like any other, actor ``key:N``, request id
``console-playground``), so it is for reviewers and admins; auditors change nothing.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from genguard.web import services
from genguard.web.bodies import StrictRoute
from genguard.vocabulary import Role
from genguard.console import preview
from genguard.console.access import Viewer, viewer
from genguard.console.explain import explain
from genguard.console.render import PREFIX, page
from genguard.errors import GenguardError, RequestError
from genguard.media.decode import decode_image
from genguard.request import ImageInput, RequestKind
from genguard.request import ScreenRequest

router = APIRouter(route_class=StrictRoute, prefix=PREFIX)
Reviewer = Annotated[Viewer, Depends(viewer(Role.REVIEWER))]
#: Which part of the request the uploaded image plays for each kind.
IMAGE_ROLE = {RequestKind.EDIT: "sources", RequestKind.UPLOAD: "output", RequestKind.OUTPUT: "output"}
REQUEST_ID = "console-playground"


@router.get("/playground", response_class=HTMLResponse)
def playground_form(request: Request, who: Reviewer) -> HTMLResponse:
    return page(request, "playground.html", who, kinds=list(RequestKind), chosen=RequestKind.EDIT.value, prompt="")


async def _read(request: Request, upload: UploadFile | None) -> ImageInput | None:
    if upload is None or not upload.filename:
        return None
    limit = request.app.state.guard.settings.media.max_bytes
    data = await upload.read(limit + 1)
    if len(data) > limit:
        raise RequestError(f"the image is over the {limit}-byte limit", code="media_too_large", status=413)
    return ImageInput(data=data, declared_type=upload.content_type, name=upload.filename)


@router.post("/playground", response_class=HTMLResponse)
async def playground(
    request: Request,
    who: Reviewer,
    kind: Annotated[str, Form()] = RequestKind.EDIT.value,
    prompt: Annotated[str, Form(max_length=20_000)] = "",
    image: Annotated[UploadFile | None, File()] = None,
) -> HTMLResponse:
    await who.check_csrf(request)
    guard = request.app.state.guard
    context: dict[str, Any] = {"kinds": list(RequestKind), "chosen": kind, "prompt": prompt}
    try:
        try:
            chosen = RequestKind(kind)
        except ValueError:
            raise RequestError(f"unknown kind {kind!r}", code="kind_invalid") from None
        picture = await _read(request, image)
        fields: dict[str, Any] = {"id": REQUEST_ID, "kind": chosen, "prompt": prompt}
        if picture is not None and chosen in IMAGE_ROLE:
            fields[IMAGE_ROLE[chosen]] = [picture] if IMAGE_ROLE[chosen] == "sources" else picture
        elif picture is not None:
            raise RequestError(f"a {chosen.value} request takes no image", code="image_unexpected")
        async with request.app.state.heavy.slot():
            verdict = await run_in_threadpool(guard.screen, ScreenRequest(**fields), actor=who.actor)
            shown = None
            if picture is not None:
                decoded = await run_in_threadpool(decode_image, picture.data, limits=guard.settings.media,
                                                  declared_type=picture.declared_type)
                images = verdict.public()["signals"]["images"]
                shown = await run_in_threadpool(preview.render, decoded,
                                                preview.boxes_of(images[0]) if images else [])
    except GenguardError as exc:
        return page(request, "playground.html", who, status=exc.status, error=exc, **context)
    public = verdict.public()
    prefs = services.prefs(request).get(who.key_id)
    return page(request, "playground.html", who, verdict=public, lines=explain(public), preview=shown, prefs=prefs,
                **context)
