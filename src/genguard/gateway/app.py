"""The gateway's HTTP app: ``POST /v1/images/generations`` and ``/v1/images/edits`` as the OpenAI
Images API has them, screened by genguard on the way in and on the way out (see ``flow``)."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers, UploadFile
from starlette.types import ASGIApp, Receive, Scope, Send

from genguard.web.bodies import StrictRoute
from genguard.api.busy import HeavyWork, default_slots
from genguard.api.limits import api_secret, bounded
from genguard.api.routers import receipts
from genguard.auth.keys import authenticate
from genguard.vocabulary import Role
from genguard.config import Settings
from genguard.gateway import errors
from genguard.gateway.config import AuthMode, GatewayConfig
from genguard.gateway.errors import GatewayError, openai_error
from genguard.gateway.flow import Ask, Caller, Flow
from genguard.gateway.stamp import Stamper, default_stamper
from genguard.gateway.upstream import Upstream
from genguard.gateway.vault import ImageVault
from genguard.guard import Guard
from genguard.net.fetch import MediaFetcher
from genguard.receipts import ReceiptSigner
from genguard.request import ImageInput, RequestKind
from genguard.store.db import open_store

#: Callers may send a conversation id here; without it the OpenAI ``user`` field is the session.
SESSION_HEADER = "x-genguard-session"
_CALLER = "genguard_gateway_caller"
_FILES_PREFIX = "/v1/images/files/"
#: The multipart file fields the gateway forwards; any other file would reach the upstream unscreened.
_IMAGE_FIELDS = ("image", "image[]")


def _unauthorized(message: str) -> ASGIApp:
    return openai_error(401, message, code="invalid_api_key", headers={"WWW-Authenticate": "Bearer"})


def _too_large(limit: int) -> ASGIApp:
    return openai_error(413, f"request body is over {limit} bytes", code="payload_too_large")


class GatewayGate:
    """Authenticate ``/v1`` callers from headers before any body is read, then bound the body."""

    def __init__(self, app: ASGIApp, *, mode: AuthMode, max_bytes: int) -> None:
        self.app, self.mode, self.max_bytes = app, mode, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or not path.startswith("/v1/") or path.startswith(_FILES_PREFIX):
            await self.app(scope, receive, send)  # probes, key set, capability URLs: no key
            return
        secret = api_secret(Headers(scope=scope))
        if secret is None:
            await _unauthorized("an API key is required (Authorization: Bearer <key>)")(scope, receive, send)
            return
        if self.mode is AuthMode.KEYS:
            who = await run_in_threadpool(authenticate, scope["app"].state.store, secret)
            if who is None or who.role not in (Role.SERVICE, Role.ADMIN):
                await _unauthorized("the API key is not a valid genguard service key")(scope, receive, send)
                return
            caller = Caller(actor=f"gateway:key:{who.key_id}", bearer=None)
        else:  # the upstream judges the bearer; the audit trail gets a digest, never the secret
            caller = Caller(actor=f"gateway:bearer:{hashlib.sha256(secret.encode()).hexdigest()[:16]}", bearer=secret)
        scope.setdefault("state", {})[_CALLER] = caller
        await bounded(self.app, scope, receive, send, self.max_bytes, too_large=_too_large)


def _int(value: Any, name: str, low: int, high: int) -> int:
    """An integer, or its digits in a form field; not a bool, a float or "2.5"."""
    if isinstance(value, int) and not isinstance(value, bool):
        number: int | None = value
    else:
        number = int(value) if isinstance(value, str) and value.strip().isdigit() else None
    if number is None or not low <= number <= high:
        raise GatewayError(400, "invalid_value", f"{name} must be an integer from {low} to {high}", param=name)
    return number


def _prompt(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise GatewayError(400, "missing_required_parameter", "prompt is required", param="prompt")
    return value


def _no_stream(stream: Any) -> None:
    if stream not in (None, False, "false", "False", "0"):
        raise GatewayError(400, "unsupported_parameter", "stream is not supported by this gateway: every image "
                           "is screened whole before it is returned", param="stream")


def _optional_str(value: Any, name: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise GatewayError(400, "invalid_type", f"{name} must be a string", param=name)
    return value or None


def _base_url(request: Request, config: GatewayConfig) -> str:
    return config.public_url or str(request.base_url)


def create_gateway(config: GatewayConfig, settings: Settings | None = None, *, guard: Guard | None = None,
                   stamper: Stamper | None = None) -> FastAPI:
    """The gateway app. ``guard``: a Guard to share (default: one on the configured database,
    signing receipts with the configured key); ``stamper``: what marks allowed images
    (default: C2PA when ``GENGUARD_C2PA_CERT``/``_KEY`` are set, else the receipt alone)."""
    settings = settings or Settings()
    heavy = HeavyWork(default_slots(settings.max_concurrent_heavy), wait_s=settings.busy_wait_s)
    vault = ImageVault()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        shared = guard.actions.store if guard is not None and guard.actions else None
        store = shared if shared is not None else open_store(settings.resolved_database_url())
        screener = guard or Guard(settings, store=store)
        await run_in_threadpool(screener.load)
        if screener.signer is None:
            screener.signer = ReceiptSigner.from_settings(settings)
        app.state.store, app.state.guard = store, screener
        # No proxy or netrc from the environment: the operator's key goes to the configured upstream only.
        # (Image URLs the upstream names are fetched by genguard.net's fetcher, not this client.)
        async with httpx.AsyncClient(follow_redirects=False, trust_env=False) as client:
            upstream = Upstream(config.upstream_url, api_key=config.upstream_api_key,
                                passthrough=config.auth is AuthMode.PASSTHROUGH, timeout_s=config.timeout_s,
                                max_response_bytes=config.max_response_bytes, client=client)
            app.state.flow = Flow(screener, upstream, stamper or default_stamper(config.generator_name), vault, heavy,
                                  fetcher=MediaFetcher(config.url_fetch_policy(screener.settings.media.max_bytes)))
            try:
                yield
            finally:
                if guard is None:
                    screener.close()
                if shared is None:
                    store.close()

    app = FastAPI(title="genguard images gateway", lifespan=lifespan,
                  description="OpenAI-compatible images API, screened by genguard before and after generation.")
    errors.install(app)
    router = APIRouter(route_class=StrictRoute)

    @router.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @router.post("/v1/images/generations")
    async def generations(request: Request) -> JSONResponse:
        """Text to image: the prompt is screened, then each image the upstream returns."""
        try:
            body = await request.json()
        except ValueError as exc:
            raise GatewayError(400, "invalid_json", "the body is not valid JSON") from exc
        if not isinstance(body, dict):
            raise GatewayError(400, "invalid_json", "the body must be a JSON object")
        _no_stream(body.get("stream"))
        n = _int(body.get("n", 1), "n", 1, config.max_n)
        user = _optional_str(body.get("user"), "user")
        ask = Ask(RequestKind.GENERATE, _prompt(body.get("prompt")), [], user,
                  request.headers.get(SESSION_HEADER) or user, n)
        flow: Flow = request.app.state.flow
        answer = await flow.run(ask, request.scope["state"][_CALLER], "/images/generations",
                                _base_url(request, config), json_body=body)
        return JSONResponse(answer)

    @router.post("/v1/images/edits")
    async def edits(request: Request) -> JSONResponse:
        """Instruction + images: prompt and sources screened, then each output against them."""
        flow: Flow = request.app.state.flow
        limit = flow.guard.settings.media.max_bytes
        form = await request.form()
        fields: list[tuple[str, str]] = []
        files: list[tuple[str, tuple[str, bytes, str]]] = []
        sources: list[ImageInput] = []
        for name, value in form.multi_items():
            if isinstance(value, str):
                fields.append((name, value))
                continue
            if name not in (*_IMAGE_FIELDS, "mask"):
                raise GatewayError(400, "unsupported_parameter", f"the gateway does not forward the file field {name!r}",
                                   param=name)
            data = await _read(value, limit, name)
            files.append((name, (value.filename or "image.png", data, value.content_type or "application/octet-stream")))
            if name != "mask":  # the mask marks where to paint; the sources are what is edited
                sources.append(ImageInput(data=data, declared_type=value.content_type, name=value.filename))
        text = dict(fields)
        if not sources:
            raise GatewayError(400, "missing_required_parameter", "image is required", param="image")
        if len(sources) >= flow.guard.settings.max_images:
            raise GatewayError(400, "invalid_value", f"at most {flow.guard.settings.max_images - 1} images", param="image")
        _no_stream(text.get("stream"))
        n = _int(text.get("n", 1), "n", 1, config.max_n)
        user = text.get("user") or None
        ask = Ask(RequestKind.EDIT, _prompt(text.get("prompt")), sources, user,
                  request.headers.get(SESSION_HEADER) or user, n)
        answer = await flow.run(ask, request.scope["state"][_CALLER], "/images/edits", _base_url(request, config),
                                data=fields, files=files)
        return JSONResponse(answer)

    @router.get("/v1/images/files/{token}")
    def image_file(token: str, request: Request) -> Response:
        """A screened, stamped image for a caller that asked for a URL (expires; see ``vault``)."""
        held = vault.get(token)
        if held is None:
            raise GatewayError(404, "not_found", "no such image (image URLs expire after an hour)")
        return Response(held.data, media_type=held.content_type, headers={"Cache-Control": "private, max-age=3600"})

    app.include_router(router)
    app.include_router(receipts.router)
    max_body = settings.max_images * settings.media.max_bytes + 4 * settings.max_text_chars + 65536
    app.add_middleware(GatewayGate, mode=config.auth, max_bytes=max_body)
    return app


async def _read(upload: UploadFile, limit: int, name: str) -> bytes:
    data = await upload.read(limit + 1)
    if len(data) > limit:
        raise GatewayError(413, "image_too_large", f"{name} is over the {limit}-byte limit", param=name)
    return data
