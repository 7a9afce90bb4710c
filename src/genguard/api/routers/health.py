"""Open liveness and readiness probes (no key: load balancers call them)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from genguard.api.bodies import StrictRoute

router = APIRouter(route_class=StrictRoute, tags=["health"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@router.get("/readyz")
def readyz(request: Request) -> JSONResponse:
    """Models loaded and database reachable; 503 until both hold."""
    guard = request.app.state.guard
    models = {slot: d.loaded for slot, d in guard.detectors.items()}
    database = request.app.state.store.ping()
    ready = database and all(models.values())
    return JSONResponse(
        {"status": "ready" if ready else "not_ready", "models": models, "database": database},
        status_code=200 if ready else 503,
    )
