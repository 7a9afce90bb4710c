"""Platform items' media URLs: a platform registers where the console may fetch an item's image."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from genguard.api.auth import require
from genguard.web.bodies import StrictRoute
from genguard.auth.keys import Principal
from genguard.vocabulary import Role
from genguard.cases.item_media import MAX_URL

router = APIRouter(route_class=StrictRoute, prefix="/v1/items", tags=["items"])
Writer = Annotated[Principal, Depends(require(Role.SERVICE))]
Reader = Annotated[Principal, Depends(require(Role.SERVICE, Role.REVIEWER, Role.AUDITOR))]
PlatformId = Annotated[str, Path(min_length=1, max_length=200, description="the platform's id for the item")]


class MediaBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str = Field(min_length=1, max_length=MAX_URL,
                     description="https URL of the item's image on an allowlisted host (a signed URL is fine)")
    expires_at: datetime | None = Field(None, description="when the URL's signature stops working (with a time zone)")


@router.put("/{platform_id}/media", summary="Register (or replace) where the item's image can be fetched")
async def register_media(platform_id: PlatformId, body: MediaBody, request: Request, who: Writer) -> dict[str, object]:
    """The URL is checked against the fetch policy now (422 ``fetch_*`` naming the rule it
    breaks); the answer and the audit trail show it without its query string."""
    registry = request.app.state.item_media
    media = await run_in_threadpool(lambda: registry.register(platform_id, body.url, actor=f"key:{who.key_id}",
                                                              expires_at=body.expires_at))
    return media.public()


@router.get("/{platform_id}/media")
def get_media(platform_id: PlatformId, request: Request, who: Reader) -> dict[str, object]:
    return request.app.state.item_media.get(platform_id).public()
