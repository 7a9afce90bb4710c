"""The call to the image service behind the gateway, with every way it can fail mapped to an
OpenAI-shaped error (fail closed: the caller gets an error, never an unscreened answer).

| upstream | caller gets |
|---|---|
| unreachable (refused, DNS, TLS) | 502 ``upstream_unavailable`` |
| no answer within the timeout | 504 ``upstream_timeout`` |
| 5xx | 502 ``upstream_error`` (the upstream's status in the message, not its body) |
| 401/403 with the gateway's own upstream key | 502 ``upstream_auth_failed`` (the operator's key, not the caller's) |
| other 4xx (a bad size, its own content refusal, 429) | the same status and its ``error`` fields; 429 keeps ``Retry-After`` |
| a body over the limit, streamed or declared | 502 ``upstream_response_too_large`` |
| not JSON, an event stream, or not ``{"data": [{b64_json or url}]}`` | 502 ``upstream_invalid_response`` |

Neither the upstream key nor the upstream's headers are ever logged or passed on.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import anyio
import httpx

from genguard.gateway.errors import GatewayError

#: Fields of an upstream error passed on to the caller, each cut to a sane length.
_ERROR_FIELDS = ("message", "type", "param", "code")
_PASSED_STATUSES = {400, 404, 409, 413, 415, 422, 429}


@dataclass(frozen=True)
class UpstreamImage:
    """One item of the upstream's ``data``: base64 bytes or a URL, and any other fields."""

    b64_json: str | None
    url: str | None
    extra: dict[str, Any]


@dataclass(frozen=True)
class UpstreamAnswer:
    images: list[UpstreamImage]
    #: The answer's other top-level fields (``created``, ``usage``, ``output_format``...), passed on.
    rest: dict[str, Any]


class Upstream:
    """One image service. ``api_key`` is the gateway's own key for it; with ``passthrough`` each
    caller's bearer is sent instead (and the gateway's key, if any, never)."""

    def __init__(self, base_url: str, *, api_key: str | None, passthrough: bool, timeout_s: float,
                 max_response_bytes: int, client: httpx.AsyncClient) -> None:
        self.base_url = base_url.rstrip("/")
        self._api_key = None if passthrough else api_key
        self.passthrough = passthrough
        self.timeout_s = timeout_s
        self.max_response_bytes = max_response_bytes
        self.client = client

    def __repr__(self) -> str:  # never the key
        return f"Upstream({self.base_url!r})"

    async def post(self, path: str, *, caller_bearer: str | None, json_body: dict[str, Any] | None = None,
                   data: list[tuple[str, str]] | None = None,
                   files: list[tuple[str, tuple[str, bytes, str]]] | None = None) -> UpstreamAnswer:
        """POST to ``path`` and return the images, or raise :class:`GatewayError` (table above)."""
        bearer = caller_bearer if self.passthrough else self._api_key
        headers = {"Authorization": f"Bearer {bearer}"} if bearer else {}
        headers["Accept"] = "application/json"
        try:
            # httpx's timeout bounds each read; fail_after bounds the whole exchange, so an
            # upstream that drips its answer a byte at a time still ends on time.
            with anyio.fail_after(self.timeout_s):
                async with self.client.stream("POST", f"{self.base_url}{path}", headers=headers, json=json_body,
                                              data=_form(data), files=files, timeout=self.timeout_s) as response:
                    body = await self._read(response)
        except (httpx.TimeoutException, TimeoutError) as exc:
            raise GatewayError(504, "upstream_timeout",
                               f"the image service did not answer within {self.timeout_s:g} s; nothing was returned") from exc
        except httpx.HTTPError as exc:
            raise GatewayError(502, "upstream_unavailable",
                               f"the image service is unreachable ({type(exc).__name__}); nothing was returned") from exc
        if response.status_code != 200:
            raise self._failure(response, body)
        return _answer(_json(body))

    async def _read(self, response: httpx.Response) -> bytes:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_response_bytes:
            raise _too_large(self.max_response_bytes)
        if response.status_code == 200 and "text/event-stream" in response.headers.get("content-type", ""):
            raise GatewayError(502, "upstream_invalid_response",
                               "the image service streamed its answer; the gateway screens whole images only")
        data = bytearray()
        async for chunk in response.aiter_bytes():
            data += chunk
            if len(data) > self.max_response_bytes:
                raise _too_large(self.max_response_bytes)
        return bytes(data)

    def _failure(self, response: httpx.Response, body: bytes) -> GatewayError:
        status = response.status_code
        if status >= 500:
            return GatewayError(502, "upstream_error", f"the image service failed (HTTP {status}); nothing was returned")
        if status in (401, 403):
            if not self.passthrough:
                return GatewayError(502, "upstream_auth_failed",
                                    "the image service refused the gateway's credentials (operator: check the upstream key)")
            return GatewayError(status, "invalid_api_key", "the image service refused the API key")
        if status not in _PASSED_STATUSES:
            return GatewayError(502, "upstream_error", f"the image service answered HTTP {status}; nothing was returned")
        try:
            error = json.loads(body)["error"]
            fields = {k: (str(error[k])[:2000] if error.get(k) is not None else None) for k in _ERROR_FIELDS}
        except (ValueError, KeyError, TypeError):
            fields = {"message": f"the image service refused the request (HTTP {status})", "type": None,
                      "param": None, "code": None}
        retry = response.headers.get("retry-after", "")
        return GatewayError(status, fields["code"] or "upstream_refused", fields["message"] or "refused",
                            param=fields["param"], type=fields["type"],
                            headers={"Retry-After": retry} if retry.isdigit() else None)


def _form(data: list[tuple[str, str]] | None) -> dict[str, list[str]] | None:
    if data is None:
        return None
    out: dict[str, list[str]] = {}
    for key, value in data:
        out.setdefault(key, []).append(value)
    return out


def _too_large(limit: int) -> GatewayError:
    return GatewayError(502, "upstream_response_too_large",
                        f"the image service's answer is over {limit} bytes; nothing was returned")


def _invalid(what: str) -> GatewayError:
    return GatewayError(502, "upstream_invalid_response", f"the image service's answer is malformed: {what}")


def _json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except ValueError as exc:
        raise _invalid("not JSON") from exc


def _answer(doc: Any) -> UpstreamAnswer:
    if not isinstance(doc, dict) or not isinstance(doc.get("data"), list) or not doc["data"]:
        raise _invalid('no "data" list of images')
    images = []
    for item in doc["data"]:
        if not isinstance(item, dict):
            raise _invalid("an image item is not an object")
        b64, url = item.get("b64_json"), item.get("url")
        if not (isinstance(b64, str) and b64) and not (isinstance(url, str) and url):
            raise _invalid("an image item has neither b64_json nor url")
        extra = {k: v for k, v in item.items() if k not in ("b64_json", "url")}
        images.append(UpstreamImage(b64 if isinstance(b64, str) and b64 else None,
                                    url if isinstance(url, str) and url else None, extra))
    return UpstreamAnswer(images, {k: v for k, v in doc.items() if k != "data"})
