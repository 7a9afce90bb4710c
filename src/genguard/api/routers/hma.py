"""HMA (OpenMediaMatch) compatible hash-list and match API, mounted under ``/hma``.

An HMA user points an existing client at ``https://genguard.example/hma`` instead of an HMA
host: the routes, query parameters and JSON shapes are HMA's (``OpenMediaMatch/blueprints``
``matching.py`` ``/m``, ``curation.py`` ``/c``, ``hashing.py`` ``/h`` and their ``schemas``), and
errors are HMA's ``{"message": ...}`` (with genguard's ``error`` object alongside, so genguard's
clients read them too). Everything goes through the bank service, so imports, withdrawal,
flood quarantine, the audit trail and the other workers' indexes behave as with ``/v1/banks``.

What differs, on purpose (docs/compliance.md lists it):

* authentication: genguard API keys (``Authorization: Bearer``) with genguard roles: lookups,
  hashing and comparisons for service/reviewer keys, reading banks for reviewers/auditors,
  changes for admins. HMA itself ships without authentication.
* ``GET /m/lookup?url=`` and ``GET /h/hash?url=`` are refused (403, HMA's answer when hashing is
  disabled): genguard fetches no client-given URL (server-side request forgery); POST the file.
* one signal per ``POST /c/bank/<bank>/signal`` (genguard keeps one hash per entry, so the
  returned content id then names exactly what ``DELETE`` removes); ``enabled_ratio`` is 0 or 1.
* signal types are genguard's: ``pdq``, ``md5`` (HMA's ``video_md5`` is accepted as ``md5``) and
  ``sha256``; distances come from genguard's verified matching with each bank's PDQ threshold.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, File, Request, Response, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException

from genguard.web import services
from genguard.api.auth import require
from genguard.web.bodies import StrictRoute
from genguard.auth.keys import Principal
from genguard.vocabulary import Role
from genguard.banks.formats.records import EntryStatus, SignalType, check_value
from genguard.banks.hashing import media_hashes
from genguard.banks.matching import HashQuery
from genguard.banks.model import BankKind
from genguard.banks.signal_types import kind_of, kinds
from genguard.banks.service import BankService, BankSettings
from genguard.errors import GenguardError, NotFound, RequestError

PREFIX = "/hma"
#: HMA's default PDQ match threshold (python-threatexchange PdqSignal.PDQ_CONFIDENT_MATCH_THRESHOLD).
PDQ_THRESHOLD = 31
URL_REFUSED = ("fetching a URL is disabled on genguard (server-side request forgery risk); "
               "POST the file as multipart/form-data with field 'photo', or send signal_type and signal")
#: The key of HMA's names in ``HashKind.labels``: genguard answers to a type's stored name and to
#: its HMA name (``video_md5`` for MD5).
HMA = "hma"
Admin = Annotated[Principal, Depends(require())]
Matcher = Annotated[Principal, Depends(require(Role.SERVICE, Role.REVIEWER))]
Reader = Annotated[Principal, Depends(require(Role.REVIEWER, Role.AUDITOR))]
Upload = Annotated[UploadFile | None, File()]


class HmaRoute(StrictRoute):
    """Errors in HMA's shape (``{"message"}``), keeping genguard's ``error`` object too."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def hma(request: Request) -> Response:
            try:
                return await handler(request)
            except GenguardError as exc:
                return _error(exc.status, exc.message, exc.code)
            except RequestValidationError as exc:
                return _error(400, "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()),
                              "request_invalid")
            except HTTPException as exc:
                return _error(exc.status_code, str(exc.detail), "forbidden" if exc.status_code == 403 else "http_error",
                              getattr(exc, "headers", None))

        return hma


def _error(status: int, message: str, code: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"message": message, "error": {"code": code, "message": message}}, status_code=status,
                        headers=headers)


router = APIRouter(route_class=HmaRoute, prefix=PREFIX, tags=["hma"], include_in_schema=False)


def _banks(request: Request) -> BankService:
    return services.banks(request)


def _signal_type(name: str) -> SignalType:
    kind = next((k for k in kinds() if name in (k.signal_type.value, k.label(HMA))), None)
    if kind is None:
        raise RequestError(f"No such SignalType '{name}'", status=400)
    return kind.signal_type


def _signal(name: str, value: str) -> tuple[SignalType, str]:
    kind = _signal_type(name)
    try:
        return kind, check_value(kind, value, "signal")
    except GenguardError as exc:
        raise RequestError(f"invalid signal: {exc.message}", status=400) from None


def _query(kind: SignalType, value: str) -> HashQuery:
    # A given hash has no quality to gate on: HMA matches it as is.
    return HashQuery.of({kind: value}, {kind: 100} if kind_of(kind).index == "nearest" else None)


def _banks_param(banks: str | None) -> set[str] | None:
    return {b for b in banks.split(",") if b} if banks else None


def _bank_config(info: Any) -> dict[str, Any]:
    """HMA's ``BankConfig``: genguard banks are on or off, so the ratio is 1.0 or 0.0."""
    return {"name": info.name, "matching_enabled_ratio": 1.0 if info.enabled else 0.0}


def _matches(request: Request, kind: SignalType, value: str, banks: set[str] | None) -> dict[str, list[dict[str, Any]]]:
    """HMA's ``TMatchByBank``: bank name -> [{"bank_content_id", "distance"}]."""
    found = _banks(request).lookup(_query(kind, value))
    out: dict[str, list[dict[str, Any]]] = {}
    for match in found.matches:
        if match.action.value != "block" or (banks is not None and match.bank.name not in banks):
            continue  # quarantined or suppressed entries are not matches to act on
        out.setdefault(match.bank.name, []).append({"bank_content_id": match.entry.id, "distance": str(match.distance)})
    return out


# -- /m: matching ------------------------------------------------------------------------------


@router.get("/m/raw_lookup")
def raw_lookup(request: Request, who: Matcher, signal: str, signal_type: str, banks: str | None = None,
               include_distance: bool = False) -> dict[str, Any]:
    kind, value = _signal(signal_type, signal)
    by_bank = _matches(request, kind, value, _banks_param(banks))
    found = [m for bank in sorted(by_bank) for m in by_bank[bank]]
    return {"matches": found if include_distance else [m["bank_content_id"] for m in found]}


@router.get("/m/lookup")
def lookup(request: Request, who: Matcher, url: str | None = None, signal: str | None = None,
           signal_type: str | None = None, banks: str | None = None, seed: str | None = None,
           bypass_coinflip: bool = False, content_type: str | None = None, types: str | None = None) -> dict[str, Any]:
    if url:
        raise GenguardError(URL_REFUSED, code="url_fetch_disabled", status=403)
    if not signal or not signal_type:
        raise RequestError("Either url or both signal and signal_type are required", status=400)
    kind, value = _signal(signal_type, signal)
    # HMA's seed/bypass_coinflip pick whether a partly enabled bank matches; genguard banks are on
    # or off, so both are accepted and change nothing.
    return _matches(request, kind, value, _banks_param(banks))


@router.post("/m/lookup")
def lookup_file(request: Request, who: Matcher, photo: Upload = None, video: Upload = None,
                banks: str | None = None) -> dict[str, Any]:
    hashes = _form_hashes(request, photo, video)
    wanted = _banks_param(banks)
    return {name: _matches(request, SignalType(name), value, wanted) for name, value in hashes.items()}


@router.post("/m/compare")
def compare(who: Matcher, body: Annotated[dict[str, list[str]], Body()]) -> dict[str, Any]:
    """HMA's compare: ``{"pdq": [a, b]}`` -> ``{"pdq": [is_match, {"distance": d}]}``."""
    out: dict[str, Any] = {}
    for name, pair in body.items():
        if len(pair) != 2:
            raise RequestError("Comparison hash list length must be exactly 2", status=400)
        kind = _signal_type(name)
        (_, a), (_, b) = _signal(name, pair[0]), _signal(name, pair[1])
        if kind_of(kind).index == "nearest":
            distance = kind_of(kind).distance(a, b)
            out[name] = [distance <= PDQ_THRESHOLD, {"distance": distance}]
        else:
            out[name] = [a == b, {"distance": 0 if a == b else 1}]
    return out


# -- /h: hashing -------------------------------------------------------------------------------


@router.get("/h/hash")
def hash_url(who: Matcher, url: str) -> dict[str, str]:
    raise GenguardError(URL_REFUSED, code="url_fetch_disabled", status=403)


@router.post("/h/hash")
def hash_file(request: Request, who: Matcher, photo: Upload = None, video: Upload = None) -> dict[str, str]:
    return _form_hashes(request, photo, video)


def _form_hashes(request: Request, photo: UploadFile | None, video: UploadFile | None) -> dict[str, str]:
    """HMA's upload: one file, its form field named for its content type (``photo`` or ``video``)."""
    uploads = [u for u in (photo, video) if u is not None]
    if not uploads:
        raise RequestError("Missing multipart/form-data file upload (field 'photo' or 'video')", status=400)
    if len(uploads) > 1:
        raise RequestError("Only one file allowed per request", status=400)
    upload = uploads[0]
    settings = request.app.state.guard.settings
    data = upload.file.read(settings.media.max_bytes + 1)
    if len(data) > settings.media.max_bytes:
        raise RequestError("Content too large", code="media_too_large", status=413)
    with request.app.state.heavy.hold():
        hashes = media_hashes(data, limits=settings.media, declared_type=upload.content_type)
    return {"pdq": hashes.pdq, "md5": hashes.md5, "sha256": hashes.sha256}


# -- /c: curation ------------------------------------------------------------------------------


class BankCreate(BaseModel):
    """HMA's ``BankCreateRequest``, plus genguard's optional ``kind`` (default: internal list)."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    enabled_ratio: float | None = None
    enabled: bool | None = None
    kind: BankKind = BankKind.INTERNAL_BLOCKED


def _enabled(ratio: float | None, enabled: bool | None) -> bool:
    if ratio is not None:
        if ratio not in (0.0, 1.0):
            raise RequestError("genguard banks are on or off: enabled_ratio must be 0 or 1", status=400)
        return ratio == 1.0
    return True if enabled is None else enabled


@router.get("/c/banks")
def banks_index(request: Request, who: Reader) -> list[dict[str, Any]]:
    return [_bank_config(b) for b in _banks(request).banks()]


@router.get("/c/bank/{bank_name}")
def bank_show(bank_name: str, request: Request, who: Reader) -> dict[str, Any]:
    return _bank_config(_bank(request, bank_name))


def _bank(request: Request, name: str) -> Any:
    try:
        return _banks(request).bank(name)
    except NotFound:
        raise NotFound(f"bank '{name}' not found") from None


@router.post("/c/banks", status_code=201)
def bank_create(body: BankCreate, request: Request, who: Admin) -> dict[str, Any]:
    settings = BankSettings(enabled=_enabled(body.enabled_ratio, body.enabled))
    try:
        info = _banks(request).create_bank(body.name, body.kind, settings, actor=f"key:{who.key_id}")
    except GenguardError as exc:
        if exc.code == "bank_exists":
            raise GenguardError("Bank already exists", code="bank_exists", status=403) from None
        raise
    return _bank_config(info)


@router.post("/c/bank/{bank_name}/signal")
def bank_add_signal(bank_name: str, request: Request, who: Admin,
                    body: Annotated[dict[str, str], Body()]) -> dict[str, Any]:
    note = body.pop("note", "")
    if not body:
        raise RequestError("No signals given", status=400)
    if len(body) > 1:
        raise RequestError("genguard banks one signal per content: send one signal type per request", status=400)
    [(name, raw)] = body.items()
    _bank(request, bank_name)
    kind, value = _signal(name, raw)
    entry, _ = _banks(request).add_entry(bank_name, kind, value, note=note, actor=f"key:{who.key_id}")
    return {"id": entry.id, "signals": {name: entry.value}}


def _content(request: Request, bank_name: str, content_id: int) -> Any:
    _bank(request, bank_name)
    try:
        entry = _banks(request).entry(content_id)
    except NotFound:
        entry = None
    if entry is None or entry.bank != bank_name or entry.tombstone:
        raise NotFound(f"content '{content_id}' not found")
    return entry


@router.get("/c/bank/{bank_name}/content/{content_id}")
def bank_get_content(bank_name: str, content_id: int, request: Request, who: Reader,
                     include_signals: bool = False, include_metadata: bool = True) -> dict[str, Any]:
    """HMA's ``BankContentResponse``; a withdrawn or quarantined entry is disabled (``1``)."""
    entry = _content(request, bank_name, content_id)
    bank = _bank(request, bank_name)
    disabled = entry.status == EntryStatus.WITHDRAWN.value or entry.quarantined_at is not None
    out: dict[str, Any] = {"id": entry.id, "disable_until_ts": 1 if disabled else 0, "original_media_uri": None,
                           "bank": _bank_config(bank)}
    if include_signals:
        out["signals"] = {entry.signal_type: entry.value}
    if include_metadata and entry.external_id:
        out["metadata"] = {"content_id": entry.external_id}
    if entry.note:
        out["note"] = entry.note
    return out


@router.delete("/c/bank/{bank_name}/content/{content_id}")
def bank_delete_content(bank_name: str, content_id: int, request: Request, who: Admin) -> dict[str, Any]:
    entry = _content(request, bank_name, content_id)
    _banks(request).delete_entry(entry.id, actor=f"key:{who.key_id}")
    return {"deleted": 1}


@router.get("/c/signal_type")
def signal_types(who: Reader) -> list[dict[str, Any]]:
    return [{"name": k.signal_type.value, "enabled_ratio": 1.0} for k in kinds()]
