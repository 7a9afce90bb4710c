"""``POST /v1/screen``: a request as multipart form data, its verdict as JSON."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from starlette.concurrency import run_in_threadpool

from genguard.api.auth import require
from genguard.web.bodies import StrictRoute
from genguard.auth.keys import Principal
from genguard.vocabulary import Role
from genguard.errors import RequestError
from genguard.request import ImageInput, RequestKind
from genguard.request import ScreenRequest

router = APIRouter(route_class=StrictRoute, prefix="/v1", tags=["screen"])
_FIELDS = {"kind", "prompt", "history", "id", "account", "session_id", "sources", "output", "age_assured"}


async def _image(upload: UploadFile, limit: int) -> ImageInput:
    data = await upload.read(limit + 1)
    if len(data) > limit:
        raise RequestError(
            f"{upload.filename or 'image'} is over the {limit}-byte limit", code="media_too_large", status=413
        )
    return ImageInput(data=data, declared_type=upload.content_type, name=upload.filename)


def _history(values: list[str]) -> list[str]:
    """History as repeated form fields, or one field holding a JSON array of strings."""
    if len(values) == 1 and values[0].lstrip().startswith("["):
        try:
            parsed = json.loads(values[0])
        except json.JSONDecodeError as exc:
            raise RequestError(f"history is not a valid JSON array: {exc}") from exc
        if not isinstance(parsed, list) or not all(isinstance(v, str) for v in parsed):
            raise RequestError("history must be a JSON array of strings")
        return parsed
    return values


@router.post("/screen", summary="Screen a generate, edit, output or upload request")
async def screen(
    request: Request,
    kind: Annotated[RequestKind, Form(description="generate | edit | output | upload")],
    who: Annotated[Principal, Depends(require(Role.SERVICE))],
    prompt: Annotated[str, Form()] = "",
    history: Annotated[list[str] | None, Form(description="earlier instructions, oldest first")] = None,
    id: Annotated[str | None, Form(max_length=200)] = None,  # noqa: A002 - the wire name
    account: Annotated[str | None, Form(max_length=200)] = None,
    session_id: Annotated[str | None, Form(max_length=200)] = None,
    sources: Annotated[list[UploadFile] | None, File(description="source images (edit, output)")] = None,
    output: Annotated[UploadFile | None, File(description="output or uploaded image")] = None,
    age_assured: Annotated[bool, Form(description="the user passed age assurance (the pack decides what it changes)")] = False,
) -> dict[str, object]:
    """Returns the verdict: decision, reasons, rule, policy, scores and signals (no pixels kept)."""
    form = await request.form()
    unknown = sorted(set(form.keys()) - _FIELDS)
    if unknown:
        raise RequestError(f"unknown fields: {', '.join(unknown)}", code="unknown_fields")
    guard = request.app.state.guard
    limit = guard.settings.media.max_bytes
    req = ScreenRequest(
        id=id,
        kind=kind,
        prompt=prompt,
        history=_history(history or []),
        sources=[await _image(f, limit) for f in sources or []],
        output=await _image(output, limit) if output is not None else None,
        account=account,
        session_id=session_id,
        age_assured=age_assured,
    )
    async with request.app.state.heavy.slot():
        verdict = await run_in_threadpool(guard.screen, req, actor=f"key:{who.key_id}")
    return verdict.public()
