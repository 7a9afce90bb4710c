"""One error shape for every endpoint: ``{"error": {"code", "message"}}`` with a fitting status."""

from __future__ import annotations

import logging
import uuid

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict
from starlette.exceptions import HTTPException

from genguard.errors import GenguardError

log = logging.getLogger("genguard.api")


class ErrorDetail(BaseModel):
    """What went wrong: ``code`` is stable (clients switch on it), ``message`` is for people.
    Some codes add fields (``details``, ``missing``, ``problems``)."""

    model_config = ConfigDict(extra="allow")

    code: str
    message: str


class ErrorBody(BaseModel):
    """Every error response's body."""

    error: ErrorDetail


def _documented(description: str) -> dict[str, object]:
    return {"model": ErrorBody, "description": description}


#: The error statuses every ``/v1`` route may answer with, in the OpenAPI document: the error
#: shape is part of the contract, and the fuzz tests hold every answer to it.
ERROR_RESPONSES: dict[int | str, dict[str, object]] = {
    400: _documented("malformed body (text_not_utf8, http_error)"),
    401: _documented("no or no valid API key (unauthenticated)"),
    403: _documented("the key's role may not do this (forbidden)"),
    404: _documented("no such resource (not_found, case_not_found, ...)"),
    405: _documented("method not allowed"),
    409: _documented("conflicts with the current state (idempotency_key_reused, case_not_claimable, ...)"),
    413: _documented("body or image over its limit (payload_too_large, media_too_large)"),
    415: _documented("a charset other than UTF-8 (charset_unsupported)"),
    422: _documented("invalid request or media (request_invalid, text_invalid, media_*, ...)"),
    500: _documented("internal error, logged with the reference in the message (internal_error)"),
    503: _documented("busy (server_busy, with Retry-After) or a dependency down (store_unavailable, ...)"),
}


def error_body(code: str, message: str, **extra: object) -> dict[str, object]:
    return {"error": {"code": code, "message": message, **extra}}


class CodedHTTPException(HTTPException):
    """An HTTP error with its own stable code. An ``HTTPException`` because FastAPI re-raises
    those from body parsing (any other exception there becomes a generic 400)."""

    def __init__(self, status_code: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(status_code, message, headers=headers)
        self.code = code


def install(app: FastAPI) -> None:
    @app.exception_handler(GenguardError)
    async def _genguard(_: Request, exc: GenguardError) -> JSONResponse:
        return JSONResponse(error_body(exc.code, exc.message), status_code=exc.status)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [
            {"field": ".".join(str(p) for p in e.get("loc", ())), "problem": e.get("msg", "")}
            for e in exc.errors()
        ]
        return JSONResponse(
            error_body("request_invalid", "the request does not match the schema", details=problems),
            status_code=422,
        )

    @app.exception_handler(HTTPException)
    async def _http(_: Request, exc: HTTPException) -> JSONResponse:
        code = getattr(exc, "code", None) or {401: "unauthenticated", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
                413: "payload_too_large"}.get(exc.status_code, "http_error")
        return JSONResponse(error_body(code, str(exc.detail)), status_code=exc.status_code,
                            headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _internal(request: Request, exc: Exception) -> JSONResponse:
        # The last resort: a bug or an outage still answers in the documented shape. The log
        # names the route and carries the traceback; never headers or the body (keys, media).
        reference = uuid.uuid4().hex[:12]
        log.error("internal error %s on %s %s", reference, request.method, request.url.path,
                  exc_info=(type(exc), exc, exc.__traceback__))
        return JSONResponse(error_body("internal_error", f"an internal error occurred (reference {reference}); "
                                       "it has been logged"), status_code=500)
