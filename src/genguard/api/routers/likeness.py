"""Likeness registry: register reference photos (only face embeddings are kept), read, erase.

Registering and erasing need a service key (a platform acting for its user) or an admin key;
reading the consent records needs a reviewer, auditor, service or admin key.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from starlette.concurrency import run_in_threadpool

from genguard.web import services
from genguard.api.auth import require
from genguard.web.bodies import StrictRoute
from genguard.web.params import RowId
from genguard.auth.keys import Principal
from genguard.vocabulary import Role
from genguard.errors import GenguardError, RequestError
from genguard.likeness.registry import MAX_PHOTOS

router = APIRouter(route_class=StrictRoute, prefix="/v1/likeness", tags=["likeness"])
Writer = Annotated[Principal, Depends(require(Role.SERVICE))]
Reader = Annotated[Principal, Depends(require(Role.SERVICE, Role.REVIEWER, Role.AUDITOR))]
DISCARDED = ("The reference photos were used to compute face embeddings and then discarded: "
             "genguard never stored them. Only the embeddings and the consent record are kept.")


@router.post("", status_code=201, summary="Register a person's likeness (photos are discarded)")
async def register(
    request: Request,
    who: Writer,
    label: Annotated[str, Form(min_length=1, max_length=200, description="how operators refer to the person")],
    registered_by: Annotated[Literal["self", "guardian"], Form(description="the person, or a child's guardian")],
    consent_name: Annotated[str, Form(min_length=1, max_length=200, description="who gave consent")],
    consent_statement: Annotated[str, Form(min_length=1, max_length=4000, description="what they agreed to")],
    photos: Annotated[list[UploadFile], File(description=f"1-{MAX_PHOTOS} photos, one face each")],
) -> dict[str, object]:
    guard = request.app.state.guard
    faces = guard.detectors.get("faces")
    if faces is None:
        raise GenguardError("no face detector is configured", code="detector_unavailable", status=503)
    limit = guard.settings.media.max_bytes
    data = []
    for upload in photos:
        content = await upload.read(limit + 1)
        if len(content) > limit:
            raise RequestError(f"{upload.filename or 'photo'} is over the {limit}-byte limit",
                               code="media_too_large", status=413)
        data.append(content)
    registry = services.likeness(request)
    embeddings = await run_in_threadpool(registry.embeddings_of, data, faces)
    del data  # the photos go no further than this request
    person = await run_in_threadpool(
        lambda: registry.register(label=label, registered_by=registered_by, consent_name=consent_name,
                                  consent_statement=consent_statement, embeddings=embeddings,
                                  actor=f"key:{who.key_id}")
    )
    return {**person.public(), "photos_discarded": True, "notice": DISCARDED}


@router.get("")
def list_people(request: Request, who: Reader) -> dict[str, object]:
    return {"people": [p.public() for p in services.likeness(request).list()]}


@router.get("/{person_id}")
def show(person_id: RowId, request: Request, who: Reader) -> dict[str, object]:
    return services.likeness(request).get(person_id).public()


@router.delete("/{person_id}", summary="Erase a person: consent record and every embedding")
def erase(person_id: RowId, request: Request, who: Writer) -> dict[str, object]:
    deleted = services.likeness(request).erase(person_id, actor=f"key:{who.key_id}")
    return {"erased": person_id, "embeddings_deleted": deleted}
