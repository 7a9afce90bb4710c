"""``/v1/banks``: hash an image, look up an image or hashes, compare hashes, manage banks and
entries, import and export lists.

Roles: hashing, lookups and comparisons are for services and reviewers; reading banks and
entries also for auditors; releasing a quarantined entry for reviewers; everything that changes
a bank, and exports (the lists themselves are sensitive), for admins only. Every change is
written to the audit trail with the key that made it.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Query, Request, Response, UploadFile
from pydantic import BaseModel, ConfigDict, Field, model_validator
from starlette.concurrency import run_in_threadpool

from genguard.web import services
from genguard.api.auth import require
from genguard.web.bodies import StrictRoute
from genguard.web.params import MAX_DB_INT, Offset, RowId
from genguard.auth.keys import Principal
from genguard.vocabulary import Role
from genguard.banks.errors import HashFormatError
from genguard.banks.formats.lists import ListFormat, read_list
from genguard.banks.formats.records import EntryStatus, SignalType, check_value
from genguard.banks.hashing import media_hashes
from genguard.banks.matching import HashQuery
from genguard.banks.model import BankKind
from genguard.banks.service import BankSettings
from genguard.banks.signal_types import hash_field_schema, hash_fields, kinds
from genguard.detectors.hashes import hamming
from genguard.errors import GenguardError, RequestError

router = APIRouter(route_class=StrictRoute, prefix="/v1/banks", tags=["banks"])
Admin = Annotated[Principal, Depends(require())]
Matcher = Annotated[Principal, Depends(require(Role.SERVICE, Role.REVIEWER))]
Reader = Annotated[Principal, Depends(require(Role.REVIEWER, Role.AUDITOR))]
Reviewer = Annotated[Principal, Depends(require(Role.REVIEWER))]
Pdq = Annotated[str, Field(min_length=64, max_length=64)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _hash_properties(schema: dict[str, Any]) -> None:
    hash_field_schema(schema, exact_length=True)


class HashLookup(BaseModel):
    """Hashes to look up: a field per registered hash type, named as it is stored (``pdq``,
    ``md5``, ``sha256``...), and the quality of a nearest type's value (PDQ's)."""

    model_config = ConfigDict(extra="allow", json_schema_extra=_hash_properties)

    pdq_quality: int | None = Field(default=None, ge=0, le=100)

    @model_validator(mode="before")
    @classmethod
    def _hash_fields(cls, data: Any) -> Any:
        return hash_fields(data, cls.model_fields, exact_length=True)

    def hashes(self) -> dict[str, str]:
        extra = self.model_extra or {}
        return {name: value for k in kinds() if (value := extra.get(name := k.signal_type.value))}


class Compare(Strict):
    a: Pdq
    b: Pdq
    threshold: int = Field(default=31, ge=0, le=256)


class BankCreate(Strict):
    name: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    kind: BankKind
    pdq_threshold: int = 31
    enabled: bool = True
    disabled_until: datetime | None = None
    flood_limit: int = Field(default=100, le=MAX_DB_INT)
    flood_window_s: int = Field(default=3600, le=MAX_DB_INT)
    list_owner: str | None = Field(default=None, max_length=200)
    list_version: str | None = Field(default=None, max_length=100)
    note: str | None = Field(default=None, max_length=10_000)


class BankUpdate(Strict):
    pdq_threshold: int | None = None
    enabled: bool | None = None
    disabled_until: datetime | None = None
    flood_limit: int | None = Field(default=None, le=MAX_DB_INT)
    flood_window_s: int | None = Field(default=None, le=MAX_DB_INT)
    list_owner: str | None = Field(default=None, max_length=200)
    list_version: str | None = Field(default=None, max_length=100)
    note: str | None = Field(default=None, max_length=10_000)


class EntryCreate(Strict):
    signal_type: SignalType
    value: str = Field(min_length=32, max_length=64)
    external_id: str = Field(default="", max_length=200)
    tags: list[Annotated[str, Field(max_length=100)]] = Field(default_factory=list, max_length=50)
    note: str = Field(default="", max_length=10_000)
    metadata: dict[str, str] = Field(default_factory=dict)


class EntryUpdate(Strict):
    note: str | None = Field(default=None, max_length=10_000)
    tags: list[Annotated[str, Field(max_length=100)]] | None = Field(default=None, max_length=50)
    metadata: dict[str, str] | None = None


def _actor(who: Principal) -> str:
    return f"key:{who.key_id}"


def _read_image(request: Request, image: UploadFile) -> bytes:
    limit = request.app.state.guard.settings.media.max_bytes
    data = image.file.read(limit + 1)
    if len(data) > limit:
        raise RequestError(f"image is over the {limit}-byte limit", code="media_too_large", status=413)
    return data


def _image_hashes(request: Request, image: UploadFile):  # noqa: ANN202 - ImageHashes
    settings = request.app.state.guard.settings
    data = _read_image(request, image)
    with request.app.state.heavy.hold():
        return media_hashes(data, limits=settings.media, declared_type=image.content_type)


# -- hashing and matching -------------------------------------------------------------------


@router.post("/hash", summary="PDQ (all eight rotations/flips, or a video's frames), MD5 and SHA-256")
def hash_image(request: Request, who: Matcher, image: Annotated[UploadFile, File()]) -> dict[str, Any]:
    return _image_hashes(request, image).public()


@router.post("/lookup/image", summary="Bank matches of an image (rotated and mirrored copies too) or a video")
def lookup_image(request: Request, who: Matcher, image: Annotated[UploadFile, File()]) -> dict[str, Any]:
    hashes = _image_hashes(request, image)
    found = services.banks(request).lookup(hashes.query())
    return {"hashes": hashes.public(), "quality_gated": found.quality_gated,
            "matches": [m.public() for m in found.matches]}


@router.post("/lookup", summary="Bank matches of given hashes")
def lookup_hashes(body: HashLookup, request: Request, who: Matcher) -> dict[str, Any]:
    if not body.hashes():
        names = ", ".join(k.signal_type.value for k in kinds())
        raise RequestError(f"give at least one of {names}", code="hash_required")
    given = {name: check_value(SignalType(name), value, name) for name, value in body.hashes().items()}
    nearest = [k.signal_type for k in kinds("nearest")]
    query = HashQuery.of(given, {t: body.pdq_quality for t in nearest} if body.pdq_quality is not None else None)
    found = services.banks(request).lookup(query)
    return {"quality_gated": found.quality_gated, "matches": [m.public() for m in found.matches]}


@router.post("/compare", summary="Bit distance between two PDQ hashes")
def compare(body: Compare, who: Matcher) -> dict[str, Any]:
    try:
        a, b = check_value(SignalType.PDQ, body.a, "a"), check_value(SignalType.PDQ, body.b, "b")
    except GenguardError as exc:
        raise HashFormatError(exc.message) from None
    distance = hamming(a, b)
    return {"distance": distance, "threshold": body.threshold, "match": distance <= body.threshold}


# -- entries by id --------------------------------------------------------------------------


@router.get("/entries/{entry_id}")
def get_entry(entry_id: RowId, request: Request, who: Reader) -> dict[str, Any]:
    return services.banks(request).entry(entry_id).public()


@router.patch("/entries/{entry_id}")
def update_entry(entry_id: RowId, body: EntryUpdate, request: Request, who: Admin) -> dict[str, Any]:
    info = services.banks(request).update_entry(entry_id, note=body.note, tags=body.tags, metadata=body.metadata,
                                        actor=_actor(who))
    return info.public()


@router.post("/entries/{entry_id}/withdraw", summary="The list owner withdrew it: it stops matching now")
def withdraw(entry_id: RowId, request: Request, who: Admin) -> dict[str, Any]:
    info = services.banks(request).withdraw(entry_id, actor=_actor(who))
    return info.public()


@router.post("/entries/{entry_id}/release", summary="Clear a flood-quarantined entry after review")
def release(entry_id: RowId, request: Request, who: Reviewer) -> dict[str, Any]:
    info = services.banks(request).release(entry_id, actor=_actor(who))
    return info.public()


@router.delete("/entries/{entry_id}")
def delete_entry(entry_id: RowId, request: Request, who: Admin) -> dict[str, Any]:
    info = services.banks(request).delete_entry(entry_id, actor=_actor(who))
    return info.public()


# -- banks ----------------------------------------------------------------------------------


@router.get("")
def list_banks(request: Request, who: Reader) -> dict[str, Any]:
    return {"banks": [b.public() for b in services.banks(request).banks()]}


@router.post("", status_code=201)
def create_bank(body: BankCreate, request: Request, who: Admin) -> dict[str, Any]:
    settings = BankSettings(**body.model_dump(exclude={"name", "kind"}))
    info = services.banks(request).create_bank(body.name, body.kind, settings, actor=_actor(who))
    return info.public()


@router.get("/{name}")
def get_bank(name: str, request: Request, who: Reader) -> dict[str, Any]:
    return services.banks(request).bank(name).public()


@router.patch("/{name}")
def update_bank(name: str, body: BankUpdate, request: Request, who: Admin) -> dict[str, Any]:
    changes = body.model_dump(exclude_unset=True)
    info = services.banks(request).update_bank(name, actor=_actor(who), **changes)
    return info.public()


@router.delete("/{name}")
def delete_bank(name: str, request: Request, who: Admin) -> dict[str, Any]:
    removed = services.banks(request).delete_bank(name, actor=_actor(who))
    return {"deleted": name, "entries": removed}


@router.get("/{name}/entries")
def list_entries(
    name: str,
    request: Request,
    who: Reader,
    status: EntryStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 100,
    offset: Offset = 0,
) -> dict[str, Any]:
    entries = services.banks(request).entries(name, status=status.value if status else None, limit=limit, offset=offset)
    return {"entries": [e.public() for e in entries]}


@router.post("/{name}/entries", status_code=201)
def add_entry(name: str, body: EntryCreate, request: Request, who: Admin) -> dict[str, Any]:
    info, report = services.banks(request).add_entry(
        name, body.signal_type, body.value, external_id=body.external_id, tags=body.tags, note=body.note,
        metadata=body.metadata, actor=_actor(who),
    )
    return {"entry": info.public(), "retro_matches": [h.public() for h in report.retro]}


@router.post("/{name}/import", summary="Import a list (body: the file) in one of four formats")
async def import_list(
    name: str,
    request: Request,
    who: Admin,
    format: ListFormat,  # noqa: A002 - the wire name
    list_owner: Annotated[str | None, Query(max_length=200)] = None,
    list_version: Annotated[str | None, Query(max_length=100)] = None,
) -> dict[str, Any]:
    data = await request.body()
    records = read_list(format, data)
    report = await run_in_threadpool(
        partial(services.banks(request).import_records, name, records, list_owner=list_owner, list_version=list_version,
                actor=_actor(who), detail={"format": format.value})
    )
    return report.public()


@router.get("/{name}/export", summary="Export a bank (withdrawn entries included) in one of four formats",
            responses={200: {"content": {t: {"schema": {"type": "string"}}
                                         for t in ("text/csv", "application/json", "application/xml")}}})
def export_list(name: str, request: Request, who: Admin, format: ListFormat) -> Response:  # noqa: A002
    body, media_type = services.banks(request).export_list(name, format, actor=_actor(who))
    return Response(content=body, media_type=media_type)
