"""The gate every request passes before any of its body is read: who is asking, then how much
they may send.

A ``/v1`` request is authenticated from its headers alone (``Authorization: Bearer`` or
``X-API-Key``); without a live key it gets its 401 at once, so an anonymous client cannot make
the server receive and spool a large upload first. The body is then bounded: callers with a key
or a console session get the full limit (images and their text), anyone else a small one (the
sign-in form). Over the limit is 413 ``payload_too_large`` whether the size was declared
(Content-Length) or only found while counting a chunked stream.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.requests import HTTPConnection
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from genguard.web import services
from genguard.web.errors import CodedHTTPException, error_body
from genguard.auth.keys import Principal
from genguard.config import Settings

#: Body limit for callers with neither an API key nor a console session (the sign-in form).
ANONYMOUS_MAX_BYTES = 64 * 1024
#: Paths authenticated from headers: genguard's API and its HMA-compatible routes.
API_PREFIXES = ("/v1/", "/hma/")
#: Where the authenticated principal is kept for the route's own role check.
PRINCIPAL_STATE = "genguard_principal"


def body_limit(settings: Settings) -> int:
    """The largest body an authenticated request may send: every image plus all its text."""
    text = 4 * settings.max_text_chars * (settings.max_history + 1)
    return settings.max_images * settings.media.max_bytes + text + 65536


def api_secret(headers: Headers) -> str | None:
    """The API key a request carries, if any (never logged)."""
    header = headers.get("authorization", "")
    if header[:7].lower() == "bearer ":
        return header[7:].strip() or None
    return headers.get("x-api-key") or None


class PayloadTooLarge(CodedHTTPException):
    """Raised from ``receive`` when a counted stream passes the limit. An HTTPException, so body
    parsing lets it through to the handler (anything else there became a generic 400)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, "payload_too_large", f"request body is over {limit} bytes")


def _unauthenticated(message: str, scope: Scope) -> JSONResponse:
    body = error_body("unauthenticated", message)
    if scope["path"].startswith("/hma"):  # HMA clients read a top-level "message"
        body = {"message": message, **body}
    return JSONResponse(body, status_code=401, headers={"WWW-Authenticate": "Bearer"})


class RequestGate:
    """Authenticate ``/v1`` requests from headers, then bound every body (see module doc)."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = ANONYMOUS_MAX_BYTES
        if scope["path"].startswith(API_PREFIXES) or scope["path"] in ("/v1", "/hma"):
            secret = api_secret(Headers(scope=scope))
            if secret is None:
                await _unauthenticated("an API key is required", scope)(scope, receive, send)
                return
            keys = services.keys(HTTPConnection(scope))
            who: Principal | None = await run_in_threadpool(keys.authenticate, secret)
            if who is None:
                await _unauthenticated("the API key is not valid", scope)(scope, receive, send)
                return
            scope.setdefault("state", {})[PRINCIPAL_STATE] = who
            limit = self.max_bytes
        elif await self._console_session(scope):
            limit = self.max_bytes
        await bounded(self.app, scope, receive, send, limit)

    @staticmethod
    async def _console_session(scope: Scope) -> bool:
        from genguard.console.access import current  # the console is mounted after the API

        if scope.get("method") in ("GET", "HEAD") or not scope["path"].startswith("/console"):
            return False
        return await run_in_threadpool(current, HTTPConnection(scope)) is not None  # type: ignore[arg-type]


async def bounded(app: ASGIApp, scope: Scope, receive: Receive, send: Send, limit: int,
                  too_large: Callable[[int], ASGIApp] | None = None) -> None:
    """Run ``app`` with its body bounded to ``limit`` bytes, declared or counted; over it,
    ``too_large(limit)`` answers (the images gateway answers in OpenAI's error shape)."""
    too_large = too_large or _too_large
    declared = Headers(scope=scope).get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > limit):
        await too_large(limit)(scope, receive, send)
        return
    seen = 0
    started = False

    async def limited_receive() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise PayloadTooLarge(limit)
        return message

    async def tracking_send(message: Message) -> None:
        nonlocal started
        started = started or message["type"] == "http.response.start"
        await send(message)

    try:
        await app(scope, limited_receive, tracking_send)
    except PayloadTooLarge:
        if not started:  # raised where no handler saw it (outside a route's body parsing)
            await too_large(limit)(scope, receive, send)


def _too_large(limit: int) -> JSONResponse:
    return JSONResponse(error_body("payload_too_large", f"request body is over {limit} bytes"), status_code=413)
