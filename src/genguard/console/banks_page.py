"""Hash banks in the console: browse banks and entries, search by hash, add and withdraw.

Roles follow ``/v1/banks``: browsing for reviewers and auditors, searching for reviewers,
adding and withdrawing for admins. Changes are audited with the same kinds and payloads as
the API's (``bank.entry_added``, ``bank.entry_withdrawn``).
"""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from genguard.web import services
from genguard.web.bodies import StrictRoute
from genguard.web.params import Offset, RowId
from genguard.vocabulary import Role
from genguard.banks.formats.records import SignalType, check_value
from genguard.banks.matching import HashQuery
from genguard.console.access import Viewer, viewer
from genguard.console.render import PREFIX, page, redirect
from genguard.errors import GenguardError

router = APIRouter(route_class=StrictRoute, prefix=f"{PREFIX}/banks")
Reader = Annotated[Viewer, Depends(viewer(Role.REVIEWER, Role.AUDITOR))]
Admin = Annotated[Viewer, Depends(viewer())]
PAGE = 50


def _view(request: Request, who: Viewer, *, bank: str | None, offset: int = 0, status: int = 200,
          **extra: Any) -> HTMLResponse:
    """The banks page: every bank, and the chosen bank's entries (a page of them)."""
    service = services.banks(request)
    banks = service.banks()
    chosen = bank or (banks[0].name if banks else None)
    entries = service.entries(chosen, limit=PAGE, offset=offset) if chosen else []
    return page(request, "banks.html", who, status=status, banks=banks, chosen=chosen, entries=entries,
                offset=offset, page_size=PAGE, signal_types=list(SignalType), **extra)


def _signal_type(value: str) -> SignalType:
    try:
        return SignalType(value)
    except ValueError:
        raise GenguardError(f"unknown hash type {value!r}", code="hash_invalid", status=422) from None


def _fail(request: Request, who: Viewer, bank: str | None, exc: GenguardError) -> HTMLResponse:
    return _view(request, who, bank=bank, status=exc.status, error=exc)


@router.get("", response_class=HTMLResponse)
def banks(request: Request, who: Reader, bank: Annotated[str | None, Query(max_length=100)] = None,
          offset: Offset = 0, added: int | None = None,
          withdrawn: int | None = None) -> HTMLResponse:
    done = f"Entry {added} added." if added else f"Entry {withdrawn} withdrawn." if withdrawn else None
    try:
        return _view(request, who, bank=bank, offset=offset, notice=done)
    except GenguardError as exc:
        return _fail(request, who, None, exc)


@router.get("/search", response_class=HTMLResponse)
def search(request: Request, who: Annotated[Viewer, Depends(viewer(Role.REVIEWER))],
           signal_type: Annotated[str, Query(max_length=10)] = "pdq",
           value: Annotated[str, Query(max_length=200)] = "") -> HTMLResponse:
    """Bank matches of one hash (PDQ within each bank's threshold, MD5/SHA-256 exact)."""
    try:
        kind = _signal_type(signal_type)
        clean = check_value(kind, value.strip().lower(), "value")
        query = HashQuery.of({kind: clean})
        found = services.banks(request).lookup(query)
    except GenguardError as exc:
        return _fail(request, who, None, exc)
    return _view(request, who, bank=None, searched={"signal_type": kind.value, "value": clean},
                 matches=found.matches, quality_gated=found.quality_gated)


@router.post("/{name}/entries")
async def add(request: Request, name: str, who: Admin, signal_type: Annotated[str, Form(max_length=10)],
              value: Annotated[str, Form(max_length=200)], external_id: Annotated[str, Form(max_length=200)] = "",
              note: Annotated[str, Form(max_length=2000)] = "") -> Response:
    await who.check_csrf(request)
    try:
        info, _ = await run_in_threadpool(
            services.banks(request).add_entry, name, _signal_type(signal_type), value.strip().lower(),
            external_id=external_id, note=note, actor=who.actor)
    except GenguardError as exc:
        return _fail(request, who, name, exc)
    return redirect(f"/banks?bank={quote(name)}&added={info.id}")


@router.post("/entries/{entry_id}/withdraw")
async def withdraw(request: Request, entry_id: RowId, who: Admin) -> Response:
    await who.check_csrf(request)
    try:
        info = await run_in_threadpool(partial(services.banks(request).withdraw, entry_id, actor=who.actor))
    except GenguardError as exc:
        return _fail(request, who, None, exc)
    return redirect(f"/banks?bank={quote(info.bank)}&withdrawn={entry_id}")
