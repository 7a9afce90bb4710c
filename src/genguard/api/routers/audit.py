"""Audit trail over HTTP: verify the chain, read its head and records (auditors and admins)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from starlette.concurrency import run_in_threadpool

from genguard.web import services
from genguard.api.auth import require
from genguard.web.bodies import StrictRoute
from genguard.web.params import MAX_DB_INT
from genguard.vocabulary import Role

router = APIRouter(route_class=StrictRoute, prefix="/v1/audit", tags=["audit"], dependencies=[Depends(require(Role.AUDITOR))])


@router.get("/verify")
async def verify_chain(request: Request) -> dict[str, object]:
    """Walk the whole chain; ``ok`` is false and ``findings`` name each tampered record."""
    report = await run_in_threadpool(services.audit(request).verify)
    return {
        "ok": report.ok,
        "records": report.records,
        "head": {"seq": report.head.seq, "hash": report.head.hash},
        "findings": [{"kind": f.kind.value, "seq": f.seq, "detail": f.detail} for f in report.findings],
        "findings_truncated": report.findings_truncated,
    }


@router.get("/head")
def head(request: Request) -> dict[str, object]:
    h = services.audit(request).head()
    return {"seq": h.seq, "hash": h.hash}


@router.get("/records")
def records(
    request: Request,
    after: Annotated[int, Query(ge=0, le=MAX_DB_INT, description="return records with seq greater than this")] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    kind: Annotated[str | None, Query(max_length=64)] = None,
) -> dict[str, object]:
    """Records in seq order, paged by ``after`` (no cap on how far a reader can page)."""
    items = [
        {"seq": r.seq, "ts": r.ts.isoformat(), "actor": r.actor, "kind": r.kind, "subject": r.subject,
         "payload": r.payload, "prev_hash": r.prev_hash, "hash": r.hash}
        for r in services.audit(request).records(after=after, limit=limit, kind=kind)
    ]
    return {"records": items, "next_after": items[-1]["seq"] if items else after}
