"""The FastAPI application: one process serves screening, platform safety and the console."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from genguard import __version__
from genguard.web import errors
from genguard.api.busy import HeavyWork, default_slots
from genguard.api.limits import RequestGate, body_limit
from genguard.api.routers import (appeals, audit, banks, cases, feedback, health, hma, items, keys, likeness, notices,
                                 receipts, reports, screen, take_it_down)
from genguard.cases.webhooks import WebhookSender
from genguard.config import Settings
from genguard.console import mount as mount_console
from genguard.guard import Guard
from genguard.wiring import Platform


def create_app(
    settings: Settings | None = None, *, guard: Guard | None = None, webhooks: WebhookSender | None = None
) -> FastAPI:
    """Build the app. Models load and migrations run at start-up, before the first request.

    The parts come from one :class:`~genguard.wiring.Platform`; ``guard`` and ``webhooks`` replace
    the ones it would build (tests pass prepared ones).
    """
    settings = settings or Settings()
    heavy = HeavyWork(default_slots(settings.max_concurrent_heavy), wait_s=settings.busy_wait_s)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        platform = Platform(settings, guard=guard, webhooks=webhooks)
        app.state.platform = platform  # routes and pages reach services through genguard.web.services
        app.state.heavy = heavy
        app.state.guard = platform.guard
        await run_in_threadpool(app.state.guard.load)
        if app.state.guard.signer is None:  # every verdict the API answers carries a receipt
            app.state.guard.signer = platform.receipt_signer
        app.state.cases = platform.cases
        app.state.item_media = platform.item_media
        app.state.public_intake = platform.public_intake
        try:
            yield
        finally:
            platform.close()

    app = FastAPI(
        title="genguard",
        version=__version__,
        description="Screening against sexual deepfakes of real people and sexual imagery of children.",
        lifespan=lifespan,
    )
    errors.install(app)
    app.include_router(health.router)
    app.include_router(receipts.router)
    for module in (screen, audit, keys, banks, likeness, notices, cases, appeals, reports, items, feedback,
                   take_it_down):
        app.include_router(module.router, responses=errors.ERROR_RESPONSES)
    app.include_router(take_it_down.public_router, responses=errors.ERROR_RESPONSES)
    app.include_router(hma.router)  # HMA-compatible routes, HMA's error shape (docs/compliance.md)
    mount_console(app, settings)
    app.add_middleware(RequestGate, max_bytes=body_limit(settings))
    return app
