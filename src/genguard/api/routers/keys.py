"""API key management (admins only). A new key's secret is returned once."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field

from genguard.web import services
from genguard.api.auth import require
from genguard.web.bodies import StrictRoute
from genguard.web.params import RowId
from genguard.auth.keys import KeyInfo, Principal
from genguard.vocabulary import Role

router = APIRouter(route_class=StrictRoute, prefix="/v1/keys", tags=["keys"])
Admin = Annotated[Principal, Depends(require())]


class KeyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Role
    name: str = Field(min_length=1, max_length=100)


def _info(k: KeyInfo) -> dict[str, object]:
    return {"id": k.key_id, "name": k.name, "prefix": k.prefix, "role": k.role.value,
            "created_at": k.created_at.isoformat(),
            "revoked_at": k.revoked_at.isoformat() if k.revoked_at else None}


@router.post("", status_code=201)
def create(body: KeyCreate, request: Request, who: Admin) -> dict[str, object]:
    new = services.keys(request).create(body.role, body.name, actor=f"key:{who.key_id}")
    return {"id": new.key_id, "role": body.role.value, "name": body.name, "secret": new.secret}


@router.get("")
def list_all(request: Request, who: Admin) -> dict[str, object]:
    return {"keys": [_info(k) for k in services.keys(request).list()]}


@router.delete("/{key_id}")
def revoke(key_id: RowId, request: Request, who: Admin) -> dict[str, object]:
    info = services.keys(request).revoke(key_id, actor=f"key:{who.key_id}")
    return _info(info)
