"""Templates and the security headers every console response carries.

Jinja2 autoescapes every value. The Content-Security-Policy admits scripts and styles from
this server only (no inline script, no ``eval``, no other origin), images from this server or
``data:`` (previews are rendered per request and never stored), and forms posting back here.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from genguard.console.access import Viewer

HERE = Path(__file__).parent
PREFIX = "/console"
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cache-control": "no-store",
}

templates = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(default=True),
                        trim_blocks=True, lstrip_blocks=True)


def when(value: datetime | str | None) -> str:
    """A time as reviewers read it: UTC to the second (services hand out ISO 8601 strings)."""
    if value is None:
        return "–"
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


templates.filters["when"] = when


def page(request: Request, name: str, who: Viewer | None, *, status: int = 200, **context: Any) -> HTMLResponse:
    """Render ``name`` with the viewer (for the navigation and the CSRF field)."""
    html = templates.get_template(name).render(request=request, who=who, prefix=PREFIX, **context)
    return HTMLResponse(html, status_code=status)


def redirect(path: str) -> RedirectResponse:
    """A POST-redirect-GET to a console path (303, so a reload does not resubmit)."""
    return RedirectResponse(f"{PREFIX}{path}", status_code=303)


class SecurityHeaders:
    """Adds :data:`HEADERS` to every response under :data:`PREFIX` (pages, redirects, assets)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(PREFIX):
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], *(
                    (k.encode(), v.encode()) for k, v in HEADERS.items() if k.encode() not in present)]
            await send(message)

        await self.app(scope, receive, with_headers)
