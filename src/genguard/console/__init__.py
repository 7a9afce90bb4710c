"""The web console for reviewers, administrators and auditors, served under ``/console`` by the
API process: server-rendered pages (Jinja2), one stylesheet and one script of our own, no other
origin. See docs/console.md for pages, roles and the security model."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles

from genguard.config import Settings
from genguard.console import audit_page, banks_page, dashboard, likeness_page, oversight, playground, review, signin
from genguard.console.access import Forbidden, SignInRequired, current
from genguard.console.render import HERE, PREFIX, SecurityHeaders, page, redirect
from genguard.console.session import Signer, load_secret

ROUTERS = (signin, dashboard, playground, banks_page, likeness_page, audit_page, review, oversight)


def mount(app: FastAPI, settings: Settings) -> None:
    """Add the console's pages, assets, error pages and security headers to ``app``."""
    app.state.console_signer = Signer(load_secret(settings.home, settings.console_secret))
    for module in ROUTERS:
        app.include_router(module.router, include_in_schema=False)
    app.mount(f"{PREFIX}/static", StaticFiles(directory=HERE / "static"), name="console-static")
    app.add_middleware(SecurityHeaders)

    @app.exception_handler(SignInRequired)
    async def _sign_in(request: Request, _: SignInRequired) -> Response:
        if request.method == "GET":
            return redirect("/login")
        return page(request, "error.html", None, status=401, heading="Signed out",
                    message="Your session has ended. Sign in again; nothing was changed.")

    @app.exception_handler(Forbidden)
    async def _forbidden(request: Request, exc: Forbidden) -> Response:
        return page(request, "error.html", current(request), status=403, heading="Not allowed", message=exc.message)
