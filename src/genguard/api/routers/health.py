"""Open liveness and readiness probes (no key: load balancers call them)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from genguard.web import services
from genguard.web.bodies import StrictRoute

router = APIRouter(route_class=StrictRoute, tags=["health"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@router.get("/readyz")
def readyz(request: Request) -> JSONResponse:
    """Models loaded and database reachable; 503 until both hold."""
    state = services.platform(request).readiness()
    return JSONResponse(
        {"status": "ready" if state.ready else "not_ready", "models": dict(state.models), "database": state.database},
        status_code=200 if state.ready else 503,
    )
