"""OpenAI's error shape for every answer the gateway gives that is not images.

An OpenAI client switches on the HTTP status and ``error.code``; the gateway's refusals use the
same ``content_policy_violation`` code the upstream uses for its own, and add genguard's
``reasons``, ``decision`` and ``verdict_id`` beside the standard fields (OpenAI clients keep
unknown fields of the error object: ``openai.BadRequestError.body``).
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from genguard.errors import GenguardError

log = logging.getLogger("genguard.gateway")

#: ``error.type`` by status, as the OpenAI API answers them.
_TYPES = {400: "invalid_request_error", 401: "invalid_request_error", 403: "invalid_request_error",
          404: "invalid_request_error", 405: "invalid_request_error", 413: "invalid_request_error",
          415: "invalid_request_error", 422: "invalid_request_error", 429: "rate_limit_exceeded"}


def openai_error(status: int, message: str, *, code: str | None, param: str | None = None,
                 type: str | None = None, headers: dict[str, str] | None = None,  # noqa: A002 - the wire name
                 **extra: Any) -> JSONResponse:
    """``{"error": {"message", "type", "param", "code", ...extra}}`` with ``status``."""
    kind = type or _TYPES.get(status, "server_error" if status < 502 else "upstream_error")
    body = {"error": {"message": message, "type": kind, "param": param, "code": code, **extra}}
    return JSONResponse(body, status_code=status, headers=headers)


class GatewayError(Exception):
    """Raised anywhere in a gateway request; answered in OpenAI's shape (never with an image)."""

    def __init__(self, status: int, code: str, message: str, *, param: str | None = None,
                 type: str | None = None, headers: dict[str, str] | None = None,  # noqa: A002
                 **extra: Any) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.param = status, code, message, param
        self.type, self.headers, self.extra = type, headers, extra

    def response(self) -> JSONResponse:
        return openai_error(self.status, self.message, code=self.code, param=self.param, type=self.type,
                            headers=self.headers, **self.extra)


def install(app: FastAPI) -> None:
    """Every error the gateway's routes raise, in OpenAI's shape."""

    @app.exception_handler(GatewayError)
    async def _gateway(_: Request, exc: GatewayError) -> JSONResponse:
        return exc.response()

    @app.exception_handler(GenguardError)
    async def _genguard(_: Request, exc: GenguardError) -> JSONResponse:
        # Bad input the Guard refused (an undecodable image, a prompt over the limit).
        status = 400 if exc.status in (409, 422) else exc.status
        return openai_error(status, exc.message, code=exc.code)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        param = ".".join(str(p) for p in first.get("loc", ())[1:]) or None
        return openai_error(400, f"invalid request: {first.get('msg', 'does not match the schema')}",
                            code="invalid_value", param=param)

    @app.exception_handler(HTTPException)
    async def _http(_: Request, exc: HTTPException) -> JSONResponse:
        code = getattr(exc, "code", None) or {401: "invalid_api_key", 404: "not_found",
                                               405: "method_not_allowed"}.get(exc.status_code, "invalid_request")
        return openai_error(exc.status_code, str(exc.detail), code=code, headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _internal(request: Request, exc: Exception) -> JSONResponse:
        # Never the headers or body in the log: they carry keys and images.
        reference = uuid.uuid4().hex[:12]
        log.error("internal error %s on %s %s", reference, request.method, request.url.path,
                  exc_info=(type(exc), exc, exc.__traceback__))
        return openai_error(500, f"an internal error occurred (reference {reference}); no image was returned",
                            code="internal_error")
