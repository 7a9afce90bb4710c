"""``Client`` and ``AsyncClient``: genguard's HTTP API as typed Python calls.

Both send the same requests (built once, in :class:`_Calls`) and parse the same answers into
the API's own models (:class:`~genguard.verdict.Verdict`, the notice :class:`~genguard.cases.notices.Notice`
and :class:`~genguard.cases.intake.Receipt`); they differ only in how they wait.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from genguard import __version__
from genguard.cases.intake import Receipt
from genguard.cases.notices import Notice
from genguard.client.errors import ConnectionFailed, from_response
from genguard.client.retry import RetryPolicy
from genguard.receipts import load_public_key, verify
from genguard.request import RequestKind
from genguard.verdict import Verdict

Image = bytes | Path
#: Form fields of ``POST /v1/screen`` (see ``genguard.api.routers.screen``).
_IMAGE_TYPE = "application/octet-stream"


@dataclass(frozen=True)
class _Call:
    """One request, re-sendable as is (bodies are bytes, never streams)."""

    method: str
    path: str
    kwargs: dict[str, Any] = field(default_factory=dict)
    #: Safe to send again after a connection was lost mid-request.
    idempotent: bool = False


def _bytes(image: Image) -> tuple[str, bytes, str]:
    if isinstance(image, Path):
        return image.name, image.read_bytes(), _IMAGE_TYPE
    return "image", image, _IMAGE_TYPE


class _Calls:
    """Building requests and reading answers, shared by both clients."""

    @staticmethod
    def screen(kind: RequestKind | str, prompt: str, sources: Sequence[Image], output: Image | None,
               history: Sequence[str], id: str | None, account: str | None,  # noqa: A002
               session_id: str | None, age_assured: bool) -> _Call:
        data: dict[str, Any] = {"kind": RequestKind(kind).value, "prompt": prompt, "age_assured": str(age_assured).lower()}
        if history:
            data["history"] = list(history)
        data.update({k: v for k, v in (("id", id), ("account", account), ("session_id", session_id)) if v is not None})
        files = [("sources", _bytes(s)) for s in sources]
        if output is not None:
            files.append(("output", _bytes(output)))
        return _Call("POST", "/v1/screen", {"data": data, "files": files or None})

    @staticmethod
    def submit_notice(notice: Notice | dict[str, Any], idempotency_key: str | None) -> _Call:
        body = (notice if isinstance(notice, Notice) else Notice.model_validate(notice)).model_dump(mode="json",
                                                                                                   exclude_none=True)
        # A key chosen now and sent with every try: a lost answer is retried without a second case.
        key = idempotency_key or f"gg-client-{uuid.uuid4()}"
        return _Call("POST", "/v1/notices", {"json": body, "headers": {"Idempotency-Key": key}}, idempotent=True)

    @staticmethod
    def receipt(response: httpx.Response) -> Receipt:
        return Receipt(response.json(), replayed=response.headers.get("idempotent-replayed") == "true")


def _settle(retry: RetryPolicy, call: _Call, attempt: int,
            outcome: httpx.Response | httpx.TransportError) -> httpx.Response | float:
    """What one attempt leads to, shared by the sync and async clients (only their waiting
    differs): the answer to return, or the seconds to wait before the next attempt. Raises the
    typed error when the policy allows no further attempt."""
    if isinstance(outcome, httpx.TransportError):
        wait = retry.after_failure(attempt, outcome, idempotent=call.idempotent)
        if wait is None:
            raise ConnectionFailed(0, "connection_failed",
                                   f"no answer from the server ({type(outcome).__name__})") from outcome
        return wait
    if outcome.status_code < 400:
        return outcome
    error = from_response(outcome)
    wait = retry.after_error(attempt, error)
    if wait is None:
        raise error
    return wait


def _headers(api_key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_key}", "User-Agent": f"genguard-client/{__version__}"}


class Client:
    """A synchronous client. Use as a context manager, or call :meth:`close`.

    ``Client("https://genguard.internal", api_key)``; every method raises a
    :class:`~genguard.client.errors.GenguardAPIError` subclass for an error answer, after the
    retries in ``retry`` (:class:`RetryPolicy`).
    """

    def __init__(self, base_url: str, api_key: str, *, timeout: float = 120.0, retry: RetryPolicy | None = None,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.retry = retry or RetryPolicy()
        self._http = httpx.Client(base_url=base_url, headers=_headers(api_key), timeout=timeout, transport=transport)
        self._jwks: bytes | None = None

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def send(self, call: _Call) -> httpx.Response:
        """Send ``call`` with the retry policy; the answer, or the typed error."""
        attempt = 0
        while True:
            try:
                step = _settle(self.retry, call, attempt, self._http.request(call.method, call.path, **call.kwargs))
            except httpx.TransportError as exc:
                step = _settle(self.retry, call, attempt, exc)
            if isinstance(step, httpx.Response):
                return step
            time.sleep(step)
            attempt += 1

    def screen(self, kind: RequestKind | str, *, prompt: str = "", sources: Sequence[Image] = (),
               output: Image | None = None, history: Sequence[str] = (), id: str | None = None,  # noqa: A002
               account: str | None = None, session_id: str | None = None, age_assured: bool = False) -> Verdict:
        """Screen one request (``POST /v1/screen``); images as bytes or paths. Not retried once
        the server may have screened it (see ``retry``)."""
        call = _Calls.screen(kind, prompt, sources, output, history, id, account, session_id, age_assured)
        return Verdict.model_validate(self.send(call).json())

    def submit_notice(self, notice: Notice | dict[str, Any], *, idempotency_key: str | None = None) -> Receipt:
        """Submit a notice (``POST /v1/notices``) with an ``Idempotency-Key`` (generated if not
        given), so retries never open a second case; ``Receipt.replayed`` says a retry won."""
        return _Calls.receipt(self.send(_Calls.submit_notice(notice, idempotency_key)))

    def notice_status(self, notice_id: str) -> dict[str, Any]:
        return self.send(_Call("GET", f"/v1/notices/{notice_id}", idempotent=True)).json()  # type: ignore[no-any-return]

    def jwks(self) -> dict[str, Any]:
        """The server's receipt key set (``/.well-known/jwks.json``)."""
        return self.send(_Call("GET", "/.well-known/jwks.json", idempotent=True)).json()  # type: ignore[no-any-return]

    def verify_receipt(self, receipt: str) -> dict[str, Any]:
        """A verdict receipt's payload if this server signed it (its key is fetched once)."""
        if self._jwks is None:
            self._jwks = self.send(_Call("GET", "/.well-known/jwks.json", idempotent=True)).content
        return verify(receipt, load_public_key(self._jwks))


class AsyncClient:
    """The asynchronous twin of :class:`Client` (same methods, awaited)."""

    def __init__(self, base_url: str, api_key: str, *, timeout: float = 120.0, retry: RetryPolicy | None = None,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.retry = retry or RetryPolicy()
        self._http = httpx.AsyncClient(base_url=base_url, headers=_headers(api_key), timeout=timeout,
                                       transport=transport)
        self._jwks: bytes | None = None

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    async def send(self, call: _Call) -> httpx.Response:
        attempt = 0
        while True:
            try:
                step = _settle(self.retry, call, attempt, await self._http.request(call.method, call.path, **call.kwargs))
            except httpx.TransportError as exc:
                step = _settle(self.retry, call, attempt, exc)
            if isinstance(step, httpx.Response):
                return step
            await asyncio.sleep(step)
            attempt += 1

    async def screen(self, kind: RequestKind | str, *, prompt: str = "", sources: Sequence[Image] = (),
                     output: Image | None = None, history: Sequence[str] = (), id: str | None = None,  # noqa: A002
                     account: str | None = None, session_id: str | None = None, age_assured: bool = False) -> Verdict:
        call = _Calls.screen(kind, prompt, sources, output, history, id, account, session_id, age_assured)
        return Verdict.model_validate((await self.send(call)).json())

    async def submit_notice(self, notice: Notice | dict[str, Any], *, idempotency_key: str | None = None) -> Receipt:
        return _Calls.receipt(await self.send(_Calls.submit_notice(notice, idempotency_key)))

    async def notice_status(self, notice_id: str) -> dict[str, Any]:
        return (await self.send(_Call("GET", f"/v1/notices/{notice_id}", idempotent=True))).json()  # type: ignore[no-any-return]

    async def jwks(self) -> dict[str, Any]:
        return (await self.send(_Call("GET", "/.well-known/jwks.json", idempotent=True))).json()  # type: ignore[no-any-return]

    async def verify_receipt(self, receipt: str) -> dict[str, Any]:
        if self._jwks is None:
            self._jwks = (await self.send(_Call("GET", "/.well-known/jwks.json", idempotent=True))).content
        return verify(receipt, load_public_key(self._jwks))
